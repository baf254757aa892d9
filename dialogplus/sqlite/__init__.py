"""SQLite, the embedded default, making its database's folder when it first connects."""
