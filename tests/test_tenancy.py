"""Who may see which patient and session: the selectors that draw the tenancy line.

Clinic A has `patient` (key clinician: `clinician`) and `colleagues_patient`
(key clinician: `colleague`); clinic B has `other_patient`. Anything outside a
selector's boundary is a 404, whether it is foreign or missing.
"""

import pytest
from django.http import Http404

from patients.selectors import patient_get_for_user, patient_list_for_user, patients_visible_to
from sessions_app import services
from sessions_app.selectors import session_get_for_carer, session_get_for_user, sessions_for_carer
from tests.factories import CarerFactory, MembershipFactory, PatientFactory, session_complete

pytestmark = pytest.mark.django_db

CLINICIANS_OF_CLINIC_A = {"clinician", "colleague"}
EVERYONE_ELSE = {
    "clinic_admin",
    "carer_with_consent",
    "carer_withdrawn",
    "outsider",
    "other_admin",
    "anonymous",
}


@pytest.fixture
def colleagues_patient(clinic, colleague):
    return PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Aaron Another")


@pytest.fixture
def world(patient, colleagues_patient, other_patient, user_for):
    """Every persona exists, so each test sees the full cast of both clinics."""
    for persona in CLINICIANS_OF_CLINIC_A | EVERYONE_ELSE:
        user_for(persona)


@pytest.fixture
def summary(patient):
    """A completed session of `patient`."""
    return session_complete(patient, ratings={"job": 4})


@pytest.fixture
def open_session(summary, patient, clinician):
    """`patient`'s session in progress, after `summary`."""
    return services.session_start(patient=patient, clinician=clinician, attendance="alone").session


# --- patients -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("clinician", {"Petra Patient", "Aaron Another"}),
        ("colleague", {"Petra Patient", "Aaron Another"}),
        ("clinic_admin", set()),
        ("carer_with_consent", set()),
        ("carer_withdrawn", set()),
        ("outsider", {"Otto Other"}),
        ("other_admin", set()),
        ("anonymous", set()),
    ],
)
def test_each_persona_sees_only_the_patients_of_their_own_clinic(world, user_for, persona, visible):
    patients = patients_visible_to(user_for(persona))

    assert set(patients.values_list("full_name", flat=True)) == visible


@pytest.mark.parametrize("persona", sorted(CLINICIANS_OF_CLINIC_A))
def test_clinicians_of_the_clinic_open_its_patient(world, user_for, patient, persona):
    assert patient_get_for_user(user_for(persona), patient.code) == patient


@pytest.mark.parametrize("persona", sorted(EVERYONE_ELSE))
def test_everyone_else_gets_404_for_the_patient(world, user_for, patient, persona):
    with pytest.raises(Http404):
        patient_get_for_user(user_for(persona), patient.code)


def test_outsider_gets_404_for_patient_but_opens_their_own(world, outsider, patient, other_patient):
    with pytest.raises(Http404):
        patient_get_for_user(outsider, patient.code)

    assert patient_get_for_user(outsider, other_patient.code) == other_patient


def test_a_missing_patient_is_the_same_404_as_a_foreign_one(clinician):
    with pytest.raises(Http404):
        patient_get_for_user(clinician, "NOSUCHCODE")


def test_a_clinician_whose_membership_ended_sees_no_patients(clinician, patient):
    clinician.memberships.update(is_active=False)

    assert not patients_visible_to(clinician).exists()
    with pytest.raises(Http404):
        patient_get_for_user(clinician, patient.code)


def test_a_clinician_in_two_clinics_sees_the_patients_of_both(clinician, patient, other_patient):
    MembershipFactory(user=clinician, clinic=other_patient.clinic)

    assert set(patients_visible_to(clinician)) == {patient, other_patient}


# --- sessions -----------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(CLINICIANS_OF_CLINIC_A))
def test_clinicians_of_the_clinic_open_the_patients_sessions(
    world, user_for, summary, open_session, persona
):
    user = user_for(persona)

    assert session_get_for_user(user, summary.code) == summary
    assert session_get_for_user(user, open_session.code) == open_session


@pytest.mark.parametrize("persona", sorted(EVERYONE_ELSE))
def test_everyone_else_gets_404_for_the_patients_session(world, user_for, summary, persona):
    with pytest.raises(Http404):
        session_get_for_user(user_for(persona), summary.code)


def test_a_missing_session_is_the_same_404_as_a_foreign_one(clinician):
    with pytest.raises(Http404):
        session_get_for_user(clinician, "NOSUCHCODE")


# --- carers -------------------------------------------------------------------


def test_carer_with_consent_reads_the_patients_completed_session(carer_with_consent, summary):
    assert session_get_for_carer(carer_with_consent, summary.code) == summary


def test_carer_gets_404_for_a_session_still_in_progress(carer_with_consent, open_session):
    with pytest.raises(Http404):
        session_get_for_carer(carer_with_consent, open_session.code)


def test_carer_gets_404_for_an_abandoned_session(carer_with_consent, open_session):
    services.session_abandon(session=open_session)

    with pytest.raises(Http404):
        session_get_for_carer(carer_with_consent, open_session.code)


