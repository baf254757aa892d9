"""Validated wording: a clinic admin pastes an official translation, which becomes
a new version of the (global) scale; sessions keep the version they were rated with.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from scale.models import Domain, RatingLabel, ScaleVersion, Step, StepPrompt, WordingStatus
from scale.selectors import scale_current, scale_get
from scale.services import WordingConflict, scale_version_validate, wording_texts
from sessions_app import services as session_services
from sessions_app.models import DialogSession
from tests.conftest import otp_verify

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "sr", "sr-latn", "bs", "hr", "cnr", "mk", "sq"]
SOURCE = "Official Serbian translation, 2021"


def html(response):
    return response.content.decode()


def texts_of(version, language):
    """``{key: text}`` of every text of ``version`` in ``language``, as stored."""
    return {item.key: item.value(language) for item in wording_texts(scale_get(version.pk))}


def pasted(language="sr", **changes):
    """The current wording in ``language`` with ``changes`` (keys of wording_texts)."""
    texts = texts_of(scale_current(), language)
    assert set(changes) <= set(texts), set(changes) - set(texts)
    texts.update(changes)
    return texts


def validate(clinic_admin, language="sr", source=SOURCE, **changes):
    return scale_version_validate(
        language=language, texts=pasted(language, **changes), source=source, user=clinic_admin
    )


def status_of(version, language):
    return WordingStatus.objects.get(version=version, language=language)


def start_session(patient, clinician):
    return session_services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session


# --- the service -----------------------------------------------------------------------------


def test_every_translatable_text_of_the_scale_is_a_wording_text(scale):
    keys = [item.key for item in wording_texts(scale)]

    # Help question, 11 × (short name, question), 7 labels, 4 × (title, guidance), 10 prompts.
    assert len(keys) == 1 + 22 + 7 + 8 + 10
    assert len(set(keys)) == len(keys)
    assert keys[:3] == [
        "help_question",
        "domain-mental_health-short_name",
        "domain-mental_health-question",
    ]


def test_validating_makes_a_new_current_version_and_keeps_the_old_one(scale, clinic_admin):
    new = validate(clinic_admin)

    scale.refresh_from_db()
    assert new.number == scale.number + 1
    assert new.is_current and not scale.is_current
    assert scale_current() == new
    assert ScaleVersion.objects.count() == 2


def test_a_second_validation_makes_a_third_version(scale, clinic_admin):
    validate(clinic_admin, "sr")
    third = validate(clinic_admin, "mk")

    assert third.number == scale.number + 2
    assert list(ScaleVersion.objects.filter(is_current=True)) == [third]


def test_the_new_version_copies_every_row_with_every_languages_text(scale, clinic_admin):
    new = validate(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})

    assert ScaleVersion.objects.get(pk=scale.pk).domains.count() == 11
    assert list(new.domains.values_list("key", "position", "kind")) == list(
        scale.domains.values_list("key", "position", "kind")
    )
    assert list(new.labels.values_list("value", flat=True)) == list(range(1, 8))
    assert list(new.steps.values_list("number", "key")) == list(
        scale.steps.values_list("number", "key")
    )
    assert StepPrompt.objects.filter(step__version=new).count() == 10
    for language in LANGUAGES:
        if language != "sr":
            assert texts_of(new, language) == texts_of(scale, language), language


def test_the_pasted_texts_replace_that_language_only_in_the_new_version(scale, clinic_admin):
    before = texts_of(scale, "sr")

    new = validate(
        clinic_admin,
        "sr",
        **{
            "domain-job-short_name": "Посао",
            "label-4": "ни једно ни друго",
            "prompt-2-2": "Шта би помогло?",
        },
    )

    after = texts_of(new, "sr")
    assert after["domain-job-short_name"] == "Посао"
    assert after["label-4"] == "ни једно ни друго"
    assert after["prompt-2-2"] == "Шта би помогло?"
    unchanged = set(before) - {"domain-job-short_name", "label-4", "prompt-2-2"}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}
    # The old version still has the old wording.
    assert texts_of(scale, "sr") == before


def test_the_language_becomes_validated_with_its_source_and_other_statuses_are_copied(
    scale, clinic_admin
):
    new = validate(clinic_admin, "sr", source="  Official Serbian translation, 2021 ")

    assert status_of(new, "sr").status == WordingStatus.Status.VALIDATED
    assert status_of(new, "sr").source == SOURCE
    assert status_of(scale, "sr").status == WordingStatus.Status.DRAFT
    for language in LANGUAGES:
        if language != "sr":
            old, copied = status_of(scale, language), status_of(new, language)
            assert (copied.status, copied.source) == (old.status, old.source), language


def test_the_new_version_notes_the_language_source_and_who_validated(scale, clinic_admin):
    new = validate(clinic_admin, "sr")

    assert new.note == f"sr: {SOURCE} ({clinic_admin.email})"


def test_english_columns_stay_english_whatever_the_admins_interface_language(scale, clinic_admin):
    # modeltranslation's untranslated column mirrors English; a copy made while the
    # admin's interface speaks Serbian must not put Serbian there.
    with translation.override("sr"):
        new = validate(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT short_name FROM scale_domain WHERE version_id = %s AND key = 'job'", [new.pk]
        )
        assert cursor.fetchone() == ("Job situation",)


def test_sessions_keep_the_version_they_were_rated_with(scale, clinic_admin, patient, clinician):
    old_session = start_session(patient, clinician)

    new = validate(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})

    old_session.refresh_from_db()
    assert old_session.scale_version_id == scale.pk
    assert old_session.ratings.filter(domain__version=scale).count() == 11
    session_services.session_abandon(session=old_session)
    assert start_session(patient, clinician).scale_version == new


def test_an_old_session_still_shows_its_original_wording_and_a_new_one_the_validated(
    scale, clinic_admin, patient, clinician, client_for
):
    clinician.language = "sr"
    clinician.save(update_fields=["language"])
    old_session = start_session(patient, clinician)
    original = texts_of(scale, "sr")["domain-job-short_name"]
    validate(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})
    client = client_for("clinician")

    old_page = html(client.get(reverse("sessions:rate_item", args=[old_session.code, 3])))
    session_services.session_abandon(session=old_session)
    new_session = start_session(patient, clinician)
    new_page = html(client.get(reverse("sessions:rate_item", args=[new_session.code, 3])))

    assert original in old_page and "Посао" not in old_page
    assert "Посао" in new_page and original not in new_page


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_an_empty_text_is_refused_and_nothing_is_stored(scale, clinic_admin, blank):
    with pytest.raises(ValidationError) as refused:
        validate(clinic_admin, "sr", **{"domain-job-question": blank, "label-7": blank})

    assert set(refused.value.message_dict) == {"domain-job-question", "label-7"}
    assert ScaleVersion.objects.count() == 1
    assert status_of(scale, "sr").status == WordingStatus.Status.DRAFT


def test_a_missing_text_is_refused(scale, clinic_admin):
    texts = pasted("sr")
    del texts["step-3-guidance"]

    with pytest.raises(ValidationError) as refused:
        scale_version_validate(language="sr", texts=texts, source=SOURCE, user=clinic_admin)

    assert set(refused.value.message_dict) == {"step-3-guidance"}
    assert ScaleVersion.objects.count() == 1


def test_an_empty_source_is_refused(scale, clinic_admin):
    with pytest.raises(ValidationError) as refused:
        validate(clinic_admin, "sr", source="  ")

    assert set(refused.value.message_dict) == {"source"}
    assert ScaleVersion.objects.count() == 1


@pytest.mark.parametrize("language", ["de", "sr_Latn", ""])
def test_a_language_that_is_not_offered_is_refused(scale, clinic_admin, language):
    with pytest.raises(ValidationError):
        scale_version_validate(language=language, texts={}, source=SOURCE, user=clinic_admin)

    assert ScaleVersion.objects.count() == 1


def test_a_text_that_is_not_part_of_the_scale_is_refused(scale, clinic_admin):
    with pytest.raises(ValidationError):
        scale_version_validate(
            language="sr",
            texts={**pasted("sr"), "domain-cooking-question": "?"},
            source=SOURCE,
            user=clinic_admin,
        )

    assert ScaleVersion.objects.count() == 1


def test_a_too_long_text_is_refused(scale, clinic_admin):
    with pytest.raises(ValidationError) as refused:
        validate(clinic_admin, "sr", **{"label-1": "x" * 81})

    assert set(refused.value.message_dict) == {"label-1"}


def test_line_breaks_pasted_into_a_one_line_text_become_spaces_and_guidance_keeps_them(
    scale, clinic_admin
):
    new = validate(
        clinic_admin,
        "sr",
        **{
            "domain-job-question": "Колико сте задовољни\r\nсвојим  послом?",
            "step-1-guidance": "Прво.\r\nДруго.",
        },
    )

    after = texts_of(new, "sr")
    assert after["domain-job-question"] == "Колико сте задовољни својим послом?"
    assert after["step-1-guidance"] == "Прво.\nДруго."


def test_validating_english_changes_the_reference_wording(scale, clinic_admin):
    new = validate(clinic_admin, "en", source="DIALOG+ manual, 2024", **{"label-4": "neither"})

    with translation.override("en"):
        assert RatingLabel.objects.get(version=new, value=4).text == "neither"
    assert status_of(new, "en").source == "DIALOG+ manual, 2024"


def test_a_save_based_on_an_older_version_conflicts_if_that_language_changed_since(
    scale, clinic_admin
):
    validate(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})

    with pytest.raises(WordingConflict) as conflict:
        scale_version_validate(
            language="sr",
            texts=pasted("sr"),
            source=SOURCE,
            user=clinic_admin,
            based_on=scale.number,
        )

    assert conflict.value.current == scale_current()
    assert ScaleVersion.objects.count() == 2


def test_a_save_based_on_an_older_version_goes_through_if_only_another_language_changed(
    scale, clinic_admin
):
    validate(clinic_admin, "mk")

    third = scale_version_validate(
        language="sr", texts=pasted("sr"), source=SOURCE, user=clinic_admin, based_on=scale.number
    )

    assert third.is_current
    assert status_of(third, "mk").status == status_of(third, "sr").status == "validated"


# --- the pages --------------------------------------------------------------------------------


def form_data(language="sr", source=SOURCE, **changes):
    return {
        **pasted(language, **changes),
        "source": source,
        "based_on": str(scale_current().number),
    }


def test_the_wording_page_lists_every_language_with_its_status(scale, clinic_admin_client):
    response = clinic_admin_client.get(reverse("scale:wording_list"))

    page = html(response)
    assert response.status_code == 200
    for language in LANGUAGES:
        assert reverse("scale:wording_edit", args=[language]) in page
    assert page.count(">Draft<") == 7
    assert page.count(">Validated<") == 1
    assert "Every clinic uses the same wording" in page


def test_the_wording_page_shows_a_validated_language_with_its_source(
    scale, clinic_admin, clinic_admin_client
):
    validate(clinic_admin, "sr")

    page = html(clinic_admin_client.get(reverse("scale:wording_list")))

    assert page.count(">Validated<") == 2
    assert SOURCE in page
    assert "Version 2 of the wording is in use" in page


def test_the_wording_page_speaks_the_admins_language(scale, clinic_admin, clinic_admin_client):
    clinic_admin.language = "sq"
    clinic_admin.save()

    page = html(clinic_admin_client.get(reverse("scale:wording_list")))

    assert '<html lang="sq"' in page
    assert "Every clinic uses the same wording" not in page


def test_the_clinic_page_links_to_the_wording_page(clinic_admin_client):
    page = html(clinic_admin_client.get(reverse("accounts:clinic")))

    assert reverse("scale:wording_list") in page


def test_the_edit_page_is_prefilled_with_the_current_text_and_the_english_reference(
    scale, clinic_admin_client, domains
):
    response = clinic_admin_client.get(reverse("scale:wording_edit", args=["sr"]))

    page = html(response)
    assert response.status_code == 200
    with translation.override("sr"):
        assert domains["job"].question in page
    assert 'lang="sr"' in page
    assert '<span lang="en">How satisfied are you with your job situation?</span>' in page
    assert f'name="based_on" value="{scale.number}"' in page
    assert "Saving creates version 2" in page


def test_markup_in_the_english_reference_is_shown_as_text(scale, clinic_admin, clinic_admin_client):
    validate(
        clinic_admin, "en", source="DIALOG+ manual", **{"label-1": "<b>totally</b> dissatisfied"}
    )

    page = html(clinic_admin_client.get(reverse("scale:wording_edit", args=["sr"])))

    assert "&lt;b&gt;totally&lt;/b&gt; dissatisfied" in page
    assert "<b>totally</b>" not in page


def test_saving_the_form_validates_the_language_and_returns_to_the_list(scale, clinic_admin_client):
    response = clinic_admin_client.post(
        reverse("scale:wording_edit", args=["sr"]),
        form_data("sr", **{"domain-job-short_name": "Посао"}),
        follow=True,
    )

    new = scale_current()
    assert response.redirect_chain == [(reverse("scale:wording_list"), 302)]
    assert "Validated wording saved: Serbian (Cyrillic). Version 2" in html(response)
    assert texts_of(new, "sr")["domain-job-short_name"] == "Посао"
    assert status_of(new, "sr").source == SOURCE


def test_an_empty_field_is_refused_and_everything_typed_comes_back(scale, clinic_admin_client):
    response = clinic_admin_client.post(
        reverse("scale:wording_edit", args=["sr"]),
        form_data(
            "sr",
            source="My typed source",
            **{"domain-job-short_name": "Мој посао", "label-3": "  "},
        ),
    )

    page = html(response)
    assert response.status_code == 200
    assert "Nothing was saved. What you typed is kept below." in page
    assert "This text is empty. Paste the validated wording here." in page
    assert 'href="#id_label-3"' in page
    assert 'value="Мој посао"' in page
    assert 'value="My typed source"' in page
    assert ScaleVersion.objects.count() == 1


def test_an_empty_source_is_refused_on_the_page(scale, clinic_admin_client):
    response = clinic_admin_client.post(
        reverse("scale:wording_edit", args=["sr"]), form_data("sr", source="")
    )

    assert response.status_code == 200
    assert "Say where this wording comes from." in html(response)
    assert ScaleVersion.objects.count() == 1


def test_a_stale_form_is_not_saved_and_shows_what_another_admin_saved(
    scale, clinic_admin, clinic_admin_client
):
    stale = form_data("sr", **{"domain-job-short_name": "Мој посао"})
    validate(clinic_admin, "sr", **{"domain-job-short_name": "Њихов посао"})

    response = clinic_admin_client.post(reverse("scale:wording_edit", args=["sr"]), stale)

    page = html(response)
    assert response.status_code == 200
    assert "Another admin saved this language" in page
    assert 'value="Мој посао"' in page
    assert "Њихов посао" in page
    assert 'name="based_on" value="2"' in page
    assert ScaleVersion.objects.count() == 2
    # Saving again, on top of the version now current, goes through.
    again = clinic_admin_client.post(
        reverse("scale:wording_edit", args=["sr"]), {**stale, "based_on": "2"}
    )
    assert again.status_code == 302
    assert texts_of(scale_current(), "sr")["domain-job-short_name"] == "Мој посао"


def test_a_form_without_a_readable_version_is_treated_as_stale(scale, clinic_admin_client):
    response = clinic_admin_client.post(
        reverse("scale:wording_edit", args=["sr"]), {**form_data("sr"), "based_on": "x1"}
    )

    assert response.status_code == 200
    assert "Another admin saved this language" in html(response)
    assert ScaleVersion.objects.count() == 1


def test_a_language_that_is_not_offered_is_a_404(clinic_admin_client):
    assert clinic_admin_client.get(reverse("scale:wording_edit", args=["de"])).status_code == 404


@pytest.mark.parametrize(
    "persona", ["clinician", "colleague", "carer_with_consent", "carer_withdrawn", "outsider"]
)
@pytest.mark.parametrize("page", [("scale:wording_list", []), ("scale:wording_edit", ["sr"])])
def test_only_clinic_admins_reach_the_wording_pages(client_for, persona, page):
    name, args = page

    response = client_for(persona).get(reverse(name, args=args))

    assert response.status_code == 404


def test_nobody_else_can_save_wording(client_for, scale):
    for persona in ["clinician", "carer_with_consent", "outsider"]:
        response = client_for(persona).post(
            reverse("scale:wording_edit", args=["sr"]), form_data("sr")
        )
        assert response.status_code == 404, persona
    assert ScaleVersion.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client_for):
    url = reverse("scale:wording_edit", args=["sr"])

    response = client_for("anonymous").post(url, {})

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


def test_the_admin_of_another_clinic_reaches_the_same_global_wording(
    other_admin, client_for, scale
):
    # The scale is shared by all clinics: every clinic admin may validate a language.
    response = client_for("other_admin").get(reverse("scale:wording_list"))

    assert response.status_code == 200


# --- Django's admin ---------------------------------------------------------------------------


@pytest.fixture
def superuser_client(db, settings):
    settings.SECURE_SSL_REDIRECT = False
    user = get_user_model().objects.create_superuser("root@example.org", "x" * 20, full_name="Root")
    client = Client()
    client.force_login(user)
    # Superusers pass a second factor too (accounts.two_factor).
    otp_verify(client, user)
    return client


@pytest.mark.parametrize("model", [ScaleVersion, Domain, RatingLabel, Step, WordingStatus])
def test_a_superuser_can_read_the_scale_in_djangos_admin(superuser_client, scale, model):
    obj = model.objects.first()
    info = (model._meta.app_label, model._meta.model_name)

    listing = superuser_client.get(reverse("admin:{}_{}_changelist".format(*info)))
    detail = superuser_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))

    assert listing.status_code == 200
    assert detail.status_code == 200


def test_djangos_admin_shows_every_language_of_a_domain(superuser_client, scale):
    domain = scale.domains.get(key="job")

    page = html(superuser_client.get(reverse("admin:scale_domain_change", args=[domain.pk])))

    for text in (domain.short_name_en, domain.short_name_sr, domain.short_name_sq):
        assert text in page


def test_nobody_changes_wording_in_djangos_admin(superuser_client, scale):
    domain = scale.domains.get(key="job")

    response = superuser_client.post(
        reverse("admin:scale_domain_change", args=[domain.pk]), {"short_name_en": "Work"}
    )

    assert response.status_code == 403
    domain.refresh_from_db()
    with translation.override("en"):
        assert domain.short_name == "Job situation"


def test_a_clinic_admin_does_not_reach_djangos_admin_for_the_scale(client_for, clinic_admin):
    clinic_admin.is_staff = True
    clinic_admin.save()

    response = client_for("clinic_admin").get(reverse("admin:scale_domain_changelist"))

    assert response.status_code == 403
