"""Every form and autosave, fuzzed: no server error, and a refusal loses nothing.

For each form a role can post (clinician, clinic admin, carer, the holder of a
rating link), Hypothesis posts generated input: text with NUL and other
control characters, emoji, combining accents, right-to-left marks, very long
text, numbers out of range, missing fields, lists where one value is expected.
Whatever it sends:

- the answer is never a server error (5xx);
- when the input is refused (a 4xx, or the form shown again), the rows the
  form writes are exactly as before, and every text typed is in the page
  again (less the control characters the message says were taken out).

Each example runs in a savepoint that is rolled back, so every example starts
from the same world; the examples are derandomised and few enough to keep the
module well under two minutes.
"""

import uuid
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Clinic, User
from audit.models import AccessLog
from dialogplus.text import text_ok, visible_length, without_controls
from patients.models import Carer, Patient
from reminders.models import Appointment, ContactPreference
from scale.models import ActionSuggestion
from sessions_app import services
from sessions_app.models import Action, ActionReview, DialogSession, Rating, Stage, StepNote
from sessions_app.selectors import actions_to_review
from tests.factories import session_complete

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- what is posted -----------------------------------------------------------------

NASTY = [
    "\x00",
    "\x1b",
    "\x08",
    "\x7f",
    "\t",
    "\n",
    "\r\n",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "שלום",
    "مرحبا",
    "👩‍👩‍👧",
    "👍🏽",
    "🇷🇸",
    "e\u0301",
    "ђ",
    "ç",
    "a",
    " ",
    "<b>",
    "&amp;",
    '"',
    "'",
    "{{ x }}",
    "%(name)s",
]
texts = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(NASTY), max_size=12).map("".join),
    st.builds(
        lambda n, piece: piece * n,
        st.integers(min_value=0, max_value=12_000),
        st.sampled_from(["x", "👍", "e\u0301", "\x00"]),
    ),
)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", " 7 ", "1e9", "NaN", "٣", "½", "0x10", "-0", "9" * 40]),
)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["", "2026-02-30", "31.12.2026", "9999-12-31", "0001-01-01", "tomorrow"]),
)
datetimes = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(["", "2026-13-01T10:00", "10:00", "2026-12-01 25:61"]),
)


def choices(*valid):
    return st.one_of(st.sampled_from([*valid, "", "nonsense", "\x00", "carer:999999"]), texts)


def field_value(strategy):
    """A field's posted value: missing, one value, or several."""
    return st.one_of(
        st.none(),
        strategy,
        strategy,
        strategy,
        st.lists(strategy, min_size=2, max_size=3),
    )


# --- the forms ----------------------------------------------------------------------


@dataclass
class Form:
    """One form or autosave endpoint, as one role posts it."""

    persona: str
    url: object  # world -> URL
    fields: dict  # name -> strategy
    rows: object  # world -> what the form may write, to compare
    kept: tuple = ()  # text fields that must come back in a refused answer
    fixed: object = lambda world: {}  # world -> fields posted as the page would
    htmx: bool = False
    extra: dict = field(default_factory=dict)
    # False for an endpoint that never shows a form again (it only redirects).
    refuses: bool = True
    # world -> None, asserting what must hold after any answer.
    invariant: object = lambda world: None


class World:
    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return self._request.getfixturevalue(name)


@pytest.fixture
def world(request):
    return World(request)


@pytest.fixture
def open_session(patient, clinician):
    session = services.session_start(patient=patient, clinician=clinician, attendance="alone")
    session = session.session
    job = session.scale_version.domains.get(key="job")
    services.areas_select(session=session, domain_ids=[job.id])
    return session


@pytest.fixture
def reviewed_session(open_session):
    # Rated and looked at together: "ratings only today" may end it.
    services.session_advance(session=open_session, stage=Stage.STEPS)
    return open_session


@pytest.fixture
def finishing_session(reviewed_session):
    # Step 4 ended with "no action yet": the summary may finish it.
    area = reviewed_session.areas.get()
    services.area_think_it_over(session=reviewed_session, area=area, value=True)
    return reviewed_session


