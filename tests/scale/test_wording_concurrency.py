"""Two admins validating at the same moment, on PostgreSQL (where rows are really locked).

Runs when DATABASE_URL is PostgreSQL. The test commits (a transactional test),
so it seeds the scale itself if an earlier transactional test emptied it.
"""

import threading

import pytest
from django.db import connection, transaction

from scale.models import ScaleVersion, WordingStatus
from scale.selectors import scale_current, scale_get
from scale.services import scale_version_validate, wording_texts
from tests.factories import ensure_scale

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.needs("postgres"),
]


@pytest.fixture(autouse=True)
def _scale(transactional_db):
    ensure_scale()


def texts_in(language):
    return {item.key: item.value(language) for item in wording_texts(scale_get(scale_current().pk))}


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


def test_a_second_admin_waits_for_the_first_and_builds_on_their_version(clinic_admin, other_admin):
    sr, mk = texts_in("sr"), texts_in("mk")
    sr["domain-job-short_name"] = "Посао"
    first_saved, let_first_commit = threading.Event(), threading.Event()
    second_done = threading.Event()

    def first():
        with transaction.atomic():
            scale_version_validate(language="sr", texts=sr, source="A", user=clinic_admin)
            first_saved.set()
            let_first_commit.wait(10)

    def second():
        first_saved.wait(10)
        scale_version_validate(language="mk", texts=mk, source="B", user=other_admin, based_on=1)
        second_done.set()

    a, a_errors = in_thread(first)
    b, b_errors = in_thread(second)
    first_saved.wait(10)
    # The second admin's save is blocked on the lock while the first one's is open.
    assert not second_done.wait(0.5)
    let_first_commit.set()
    a.join(10)
    b.join(10)

    assert not a_errors and not b_errors, (a_errors, b_errors)
    assert list(ScaleVersion.objects.order_by("number").values_list("number", "is_current")) == [
        (1, False),
        (2, False),
        (3, True),
    ]
    third = scale_current()
    statuses = dict(WordingStatus.objects.filter(version=third).values_list("language", "source"))
    assert statuses["sr"] == "A" and statuses["mk"] == "B"
    assert texts_in("sr")["domain-job-short_name"] == "Посао"
