"""What every session screen shares: access, the stage bar, closed-session rules."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import is_clinician
from audit.services import log_access

from .. import active_time
from ..models import STAGE_ORDER, Stage
from ..selectors import areas_for_session, session_get_for_user
from ..services import SessionClosedError


def clinician_session_view(*, open_only=True, logs=None):
    """Decorate a view taking ``code``: only a clinician who may see the patient
    gets the session (everyone else a 404). With ``open_only``, a finished or
    abandoned session sends the user to its summary instead of taking answers,
    also when it closed (another tablet finished it) while this request ran:
    the service then refuses with ``SessionClosedError``, and nothing was changed.
    Every request into an open session moves its clock (active_time.py).

    ``logs`` is the access-log kind a reading (GET) of the page writes, next to
    the check that let the reader in; the session's pages are logged where the
    record is opened, not at every tap or autosave.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, code, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_clinician(request.user):
                raise Http404
            session = session_get_for_user(request.user, code)
            active_time.activity_record(
                session=session, stage=active_time.stage_of_request(request)
            )
            if open_only and not session.is_open:
                if request.method == "POST":
                    messages.info(request, _("This session is closed, so nothing was changed."))
                return redirect("sessions:summary", code=session.code)
            if logs is not None and request.method == "GET":
                log_access(user=request.user, patient=session.patient, kind=logs, session=session)
            try:
                return view(request, session, *args, **kwargs)
            except SessionClosedError:
                messages.info(request, _("This session is closed, so nothing was changed."))
                return closed_answer(request, session)

        return wrapper

    return decorator


def closed_answer(request, session):
    """To the summary; an htmx request is told to load it as a whole page."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("sessions:summary", args=[session.code])
        return response
    return redirect("sessions:summary", code=session.code)


def stage_url(session, stage, areas=None):
    if stage == Stage.STEPS:
        areas = areas if areas is not None else areas_for_session(session)
        if not areas:
            return reverse("sessions:select", args=[session.code])
        return reverse("sessions:area", args=[session.code, areas[0].id])
    names = {
        Stage.REVIEW_ACTIONS: "sessions:review_actions",
        Stage.RATE: "sessions:rate",
        Stage.REVIEW: "sessions:review",
        Stage.SELECT: "sessions:select",
        Stage.SUMMARY: "sessions:summary",
    }
    return reverse(names[stage], args=[session.code])


def stage_bar(session, current, *, has_review=True, areas=None):
    """The progress bar: every stage, which are done, which is on screen.

    Stages up to the furthest one reached are links, so a clinician can go back.
    ``areas``: the session's chosen areas when the caller has them (one query fewer).
    """
    furthest = STAGE_ORDER.index(session.stage)
    bar = []
    for index, stage in enumerate(Stage):
        if stage == Stage.REVIEW_ACTIONS and not has_review:
            continue
        bar.append(
            {
                "label": stage.label,
                "url": stage_url(session, stage, areas) if index <= furthest else None,
                "current": stage == current,
                "done": index < furthest and stage != current,
            }
        )
    return bar


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def own_fields(post, key, names):
    """One object's fields, out of a form that holds several objects.

    htmx posts every field of the surrounding form, so a page listing several
    autosaved objects names each one's fields ``<name>-<key>``; that field wins
    over a bare ``<name>``. A bare name posted more than once belongs to
    several objects and is dropped rather than guessed.
    """
    data = post.copy()
    for name in names:
        keyed = f"{name}-{key}"
        if keyed in post:
            data[name] = post[keyed]
        elif len(post.getlist(name)) > 1:
            del data[name]
    return data


def posted_revision(request, key=None):
    """The revision a form was loaded with, or None when absent or not a plain number.

    With ``key``, the revision of that one object (see ``own_fields``).
    """
    post = own_fields(request.POST, key, ["revision"]) if key is not None else request.POST
    value = post.get("revision", "")
    return int(value) if value.isascii() and value.isdigit() else None