@pytest.fixture
def open_area(open_session):
    return open_session.areas.get()


@pytest.fixture
def agreed_action(open_session, open_area):
    return services.action_add(
        session=open_session,
        area=open_area,
        text="Call the job centre",
        owner="patient",
        client_token=uuid.uuid4(),
    )


@pytest.fixture
def reviewing(patient, clinician):
    # A second session that reviews the action agreed in the first.
    session_complete(patient, ratings={"job": 3}, actions={"job": ["Phone the job centre"]})
    return services.session_start(patient=patient, clinician=clinician, attendance="alone").session


@pytest.fixture
def reviewed_action(reviewing):
    return actions_to_review(reviewing)[0]


def rows(model, *names, **filters):
    def read(world):
        return sorted(
            (tuple(str(row[name]) for name in names))
            for row in model.objects.filter(**filters).values("pk", *names)
        )

    return read


def _session_rows(world):
    return rows(DialogSession, "status", "stage", "ratings_only_note", "attendance_note")(world)


def _notes_follow_the_rule(world):
    # The start buttons carry no note: one that breaks the rule is dropped, never stored.
    for note in DialogSession.objects.values_list("attendance_note", flat=True):
        assert text_ok(note, limit=200), note


def _note_rows(world):
    return rows(StepNote, "area_id", "step", "text", "revision")(world)


def _action_rows(world):
    return rows(Action, "text", "owner", "owner_name", "carer_id", "due_date", "revision")(world)


ACTION_FIELDS = {
    "text": texts,
    "owner": choices("patient", "clinician", "carer", "other"),
    "owner_name": texts,
    "due_date": dates,
}

