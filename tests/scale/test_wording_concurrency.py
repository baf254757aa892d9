"""Two admins saving one draft at the same moment, on PostgreSQL (where rows are really locked).

Runs when DATABASE_URL is PostgreSQL. The test commits (a transactional test),
so it seeds the scale itself if an earlier transactional test emptied it.
"""

import threading

import pytest
from django.db import connection, transaction

from scale.models import ScaleVersion, WordingStatus
from scale.selectors import scale_get
from scale.services import WordingConflictError, draft_start, draft_wording_save, wording_texts
from tests.factories import ensure_scale

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgres"),
]


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    ensure_scale()


def texts_in(version, language):
    return {item.key: item.value(language) for item in wording_texts(scale_get(version.pk))}


def in_thread(target):
    """Run ``target`` in a thread with its own database connection; keep its error."""
    errors = []

    def run():
        try:
            target()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_second_admin_waits_for_the_first_and_is_told_of_their_save(
    clinic, clinic_admin, other_admin
):
    draft = draft_start(clinic=clinic, user=clinic_admin)
    mine, theirs = texts_in(draft, "sr"), texts_in(draft, "sr")
    mine["domain-job-short_name"] = "Мој посао"
    theirs["domain-job-short_name"] = "Њихов посао"
    first_saved, let_first_commit = threading.Event(), threading.Event()
    second_done = threading.Event()

    def first():
        with transaction.atomic():
            draft_wording_save(
                version=draft, language="sr", texts=mine, source="A", user=clinic_admin, revision=0
            )
            first_saved.set()
            let_first_commit.wait(10)

    def second():
        first_saved.wait(10)
        try:
            draft_wording_save(
                version=draft, language="sr", texts=theirs, source="B", user=other_admin, revision=0
            )
        finally:
            second_done.set()

    a, a_errors = in_thread(first)
    b, b_errors = in_thread(second)
    first_saved.wait(10)
    # The second admin's save is blocked on the lock while the first one's is open.
    assert not second_done.wait(0.5)
    let_first_commit.set()
    a.join(10)
    b.join(10)

    assert not a_errors, a_errors
    # Loaded at the same revision, the second save is not written over the first.
    assert [type(error) for error in b_errors] == [WordingConflictError]
    assert texts_in(draft, "sr")["domain-job-short_name"] == "Мој посао"
    assert WordingStatus.objects.get(version=draft, language="sr").source == "A"
    assert ScaleVersion.objects.get(pk=draft.pk).revision == 1
