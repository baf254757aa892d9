"""Stage 2: the patient rates the eleven items, often holding the tablet.

While handed over, the screens speak the patient's language, show nothing
else of the record, and only the clinician's password takes the tablet back.
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts.handback_pin import pin_matches, pin_usable

from .. import services
from ..forms import RatingTapForm
from ..middleware import handover_code, handover_end, handover_start
from ..models import Rating, Stage
from ..selectors import session_has_actions_to_review
from .common import clinician_session_view, is_htmx, posted_revision, stage_bar

# Wrong passwords and PINs (counted together) on the hand-back screen before
# the tablet signs out: the person holding it is not necessarily the clinician.
HANDBACK_ATTEMPTS = 5
HANDBACK_FAILURES_KEY = "dialogplus_handback_failures"


def _is_handed_over(request, session):
    return handover_code(request) == session.code


def _items(session):
    """The session's domains with their ratings, in scale order (two queries)."""
    ratings = {r.domain_id: r for r in Rating.objects.filter(session=session)}
    domains = list(session.scale_version.domains.all())
    return [(domain, ratings.get(domain.id)) for domain in domains]


def _first_unanswered(items):
    for position, (_domain, rating) in enumerate(items, start=1):
        if rating is None or rating.value is None:
            return position
    return None


def item_context(session, items, position, *, item_url, done_url):
    """What one item's card shows; call it inside the language the card speaks.

    ``item_url(position)`` is an item's address and ``done_url`` the end of the
    scale: the clinician's screens and the patient's rating link differ there.
    """
    domain, rating = items[position - 1]
    # Labels and wording are read here, inside the caller's override:
    # modeltranslation returns the patient's language on a patient's screen.
    labels = [(label.value, label.text) for label in session.scale_version.labels.all()]
    return {
        "session": session,
        "domain": domain,
        "question": domain.question,
        "short_name": domain.short_name,
        "help_question": session.scale_version.help_question,
        "rating": rating,
        "labels": labels,
        "position": position,
        "total": len(items),
        "item_url": item_url(position),
        "dots": [
            {
                "position": index,
                "answered": r is not None and r.value is not None,
                "name": d.short_name,
                "url": item_url(index),
            }
            for index, (d, r) in enumerate(items, start=1)
        ],
        "ask_help": session.ask_help_question,
        "previous_url": item_url(position - 1) if position > 1 else None,
        "next_url": item_url(position + 1) if position < len(items) else done_url,
    }


def _item_url(session):
    return lambda position: reverse("sessions:rate_item", args=[session.code, position])


def _render_item(request, session, items, position, *, status=200, **extra):
    handed_over = _is_handed_over(request, session)
    language = session.patient.language if handed_over else translation.get_language()
    with translation.override(language):
        context = item_context(
            session,
            items,
            position,
            item_url=_item_url(session),
            done_url=reverse("sessions:rate_done", args=[session.code]),
        )
        context.update(
            handed_over=handed_over,
            stages=None
            if handed_over or is_htmx(request)
            else stage_bar(session, Stage.RATE, has_review=session_has_actions_to_review(session)),
            **extra,
        )
        template = (
            "sessions_app/partials/rate_item.html" if is_htmx(request) else "sessions_app/rate.html"
        )
        response = render(request, template, context, status=status)
    return response


def answer_tap(request, session, items, position, *, record):
    """Save the answer tapped on item ``position`` (the clinician's screens and
    the patient's rating link both post here, through ``RatingTapForm``):
    ``(next position, None)``,
    one past the last item at the end of the scale, or ``(None, problem)``
    with what the item's card must show again (its status and message).

    ``record(domain_id=..., expected_revision=..., skipped=..., **answer)`` is the one
    service call that saves it (the clinic's tablet and the rating link save
    different things with an answer) and returns the stored rating.

    Stay on an item until it is complete: a rating or a skip, then (if asked)
    the help answer.
    """
    domain = items[position - 1][0]
    expected = posted_revision(request)
    form = RatingTapForm(request.POST, session=session, domain=domain)
    if not form.is_valid():
        # Nothing is stored: the card shows the stored answer and what was wrong.
        return None, {"status": 422, "error": form.error_text()}
    # A patient who would rather not rate an item may still want more help with
    # it: a skip asks the help question too; skipping that as well ("again")
    # moves on.
    skipped = form.just_skipped
    try:
        saved = record(
            domain_id=domain.id, expected_revision=expected, skipped=skipped, **form.answer()
        )
    except services.EditConflictError as exc:
        return None, {"status": 409, "conflict": exc.current, "mine": request.POST.get("value")}
    except ValidationError as exc:
        return None, {
            "status": 422,
            "error": " ".join(exc.messages),
            "posted_value": request.POST.get("value", ""),
        }
    items[position - 1] = (domain, saved)
    waiting_for_help = services.rating_waits_for_help(session, saved, skipped=skipped)
    return (position if waiting_for_help else position + 1), None


@clinician_session_view()
def rate_start(request, session):
    """The first item not yet answered (the stage moves with the answers, not here)."""
    items = _items(session)
    position = _first_unanswered(items)
    if position is None:
        return redirect("sessions:rate_done", code=session.code)
    return redirect("sessions:rate_item", code=session.code, position=position)