FORMS = {
    "step note autosave": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:step_note", args=[w.open_session.code, w.open_area.id, 2]),
        fields={"note": texts},
        rows=_note_rows,
        fixed=lambda w: {"revision": "0"},
        htmx=True,
    ),
    "step 1 without JavaScript": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:step", args=[w.open_session.code, w.open_area.id, 1]),
        fields={"note": texts},
        rows=_note_rows,
        kept=("note",),
        fixed=lambda w: {"revision": "0"},
    ),
    "step 4 without JavaScript": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:step", args=[w.open_session.code, w.open_area.id, 4]),
        fields={"note": texts, **ACTION_FIELDS, "think_it_over": choices("on")},
        rows=lambda w: (_note_rows(w), _action_rows(w)),
        kept=("note", "text", "owner_name"),
        fixed=lambda w: {"revision": "0", "client_token": str(uuid.uuid4())},
    ),
    "action added": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:action_add", args=[w.open_session.code, w.open_area.id]),
        fields=ACTION_FIELDS,
        rows=_action_rows,
        kept=("text", "owner_name"),
        fixed=lambda w: {"client_token": str(uuid.uuid4())},
        htmx=True,
    ),
    "action changed": Form(
        persona="clinician",
        url=lambda w: reverse(
            "sessions:action_edit", args=[w.open_session.code, w.agreed_action.id]
        ),
        fields={key: value for key, value in ACTION_FIELDS.items() if key != "due_date"},
        rows=_action_rows,
        kept=("text", "owner_name"),
        fixed=lambda w: {"revision": str(w.agreed_action.revision)},
        htmx=True,
    ),
    "action review autosave": Form(
        persona="clinician",
        url=lambda w: reverse(
            "sessions:review_action_save", args=[w.reviewing.code, w.reviewed_action.id]
        ),
        fields={"status": choices("done", "partly", "not_done", "dropped"), "comment": texts},
        rows=rows(ActionReview, "status", "comment", "revision"),
        kept=("comment",),
        fixed=lambda w: {"revision": "0"},
        htmx=True,
        extra={"keyed": True},
    ),
    "action review without JavaScript": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:review_actions", args=[w.reviewing.code]),
        fields={"status": choices("done", "partly", "not_done", "dropped"), "comment": texts},
        rows=rows(ActionReview, "status", "comment", "revision"),
        kept=("comment",),
        fixed=lambda w: {"revision": "0"},
        extra={"keyed": True},
    ),
    "ratings only": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:ratings_only", args=[w.reviewed_session.code]),
        fields={
            "reason": choices("short_appointment", "crisis", "other"),
            "note": texts,
            "next_appointment": datetimes,
        },
        rows=_session_rows,
        kept=("note",),
    ),
    "session finished": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:summary", args=[w.finishing_session.code]),
        fields={
            "attendance": choices(*DialogSession.Attendance.values),
            "attendance_note": texts,
            "next_appointment": datetimes,
        },
        # Opening the summary moves the session's stage: that is where the
        # clinician is, not what was typed. What the form writes must not move.
        rows=rows(DialogSession, "status", "attendance", "attendance_note"),
        kept=("attendance_note",),
    ),
    "session started": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:start", args=[w.patient.code]),
        fields={"attendance": choices(*DialogSession.Attendance.values), "attendance_note": texts},
        rows=_session_rows,
        refuses=False,
        invariant=_notes_follow_the_rule,
    ),
    "a rating tapped": Form(
        persona="clinician",
        url=lambda w: reverse("sessions:rate_item", args=[w.open_session.code, 1]),
        fields={"value": numbers, "needs_help": choices("yes", "no"), "skip": choices("1")},
        rows=rows(Rating, "value", "needs_help", "revision"),
        htmx=True,
    ),
    "new patient": Form(
        persona="clinician",
        url=lambda w: reverse("patients:create"),
        fields={
            "full_name": texts,
            "language": choices("sr", "en", "hr"),
            "planned_sessions": numbers,
            "session_interval_days": numbers,
        },
        rows=lambda w: Patient.objects.count(),
        kept=("full_name",),
    ),
    "new carer": Form(
        persona="clinician",
        url=lambda w: reverse("patients:carer_add", kwargs={"code": w.patient.code}),
        fields={
            "full_name": texts,
            "relationship": texts,
            "email": choices("carer@example.org"),
            "phone": choices("+381641234567"),
            "share_summaries": choices("on"),
            "confirm": choices("on"),
        },
        rows=lambda w: Carer.objects.count(),
        kept=("full_name", "relationship"),
    ),
    "own name": Form(
        persona="clinician",
        url=lambda w: reverse("accounts:profile"),
        fields={"full_name": texts, "language": choices("", "sr", "en")},
        rows=rows(User, "full_name", "language"),
        kept=("full_name",),
    ),
    "carer's own name": Form(
        persona="carer_with_consent",
        url=lambda w: reverse("accounts:profile"),
        fields={"full_name": texts, "language": choices("", "sr", "en")},
        rows=rows(User, "full_name", "language"),
        kept=("full_name",),
    ),
    "staff invitation": Form(
        persona="clinic_admin",
        url=lambda w: reverse("accounts:staff_invite"),
        fields={
            "full_name": texts,
            "email": choices("new.person@example.org"),
            "role": choices("clinician", "admin"),
            "profession": choices("nurse", "doctor", "other"),
            "language": choices("", "sr"),
        },
        rows=lambda w: User.objects.count(),
        kept=("full_name",),
    ),
    "clinic settings": Form(
        persona="clinic_admin",
        url=lambda w: reverse("accounts:staff_clinic_settings"),
        fields={
            "name": texts,
            "time_zone": choices("Europe/Belgrade"),
            "default_language": choices("sr", "en"),
            "session_interval_days": numbers,
            "planned_sessions": numbers,
            "record_retention_years": numbers,
        },
        rows=rows(Clinic, "name", "time_zone", "planned_sessions", "session_interval_days"),
        kept=("name",),
    ),
    "next appointment": Form(
        persona="clinician",
        url=lambda w: reverse("reminders:appointment", kwargs={"code": w.patient.code}),
        fields={"when": datetimes, "send_rating_link": choices("on")},
        rows=rows(Appointment, "starts_at", "cancelled_at"),
    ),
    "reminder channel": Form(
        persona="clinician",
        url=lambda w: reverse("reminders:contact", kwargs={"code": w.patient.code}),
        fields={
            "channel": choices("email", "sms", "none"),
            "email": choices("patient@example.org", "not an address"),
            "consent": choices("on"),
            "opted_out": choices("on"),
        },
        rows=rows(ContactPreference, "channel", "consent_to_reminders", "opted_out_at"),
    ),
    "clinic's suggested actions": Form(
        persona="clinic_admin",
        url=lambda w: reverse("scale:suggestions"),
        # The area is a hidden field of each area's box: a forged one has no box
        # to show the text in again (tests/scale/test_suggestions.py refuses it).
        fields={"text": texts, "do": choices("add")},
        fixed=lambda w: {"domain_key": "job"},
        rows=lambda w: sorted(ActionSuggestion.objects.values_list("pk", "text", "hidden")),
        kept=("text",),
    ),
    "copy of a record": Form(
        persona="clinic_admin",
        url=lambda w: reverse("patients:export_json", kwargs={"code": w.patient.code}),
        fields={"reason": texts},
        rows=lambda w: AccessLog.objects.filter(kind=AccessLog.Kind.EXPORT).count(),
        kept=("reason",),
    ),
    "rating link": Form(
        persona="rating_link",
        url=lambda w: w.rating_link.rating_link_url.rstrip("/") + "/1/",
        fields={"value": numbers, "needs_help": choices("yes", "no"), "skip": choices("1")},
        rows=rows(Rating, "value", "needs_help", "revision"),
    ),
}


