"""Every page speaks its reader's language: DIALOG wording without English
fallback, the interface from the compiled catalogs, the hand-over screen in the
patient's language, and Montenegrin plurals, dates and numbers.
"""

import datetime
import importlib
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import formats, translation

from dialogplus.languages import LANGUAGE_CODES
from scale.selectors import scale_current
from scale.services import wording_texts
from sessions_app import services
from sessions_app.models import Action, DialogSession, Stage
from tests.factories import DOMAIN_KEYS, PASSWORD, session_complete

pytestmark = pytest.mark.django_db

LOCAL_LANGUAGES = [code for code in LANGUAGE_CODES if code != "en"]

_seed = importlib.import_module("scale.migrations.0002_seed_english_wording")
# Every English text of the DIALOG wording: items, labels, help question, steps, prompts.
ENGLISH_WORDING = sorted(
    {
        _seed.HELP_QUESTION,
        *(text for _key, _kind, short, question in _seed.DOMAINS for text in (short, question)),
        *_seed.LABELS,
        *(
            text
            for _key, title, guidance, prompts in _seed.STEPS
            for text in (title, guidance, *prompts)
        ),
    }
)

# Interface sentences of the pages below; any of them in a translated page means a
# string escaped gettext or the catalogs were not compiled.
ENGLISH_UI = [
    "Sign in",
    "Password",
    "Skip to content",
    "Find a patient by name or code",
    "Add patient",
    "Search",
    "Patients",
    "Sign out",
    "Profile",
]


def html(response):
    return response.content.decode()


def visible_text(page):
    """The page's text and attribute values a person can meet, without tags' names."""
    return re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)


def english_wording_in(page):
    return [text for text in ENGLISH_WORDING if text in page]


def english_ui_in(page):
    # Whole words only: "Email" must not match inside "E-mail adresa".
    text = re.sub(r"<[^>]+>", " ", visible_text(page))
    return [s for s in ENGLISH_UI if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)]


def wording(language):
    """``{domain key: (short name, question)}`` and the other texts of the current scale."""
    with translation.override(language):
        scale = scale_current()
        return {
            "short_names": {d.key: d.short_name for d in scale.domains.all()},
            "labels": [label.text for label in scale.labels.all()],
            "help_question": scale.help_question,
            "steps": {s.number: s.title for s in scale.steps.all()},
        }


# --- a patient with a history, an open session at the four steps, in one language ------------


@pytest.fixture
def world(clinic, clinician, patient, carer_with_consent):
    """``world(language)``: clinician, patient and carer read ``language``; the patient
    has a finished first session and a second one open with ratings, the area "job"
    chosen, notes and an action, and last time's action reviewed."""

    def build(language):
        for person in (clinician, carer_with_consent):
            person.language = language
            person.save(update_fields=["language"])
        patient.language = language
        patient.save(update_fields=["language"])
        first = session_complete(
            patient,
            ratings=dict.fromkeys(DOMAIN_KEYS, 4),
            needs_help={"job": True},
            actions={"job": ["Phone the job centre"]},
        )
        second = services.session_start(
            patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
        ).session
        earlier = Action.objects.get(area__session=first)
        services.action_review_record(session=second, action=earlier, status="partly")
        domains = {d.key: d for d in second.scale_version.domains.all()}
        for value, key in enumerate(DOMAIN_KEYS):
            services.rating_record(
                session=second, domain_id=domains[key].id, value=value % 7 + 1, needs_help=False
            )
        services.session_advance(session=second, stage=Stage.SELECT)
        (area,) = services.areas_select(session=second, domain_ids=[domains["job"].id])
        services.session_advance(session=second, stage=Stage.STEPS)
        for step in (1, 2, 3):
            services.step_note_save(session=second, area=area, step=step, text="Two mornings")
        services.action_add(
            session=second,
            area=area,
            text="Ask Ana about the course",
            owner="patient",
            client_token=uuid.uuid4(),
        )
        return first, second, area

    return build


