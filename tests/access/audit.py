"""Access-matrix rows for the access log, change history and "who saw my record"."""

ROWS = []
