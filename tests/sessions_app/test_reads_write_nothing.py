"""Opening a session screen writes nothing but the access log (and the
session's clock, which counts activity): the stage moves with POSTs only."""

import ast
import pathlib

from django.urls import reverse

from sessions_app.models import DialogSession


def stored(session):
    row = DialogSession.objects.get(pk=session.pk)
    return (row.status, row.stage, row.attendance, row.clinician_id, row.comparison_shown)


def test_opening_the_session_screens_changes_no_stage(clinician_client, session):
    before, history = stored(session), session.history.count()

    for name in ("resume", "rate", "review_actions", "review", "select", "summary", "rate_done"):
        response = clinician_client.get(reverse(f"sessions:{name}", args=[session.code]))
        assert response.status_code in (200, 302), name

    assert stored(session) == before
    assert session.history.count() == history


def test_sessions_app_imports_nothing_of_reminders():
    """reminders sits above sessions_app: it listens to sessions_app.signals instead."""
    root = pathlib.Path(__file__).resolve().parents[2] / "sessions_app"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{path}: {n}" for n in names if n.split(".")[0] == "reminders"]
    assert offenders == []