def flow_pages(first, second, area):
    """``(name, url, wording that page must show)`` of every flow page and printout."""
    s = second.code
    pages = [
        ("review of actions", reverse("sessions:review_actions", args=[s]), ["job"]),
        ("rating item", reverse("sessions:rate_item", args=[s, 3]), ["job", "labels", "help"]),
        ("rating done", reverse("sessions:rate_done", args=[s]), []),
        ("review of ratings", reverse("sessions:review", args=[s]), ["all"]),
        ("choice of areas", reverse("sessions:select", args=[s]), ["all"]),
    ]
    pages += [
        (f"step {n}", reverse("sessions:step", args=[s, area.id, n]), ["job", f"step{n}"])
        for n in (1, 2, 3, 4)
    ]
    pages += [
        ("summary", reverse("sessions:summary", args=[s]), ["job"]),
        ("abandon", reverse("sessions:abandon", args=[s]), []),
        ("patient", reverse("patients:detail", args=[second.patient.code]), ["all"]),
        ("patient list", reverse("patients:list"), []),
        ("printout", reverse("sessions:print", args=[first.code]), ["job"]),
    ]
    return pages


def expected_wording(needs, texts):
    found = []
    for need in needs:
        if need == "job":
            found.append(texts["short_names"]["job"])
        elif need == "all":
            found += list(texts["short_names"].values())
        elif need == "labels":
            found += texts["labels"]
        elif need == "help":
            found.append(texts["help_question"])
        elif need.startswith("step"):
            found.append(texts["steps"][int(need[4:])])
    return found


def test_every_text_of_the_current_scale_exists_in_every_language(scale):
    missing = [
        (item.key, language)
        for item in wording_texts(scale)
        for language in LANGUAGE_CODES
        if not item.value(language).strip()
    ]

    assert not missing


@pytest.mark.parametrize("language", LOCAL_LANGUAGES)
def test_every_flow_page_and_printout_shows_dialog_wording_in_the_readers_language(
    world, client_for, language
):
    first, second, area = world(language)
    client = client_for("clinician")
    texts = wording(language)

    for name, url, needs in flow_pages(first, second, area):
        response = client.get(url)
        page = html(response)

        assert response.status_code == 200, (name, response.status_code)
        assert f'<html lang="{language}"' in page, name
        for text in expected_wording(needs, texts):
            assert text in page, (name, text)
        assert not english_wording_in(page), (name, english_wording_in(page))


def test_the_english_wording_check_would_see_english(world, client_for):
    # Guards the check above: in English, the same pages are full of English wording.
    first, second, area = world("en")
    client = client_for("clinician")

    for name, url, _needs in flow_pages(first, second, area):
        if name not in ("patient list", "rating done", "abandon"):
            assert english_wording_in(html(client.get(url))), name


@pytest.mark.parametrize("language", LOCAL_LANGUAGES)
def test_the_carers_summary_shows_dialog_wording_in_the_carers_language(
    world, client_for, language
):
    first, _second, _area = world(language)

    page = html(
        client_for("carer_with_consent").get(reverse("sessions:carer_summary", args=[first.code]))
    )

    assert f'<html lang="{language}"' in page
    assert wording(language)["short_names"]["job"] in page
    assert not english_wording_in(page)


# --- the patient's language on the handed-over screen, the clinician's elsewhere ------------


@pytest.mark.parametrize(
    ("clinician_language", "patient_language"), [("sr", "sq"), ("mk", "cnr"), ("en", "hr")]
)
def test_the_handed_over_screen_speaks_the_patients_language_and_the_rest_the_clinicians(
    client_for, clinician, patient, clinician_language, patient_language
):
    clinician.language = clinician_language
    clinician.save(update_fields=["language"])
    patient.language = patient_language
    patient.save(update_fields=["language"])
    client = client_for("clinician")
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    item = reverse("sessions:rate_item", args=[session.code, 1])
    before = html(client.get(item))

    client.post(reverse("sessions:handover", args=[session.code]))
    handed = html(client.get(item))
    handback = html(client.get(reverse("sessions:handback", args=[session.code])))

    clinician_mental_health = wording(clinician_language)["short_names"]["mental_health"]
    patient_question = wording(patient_language)
    with translation.override(patient_language):
        question = scale_current().domains.get(key="mental_health").question
    assert f'<html lang="{clinician_language}"' in before and clinician_mental_health in before
    assert f'<html lang="{patient_language}"' in handed
    assert question in handed
    assert all(label in handed for label in patient_question["labels"])
    assert f'<html lang="{clinician_language}"' in handback

    # Back in the clinician's hands, the session's other pages are in their language again.
    back = client.post(reverse("sessions:handback", args=[session.code]), {"password": PASSWORD})
    review = html(client.get(back.url))
    assert f'<html lang="{clinician_language}"' in review
    assert clinician_mental_health in review


