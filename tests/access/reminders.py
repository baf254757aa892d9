"""Access-matrix rows for appointments, reminders and opt-out."""

ROWS = []
