"""The wording review (pen-test finding): a clinic admin's wording reaches no
session until someone else who may validate for that country approves it, and
then only that country's clinics.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from scale.models import ScaleVersion, WordingStatus
from scale.selectors import may_validate, scale_current, scale_current_for_clinic
from scale.services import (
    WordingRefusedError,
    draft_start,
    draft_wording_save,
    version_approve,
    version_propose,
    version_reject,
)
from tests.factories import PatientFactory
from tests.scale.conftest import (
    SOURCE,
    grant_validation,
    pasted,
    start_session,
    texts_of,
    through_review,
    write,
)

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def proposed(admin, **changes):
    draft = write(admin, **changes)
    version_propose(version=draft, user=admin)
    draft.refresh_from_db()
    return draft


def job_name(version, language="sr"):
    return texts_of(version, language)["domain-job-short_name"]


# --- the pen-test scenario --------------------------------------------------------------------


def test_belgrade_admins_wording_reaches_no_session_until_someone_else_approves_it(
    scale,
    clinic,
    clinic_admin,
    patient,
    clinician,
    skopje_patient,
    skopje_clinician,
    validator,
):
    # Clinic A is the Belgrade clinic: its admin saves the English and Serbian forms.
    draft = write(clinic_admin, "en", source="DIALOG+ manual", **{"label-4": "in the middle"})
    draft = write(clinic_admin, "sr", **{"domain-job-short_name": "Посао"})
    assert draft.state == ScaleVersion.State.DRAFT

    # Neither Skopje nor Belgrade starts a session with it.
    assert start_session(skopje_patient, skopje_clinician).scale_version == scale
    belgrade_before = start_session(patient, clinician)
    assert belgrade_before.scale_version == scale

    # Proposed is not validated either.
    version_propose(version=draft, user=clinic_admin)
    other_belgrade_patient = PatientFactory(clinic=clinic, key_clinician=clinician)
    assert start_session(other_belgrade_patient, clinician).scale_version == scale

    # Someone else who may validate for Serbia approves it: now Serbia's clinics use it.
    draft.refresh_from_db()
    version_approve(version=draft, user=validator, revision=draft.revision)
    third_patient = PatientFactory(clinic=clinic, key_clinician=clinician)
    assert start_session(third_patient, clinician).scale_version == draft
    assert job_name(draft) == "Посао"

    # Skopje still uses the shared default, and the shared default is unchanged.
    second_skopje = PatientFactory(clinic=skopje_patient.clinic, key_clinician=skopje_clinician)
    assert start_session(second_skopje, skopje_clinician).scale_version == scale
    assert scale_current() == scale and job_name(scale) != "Посао"
    # The Belgrade session started before keeps what it was rated with.
    belgrade_before.refresh_from_db()
    assert belgrade_before.scale_version == scale


def test_a_started_session_keeps_its_version_after_a_new_one_is_approved(
    scale, clinic_admin, validator, patient, clinician, client_for
):
    clinician.language = "sr"
    clinician.save(update_fields=["language"])
    first = through_review(clinic_admin, validator, **{"domain-job-short_name": "Посао"})
    session = start_session(patient, clinician)
    assert session.scale_version == first

    second = through_review(clinic_admin, validator, **{"domain-job-short_name": "Рад"})

    session.refresh_from_db()
    assert session.scale_version == first
    assert session.ratings.filter(domain__version=first).count() == 11
    page = html(client_for("clinician").get(reverse("sessions:rate_item", args=[session.code, 3])))
    assert "Посао" in page and "Рад" not in page
    # One current version per country: the second replaced the first for Serbia.
    first.refresh_from_db()
    assert second.is_current and not first.is_current
    assert first.state == ScaleVersion.State.VALIDATED


# --- who may approve ---------------------------------------------------------------------------


def test_the_proposer_cannot_approve_their_own_proposal_even_with_the_permission(
    scale, clinic, clinic_admin
):
    grant_validation(clinic_admin)
    version = proposed(clinic_admin, **{"domain-job-short_name": "Посао"})
    assert may_validate(clinic_admin, version)

    with pytest.raises(WordingRefusedError) as refused:
        version_approve(version=version, user=clinic_admin, revision=version.revision)

    assert refused.value.code == "own_proposal"
    version.refresh_from_db()
    assert version.state == ScaleVersion.State.PROPOSED and not version.is_current
    assert scale_current_for_clinic(clinic) == scale


def test_someone_who_wrote_part_of_the_wording_cannot_approve_it(clinic_admin, other_admin):
    # Clinic B's admin (Serbia too) fixed a language, then got the permission.
    write(other_admin, "mk", source="Macedonian translation")
    version = proposed(clinic_admin)
    grant_validation(other_admin)

    with pytest.raises(WordingRefusedError) as refused:
        version_approve(version=version, user=other_admin, revision=version.revision)

    assert refused.value.code == "own_proposal"


def test_a_clinic_admin_without_the_permission_cannot_approve(clinic_admin, other_admin):
    version = proposed(clinic_admin)

    with pytest.raises(WordingRefusedError) as refused:
        version_approve(version=version, user=other_admin, revision=version.revision)

    assert refused.value.code == "not_a_validator"


def test_the_permission_is_for_the_validators_own_country_only(clinic_admin, skopje_validator):
    version = proposed(clinic_admin)

    assert not may_validate(skopje_validator, version)
    with pytest.raises(WordingRefusedError):
        version_approve(version=version, user=skopje_validator, revision=version.revision)


def test_a_superuser_may_approve_any_countrys_proposal(
    skopje_clinic, skopje_admin, superuser, scale
):
    version = proposed(skopje_admin)

    version_approve(version=version, user=superuser, revision=version.revision)

    version.refresh_from_db()
    assert version.country == "MK" and version.is_current
    assert (version.validated_by, version.state) == (superuser, "validated")
    assert version.validated_at is not None
    assert scale_current_for_clinic(skopje_clinic) == version


def test_approval_validates_the_languages_written_in_the_version_only(clinic_admin, validator):
    version = through_review(clinic_admin, validator, "sr")

    statuses = dict(WordingStatus.objects.filter(version=version).values_list("language", "status"))
    assert statuses["sr"] == statuses["en"] == "validated"
    assert statuses["mk"] == statuses["sq"] == "draft"
    assert version.proposed_by == clinic_admin and version.proposed_at is not None


# --- correcting and rejecting ------------------------------------------------------------------


def test_a_typo_fixed_in_a_proposal_keeps_it_proposed_and_an_approval_of_the_old_text_is_refused(
    scale, clinic, clinic_admin, validator
):
    version = proposed(clinic_admin, **{"domain-job-short_name": "Посаo"})  # Latin "o"
    read_at = version.revision

    draft_wording_save(
        version=version,
        language="sr",
        texts=pasted(version, "sr", **{"domain-job-short_name": "Посао"}),
        source=SOURCE,
        user=clinic_admin,
        revision=read_at,
    )

    version.refresh_from_db()
    assert version.state == ScaleVersion.State.PROPOSED and not version.is_current
    assert scale_current_for_clinic(clinic) == scale
    with pytest.raises(WordingRefusedError) as refused:
        version_approve(version=version, user=validator, revision=read_at)
    assert refused.value.code == "changed"
    version_approve(version=version, user=validator, revision=version.revision)
    assert job_name(version) == "Посао"


def test_a_typo_fixed_in_a_draft_keeps_it_a_draft(scale, clinic, clinic_admin):
    draft = write(clinic_admin, **{"domain-job-short_name": "Посаo"})
    write(clinic_admin, **{"domain-job-short_name": "Посао"})

    draft.refresh_from_db()
    assert draft.state == ScaleVersion.State.DRAFT
    assert scale_current_for_clinic(clinic) == scale


def test_a_validated_version_cannot_be_changed(clinic_admin, validator):
    version = through_review(clinic_admin, validator)

    with pytest.raises(WordingRefusedError):
        draft_wording_save(
            version=version, language="sr", texts=pasted(version), source=SOURCE, user=clinic_admin
        )


def test_a_draft_with_nothing_written_cannot_be_proposed(clinic, clinic_admin):
    draft = draft_start(clinic=clinic, user=clinic_admin)

    with pytest.raises(WordingRefusedError) as refused:
        version_propose(version=draft, user=clinic_admin)

    assert refused.value.code == "unchanged"


def test_rejecting_sends_the_proposal_back_to_draft_with_the_reason(clinic_admin, validator):
    version = proposed(clinic_admin)

    version_reject(version=version, user=validator, reason="  Item 3 is not the official text. ")

    version.refresh_from_db()
    assert version.state == ScaleVersion.State.DRAFT and not version.is_current
    assert version.rejection_reason == "Item 3 is not the official text."
    assert version.rejected_by == validator and version.rejected_at is not None
    # Corrected and proposed again, it can be approved.
    version_propose(version=version, user=clinic_admin)
    version.refresh_from_db()
    version_approve(version=version, user=validator, revision=version.revision)


def test_only_a_validator_may_reject(clinic_admin, other_admin):
    version = proposed(clinic_admin)

    with pytest.raises(WordingRefusedError):
        version_reject(version=version, user=other_admin, reason="No")


# --- the pages ---------------------------------------------------------------------------------


def version_url(version, action=""):
    return reverse(f"scale:{action or 'version'}", args=[version.pk])


def test_the_list_shows_the_countrys_versions_with_their_state(
    scale, clinic_admin, clinic_admin_client, validator
):
    through_review(clinic_admin, validator)
    proposed(clinic_admin)

    page = html(clinic_admin_client.get(reverse("scale:wording_list")))

    assert "This wording belongs to the clinics of Serbia." in page
    assert "New sessions in your clinic use version 2, validated for your country." in page
    assert "Open version 3 (Proposed)" in page
    for version in ScaleVersion.objects.all():
        assert version_url(version) in page
    assert "Vera Validator" in page


def test_starting_a_draft_from_the_list(scale, clinic_admin_client):
    page = html(clinic_admin_client.get(reverse("scale:wording_list")))
    assert "use the shared default wording, version 1" in page

    response = clinic_admin_client.post(reverse("scale:draft_start"))

    draft = ScaleVersion.objects.get(state="draft")
    assert response.status_code == 302 and response.url == version_url(draft)
    assert draft.country == "RS"


def test_proposing_from_the_version_page(clinic_admin, clinic_admin_client):
    draft = write(clinic_admin)
    page = html(clinic_admin_client.get(version_url(draft)))
    assert version_url(draft, "propose") in page

    response = clinic_admin_client.post(version_url(draft, "propose"), follow=True)

    assert "Version 2 is proposed." in html(response)
    assert "You proposed or wrote this wording, so someone else must approve it." not in html(
        response
    )
    assert "Waiting for approval" in html(response)
    draft.refresh_from_db()
    assert draft.state == "proposed"


def test_a_validator_approves_from_the_version_page(clinic, clinic_admin, validator, client_for):
    version = proposed(clinic_admin)
    client = client_for(validator)
    page = html(client.get(version_url(version)))
    assert f'name="revision" value="{version.revision}"' in page

    response = client.post(
        version_url(version, "approve"), {"revision": str(version.revision)}, follow=True
    )

    assert "Version 2 is validated. New sessions in Serbia use it from now on" in html(response)
    assert scale_current_for_clinic(clinic) == version


def test_self_approval_on_the_page_is_refused_calmly(scale, clinic, clinic_admin, client_for):
    grant_validation(clinic_admin)
    version = proposed(clinic_admin)
    client = client_for(clinic_admin)

    page = html(client.get(version_url(version)))
    assert "You proposed or wrote this wording, so someone else must approve it." in page
    assert version_url(version, "approve") not in page

    response = client.post(
        version_url(version, "approve"), {"revision": str(version.revision)}, follow=True
    )

    assert response.status_code == 200
    assert "so someone else must approve it. Ask another person" in html(response)
    assert scale_current_for_clinic(clinic) == scale


def test_an_empty_reason_is_asked_for_and_a_long_one_is_kept(clinic_admin, validator, client_for):
    version = proposed(clinic_admin)
    client = client_for(validator)

    empty = client.post(version_url(version, "reject"), {"reason": "  "})
    long = client.post(version_url(version, "reject"), {"reason": "Слово " * 400})

    assert empty.status_code == 200
    assert "Say what needs to change." in html(empty)
    assert long.status_code == 200
    assert "at most 2000 characters" in html(long) and "Слово Слово" in html(long)
    version.refresh_from_db()
    assert version.state == "proposed"


def test_a_rejection_shows_its_reason_to_the_writers(clinic_admin, validator, client_for):
    version = proposed(clinic_admin)

    client_for(validator).post(version_url(version, "reject"), {"reason": "Item 3 <b>wrong</b>"})

    page = html(client_for(clinic_admin).get(version_url(version)))
    assert "Sent back by Vera Validator" in page
    assert "Item 3 &lt;b&gt;wrong&lt;/b&gt;" in page


def test_the_edit_page_after_proposal_fixes_a_typo_and_keeps_it_proposed(
    clinic_admin, clinic_admin_client
):
    version = proposed(clinic_admin)
    data = {**pasted(version, "sr", **{"label-1": "Typo fixed"}), "source": SOURCE}

    response = clinic_admin_client.post(
        reverse("scale:wording_edit", args=[version.pk, "sr"]),
        {**data, "revision": str(version.revision)},
        follow=True,
    )

    assert "The version is still “Proposed”" in html(response)
    version.refresh_from_db()
    assert version.state == "proposed" and texts_of(version, "sr")["label-1"] == "Typo fixed"


@pytest.mark.parametrize("who", ["skopje_admin", "skopje_validator"])
def test_another_countrys_admin_gets_a_404_for_every_page_of_the_version(
    request, clinic_admin, client_for, who
):
    version = proposed(clinic_admin)
    client = client_for(request.getfixturevalue(who))

    for url in (version_url(version), reverse("scale:wording_edit", args=[version.pk, "sr"])):
        assert client.get(url).status_code == 404, url
    for action in ("propose", "approve", "reject"):
        response = client.post(
            version_url(version, action), {"revision": str(version.revision), "reason": "x"}
        )
        assert response.status_code == 404, action
    assert version_url(version) not in html(client.get(reverse("scale:wording_list")))
    version.refresh_from_db()
    assert version.state == "proposed"


def test_a_superuser_sees_every_countrys_versions(
    clinic_admin, skopje_admin, superuser, client_for
):
    serbian, macedonian = proposed(clinic_admin), proposed(skopje_admin)

    page = html(client_for(superuser).get(reverse("scale:wording_list")))

    assert version_url(serbian) in page and version_url(macedonian) in page
    assert "North Macedonia" in page


def test_a_superuser_reads_but_does_not_write_a_draft(clinic_admin, superuser, client_for):
    version = proposed(clinic_admin)
    client = client_for(superuser)

    page = html(client.get(reverse("scale:wording_edit", args=[version.pk, "sr"])))

    assert "Save draft wording" not in page
    assert client.post(version_url(version, "propose")).status_code == 404


def test_existing_versions_are_the_validated_shared_default(scale):
    assert (scale.country, scale.state, scale.is_current) == ("", "validated", True)


def test_the_version_page_speaks_the_admins_language(clinic_admin, client_for):
    clinic_admin.language = "sq"
    clinic_admin.save()
    version = write(clinic_admin)

    page = html(client_for(clinic_admin).get(version_url(version)))

    assert '<html lang="sq"' in page
    with translation.override("sq"):
        assert str(ScaleVersion.State.DRAFT.label) in page


def test_a_number_taken_meanwhile_by_another_countrys_draft_is_skipped(
    scale, clinic, clinic_admin, monkeypatch
):
    real = ScaleVersion.objects.aggregate
    answers = iter([{"number__max": 0}])  # as if version 1 were still free: it is taken

    def aggregate(*args, **kwargs):
        return next(answers, None) or real(*args, **kwargs)

    monkeypatch.setattr(ScaleVersion.objects, "aggregate", aggregate)

    draft = draft_start(clinic=clinic, user=clinic_admin)

    assert draft.number == scale.number + 1 and draft.state == "draft"
    assert next(answers, "used") == "used"  # the first try did take the stale number