def test_the_printout_is_in_the_patients_language_while_the_summary_is_in_the_clinicians(
    client_for, clinician, patient
):
    clinician.language = "sr"
    clinician.save(update_fields=["language"])
    patient.language = "sq"
    patient.save(update_fields=["language"])
    done = session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})
    client = client_for("clinician")

    summary = html(client.get(reverse("sessions:summary", args=[done.code])))
    printout = html(client.get(reverse("sessions:print", args=[done.code])))

    assert '<html lang="sr"' in summary and wording("sr")["short_names"]["job"] in summary
    assert '<html lang="sq"' in printout and wording("sq")["short_names"]["job"] in printout
    assert wording("sr")["short_names"]["job"] not in printout


# --- Montenegrin: plurals, dates, numbers ------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Ocijenjeno je 1 pitanje od 11."),
        (2, "Ocijenjena su 2 pitanja od 11."),
        (5, "Ocijenjeno je 5 pitanja od 11."),
        (11, "Ocijenjeno je 11 pitanja od 11."),
        (21, "Ocijenjeno je 21 pitanje od 11."),
        (22, "Ocijenjena su 22 pitanja od 11."),
    ],
)
def test_montenegrin_plurals_follow_the_serbian_rules(count, expected):
    with translation.override("cnr"):
        text = translation.ngettext(
            "%(counter)s of %(total)s item rated.", "%(counter)s of %(total)s items rated.", count
        ) % {"counter": count, "total": 11}

    assert text == expected


def test_montenegrin_short_dates_put_the_day_first_like_serbian_latin():
    day = datetime.date(2026, 3, 5)

    with translation.override("cnr"):
        montenegrin = formats.date_format(day, "SHORT_DATE_FORMAT")
    with translation.override("sr-latn"):
        serbian_latin = formats.date_format(day, "SHORT_DATE_FORMAT")

    # dialogplus/formats/cnr follows Serbian Latin ("j.m.Y."): a zero-padded month.
    assert montenegrin == serbian_latin == "5.03.2026."


@pytest.mark.parametrize(
    ("month", "name"),
    [(1, "januar"), (3, "mart"), (6, "jun"), (7, "jul"), (8, "avgust"), (12, "decembar")],
)
def test_montenegrin_long_dates_use_montenegrin_month_names(month, name):
    with translation.override("cnr"):
        text = formats.date_format(datetime.date(2026, month, 5), "DATE_FORMAT")

    assert text == f"5. {name} 2026."


def test_montenegrin_standalone_month_names_are_montenegrin():
    with translation.override("cnr"):
        assert formats.date_format(datetime.date(2026, 3, 5), "E") == "Mart"


def test_montenegrin_numbers_use_a_decimal_comma_and_dots_between_thousands():
    with translation.override("cnr"):
        assert formats.number_format(3.5, 1) == "3,5"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5"


@pytest.mark.parametrize("language", LOCAL_LANGUAGES)
def test_month_names_are_never_english(language):
    with translation.override(language):
        text = formats.date_format(datetime.date(2026, 3, 5), "DATE_FORMAT")

    assert "March" not in text and "Mar." not in text


# --- interface: the catalogs are compiled and used ---------------------------------------------


@pytest.mark.parametrize("language", LOCAL_LANGUAGES)
def test_the_sign_in_page_has_no_english_interface_text(client_for, language):
    client = client_for("anonymous")
    client.cookies["django_language"] = language

    page = html(client.get(reverse("accounts:login")))

    assert f'<html lang="{language}"' in page
    assert not english_ui_in(page)


@pytest.mark.parametrize("language", LOCAL_LANGUAGES)
def test_the_patient_list_has_no_english_interface_text(client_for, clinician, patient, language):
    clinician.language = language
    clinician.save(update_fields=["language"])

    page = html(client_for("clinician").get(reverse("patients:list")))

    assert f'<html lang="{language}"' in page
    assert patient.full_name in page
    assert not english_ui_in(page)


def test_the_english_interface_check_would_see_english(client_for):
    # Guards the checks above: in English, the sentences are found.
    page = html(client_for("anonymous").get(reverse("accounts:login")))

    assert "Sign in" in english_ui_in(page)
