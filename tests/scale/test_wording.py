"""Wording texts of a draft: a clinic admin pastes an official translation into
their scope's draft; the draft copies the wording in use, every text is needed,
and what is saved stays a draft (the review is in test_wording_review.py).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from scale.models import Domain, RatingLabel, ScaleVersion, Step, StepPrompt, WordingStatus
from scale.selectors import scale_current
from scale.services import WordingConflictError, draft_start, draft_wording_save, wording_texts
from tests.conftest import otp_verify
from tests.scale.conftest import SOURCE, pasted, texts_of, through_review

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "sr", "sr-latn", "bs", "hr", "cnr", "mk", "sq"]


def html(response):
    return response.content.decode()


def status_of(version, language):
    return WordingStatus.objects.get(version=version, language=language)


@pytest.fixture
def draft(scale, clinic, clinic_admin):
    return draft_start(clinic=clinic, user=clinic_admin)


def save(draft, user, language="sr", source=SOURCE, texts=None, **changes):
    return draft_wording_save(
        version=draft,
        language=language,
        texts=pasted(draft, language, **changes) if texts is None else texts,
        source=source,
        user=user,
    )


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


def test_a_draft_is_a_new_version_of_the_admins_country_and_nothing_in_use_changes(
    scale, clinic_admin, draft
):
    assert draft.number == scale.number + 1
    assert draft.state == ScaleVersion.State.DRAFT and not draft.is_current
    assert draft.country == "RS" and draft.based_on == scale and draft.created_by == clinic_admin
    assert scale_current() == scale


def test_a_second_start_opens_the_same_draft(scale, clinic, other_admin, draft):
    # Clinic B is in Serbia too: its admin works on the same draft.
    again = draft_start(clinic=other_admin.memberships.get().clinic, user=other_admin)

    assert again == draft
    assert ScaleVersion.objects.count() == 2


def test_the_draft_copies_every_row_with_every_languages_text(scale, draft):
    assert list(draft.domains.values_list("key", "position", "kind")) == list(
        scale.domains.values_list("key", "position", "kind")
    )
    assert list(draft.labels.values_list("value", flat=True)) == list(range(1, 8))
    assert list(draft.steps.values_list("number", "key")) == list(
        scale.steps.values_list("number", "key")
    )
    assert StepPrompt.objects.filter(step__version=draft).count() == 10
    for language in LANGUAGES:
        assert texts_of(draft, language) == texts_of(scale, language), language
        old, copied = status_of(scale, language), status_of(draft, language)
        assert (copied.status, copied.source) == (old.status, old.source), language
        assert copied.edited_by is None


def test_the_pasted_texts_replace_that_language_only_in_the_draft(scale, clinic_admin, draft):
    before = {language: texts_of(scale, language) for language in LANGUAGES}

    save(
        draft,
        clinic_admin,
        **{
            "domain-job-short_name": "Посао",
            "label-4": "ни једно ни друго",
            "prompt-2-2": "Шта би помогло?",
        },
    )

    after = texts_of(draft, "sr")
    assert after["domain-job-short_name"] == "Посао"
    assert after["label-4"] == "ни једно ни друго"
    assert after["prompt-2-2"] == "Шта би помогло?"
    unchanged = set(after) - {"domain-job-short_name", "label-4", "prompt-2-2"}
    assert {key: after[key] for key in unchanged} == {key: before["sr"][key] for key in unchanged}
    for language in LANGUAGES:
        if language != "sr":
            assert texts_of(draft, language) == before[language], language
        # The version in use still has its wording.
        assert texts_of(scale, language) == before[language], language


def test_saving_records_the_source_and_writer_and_stays_a_draft(clinic_admin, draft):
    save(draft, clinic_admin, source="  Official Serbian translation, 2021 ")

    draft.refresh_from_db()
    status = status_of(draft, "sr")
    assert draft.state == ScaleVersion.State.DRAFT and not draft.is_current
    assert (status.status, status.source, status.edited_by) == ("draft", SOURCE, clinic_admin)
    assert draft.revision == 1


def test_english_columns_stay_english_whatever_the_admins_interface_language(clinic_admin, draft):
    # modeltranslation's untranslated column mirrors English; a save made while the
    # admin's interface speaks Serbian must not put Serbian there.
    with translation.override("sr"):
        save(draft, clinic_admin, **{"domain-job-short_name": "Посао"})

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT short_name FROM scale_domain WHERE version_id = %s AND key = 'job'",
            [draft.pk],
        )
        assert cursor.fetchone() == ("Job situation",)


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
def test_an_empty_text_is_refused_and_nothing_is_stored(clinic_admin, draft, blank):
    before = texts_of(draft, "sr")

    with pytest.raises(ValidationError) as refused:
        save(draft, clinic_admin, **{"domain-job-question": blank, "label-7": blank})

    assert set(refused.value.message_dict) == {"domain-job-question", "label-7"}
    assert texts_of(draft, "sr") == before
    assert status_of(draft, "sr").edited_by is None


def test_a_missing_text_is_refused(clinic_admin, draft):
    texts = pasted(draft, "sr")
    del texts["step-3-guidance"]

    with pytest.raises(ValidationError) as refused:
        save(draft, clinic_admin, texts=texts)

    assert set(refused.value.message_dict) == {"step-3-guidance"}


def test_an_empty_source_is_refused(clinic_admin, draft):
    with pytest.raises(ValidationError) as refused:
        save(draft, clinic_admin, source="  ")

    assert set(refused.value.message_dict) == {"source"}


@pytest.mark.parametrize("language", ["de", "sr_Latn", ""])
def test_a_language_that_is_not_offered_is_refused(clinic_admin, draft, language):
    with pytest.raises(ValidationError):
        save(draft, clinic_admin, language=language, texts={})


def test_a_text_that_is_not_part_of_the_scale_is_refused(clinic_admin, draft):
    with pytest.raises(ValidationError):
        save(draft, clinic_admin, texts={**pasted(draft, "sr"), "domain-cooking-question": "?"})


def test_a_too_long_text_is_refused(clinic_admin, draft):
    with pytest.raises(ValidationError) as refused:
        save(draft, clinic_admin, **{"label-1": "x" * 81})

    assert set(refused.value.message_dict) == {"label-1"}


def test_line_breaks_pasted_into_a_one_line_text_become_spaces_and_guidance_keeps_them(
    clinic_admin, draft
):
    save(
        draft,
        clinic_admin,
        **{
            "domain-job-question": "Колико сте задовољни\r\nсвојим  послом?",
            "step-1-guidance": "Прво.\r\nДруго.",
        },
    )

    after = texts_of(draft, "sr")
    assert after["domain-job-question"] == "Колико сте задовољни својим послом?"
    assert after["step-1-guidance"] == "Прво.\nДруго."


def test_english_wording_changes_the_reference_once_validated(clinic_admin, validator):
    new = through_review(
        clinic_admin, validator, "en", source="DIALOG+ manual, 2024", **{"label-4": "neither"}
    )

    with translation.override("en"):
        assert RatingLabel.objects.get(version=new, value=4).text == "neither"
    assert status_of(new, "en").source == "DIALOG+ manual, 2024"


def test_a_save_from_an_older_revision_conflicts(clinic_admin, other_admin, draft):
    loaded_at = draft.revision
    save(draft, other_admin, **{"domain-job-short_name": "Њихов посао"})

    with pytest.raises(WordingConflictError) as conflict:
        draft_wording_save(
            version=draft,
            language="sr",
            texts=pasted(draft, "sr", **{"domain-job-short_name": "Мој посао"}),
            source=SOURCE,
            user=clinic_admin,
            revision=loaded_at,
        )

    assert conflict.value.current.revision == loaded_at + 1
    assert texts_of(draft, "sr")["domain-job-short_name"] == "Њихов посао"


# --- the edit page --------------------------------------------------------------------------------


def edit_url(version, language="sr"):
    return reverse("scale:wording_edit", args=[version.pk, language])


def form_data(version, language="sr", source=SOURCE, **changes):
    version.refresh_from_db()
    return {
        **pasted(version, language, **changes),
        "source": source,
        "revision": str(version.revision),
    }


def test_the_clinic_page_links_to_the_wording_page(clinic_admin_client):
    page = html(clinic_admin_client.get(reverse("accounts:clinic")))

    assert reverse("scale:wording_list") in page


def test_the_edit_page_is_prefilled_with_the_draft_and_the_english_reference(
    clinic_admin_client, domains, draft
):
    response = clinic_admin_client.get(edit_url(draft))

    page = html(response)
    assert response.status_code == 200
    with translation.override("sr"):
        assert domains["job"].question in page
    assert 'lang="sr"' in page
    assert '<span lang="en">How satisfied are you with your job situation?</span>' in page
    assert 'name="revision" value="0"' in page
    assert "Saving keeps this version “Draft”" in page


def test_markup_in_the_english_reference_is_shown_as_text(clinic_admin, clinic_admin_client, draft):
    save(draft, clinic_admin, "en", source="DIALOG+ manual", **{"label-1": "<b>totally</b> bad"})

    page = html(clinic_admin_client.get(edit_url(draft)))

    assert "&lt;b&gt;totally&lt;/b&gt; bad" in page
    assert "<b>totally</b>" not in page


def test_saving_the_form_keeps_the_draft_and_returns_to_the_version(
    scale, clinic_admin_client, draft
):
    response = clinic_admin_client.post(
        edit_url(draft), form_data(draft, **{"domain-job-short_name": "Посао"}), follow=True
    )

    assert response.redirect_chain == [(reverse("scale:version", args=[draft.pk]), 302)]
    assert "Saved in version 2: Serbian (Cyrillic). The version is still “Draft”" in html(response)
    assert texts_of(draft, "sr")["domain-job-short_name"] == "Посао"
    assert scale_current() == scale
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_an_empty_field_is_refused_and_everything_typed_comes_back(clinic_admin_client, draft):
    response = clinic_admin_client.post(
        edit_url(draft),
        form_data(
            draft,
            "sr",
            "My typed source",
            **{"domain-job-short_name": "Мој посао"},
            **{"label-3": " "},
        ),
    )

    page = html(response)
    assert response.status_code == 200
    assert "Nothing was saved. What you typed is kept below." in page
    assert "This text is empty. Paste the validated wording here." in page
    assert 'href="#id_label-3"' in page
    assert 'value="Мој посао"' in page
    assert 'value="My typed source"' in page
    assert texts_of(draft, "sr")["domain-job-short_name"] != "Мој посао"


def test_an_empty_source_is_refused_on_the_page(clinic_admin_client, draft):
    response = clinic_admin_client.post(edit_url(draft), form_data(draft, source=""))

    assert response.status_code == 200
    assert "Say where this wording comes from." in html(response)


def test_a_stale_form_is_not_saved_and_shows_what_another_admin_saved(
    other_admin, clinic_admin_client, draft
):
    stale = form_data(draft, **{"domain-job-short_name": "Мој посао"})
    save(draft, other_admin, **{"domain-job-short_name": "Њихов посао"})

    response = clinic_admin_client.post(edit_url(draft), stale)

    page = html(response)
    assert response.status_code == 200
    assert "Another admin saved this draft" in page
    assert 'value="Мој посао"' in page
    assert "Њихов посао" in page
    assert 'name="revision" value="1"' in page
    # Saving again, on top of the draft as it is now, goes through.
    again = clinic_admin_client.post(edit_url(draft), {**stale, "revision": "1"})
    assert again.status_code == 302
    assert texts_of(draft, "sr")["domain-job-short_name"] == "Мој посао"


def test_a_form_without_a_readable_revision_is_treated_as_stale(clinic_admin_client, draft):
    response = clinic_admin_client.post(edit_url(draft), {**form_data(draft), "revision": "x1"})

    assert response.status_code == 200
    assert "Another admin saved this draft" in html(response)


def test_a_language_that_is_not_offered_is_a_404(clinic_admin_client, draft):
    assert clinic_admin_client.get(edit_url(draft, "de")).status_code == 404


def test_a_validated_version_is_read_only(scale, clinic_admin_client):
    response = clinic_admin_client.get(edit_url(scale))

    page = html(response)
    assert response.status_code == 200
    assert "it cannot be changed on this page" in page
    assert "Save draft wording" not in page
    assert clinic_admin_client.post(edit_url(scale), form_data(scale)).status_code == 404


@pytest.mark.parametrize(
    "persona", ["clinician", "colleague", "carer_with_consent", "carer_withdrawn", "outsider"]
)
def test_only_clinic_admins_reach_the_wording_pages(client_for, persona, draft):
    client = client_for(persona)

    for url in (reverse("scale:wording_list"), edit_url(draft)):
        assert client.get(url).status_code == 404, url
    assert client.post(edit_url(draft), form_data(draft)).status_code == 404
    assert status_of(draft, "sr").edited_by is None


def test_an_anonymous_visitor_is_sent_to_sign_in(client_for, draft):
    url = edit_url(draft)

    response = client_for("anonymous").post(url, {})

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={url}"


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
