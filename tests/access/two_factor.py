"""Access-matrix rows for two-factor sign-in and password reset."""

ROWS = []