@clinician_session_view()
def rate_item(request, session, position):
    """One item: tap a rating (saved at once), then the help question, then the next.

    With htmx the next item's card replaces this one; without it, the same form
    posts and redirects. Either way each tap is stored before anything else.
    """
    items = _items(session)
    if not 1 <= position <= len(items):
        raise Http404
    if request.method != "POST":
        # After a skip without htmx: the help question is still asked.
        skipped = request.GET.get("skipped") == "1"
        return _render_item(request, session, items, position, show_help=skipped)

    handed_over = _is_handed_over(request, session)
    # The clinician is holding the tablet: the answer that completes the last
    # item moves the session on to the review, which shows any skipped item
    # (one tap fewer per session).
    advance_to = Stage.REVIEW if position == len(items) and not handed_over else None

    def record(**answer):
        return services.rating_record(session=session, advance_to=advance_to, **answer)

    next_position, problem = answer_tap(request, session, items, position, record=record)
    if problem is not None:
        return _render_item(request, session, items, position, **problem)
    # Still on the same item: the help question is waiting (after a rating or a skip).
    waiting_for_help = next_position == position
    saved = items[position - 1][1]
    if next_position > len(items):
        if handed_over:
            url = reverse("sessions:rate_done", args=[session.code])
        else:
            url = reverse("sessions:review", args=[session.code])
        if is_htmx(request):
            response = render(request, "sessions_app/partials/redirect.html", {"url": url})
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    if is_htmx(request):
        response = _render_item(request, session, items, next_position, show_help=waiting_for_help)
        if next_position != position:
            response["HX-Push-Url"] = reverse(
                "sessions:rate_item", args=[session.code, next_position]
            )
        return response
    url = reverse("sessions:rate_item", args=[session.code, next_position])
    return redirect(f"{url}?skipped=1" if waiting_for_help and saved.value is None else url)


@clinician_session_view()
def rate_done(request, session):
    """End of the scale: the patient hands back, or the clinician goes on to review."""
    items = _items(session)
    answered = sum(1 for _d, r in items if r is not None and r.value is not None)
    handed_over = _is_handed_over(request, session)
    if request.method == "POST" and not handed_over:
        services.session_advance(session=session, stage=Stage.REVIEW)
        return redirect("sessions:review", code=session.code)
    language = session.patient.language if handed_over else translation.get_language()
    with translation.override(language):
        return render(
            request,
            "sessions_app/rate_done.html",
            {
                "session": session,
                "answered": answered,
                "total": len(items),
                "first_unanswered": _first_unanswered(items),
                "handed_over": handed_over,
            },
        )


@require_POST
@clinician_session_view()
def handover(request, session):
    """Hand the tablet to the patient: from here only the rating screens show."""
    handover_start(request, session.code)
    request.session.pop(HANDBACK_FAILURES_KEY, None)
    services.session_advance(session=session, stage=Stage.RATE)
    return redirect("sessions:rate", code=session.code)


def _handback_check(request, session, *, use_pin):
    """None if what was typed takes the tablet back, else what to tell the person.

    The PIN is the signed-in clinician's own (accounts.handback_pin), and only
    while their clinic allows PINs; the password always works.
    """
    if use_pin:
        clinic = session.patient.clinic
        if pin_matches(request.user, clinic, request.POST.get("pin", "")):
            return None
        if not pin_usable(request.user, clinic):
            return _("A PIN does not take this tablet back. Enter your password.")
        return _("That PIN is not right. Only the clinician can take the tablet back.")
    if request.user.check_password(request.POST.get("password", "")):
        return None
    return _("That password is not right. Only the clinician can take the tablet back.")


# Error reports never carry what was typed.
@sensitive_post_parameters("pin", "password")
@clinician_session_view(open_only=False)
def handback(request, session):
    """Take the tablet back: the clinician's PIN or password ends the patient view.

    Wrong PINs and wrong passwords count together towards signing out.
    """
    code = handover_code(request)
    if code is None:
        return redirect("sessions:resume", code=session.code)
    if code != session.code:
        return redirect("sessions:handback", code=code)
    error = None
    pin_offered = pin_usable(request.user, session.patient.clinic)
    use_pin = pin_offered and request.GET.get("with") != "password"
    if request.method == "POST":
        posted_pin = "pin" in request.POST
        error = _handback_check(request, session, use_pin=posted_pin)
        if error is None:
            handover_end(request)
            request.session.pop(HANDBACK_FAILURES_KEY, None)
            if session.is_open:
                services.session_advance(session=session, stage=Stage.REVIEW)
                return redirect("sessions:review", code=session.code)
            return redirect("sessions:summary", code=session.code)
        failures = request.session.get(HANDBACK_FAILURES_KEY, 0) + 1
        request.session[HANDBACK_FAILURES_KEY] = failures
        if failures >= HANDBACK_ATTEMPTS:
            # Everything is saved; signing out protects the record from guessing.
            logout(request)
            if pin_offered:
                message = _("Too many wrong tries. Signed out; the answers are saved.")
            else:
                message = _("Too many wrong passwords. Signed out; the answers are saved.")
            messages.warning(request, message)
            return redirect("accounts:login")
        # The wrong answer is asked for again the same way.
        use_pin = posted_pin and pin_offered
    return render(
        request,
        "sessions_app/handback.html",
        {
            "session": session,
            "error": error,
            "use_pin": use_pin,
            "pin_offered": pin_offered,
        },
        status=422 if error else 200,
    )
