"""Autosaves in a form that holds several objects save against their own revision.

htmx posts every field of the surrounding form with an autosave, so these tests
read the form off the rendered page and post all of it, as the browser does
(issue 16): no false conflict, and a really stale revision is still a 409.
"""

import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from sessions_app import services
from sessions_app.models import ActionReview, StepNote
from tests.factories import session_complete

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
TEXTS = ["Phone the job centre", "Walk every morning", "Call my sister"]


def url(name, session, *args):
    return reverse(f"sessions:{name}", args=[session.code, *args])


class _FormFields(HTMLParser):
    """The fields the page's main form would post: inputs and textareas by name
    (buttons are left out: only the tapped one is posted, and tests add it)."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("type") not in ("checkbox", "radio"):
            self.fields.append([attrs["name"], attrs.get("value") or ""])
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def form_of(response):
    parser = _FormFields()
    parser.feed(response.content.decode())
    return parser.fields


def post_form(client, target, fields, *, headers=HX, **changes):
    """Post every field of the form, with ``changes`` applied (as htmx posts it)."""
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(changes.get(name, value))
    for name, value in changes.items():
        data.setdefault(name, [value])
    return client.post(target, data, headers=headers)


@pytest.fixture
def three_actions(patient):
    session_complete(
        patient, ratings={"job": 3, "leisure": 4}, actions={"job": TEXTS[:1], "leisure": TEXTS[1:]}
    )


@pytest.fixture
def reviewing(three_actions, start, patient):
    return start(patient)


@pytest.fixture
def actions(reviewing):
    from sessions_app.selectors import actions_to_review

    return actions_to_review(reviewing)


def review(action):
    row = ActionReview.objects.filter(action=action).first()
    return (row.status, row.comment) if row else None


def test_review_autosaves_posting_the_whole_form_raise_no_false_conflict(
    clinician_client, reviewing, actions
):
    first, second, third = actions
    page = lambda: form_of(clinician_client.get(url("review_actions", reviewing)))  # noqa: E731

    tapped = post_form(
        clinician_client,
        url("review_action_save", reviewing, first.id),
        page(),
        status="partly",
        **{f"status-{first.id}": "partly"},
    )
    assert tapped.status_code == 200
    # The first action is now at revision 1, the others still at 0: the
    # comment's save carries all three revisions.
    commented = post_form(
        clinician_client,
        url("review_action_save", reviewing, first.id),
        page(),
        **{f"comment-{first.id}": "Called once"},
    )
    second_tap = post_form(
        clinician_client,
        url("review_action_save", reviewing, second.id),
        page(),
        status="done",
        **{f"status-{second.id}": "done"},
    )
    third_comment = post_form(
        clinician_client,
        url("review_action_save", reviewing, third.id),
        page(),
        **{f"comment-{third.id}": "She was away"},
    )

    assert [commented.status_code, second_tap.status_code, third_comment.status_code] == [200] * 3
    assert [review(a) for a in actions] == [
        ("partly", "Called once"),
        ("done", ""),
        ("", "She was away"),
    ]


def test_review_autosave_from_a_stale_screen_is_still_a_409(clinician_client, reviewing, actions):
    first, second, _third = actions
    stale = form_of(clinician_client.get(url("review_actions", reviewing)))
    services.action_review_record(session=reviewing, action=first, status="not_done")

    conflict = post_form(
        clinician_client,
        url("review_action_save", reviewing, first.id),
        stale,
        **{f"comment-{first.id}": "Called once"},
    )
    other = post_form(
        clinician_client,
        url("review_action_save", reviewing, second.id),
        stale,
        status="done",
        **{f"status-{second.id}": "done"},
    )

    assert conflict.status_code == 409
    assert "Someone changed this on another device" in conflict.content.decode()
    assert ">Called once</textarea>" in conflict.content.decode()
    assert other.status_code == 200
    assert review(first) == ("not_done", "")
    assert review(second) == ("done", "")


def test_continue_with_a_stale_action_shows_its_conflict_and_keeps_what_was_typed(
    clinician_client, reviewing, actions
):
    first, second, _third = actions
    stale = form_of(clinician_client.get(url("review_actions", reviewing)))
    services.action_review_record(session=reviewing, action=first, status="done", comment="Did it")

    response = post_form(
        clinician_client,
        url("review_actions", reviewing),
        stale,
        headers={},
        **{f"comment-{first.id}": "Called once", f"comment-{second.id}": "Every day"},
    )

    page = response.content.decode()
    assert response.status_code == 409
    assert page.count('class="conflict"') == 1
    assert f'id="comment-{first.id}"' in page
    assert ">Called once</textarea>" in page
    assert "Did it" in page
    assert review(first) == ("done", "Did it")
    # The other action had no conflict: its comment is stored.
    assert review(second) == ("", "Every day")
    reviewing.refresh_from_db()
    assert reviewing.stage == "review_actions"

    # The page now carries the current revision: Continue goes through.
    again = post_form(
        clinician_client,
        url("review_actions", reviewing),
        form_of(response),
        headers={},
        **{f"comment-{first.id}": "Called once"},
    )
    assert again.url == url("rate", reviewing)
    assert review(first) == ("done", "Called once")


def test_continue_without_changes_saves_and_goes_on(clinician_client, reviewing, actions):
    fields = form_of(clinician_client.get(url("review_actions", reviewing)))

    response = post_form(clinician_client, url("review_actions", reviewing), fields, headers={})

    assert response.url == url("rate", reviewing)


@pytest.fixture
def area(session):
    job = session.scale_version.domains.get(key="job")
    [area] = services.areas_select(session=session, domain_ids=[job.id])
    return area


def note_form_of(response, step):
    """The fields of step ``step``'s own note form on the area page."""
    page = response.content.decode()
    marker = page.index(f'id="note-text-{step}"')
    form_start = page.rindex("<form", 0, marker)
    form_end = page.index("</form>", marker)
    parser = _FormFields()
    parser.feed(page[form_start:form_end])
    return parser.fields