def test_carer_gets_404_for_another_patients_session(carer_with_consent, colleagues_patient):
    other = session_complete(colleagues_patient)

    with pytest.raises(Http404):
        session_get_for_carer(carer_with_consent, other.code)


def test_carer_whose_consent_was_withdrawn_gets_404(carer_withdrawn, summary):
    with pytest.raises(Http404):
        session_get_for_carer(carer_withdrawn, summary.code)


def test_withdrawing_consent_closes_access_at_once(carer_with_consent, summary):
    assert session_get_for_carer(carer_with_consent, summary.code) == summary

    link = carer_with_consent.carer_links.get()
    link.consent_withdrawn_at = summary.ended_at
    link.save()

    with pytest.raises(Http404):
        session_get_for_carer(carer_with_consent, summary.code)


def test_carer_without_consent_to_share_summaries_gets_404(patient, summary):
    carer = CarerFactory(patient=patient, share_summaries=False).user

    with pytest.raises(Http404):
        session_get_for_carer(carer, summary.code)


@pytest.mark.parametrize("persona", ["clinician", "clinic_admin", "outsider", "anonymous"])
def test_people_who_are_not_the_patients_carer_get_404_as_carers(user_for, summary, persona):
    with pytest.raises(Http404):
        session_get_for_carer(user_for(persona), summary.code)


def test_a_carer_lists_only_the_completed_sessions_they_may_read(
    carer_with_consent, summary, open_session, colleagues_patient
):
    session_complete(colleagues_patient)

    assert list(sessions_for_carer(carer_with_consent)) == [summary]


# --- the patient list -----------------------------------------------------------


@pytest.fixture
def roster(clinic, clinician, colleague, patient):
    """Clinic A's patients: two of the clinician's, two of the colleague's."""
    PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Anna Alder")
    PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Zoran Zec")
    PatientFactory(clinic=clinic, key_clinician=colleague, full_name="Marko Petrović")
    PatientFactory(clinic=clinic, key_clinician=None, full_name="Nina Nobody")


def names(patients):
    return [p.full_name for p in patients]


def test_the_patient_list_puts_the_users_own_patients_first_then_by_name(
    roster, clinician, colleague
):
    assert names(patient_list_for_user(clinician)) == [
        "Petra Patient",
        "Zoran Zec",
        "Anna Alder",
        "Marko Petrović",
        "Nina Nobody",
    ]
    assert names(patient_list_for_user(colleague))[:2] == ["Anna Alder", "Marko Petrović"]


def test_the_patient_list_finds_patients_by_part_of_their_name(roster, clinician):
    assert names(patient_list_for_user(clinician, query="  petr ")) == [
        "Petra Patient",
        "Marko Petrović",
    ]


def test_the_patient_list_finds_a_patient_by_code_in_any_case(roster, clinician, patient):
    assert names(patient_list_for_user(clinician, query=patient.code.lower())) == ["Petra Patient"]


def test_the_patient_list_search_never_reaches_another_clinic(
    roster, clinician, outsider, other_patient
):
    assert names(patient_list_for_user(clinician, query="Otto")) == []
    assert names(patient_list_for_user(clinician, query=other_patient.code)) == []
    assert names(patient_list_for_user(outsider, query="Petra")) == []


def test_the_patient_list_counts_delivered_and_open_sessions(clinician, patient, open_session):
    [row] = patient_list_for_user(clinician)

    assert row.delivered == 1
    assert row.open_sessions == 1
    assert row.last_session_at == patient.sessions.get(number=1).started_at


# --- DIALOG wording versions (scale.selectors): a country's admins only ----------------


@pytest.fixture
def wording_versions(scale, clinic_admin):
    """Serbia's draft (clinics A and B are in Serbia) and a draft of North Macedonia."""
    from accounts.models import Clinic
    from tests.factories import ClinicAdminFactory, ClinicFactory
    from tests.scale.conftest import write

    skopje = ClinicFactory(name="Skopje clinic", country=Clinic.Country.NORTH_MACEDONIA)
    return {
        "serbian": write(clinic_admin, "sr"),
        "macedonian": write(ClinicAdminFactory(clinic=skopje), "mk", source="Macedonian"),
        "shared": scale,
    }


@pytest.mark.parametrize("persona", sorted(CLINICIANS_OF_CLINIC_A | EVERYONE_ELSE))
def test_a_wording_version_is_seen_by_its_countrys_admins_only(
    world, wording_versions, user_for, persona
):
    from scale.selectors import version_get_for_user, versions_for_user

    user = user_for(persona)
    admin = persona in {"clinic_admin", "other_admin"}
    seen = {"serbian", "shared"} if admin else set()

    for name, version in wording_versions.items():
        if name in seen:
            assert version_get_for_user(user, version.pk) == version
        else:
            with pytest.raises(Http404):
                version_get_for_user(user, version.pk)
    visible = set(versions_for_user(user)) if user.is_authenticated else set()
    assert visible == {wording_versions[name] for name in seen}
