"""The privacy page: public, plain words, linked from every page's footer."""

import re

import pytest
from django.urls import reverse

from sessions_app import services

pytestmark = pytest.mark.django_db

SECTIONS = [
    "What is kept",
    "Who can see it",
    "How it is protected",
    "How long it is kept",
    "Your rights",
    "Who to contact",
]


def test_the_privacy_page_needs_no_sign_in_and_covers_every_question(anonymous_client):
    response = anonymous_client.get(reverse("privacy"))

    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert headings == SECTIONS
    for promise in [
        "encrypted",
        "second step",
        "locks itself",
        "who it was, and when",
        "Get a copy",
        "Ask to be forgotten",
        "only what you agreed to share",
    ]:
        assert promise in page, promise
    # Signed out, the page cannot know the clinic, and says so in general words.
    assert "your clinic" in page


def test_signed_in_the_page_names_the_clinic_and_its_retention(client_for, clinic, clinician):
    clinic.record_retention_years = 15
    clinic.save()

    page = client_for("clinician").get(reverse("privacy")).content.decode()

    assert "At Clinic A, this is 15 years." in page


def test_a_carer_reads_their_patients_clinic(client_for, clinic, carer_with_consent):
    page = client_for("carer_with_consent").get(reverse("privacy")).content.decode()

    assert "Clinic A" in page


def test_the_page_is_in_the_visitors_language(anonymous_client):
    # The interface language is chosen on the page itself (cookie), as on sign-in.
    anonymous_client.post(reverse("accounts:language"), {"language": "sr"})

    response = anonymous_client.get(reverse("privacy"))

    assert response.status_code == 200
    assert '<html lang="sr"' in response.content.decode()


def test_every_page_links_to_the_privacy_page_in_its_footer(anonymous_client, clinician_client):
    link = f'href="{reverse("privacy")}"'

    sign_in = anonymous_client.get(reverse("accounts:login")).content.decode()
    patients = clinician_client.get(reverse("patients:list")).content.decode()

    assert link in sign_in
    assert '<footer class="app-footer' in sign_in
    assert link in patients


def test_the_handed_over_rating_screen_has_no_way_out_to_the_privacy_page(
    clinician_client, patient, clinician
):
    session = services.session_start(
        patient=patient, clinician=clinician, attendance="alone"
    ).session
    clinician_client.post(reverse("sessions:handover", kwargs={"code": session.code}))

    response = clinician_client.get(
        reverse("sessions:rate_item", kwargs={"code": session.code, "position": 1})
    )

    assert response.status_code == 200
    assert response.context["handed_over"]
    assert reverse("privacy") not in response.content.decode()
