"""Access-matrix rows for clinic staff management and invitations."""

ROWS = []
