"""Step 4's action forms are rendered from ActionForm / ActionEditForm: the
limits on the page are the form's, and every field of an agreed action has an
id that is the same in the page and in each htmx answer (so focus survives)."""

import re
import uuid

import pytest
from django.urls import reverse

from sessions_app import services
from sessions_app.forms import ActionEditForm, ActionForm
from sessions_app.models import Action

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def area(session):
    job = session.scale_version.domains.get(key="job")
    (chosen,) = services.areas_select(session=session, domain_ids=[job.id])
    return chosen


@pytest.fixture
def action(session, area):
    return services.action_add(
        session=session,
        area=area,
        text="Phone the job centre",
        owner=Action.Owner.PATIENT,
        client_token=uuid.uuid4(),
    )


def page_of(clinician_client, session, area):
    return clinician_client.get(reverse("sessions:step", args=[session.code, area.id, 4]))


def input_tag(page, element_id):
    (tag,) = re.findall(rf'<input[^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    return tag


def ids_in(page, prefix):
    return re.findall(rf'\bid="({re.escape(prefix)}[^"]*)"', page)


def test_the_fields_carry_the_forms_limits(clinician_client, session, area, action):
    page = page_of(clinician_client, session, area).content.decode()
    form = ActionForm()

    for element_id, field in [
        ("id_text", "text"),
        ("id_owner_name", "owner_name"),
        (f"action-text-{action.id}", "text"),
        (f"action-owner_name-{action.id}", "owner_name"),
    ]:
        # Counted as the person sees characters (dialogplus/text.py), not by maxlength.
        assert f'data-text-limit="{form.fields[field].limit}"' in input_tag(page, element_id)
    due = input_tag(page, "id_due_date")
    assert f'min="{form.fields["due_date"].widget.attrs["min"]}"' in due
    assert f'max="{form.fields["due_date"].widget.attrs["max"]}"' in due


def test_every_owner_radio_has_an_id_that_an_htmx_answer_keeps(
    clinician_client, session, area, action
):
    page = page_of(clinician_client, session, area).content.decode()
    radios = ids_in(page, f"action-owner-{action.id}_")
    assert len(radios) == len(ActionEditForm().fields["owner"].choices)
    for radio in radios:
        assert f'for="{radio}"' in page

    answer = clinician_client.post(
        reverse("sessions:action_edit", args=[session.code, action.id]),
        {"text": action.text, "owner": "clinician", "owner_name": "", "revision": "0"},
        headers=HX,
    )

    assert answer.status_code == 200
    swapped = answer.content.decode()
    assert ids_in(swapped, f"action-owner-{action.id}_") == radios
    assert ids_in(swapped, f"action-text-{action.id}") == [f"action-text-{action.id}"]
    assert re.search(r'name="owner" value="clinician" checked id="action-owner-', swapped)


def test_a_refused_edit_shows_what_was_posted_in_the_same_fields(
    clinician_client, session, area, action
):
    answer = clinician_client.post(
        reverse("sessions:action_edit", args=[session.code, action.id]),
        {"text": "", "owner": "other", "owner_name": "Ana", "revision": "0"},
        headers=HX,
    )

    assert answer.status_code == 422
    swapped = answer.content.decode()
    assert "Say what will be done." in swapped
    assert 'value="Ana"' in input_tag(swapped, f"action-owner_name-{action.id}")
    assert 'name="owner" value="other" checked' in swapped
    action.refresh_from_db()
    assert (action.text, action.owner) == ("Phone the job centre", Action.Owner.PATIENT)


def test_a_refused_new_action_keeps_what_was_typed_with_the_message_by_its_field(
    clinician_client, session, area
):
    answer = clinician_client.post(
        reverse("sessions:action_add", args=[session.code, area.id]),
        {
            "text": "Call Ana",
            "owner": "other",
            "owner_name": "",
            "client_token": str(uuid.uuid4()),
        },
        headers=HX,
    )

    assert answer.status_code == 422
    swapped = answer.content.decode()
    assert 'value="Call Ana"' in input_tag(swapped, "id_text")
    assert "is-invalid" in input_tag(swapped, "id_owner_name")
    assert "Name the person who will do it." in swapped
    assert not Action.objects.filter(area=area).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"text": "   ", "owner": "patient"}, "text"), ({"text": "Call Ana", "owner": ""}, "owner")],
)
def test_an_edit_needs_words_and_an_owner_once_each(data, field):
    form = ActionEditForm({**data, "owner_name": "", "revision": "0"})

    assert not form.is_valid()
    assert list(form.errors) == [field]
    assert len(form.errors[field]) == 1