def test_step_note_autosave_posting_the_whole_form_raises_no_false_conflict(
    clinician_client, session, area
):
    target = url("step_note", session, area.id, 4)
    page = clinician_client.get(url("area", session, area.id))
    # Each note is its own form: what htmx posts is that note and its revision only.
    fields = note_form_of(page, 4)
    assert sorted(name for name, _value in fields) == ["csrfmiddlewaretoken", "note", "revision"]
    other = note_form_of(page, 3)
    assert ["note", ""] in other

    first = post_form(clinician_client, target, fields, note="First words")
    fields = [[n, "1" if n == "revision" else v] for n, v in fields]
    second = post_form(clinician_client, target, fields, note="First words, more")

    assert (first.status_code, second.status_code) == (200, 200)
    assert StepNote.objects.get(area=area, step=4).text == "First words, more"
    assert not StepNote.objects.filter(area=area, step=3).exists()


def test_a_keyed_note_among_several_saves_against_its_own_revision(clinician_client, session, area):
    # A form that holds several notes names each one's fields by area and step.
    key = f"{area.id}-4"
    fields = [[f"note-{area.id}-3", "Other step"], [f"revision-{area.id}-3", "7"]]
    fields += [[f"note-{key}", ""], [f"revision-{key}", "0"]]

    response = post_form(
        clinician_client, url("step_note", session, area.id, 4), fields, **{f"note-{key}": "Mine"}
    )

    assert response.status_code == 200
    assert StepNote.objects.get(area=area, step=4).text == "Mine"
    assert not StepNote.objects.filter(area=area, step=3).exists()


def test_step_note_autosave_from_a_stale_screen_is_still_a_409(clinician_client, session, area):
    fields = note_form_of(clinician_client.get(url("area", session, area.id)), 4)
    services.step_note_save(session=session, area=area, step=4, text="From the other tablet")

    response = post_form(
        clinician_client, url("step_note", session, area.id, 4), fields, note="Typed here"
    )

    assert response.status_code == 409
    assert StepNote.objects.get(area=area, step=4).text == "From the other tablet"


def test_step_continue_posting_the_whole_form_saves_the_note_and_the_action(
    clinician_client, session, area
):
    fields = note_form_of(clinician_client.get(url("area", session, area.id)), 4)

    response = post_form(
        clinician_client,
        url("step", session, area.id, 4),
        fields,
        headers={},
        owner="patient",
        text="Call Ana",
        client_token=str(uuid.uuid4()),
        note="Agreed one thing",
    )

    assert response.status_code == 302
    assert StepNote.objects.get(area=area, step=4).text == "Agreed one thing"
    assert area.actions.get().text == "Call Ana"
