"""The patient's rating link, and the clinician's side of it.

The public pages (``/r/<token>/…``) need no account: the token is the key. They
show the rating stage of one session and nothing else of the record, in the
patient's language, and link to nothing in the app. Wrong tokens are counted
per client address in the cache; past ``LINK_TRIES`` every token, right or
wrong, gets the "too many tries" page until the cool-off ends.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import is_clinician
from accounts.two_factor.qr import qr_svg
from audit.models import AccessLog
from audit.services import log_rating_link
from dialogplus.client_address import client_address
from patients.selectors import patient_get_for_user

from .. import rating_links, services
from .common import clinician_session_view, is_htmx
from .rating import _first_unanswered, _items, answer_tap, item_context

LINK_TRIES = 10
LINK_COOL_OFF_SECONDS = 15 * 60


# --- the patient's pages -------------------------------------------------------------


def _tries_key(request):
    return f"dialogplus:rating-link-tries:{client_address(request) or 'unknown'}"


def _count_wrong_try(request):
    key = _tries_key(request)
    # ``add`` starts the cool-off at the first wrong try; ``incr`` keeps it.
    cache.add(key, 0, LINK_COOL_OFF_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, LINK_COOL_OFF_SECONDS)


def _patient_page(request, template, context, *, language=None, status=200):
    """A page for whoever holds the link: in the patient's language, never cached."""
    with translation.override(language or translation.get_language()):
        response = render(request, template, {"handed_over": True, **context}, status=status)
        response.headers["Content-Language"] = translation.get_language()
    response.headers["Cache-Control"] = "no-store"
    return response


def link_view(view):
    """Resolve the token to its link, or answer the refusal (and count it)."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        if cache.get(_tries_key(request), 0) >= LINK_TRIES:
            minutes = LINK_COOL_OFF_SECONDS // 60
            return _patient_page(
                request, "sessions_app/link_throttled.html", {"minutes": minutes}, status=429
            )
        link, refusal = rating_links.rating_link_for_token(token)
        if refusal is not None:
            _count_wrong_try(request)
            if link is None:
                return _patient_page(request, "sessions_app/link_refused.html", {}, status=404)
            log_rating_link(session=link.session, kind=AccessLog.Kind.RATING_LINK_REFUSED)
            return _patient_page(
                request,
                "sessions_app/link_refused.html",
                {"clinic": link.session.patient.clinic},
                language=link.session.patient.language,
                status=404,
            )
        with translation.override(link.session.patient.language):
            return view(request, link, token, *args, **kwargs)

    return wrapper


def _heading(link):
    """Enough for the patient to know the link is theirs: first name, clinic, day."""
    patient = link.session.patient
    return {
        "first_name": patient.full_name.split()[0] if patient.full_name.strip() else "",
        "clinic": patient.clinic,
        "day": link.day,
    }


def _item_url(token):
    return lambda position: reverse(
        "rating_link:item", kwargs={"token": token, "position": position}
    )


def _render_link_item(request, link, token, items, position, *, status=200, **extra):
    context = item_context(
        link.session,
        items,
        position,
        item_url=_item_url(token),
        done_url=reverse("rating_link:done", kwargs={"token": token}),
    )
    context.update(_heading(link), **extra)
    template = (
        "sessions_app/partials/rate_item.html"
        if is_htmx(request)
        else "sessions_app/link_item.html"
    )
    return _patient_page(request, template, context, status=status)


@link_view
def link_start(request, link, token):
    """Opening the link: logged, then the first question not yet answered."""
    log_rating_link(session=link.session, kind=AccessLog.Kind.RATING_LINK_OPENED)
    position = _first_unanswered(_items(link.session)) or 1
    return redirect("rating_link:item", token=token, position=position)


@link_view
def link_item(request, link, token, position):
    """One question; each tap is saved at once, as on the clinic's tablet."""
    session = link.session
    items = _items(session)
    if not 1 <= position <= len(items):
        raise Http404
    if request.method != "POST":
        # After a skip without htmx: the help question is still asked.
        skipped = request.GET.get("skipped") == "1"
        return _render_link_item(request, link, token, items, position, show_help=skipped)
    first_answer = []

    def record(**answer):
        saved, first = rating_links.rating_link_answer(
            link=link, is_last=position == len(items), **answer
        )
        first_answer.append(first)
        return saved

    try:
        next_position, problem = answer_tap(request, session, items, position, record=record)
    except services.SessionClosedError:
        return redirect("rating_link:start", token=token)
    if problem is not None:
        return _render_link_item(request, link, token, items, position, **problem)
    if any(first_answer):
        log_rating_link(session=session, kind=AccessLog.Kind.RATING_LINK_ANSWERED)
    if next_position <= len(items):
        # Still on the same item: the help question is waiting (after a rating or a skip).
        waiting_for_help = next_position == position
        url = reverse("rating_link:item", kwargs={"token": token, "position": next_position})
        if is_htmx(request):
            response = _render_link_item(
                request, link, token, items, next_position, show_help=waiting_for_help
            )
            if next_position != position:
                response["HX-Push-Url"] = url
            return response
        skipped = waiting_for_help and items[position - 1][1].value is None
        return redirect(f"{url}?skipped=1" if skipped else url)
    url = reverse("rating_link:done", kwargs={"token": token})
    if is_htmx(request):
        response = render(request, "sessions_app/partials/redirect.html", {"url": url})
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@link_view
def link_done(request, link, token):
    """The end: thanks, and the session now waits for the clinician.

    It only reads: the answer that completed the last item marked the link
    finished (``rating_links.rating_link_answer``), so opening this page with
    nothing answered does not send the clinician past rating.
    """
    items = _items(link.session)
    answered = sum(1 for _d, r in items if r is not None and r.value is not None)
    first_unanswered = _first_unanswered(items)
    return _patient_page(
        request,
        "sessions_app/link_done.html",
        {
            **_heading(link),
            "answered": answered,
            "total": len(items),
            "first_unanswered_url": _item_url(token)(first_unanswered)
            if first_unanswered
            else None,
        },
    )


# --- the clinician's side -----------------------------------------------------------


@login_required
def link_create(request, patient_code):
    """Make a link for the patient's next session (starting it when needed) and
    show it once: QR code and short link. The page is the only place it appears."""
    if not is_clinician(request.user):
        raise Http404
    if request.method != "POST":
        # Answered before the lookup: it tells nothing about the patient.
        return HttpResponseNotAllowed(["POST"])
    patient = patient_get_for_user(request.user, patient_code)
    try:
        new = rating_links.rating_link_create(patient=patient, created_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("patients:detail", code=patient.code)
    response = render(
        request,
        "sessions_app/link_created.html",
        {
            "patient": patient,
            "session": new.link.session,
            "link": new.link,
            "url": new.url,
            "qr_code": qr_svg(new.url, title=_("QR code of the rating link")),
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@clinician_session_view()
@require_POST
def link_revoke(request, session):
    if rating_links.rating_link_revoke(session=session):
        messages.success(request, _("The rating link no longer works."))
    return redirect("patients:detail", code=session.patient.code)
