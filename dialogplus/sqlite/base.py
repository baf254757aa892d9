"""Django's SQLite backend, which makes the database file's folder on first connection.

Importing the settings must not create folders (a read-only checkout, a
command that never touches the database); the folder is made only when a
connection to a file database is actually opened.
"""

from pathlib import Path

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        name = str(conn_params["database"])
        if name != ":memory:" and not name.startswith("file:"):
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        return super().get_new_connection(conn_params)
