"""Roles, deactivation and reactivation of clinic staff: the clinic always keeps
an admin, a deactivated person is signed out at once, and their patients'
open sessions carry on with colleagues."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from accounts.models import Membership
from patients.selectors import patients_visible_to
from sessions_app import services
from sessions_app.models import DialogSession, Rating
from tests.factories import ClinicAdminFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def url(name, user):
    return reverse(f"accounts:{name}", args=[user.pk])


def sessions_of(user):
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


# --- role and profession --------------------------------------------------------------------


def test_an_admin_changes_a_members_role_and_profession(clinic_admin_client, clinician):
    response = clinic_admin_client.post(
        url("staff_edit", clinician), {"role": "admin", "profession": "psychologist"}
    )

    assert response.url == url("staff_detail", clinician)
    membership = Membership.objects.get(user=clinician)
    assert (membership.role, membership.profession) == ("admin", "psychologist")


def test_the_members_page_says_who_changed_what_and_when(clinic_admin_client, clinician):
    clinic_admin_client.post(
        url("staff_edit", clinician), {"role": "admin", "profession": "psychologist"}
    )
    clinic_admin_client.post(url("staff_deactivate", clinician))
    clinic_admin_client.post(url("staff_reactivate", clinician))

    page = html(clinic_admin_client.get(url("staff_detail", clinician)))

    assert "Role changed from Clinician to Clinic admin" in page
    assert "Profession changed from Nurse to Psychologist" in page
    assert "Deactivated" in page and "Reactivated" in page
    assert page.count("changed by Ada Admin on") == 4
    # The newest first.
    assert page.index("Reactivated") < page.index("Deactivated") < page.index("Role changed")


def test_a_rejected_role_form_keeps_the_choice_and_says_why(clinic_admin_client, clinician):
    response = clinic_admin_client.post(url("staff_edit", clinician), {"role": "owner"})

    assert response.status_code == 200
    assert "Choose one of the roles shown." in html(response)
    assert "Choose a profession." in html(response)
    assert Membership.objects.get(user=clinician).role == "clinician"


def test_the_only_admin_cannot_make_themself_a_clinician(clinic_admin_client, clinic_admin):
    response = clinic_admin_client.post(
        url("staff_edit", clinic_admin), {"role": "clinician", "profession": "nurse"}
    )

    assert response.status_code == 200
    assert "The clinic must keep at least one active clinic admin." in html(response)
    membership = Membership.objects.get(user=clinic_admin)
    assert (membership.role, membership.profession) == ("admin", "nurse")
    assert membership.history.count() == 1


def test_an_invited_admin_who_has_not_arrived_does_not_count(
    clinic_admin_client, clinic_admin, clinic
):
    waiting = ClinicAdminFactory(clinic=clinic)
    waiting.set_unusable_password()
    waiting.save()

    response = clinic_admin_client.post(
        url("staff_edit", clinic_admin), {"role": "clinician", "profession": "nurse"}
    )

    assert "The clinic must keep at least one active clinic admin." in html(response)
    assert Membership.objects.get(user=clinic_admin).role == "admin"


def test_with_a_second_admin_an_admin_may_hand_over_and_leaves_the_admin_pages(
    client_for, clinic_admin, clinic
):
    ClinicAdminFactory(clinic=clinic)
    client = client_for("clinic_admin")

    response = client.post(
        url("staff_edit", clinic_admin), {"role": "clinician", "profession": "nurse"}
    )

    assert response.url == reverse("home")
    assert Membership.objects.get(user=clinic_admin).role == "clinician"
    assert client.get(reverse("accounts:staff_list")).status_code == 404


# --- deactivation ---------------------------------------------------------------------------


def test_an_admin_cannot_deactivate_themself(clinic_admin_client, clinic_admin, clinic):
    ClinicAdminFactory(clinic=clinic)
    page = html(clinic_admin_client.get(url("staff_deactivate", clinic_admin)))

    response = clinic_admin_client.post(url("staff_deactivate", clinic_admin))

    assert (
        "You cannot deactivate yourself." in page
        and '<button type="submit" class="btn btn-outline-danger' not in page
    )
    assert response.status_code == 200
    assert "You cannot deactivate yourself. Ask another clinic admin." in html(response)
    assert Membership.objects.get(user=clinic_admin).is_active
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_an_admin_may_deactivate_another_admin(client_for, clinic_admin, clinic):
    second = ClinicAdminFactory(clinic=clinic, full_name="Sam Second")

    response = client_for("clinic_admin").post(url("staff_deactivate", second))

    assert response.url == url("staff_detail", second)
    assert not Membership.objects.get(user=second).is_active
    # Now the only admin left cannot step down.
    refused = client_for("clinic_admin").post(
        url("staff_edit", clinic_admin), {"role": "clinician", "profession": "nurse"}
    )
    assert "The clinic must keep at least one active clinic admin." in html(refused)


def test_deactivating_signs_the_person_out_at_once(client_for, clinic_admin_client, clinician):
    tablet = client_for("clinician")
    second_tablet = client_for("clinician")
    assert tablet.get(reverse("patients:list")).status_code == 200
    assert len(sessions_of(clinician)) == 2

    response = clinic_admin_client.post(url("staff_deactivate", clinician), follow=True)

    assert "Clara Clinician is deactivated and signed out on every device." in html(response)
    assert sessions_of(clinician) == []
    for client in (tablet, second_tablet):
        next_request = client.get(reverse("patients:list"))
        assert next_request.status_code == 302
        assert next_request.url.startswith(reverse("accounts:login"))
    membership = Membership.objects.get(user=clinician)
    assert not membership.is_active
    assert membership.history.latest().history_user.full_name == "Ada Admin"
    clinician.refresh_from_db()
    assert not clinician.is_active


def test_deactivating_someone_who_also_works_elsewhere_keeps_their_account_but_signs_them_out(
    client_for, clinic_admin_client, clinician, other_clinic
):
    MembershipFactory(user=clinician, clinic=other_clinic, role="clinician")
    tablet = client_for("clinician")
    assert tablet.get(reverse("patients:list")).status_code == 200

    clinic_admin_client.post(url("staff_deactivate", clinician))

    clinician.refresh_from_db()
    assert clinician.is_active
    assert not Membership.objects.get(user=clinician, clinic__name="Clinic A").is_active
    assert Membership.objects.get(user=clinician, clinic=other_clinic).is_active
    # Ending the sign-in is what signs them out here (the account itself is still on).
    assert tablet.get(reverse("patients:list")).url.startswith(reverse("accounts:login"))


def test_a_deactivated_persons_patients_and_open_session_carry_on_with_colleagues(
    client_for, clinic_admin_client, clinician, colleague, patient, domains
):
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    services.rating_record(session=session, domain_id=domains["mental_health"].id, value=3)

    clinic_admin_client.post(url("staff_deactivate", clinician))

    assert patient in patients_visible_to(colleague)
    other = client_for("colleague")
    assert "Petra Patient" in html(other.get(reverse("patients:list")))
    # Asked once whether to continue it as theirs (sessions_app flow.resume), then it is.
    assert other.get(reverse("sessions:resume", args=[session.code])).status_code == 200
    resumed = other.post(reverse("sessions:resume", args=[session.code]))
    assert resumed.status_code == 302
    saved = other.post(reverse("sessions:rate_item", args=[session.code, 2]), {"value": "6"})
    assert saved.status_code == 302
    values = dict(Rating.objects.filter(session=session).values_list("domain__key", "value"))
    assert values["mental_health"] == 3  # what was entered before is all there
    assert values["physical_health"] == 6
    session.refresh_from_db()
    assert session.status == DialogSession.Status.IN_PROGRESS
    assert session.clinician == colleague


def test_deactivating_an_invitee_voids_the_link_they_have(clinic_admin_client, client_for, clinic):
    clinic_admin_client.post(
        reverse("accounts:staff_invite"),
        {
            "full_name": "Nada Nova",
            "email": "nada.nova@example.org",
            "role": "clinician",
            "profession": "nurse",
        },
    )
    link = urlsplit(re.search(r"https?://\S+", mail.outbox[0].body).group(0)).path
    invitee = Membership.objects.get(user__email="nada.nova@example.org").user

    clinic_admin_client.post(url("staff_deactivate", invitee))

    response = client_for("anonymous").get(link)
    assert response.status_code == 404
    invitee.refresh_from_db()
    assert not invitee.is_active and not invitee.has_usable_password()


def test_reactivating_switches_the_person_back_on(client_for, clinic_admin_client, clinician):
    clinic_admin_client.post(url("staff_deactivate", clinician))

    response = clinic_admin_client.post(url("staff_reactivate", clinician), follow=True)

    assert "Clara Clinician is active again." in html(response)
    clinician.refresh_from_db()
    assert clinician.is_active and Membership.objects.get(user=clinician).is_active
    assert client_for("clinician").get(reverse("patients:list")).status_code == 200


def test_reactivating_an_invitee_asks_for_a_new_invitation(clinic_admin_client, clinic, clinician):
    clinician.set_unusable_password()
    clinician.save()
    clinic_admin_client.post(url("staff_deactivate", clinician))

    response = clinic_admin_client.post(url("staff_reactivate", clinician), follow=True)

    assert "Send a new invitation: the earlier link no longer works." in html(response)
    assert reverse("accounts:staff_resend_invitation", args=[clinician.pk]) in html(response)


def test_a_deactivated_member_cannot_be_reinvited_without_reactivation(
    clinic_admin_client, clinician
):
    clinician.set_unusable_password()
    clinician.save()
    clinic_admin_client.post(url("staff_deactivate", clinician))

    response = clinic_admin_client.post(url("staff_resend_invitation", clinician), follow=True)

    assert "Reactivate Clara Clinician before inviting them again." in html(response)
    assert mail.outbox == []
