"""Dates nobody can misread: in English too, the month is written out.

"11/18/2026" in an English interface reads as the 11th of a month that does
not exist to anyone in the region (dialogplus/formats/en). Every language
writes the day first.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import formats, translation

from dialogplus.languages import LANGUAGE_CODES
from sessions_app.models import Action, DialogSession
from tests.factories import in_days, session_complete
from tests.reminders.factories import appointment_for

pytestmark = pytest.mark.django_db

BELGRADE = ZoneInfo("Europe/Belgrade")
# 11/18/2026, 5/4/26, 03-12-2026: numbers only, which could be either way round.
NUMERIC_DATE = re.compile(r"\b\d{1,2}[/-]\d{1,2}[/-]\d{2,4}\b")
TWELVE_HOUR = re.compile(r"\b\d{1,2}(:\d{2})? ?[ap]\.m\.")
STARTED = datetime.datetime(2026, 11, 18, 9, 5, tzinfo=datetime.UTC)
DUE = datetime.date(2026, 11, 25)


@pytest.fixture
def english_client(client_for, clinician):
    clinician.language = "en"
    clinician.save(update_fields=["language"])
    return client_for(clinician)


@pytest.fixture
def finished(patient):
    session = session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the centre"]})
    DialogSession.objects.filter(pk=session.pk).update(started_at=STARTED)
    Action.objects.filter(area__session=session).update(due_date=DUE)
    return session


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def assert_unambiguous(page):
    assert not NUMERIC_DATE.search(page), NUMERIC_DATE.search(page).group()
    assert not TWELVE_HOUR.search(page), TWELVE_HOUR.search(page).group()


def test_the_patient_page_writes_the_month_out_in_english(english_client, patient, finished):
    page = page_of(english_client, reverse("patients:detail", args=[patient.code]))

    assert_unambiguous(page)
    assert "18 Nov 2026" in page  # the session, in the list of sessions
    assert "25 Nov 2026" in page  # the action's due date


def test_the_summary_writes_the_month_out_in_english(english_client, finished):
    page = page_of(english_client, reverse("sessions:summary", args=[finished.code]))

    assert_unambiguous(page)
    # 09:05 UTC is 10:05 in Belgrade, on the 24-hour clock.
    assert "Started 18 Nov 2026, 10:05" in page
    assert "25 Nov 2026" in page


def test_the_agenda_and_patient_list_write_the_month_out_in_english(
    english_client, patient, finished
):
    when = in_days(3).replace(hour=8, minute=15, second=0, microsecond=0)
    appointment_for(patient, when)
    local = when.astimezone(BELGRADE)
    written_out = f"{local.day} {local:%b} {local.year}, {local:%H:%M}"

    agenda = page_of(english_client, reverse("reminders:agenda"))
    patients = page_of(english_client, reverse("patients:list"))

    assert_unambiguous(agenda)
    assert written_out in agenda
    assert_unambiguous(patients)
    assert "18 Nov 2026" in patients


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize(
    "name", ["DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"]
)
def test_every_language_writes_the_day_first_or_the_month_out(language, name):
    # The 4th of May: month-first would print 5 before 4.
    moment = datetime.datetime(2026, 5, 4, 21, 5, tzinfo=datetime.UTC)
    with translation.override(language):
        text = formats.date_format(moment, name)

    assert not NUMERIC_DATE.search(text), text
    assert not TWELVE_HOUR.search(text), text
    numbers = re.findall(r"\d+", text)
    # The day comes before any month number, and the year is written in full.
    assert numbers[0].lstrip("0") == "4", text
    assert "2026" in numbers, text
    if "TIME" in name:
        assert "21:05" in text, text
