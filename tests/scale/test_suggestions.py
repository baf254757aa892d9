"""Suggested actions: the defaults in every language, and each clinic's own changes."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from dialogplus.languages import LANGUAGE_CODES
from scale.models import ActionSuggestion
from scale.selectors import action_suggestions
from sessions_app import services
from sessions_app.models import DialogSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(patient, clinician):
    return services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session


URL = "/wording/suggestions/"


def html(response):
    return response.content.decode()


def default(text):
    return ActionSuggestion.objects.get(clinic__isnull=True, text_en=text)


def texts(clinic, key):
    return [row.text for row in action_suggestions(clinic).get(key, [])]


def test_every_domain_has_three_to_five_defaults_in_every_language(domains):
    for key in domains:
        rows = ActionSuggestion.objects.filter(clinic__isnull=True, domain_key=key)
        assert 3 <= rows.count() <= 5, key
        for row in rows:
            for language in LANGUAGE_CODES:
                with translation.override(language):
                    assert row.text, (key, language)
            assert row.status == ActionSuggestion.Status.DRAFT


def test_serbian_latin_is_the_cyrillic_transliterated():
    row = default("Meet a friend for a coffee")

    assert row.text_sr == "Наћи се с пријатељем на кафи"
    assert row.text_sr_latn == "Naći se s prijateljem na kafi"


def test_the_page_lists_the_suggestions_by_area(clinic_admin_client, clinic):
    assert reverse("scale:suggestions") == URL
    page = html(clinic_admin_client.get(URL))

    assert "Mental health" in page
    assert "Go for a short walk every day" in page


def test_a_clinic_rewords_hides_and_adds_for_itself_only(clinic_admin_client, clinic, other_clinic):
    walk = default("Go for a short walk every day")
    diary = default("Write down three things that went well, each evening")

    reworded = clinic_admin_client.post(
        URL, {"suggestion": walk.id, "text": "Walk to the shop and back", "do": "save"}
    )
    hidden = clinic_admin_client.post(URL, {"suggestion": diary.id, "text": "", "do": "hide"})
    added = clinic_admin_client.post(
        URL, {"domain_key": "mental_health", "text": "Join the Tuesday group", "do": "add"}
    )

    assert reworded.status_code == hidden.status_code == added.status_code == 302
    ours = texts(clinic, "mental_health")
    theirs = texts(other_clinic, "mental_health")
    assert "Walk to the shop and back" in ours
    assert "Go for a short walk every day" not in ours
    assert diary.text not in ours
    assert "Join the Tuesday group" in ours
    assert "Go for a short walk every day" in theirs
    assert diary.text in theirs
    assert "Join the Tuesday group" not in theirs
    walk.refresh_from_db()
    assert walk.text_en == "Go for a short walk every day"  # the default is untouched
    # A clinic's wording reads the same whatever language the clinician uses.
    with translation.override("mk"):
        assert "Walk to the shop and back" in texts(clinic, "mental_health")


def test_a_hidden_suggestion_can_be_shown_again(clinic_admin_client, clinic):
    diary = default("Write down three things that went well, each evening")
    clinic_admin_client.post(URL, {"suggestion": diary.id, "do": "hide"})
    override = ActionSuggestion.objects.get(clinic=clinic, replaces=diary)

    clinic_admin_client.post(URL, {"suggestion": override.id, "text": diary.text, "do": "show"})

    assert diary.text in texts(clinic, "mental_health")


def test_the_chips_on_step_four_follow_the_clinic(clinic_admin_client, clinician_client, session):
    walk = default("Go for a short walk every day")
    clinic_admin_client.post(URL, {"suggestion": walk.id, "text": "Walk to the shop", "do": "save"})
    mental_health = session.scale_version.domains.get(key="mental_health")
    area = services.area_choose(session=session, domain_id=mental_health.id)

    page = html(clinician_client.get(reverse("sessions:area", args=[session.code, area.id])))

    assert "Walk to the shop" in page
    assert "Go for a short walk every day" not in page


def test_an_admin_cannot_touch_another_clinics_suggestion(other_admin_client, clinic):
    ours = ActionSuggestion.objects.create(
        clinic=clinic, domain_key="job", text="Ours", text_en="Ours"
    )

    response = other_admin_client.post(URL, {"suggestion": ours.id, "text": "Theirs"})

    ours.refresh_from_db()
    assert response.status_code == 404
    assert ours.text_en == "Ours"
    assert "Ours" not in html(other_admin_client.get(URL))


def test_a_clinician_cannot_open_the_page(clinician_client):
    assert clinician_client.get(URL).status_code == 404
    assert clinician_client.post(URL, {"domain_key": "job", "text": "x"}).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"domain_key": "job", "text": "   "}, "Write the suggested action."),
        (
            {"domain_key": "job", "text": "x" * 201},
            "Keep this to 200 characters: it has 201, 1 too many.",
        ),
        ({"domain_key": "no-such-area", "text": "Fine"}, "Choose an area from the list."),
        ({"domain_key": "job\x00", "text": "Fine"}, "Choose an area from the list."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_kept(clinic_admin_client, clinic, data, message):
    response = clinic_admin_client.post(URL, {**data, "do": "add"})

    assert response.status_code == 422
    assert message in html(response)
    assert not ActionSuggestion.objects.filter(clinic=clinic).exists()


@pytest.mark.parametrize("value", ["abc", "-1", "99999999", "1.5"])
def test_a_forged_suggestion_id_is_not_found(clinic_admin_client, value):
    response = clinic_admin_client.post(URL, {"suggestion": value, "text": "x", "do": "save"})

    assert response.status_code == 404


def test_markup_in_a_suggestion_is_shown_as_text(clinic_admin_client, clinician_client, session):
    clinic_admin_client.post(
        URL, {"domain_key": "job", "text": "<script>alert(1)</script>", "do": "add"}
    )
    job = session.scale_version.domains.get(key="job")
    area = services.area_choose(session=session, domain_id=job.id)

    page = html(clinician_client.get(reverse("sessions:area", args=[session.code, area.id])))
    chip = clinician_client.post(
        reverse("sessions:action_add", args=[session.code, area.id]),
        {"text": "<script>alert(1)</script>", "owner": "patient", "client_token": uuid.uuid4()},
    )

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert chip.status_code == 302