def _payload(form, world, drawn):
    data = dict(form.fixed(world))
    for name, value in drawn.items():
        if value is not None:
            data[name] = value
    if form.extra.get("keyed"):
        # The review page names each action's fields after it (own_fields).
        key = world.reviewed_action.id
        data = {f"{name}-{key}": value for name, value in data.items()}
    return data


def _refused(form, response):
    """A refusal: an error status, or a page (not a download) that shows the form again."""
    if response.status_code in (400, 409, 422):
        return True
    is_page = response.get("Content-Type", "").startswith("text/html")
    return response.status_code == 200 and is_page and not form.htmx


@pytest.mark.parametrize("name", list(FORMS))
def test_fuzzed_input_never_breaks_the_server_and_a_refusal_loses_nothing(name, world, client_for):
    form = FORMS[name]
    client = client_for(form.persona)
    url = form.url(world)
    drawn_fields = st.fixed_dictionaries({key: field_value(s) for key, s in form.fields.items()})
    checked = {"refused": 0}

    @FUZZ
    @given(drawn=drawn_fields)
    def post(drawn):
        data = _payload(form, world, drawn)
        with transaction.atomic():
            before = form.rows(world)
            response = client.post(url, data, headers=HX if form.htmx else {})
            assert response.status_code < 500, (name, data)
            if _refused(form, response):
                checked["refused"] += 1
                assert form.rows(world) == before, (name, data)
                page = response.content.decode()
                for key in form.kept:
                    value = drawn.get(key)
                    if isinstance(value, str):
                        shown = escape(without_controls(value))
                        assert shown in page, (name, key, value)
            form.invariant(world)
            transaction.set_rollback(True)

    post()
    # The generated input did reach the refusals this test is about.
    assert checked["refused"] > 0 or not form.refuses, name


# --- the rule itself ----------------------------------------------------------------


@FUZZ
@given(text=texts)
def test_visible_length_never_counts_more_than_code_points(text):
    assert 0 <= visible_length(text) <= len(text)
    assert visible_length(text + "a") == visible_length(text) + 1


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("👩‍👩‍👧", 1),
        ("👍🏽", 1),
        ("🇷🇸🇭🇷", 2),
        ("e\u0301", 1),
        ("a\r\nb", 3),
        ("ђак", 3),
        ("1️⃣", 1),
    ],
)
def test_characters_are_counted_as_a_person_sees_them(text, length):
    assert visible_length(text) == length
