"""A patient's change history: one timeline over the record, who changed what,
before and after; clinical values for the patient's clinicians only."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLog
from records import history
from tests.factories import PatientFactory

from .conftest import MARKER, acting_as

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def text(response):
    """The page's visible text, tags dropped and spaces squeezed."""
    body = html(response).split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def entries_for(patient, *, reads_clinical):
    return history.change_history_for_patient(patient, reads_clinical=reads_clinical)


def find(entries, subject, verb=None):
    found = [e for e in entries if e.subject == subject and (verb is None or e.verb == verb)]
    assert found, (subject, [(e.subject, e.verb) for e in entries])
    return found


def changes(entry):
    return {change.label: (change.before, change.after) for change in entry.changes}


def test_a_changed_note_shows_who_changed_it_and_the_text_before_and_after(record, patient):
    entries = entries_for(patient, reads_clinical=True)

    added, edited = sorted(
        find(entries, "Session 1 · Job situation · Note on step 1"), key=lambda e: e.at
    )
    assert (added.verb, added.who) == ("Added", "Clara Clinician")
    assert changes(added) == {"Note": ("—", f"Note 1: {MARKER}")}
    assert (edited.verb, edited.who) == ("Changed", "Clara Clinician")
    assert changes(edited) == {"Note": (f"Note 1: {MARKER}", f"Note 1 again: {MARKER}")}


def test_the_timeline_covers_every_part_of_the_record_newest_first(record, patient):
    entries = entries_for(patient, reads_clinical=True)

    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    subjects = {e.subject for e in entries}
    assert {
        "Patient details",
        "Session 1",
        "Session 2",
        "Session 1 · Rating: Job situation",
        "Session 2 · Rating: Job situation",
        "Session 1 · Area chosen: Job situation",
        "Session 1 · Job situation · Note on step 1",
        "Session 1 · Job situation · Action",
        "Session 2 · Review of an action from session 1",
    } <= subjects
    (plan,) = find(entries, "Patient details", "Changed")
    assert (plan.who, changes(plan)) == ("Colin Colleague", {"Planned sessions": ("6", "8")})


def test_a_rating_changed_twice_reads_as_two_changes(record, patient):
    entries = entries_for(patient, reads_clinical=True)

    ratings = sorted(find(entries, "Session 2 · Rating: Job situation"), key=lambda e: e.at)
    assert [(e.verb, changes(e).get("Rating")) for e in ratings] == [
        ("Added", ("—", "5")),
        ("Changed", ("5", "6")),
    ]
    assert {e.who for e in ratings} == {"Colin Colleague"}


def test_a_removed_action_shows_what_it_said(record, patient):
    entries = entries_for(patient, reads_clinical=True)

    (removed,) = find(entries, "Session 1 · Job situation · Action", "Removed")
    assert changes(removed)["What will be done"] == (f"Dropped action ({MARKER})", "—")


def test_a_session_finished_shows_its_status_and_end(record, patient):
    entries = entries_for(patient, reads_clinical=True)

    (finished,) = [e for e in find(entries, "Session 1", "Changed") if "Status" in changes(e)]
    assert changes(finished)["Status"] == ("In progress", "Completed")
    assert changes(finished)["Ended"][0] == "—"


def test_saves_that_change_nothing_shown_are_left_out(record, patient):
    # Advancing the stage and visiting steps save the rows without a visible change.
    entries = entries_for(patient, reads_clinical=True)

    assert all(e.changes or e.verb != "Changed" for e in entries)


def test_a_change_made_outside_a_request_is_the_systems(patient):
    patient.planned_sessions = 9
    patient.save()

    (entry,) = find(entries_for(patient, reads_clinical=True), "Patient details", "Changed")
    assert entry.who == "the system"


def test_a_carers_consent_change_is_in_the_timeline(patient, clinician, carer_with_consent):
    carer = patient.carers.get()
    with acting_as(clinician):
        carer.share_ratings = True
        carer.save()

    (entry,) = find(entries_for(patient, reads_clinical=False), "Carer: Carol Carer", "Changed")
    assert changes(entry) == {"Patient agrees to share ratings": ("No", "Yes")}
    assert entry.who == "Clara Clinician"


