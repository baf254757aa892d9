"""The patient's rating link: rate one session before the appointment, no account.

A link is a random token (``TOKEN_BYTES``, well over 128 bits) in a short URL.
Only its SHA-256 is stored, so the database never holds a working link: the
token exists in what was shown (QR code, short link) or sent (a reminder), and
a reminder makes a fresh one each time it is built. A link opens only the
rating stage of its session, and only while

* it is the session's newest link (a new one revokes the old) and not revoked,
* its day has not ended (the end of the appointment day on the clinic's clock,
  plus ``DIALOGPLUS_RATING_LINK_EXTRA_DAYS``),
* the session is open and nobody has moved it past rating.
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogplus.links import absolute_url

from .models import STAGE_ORDER, DialogSession, RatingLink, Stage
from .services import rating_record, rating_waits_for_help, session_start

# 16 random bytes: 128 bits, 22 URL-safe characters, short enough for an SMS.
TOKEN_BYTES = 16
# The stages a link may still answer: the patient rates before the clinician
# reviews the last actions or the ratings.
RATEABLE_STAGES = (Stage.REVIEW_ACTIONS, Stage.RATE)


class Refusal:
    """Why a token opens nothing (also the access log's and the page's wording)."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"


@dataclass(frozen=True)
class NewLink:
    link: RatingLink
    token: str

    @property
    def url(self):
        return rating_link_url(self.token)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def rating_link_url(token):
    """The short link, on the site's public address (as links in messages are)."""
    path = reverse("rating_link:start", kwargs={"token": token})
    return absolute_url(path)


def _end_of_day(day, tz):
    """The first moment after ``day`` ends on the wall clock of ``tz``, aware."""
    naive = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    # Round-trip through UTC so a midnight in a clock change lands where clocks show it.
    return naive.replace(tzinfo=tz).astimezone(datetime.UTC).astimezone(tz)


def link_day(*, patient, now):
    """The day a link made ``now`` is for: the patient's next appointment today
    or later, else today, on the clinic's calendar."""
    tz = ZoneInfo(patient.clinic.time_zone)
    today = now.astimezone(tz).date()
    start_of_today = _end_of_day(today - datetime.timedelta(days=1), tz)
    # Through the reverse relation: sessions_app does not import reminders.
    next_at = (
        patient.appointments.filter(cancelled_at__isnull=True, starts_at__gte=start_of_today)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return next_at.astimezone(tz).date() if next_at else today


def link_expires_at(*, patient, day):
    """When a link for ``day`` stops: the end of that day on the clinic's
    clock, plus the configured extra days."""
    tz = ZoneInfo(patient.clinic.time_zone)
    extra = datetime.timedelta(days=settings.DIALOGPLUS_RATING_LINK_EXTRA_DAYS)
    return _end_of_day(day + extra, tz)


def rating_link_create(*, patient, created_by, clinician=None, day=None, now=None):
    """A new link for the patient's open session (started now when there is none).

    ``created_by`` is the clinician who made it, or None for a reminder, which
    names the ``clinician`` a new session belongs to; ``day`` is the
    appointment's day (default: ``link_day``). The session's earlier links
    stop working. Refused (ValidationError) once the session is past rating.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = session_start(
            patient=patient,
            clinician=created_by or clinician,
            attendance=DialogSession.Attendance.ALONE,
        ).session
        session = DialogSession.objects.select_for_update().get(pk=session.pk)
        if session.stage not in RATEABLE_STAGES:
            raise ValidationError(
                _("This session's ratings are already being discussed; a link cannot change them."),
                code="past_rating",
            )
        session.rating_links.filter(revoked_at__isnull=True).update(revoked_at=now)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        day = day or link_day(patient=patient, now=now)
        link = RatingLink.objects.create(
            session=session,
            token_hash=token_hash(token),
            created_by=created_by,
            day=day,
            expires_at=link_expires_at(patient=patient, day=day),
        )
    return NewLink(link, token)


def rating_link_revoke(*, session, now=None):
    """Stop the session's links; returns how many were working."""
    return session.rating_links.filter(revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def rating_link_answer(*, link, domain_id, is_last, now=None, **answer):
    """Save one answer given through ``link``, in one transaction.

    The rating (``services.rating_record``, with ``answer``), the time of the
    link's first answer and, when the answer completes the last item
    (``is_last``), that the patient went through the scale: the clinician's
    session then opens on the review. Returns ``(rating, first answer?)``.
    """
    with transaction.atomic():
        saved = rating_record(session=link.session, domain_id=domain_id, **answer)
        first = rating_link_mark_answered(link=link, now=now)
        if is_last and not rating_waits_for_help(
            link.session, saved, skipped=answer.get("skipped", False)
        ):
            rating_link_mark_finished(link=link, now=now)
    return saved, first


def rating_link_mark_answered(*, link, now=None):
    """Note the first answer saved through ``link``; True only the first time."""
    if link.answered_at is not None:
        return False
    link.answered_at = now or timezone.now()
    link.save(update_fields=["answered_at"])
    return True


def rating_link_mark_finished(*, link, now=None):
    """The patient reached the end: the session waits for the discussion."""
    if link.finished_at is None:
        link.finished_at = now or timezone.now()
        link.save(update_fields=["finished_at"])


def rating_link_for_token(token, *, now=None):
    """``(link, refusal)``: the link and ``None`` when it opens its rating stage,
    else the link (None for an unknown token) and a ``Refusal`` value."""
    now = now or timezone.now()
    wanted = token_hash(token)
    link = (
        RatingLink.objects.filter(token_hash=wanted)
        .select_related("session", "session__patient", "session__patient__clinic")
        .select_related("session__scale_version")
        .first()
    )
    # The lookup is by hash, so its timing says nothing about the token; the
    # comparison is constant-time all the same.
    if link is None or not hmac.compare_digest(link.token_hash, wanted):
        return None, Refusal.UNKNOWN
    if link.revoked_at is not None or link.session.patient.pseudonymised_at is not None:
        return link, Refusal.REVOKED
    session = link.session
    if not session.is_open or STAGE_ORDER.index(session.stage) > STAGE_ORDER.index(Stage.RATE):
        return link, Refusal.USED
    if now >= link.expires_at:
        return link, Refusal.EXPIRED
    return link, None


def rating_link_active(session, *, now=None):
    """The session's working link, or None (one query)."""
    now = now or timezone.now()
    if session.stage not in RATEABLE_STAGES or not session.is_open:
        return None
    return (
        session.rating_links.filter(revoked_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )


def rating_link_status(session, *, now=None):
    """For the patient page: the open session's working link, with how many
    items are answered so far, or None (three queries)."""
    link = rating_link_active(session, now=now) if session is not None else None
    if link is None:
        return None
    return {
        "link": link,
        "answered": session.ratings.filter(value__isnull=False).count(),
        "total": session.scale_version.domains.count(),
    }


def ratings_done_by_link(session):
    """Whether the patient went through the whole scale by a link of this session."""
    return session.rating_links.filter(finished_at__isnull=False).exists()
