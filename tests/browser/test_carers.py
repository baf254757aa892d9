"""A carer, end to end on two tablets in a real Chromium.

The clinician records the patient's consent and invites the carer from the
patient page; the carer opens the emailed link on their own tablet, chooses a
password and reads the shared summary in their own language; the clinician
withdraws the consent and the carer's next page shows nothing. Every screen is
checked with axe-core at 768×1024 (``Tablet.check``).
"""

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from patients.models import Carer, Patient
from patients.name_index import sort_key
from sessions_app.models import DialogSession

pytestmark = pytest.mark.browser

CARER_NAME = "Drita Krasniqi"
CARER_EMAIL = "drita.krasniqi@example.org"
CARER_LANGUAGE = "sq"  # neither the clinician's (en) nor the patient's
PASSWORD = "a calm walk by the river"


def demo_patient():
    """A demo patient of the demo clinician with finished sessions and no carer yet."""
    candidates = (
        Patient.objects.filter(
            key_clinician__email="clinician@demo.test",
            sessions__status=DialogSession.Status.COMPLETED,
        )
        .exclude(carers__isnull=False)
        .distinct()
    )
    # The first by name, in Python: names are encrypted.
    return min(candidates, key=lambda p: sort_key(p.full_name), default=None)


def in_carers_language(text_of):
    with translation.override(CARER_LANGUAGE):
        return text_of()


def add_carer(tablet, patient):
    page = tablet.page
    panel = page.locator("#carers")
    tablet.check("patient page with no carer")
    tablet.tap(panel.get_by_role("link", name="Add a carer"))
    page.wait_for_url("**/carers/new/")
    tablet.check("add carer form")
    page.get_by_label("Carer's full name").fill(CARER_NAME)
    page.get_by_label("Relationship to the patient").fill("sister")
    page.get_by_label("Email address").fill(CARER_EMAIL)
    page.get_by_label("Mobile phone").fill("+383 44 123 456")
    page.get_by_label("Carer's language").select_option(CARER_LANGUAGE)
    tablet.tap(page.get_by_label("The patient agrees to share session summaries with this carer"))
    # Forgetting the confirmation brings the form back with everything typed.
    tablet.tap(page.get_by_role("button", name="Add carer"))
    expect(page.get_by_text("Confirm that the patient told you this today.")).to_be_visible()
    expect(page.get_by_label("Carer's full name")).to_have_value(CARER_NAME)
    tablet.check("add carer form with an error")
    tablet.tap(page.get_by_label("The patient told me this today"))
    tablet.tap(page.get_by_role("button", name="Add carer"))
    page.wait_for_url(re.compile(rf"/patients/{patient.code}/(#carers)?$"))
    expect(panel).to_contain_text(CARER_NAME)
    expect(panel).to_contain_text("Active")
    expect(panel).not_to_contain_text(CARER_EMAIL)
    tablet.check("patient page with the new carer")


def invite(tablet):
    page = tablet.page
    panel = page.locator("#carers")
    mail.outbox.clear()
    tablet.tap(panel.get_by_role("button", name=re.compile("^Send invitation")))
    expect(page.get_by_text(re.compile("The invitation is sent to"))).to_be_visible()
    expect(panel).to_contain_text("Invited on")
    tablet.check("patient page after the invitation")
    (message,) = mail.outbox
    assert message.to == [CARER_EMAIL]
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def accept(tablet, link):
    page = tablet.page
    tablet.goto(link)
    page.wait_for_url("**/set-password/")
    expect(page.locator("html")).to_have_attribute("lang", CARER_LANGUAGE)
    tablet.check("choose a password (carer)")
    page.locator("input[name=new_password1]").fill(PASSWORD)
    page.locator("input[name=new_password2]").fill(PASSWORD)
    tablet.tap(page.locator("main form button[type=submit]"))
    page.wait_for_url("**/sessions/carer/")


def test_a_carer_is_invited_reads_in_their_language_and_loses_access_on_withdrawal(
    demo, new_tablet
):
    patient = demo_patient()
    newest = patient.sessions.filter(status=DialogSession.Status.COMPLETED).order_by("-number")[0]
    areas = list(newest.areas.select_related("domain").order_by("position"))
    area_names = in_carers_language(lambda: [area.domain.short_name for area in areas])
    english_names = [area.domain.short_name for area in areas]

    clinician = new_tablet("clinician")
    clinician.login()
    clinician.goto(f"/patients/{patient.code}/")
    add_carer(clinician, patient)
    link = invite(clinician)

    carer = new_tablet("carer")
    accept(carer, link)
    page = carer.page
    expect(page.locator("html")).to_have_attribute("lang", CARER_LANGUAGE)
    expect(page.locator("main")).to_contain_text(patient.full_name)
    expect(page.locator(f'a[href="/sessions/carer/{newest.code}/"]')).to_be_visible()
    carer.check("carer home")

    carer.tap(page.locator(f'a[href="/sessions/carer/{newest.code}/"]'))
    page.wait_for_url(f"**/sessions/carer/{newest.code}/")
    expect(page.locator("html")).to_have_attribute("lang", CARER_LANGUAGE)
    expect(page.locator("article h3")).to_have_text(area_names)
    if area_names != english_names:
        expect(page.locator("article")).not_to_contain_text(english_names[0])
    for note in newest.areas.values_list("notes__text", flat=True):
        if note:
            expect(page.locator("body")).not_to_contain_text(note)
    carer.check("shared summary (carer)")
    stored = Carer.objects.get(patient=patient)
    assert stored.user.email == CARER_EMAIL
    assert stored.user.memberships.count() == 0

    # The clinician withdraws the consent, after a confirmation page.
    cpage = clinician.page
    clinician.goto(f"/patients/{patient.code}/")
    clinician.tap(
        cpage.locator("#carers").get_by_role("link", name=re.compile("^Withdraw consent"))
    )
    cpage.wait_for_url("**/withdraw/")
    clinician.check("withdraw consent confirmation")
    clinician.tap(cpage.get_by_role("button", name="Withdraw consent"))
    cpage.wait_for_url(re.compile(rf"/patients/{patient.code}/(#carers)?$"))
    expect(cpage.locator("#carers")).to_contain_text("Withdrawn")
    clinician.check("patient page after the withdrawal")
    clinician.tap(cpage.locator("#carers").get_by_role("link", name=re.compile("^Consent history")))
    cpage.wait_for_url("**/history/")
    expect(cpage.locator("main")).to_contain_text("Shares session summaries: Yes → No")
    clinician.check("consent history")

    # The carer's very next request shows nothing of the patient.
    carer.console.allow(r"status of 404")
    response = page.reload()
    assert response.status == 404
    carer.goto("/sessions/carer/")
    expect(page.locator('a[href^="/sessions/carer/"]')).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(patient.full_name)
    carer.check("carer home after the withdrawal")