def test_for_a_clinic_admin_no_clinical_value_is_in_the_entries(record, patient):
    entries = entries_for(patient, reads_clinical=False)

    dumped = repr(entries)
    assert MARKER not in dumped
    assert "Job" not in dumped.replace("Rating: Job situation", "")
    (note_edit,) = find(entries, "Session 1 · Note on step 1", "Changed")
    assert [(c.label, c.masked, c.before, c.after) for c in note_edit.changes] == [
        ("Note", "(text changed)", "", "")
    ]
    rating_edit = find(entries, "Session 2 · Rating: Job situation", "Changed")[0]
    assert [(c.masked, c.before, c.after) for c in rating_edit.changes] == [
        ("(value changed)", "", "")
    ]
    # What is not clinical reads the same as for a clinician.
    (plan,) = find(entries, "Patient details", "Changed")
    assert changes(plan) == {"Planned sessions": ("6", "8")}


def test_the_admin_sees_the_same_timeline_as_a_clinician(record, patient):
    clinician_view = entries_for(patient, reads_clinical=True)
    admin_view = entries_for(patient, reads_clinical=False)

    assert [(e.at, e.who, e.verb) for e in admin_view] == [
        (e.at, e.who, e.verb) for e in clinician_view
    ]


# --- the page ------------------------------------------------------------------------------


def test_the_clinician_reads_the_history_page_with_the_text(record, clinician_client, patient):
    response = clinician_client.get(reverse("audit:history", args=[patient.code]))

    assert response.status_code == 200
    page = text(response)
    assert f"Note 1: {MARKER} → becomes Note 1 again: {MARKER}" in page
    assert "Colin Colleague" in page


def test_the_clinic_admin_reads_the_history_page_without_clinical_text(
    record, clinic_admin_client, patient
):
    response = clinic_admin_client.get(reverse("audit:history", args=[patient.code]))

    assert response.status_code == 200
    assert MARKER not in html(response)
    assert "(text changed)" in html(response)
    assert "Clinic admins do not see clinical records" in html(response)


def test_opening_the_history_is_logged(record, clinician_client, clinic_admin_client, patient):
    clinician_client.get(reverse("audit:history", args=[patient.code]))
    clinic_admin_client.get(reverse("audit:history", args=[patient.code]))

    assert list(
        AccessLog.objects.filter(kind=AccessLog.Kind.HISTORY)
        .order_by("id")
        .values_list("user_name", "role")
    ) == [("Clara Clinician", "clinician"), ("Ada Admin", "admin")]


def test_the_history_is_paginated(patient, clinician_client, clinician):
    with acting_as(clinician):
        for number in range(55):
            patient.planned_sessions = 1 + number % 40
            patient.save()

    first = clinician_client.get(reverse("audit:history", args=[patient.code]))
    second = clinician_client.get(reverse("audit:history", args=[patient.code]), {"page": 2})

    assert html(first).count("Planned sessions") == 50
    # 55 changes and the patient's registration.
    assert html(second).count("Planned sessions") == 6
    assert "Page 2 of 2" in html(second)


def test_the_history_page_makes_as_many_queries_for_a_long_record_as_for_a_short_one(
    clinic, clinician, clinician_client, domains
):
    from tests.factories import session_complete

    def record_with(sessions):
        patient = PatientFactory(clinic=clinic, key_clinician=clinician)
        with acting_as(clinician):
            for _ in range(sessions):
                session_complete(
                    patient,
                    ratings={"job": 3, "leisure": 4},
                    actions={"job": ["Call", "Write"], "leisure": ["Walk"]},
                )
        return reverse("audit:history", args=[patient.code])

    short, long = record_with(1), record_with(6)
    clinician_client.get(short)  # the client's first request loads its sign-in
    counts = []
    for url in (short, long):
        with CaptureQueriesContext(connection) as context:
            assert clinician_client.get(url).status_code == 200
        counts.append(len(context.captured_queries))

    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts
