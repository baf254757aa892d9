"""What sessions_app tells the apps above it.

sessions_app sits below reminders (docs/architecture.md): it never imports
them. When a session ends, it says so; reminders listens (reminders/apps.py).
"""

from django.dispatch import Signal

# Sent inside the transaction that finishes a session, with ``session`` (as
# stored now), ``next_appointment`` (aware datetime or None) and ``now`` (the
# session's end time). A receiver that raises undoes the finish: write rows in
# the same transaction, and leave slow or fallible work to ``on_commit``.
session_finished = Signal()
