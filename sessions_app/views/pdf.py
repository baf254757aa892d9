"""Session summaries as PDF files: the clinician's copy and the carer's copy.

Both are the printable summary (``printing.summary_context``) made into a PDF
in the reader's language, on the clinic's clock, and never cached. The
clinician's copy adds what the clinician may keep in the record: the
comparison with last time, each area's step notes and who attended. The
carer's copy holds only what the patient agreed to share: no notes ever, and
ratings only with ``share_ratings``.

Downloads are logged with ``AccessLog.Kind.PDF`` for both; the log's role
(clinician or carer) tells the two apart, and "PDF" says that a copy left the
app, which a patient asking who saw their record wants to know.
"""

from django.contrib.auth.decorators import login_required
from django.utils import translation
from django.views.decorators.http import require_safe

from accounts.languages import user_language
from audit.models import AccessLog
from audit.services import log_access
from dialogplus.pdf import pdf_response

from ..charts_data import review_rows
from ..selectors import areas_for_carer, carer_shared_session
from .common import clinician_session_view
from .printing import summary_context

TEMPLATE = "sessions_app/pdf/summary.html"


def _rating_rows(session, labels):
    """The ratings table: this time, last time, the change and the trend."""
    rows, scores, previous_scores, history = review_rows(session)
    for row in rows:
        row["label"] = labels.get(row["value"], "")
        row["difference"] = (
            row["value"] - row["previous"]
            if row["value"] is not None and row["previous"] is not None
            else None
        )
        # A trend needs two points; a first session has none to show.
        # Drawn as on the screen: the chart carries its look (chart_style).
        row["spark"] = row["spark"] if len(history) > 1 else ""
    return rows, scores, previous_scores, history


def _area_notes(session, areas):
    """``{area id: [(step title, note)]}`` of the notes written, in step order."""
    titles = {step.number: step.title for step in session.scale_version.steps.all()}
    return {
        area.id: [
            (titles.get(note.step, note.step), note.text)
            for note in sorted(area.notes.all(), key=lambda note: note.step)
            if note.text.strip()
        ]
        for area in areas
    }


def pdf_summary_context(session, *, include_ratings, include_notes, areas=None):
    """What a PDF summary shows; call it in the reader's language.

    Without ``include_notes`` no note text is put in the context at all, so no
    template change can leak it into a carer's copy; pass a carer's ``areas``
    (``areas_for_carer``) and the notes are not even read.
    """
    context = summary_context(session, include_ratings=include_ratings, areas=areas)
    context.update(rating_rows=[], previous_scores=None, history=[], include_notes=include_notes)
    if include_ratings and context["ratings"]:
        rows, scores, previous_scores, history = _rating_rows(session, context["labels"])
        context.update(
            rating_rows=rows, scores=scores, previous_scores=previous_scores, history=history
        )
    notes = _area_notes(session, context["areas"]) if include_notes else {}
    context["area_items"] = [
        {"area": area, "notes": notes.get(area.id, []), "actions": list(area.actions.all())}
        for area in context["areas"]
    ]
    return context


def _summary_download(request, session, context, *, language, role=None):
    """The summary PDF as a download, logged as a copy that left the app."""
    response = pdf_response(
        TEMPLATE,
        context,
        language=language,
        # The opaque code only: a download list must not show whose summary it is.
        filename=f"dialog-{session.code}.pdf",
        download=True,
        time_zone=session.patient.clinic.time_zone,
    )
    log_access(
        user=request.user,
        patient=session.patient,
        kind=AccessLog.Kind.PDF,
        session=session,
        role=role,
    )
    return response


@require_safe
@clinician_session_view(open_only=False)
def summary_pdf(request, session):
    """The clinician's PDF, in the patient's language; the printout's rule applies,
    so an open session can be downloaded too (the document says it may change)."""
    language = session.patient.language
    with translation.override(language):
        context = pdf_summary_context(session, include_ratings=True, include_notes=True)
    return _summary_download(request, session, context, language=language)


@require_safe
@login_required
def carer_summary_pdf(request, code):
    """A carer's PDF of a shared summary: what the carer page shows, in the
    language the carer reads it in. Consent is checked on every request through
    the carer page's own selectors: after a withdrawal this is a 404, like the page."""
    session, links = carer_shared_session(request.user, code)
    language = user_language(request.user, carers=links, fallback=translation.get_language)
    with translation.override(language):
        context = pdf_summary_context(
            session,
            include_ratings=any(link.share_ratings for link in links),
            include_notes=False,
            areas=areas_for_carer(session),
        )
    context.update(for_carer=True, my_carer_ids={link.id for link in links})
    return _summary_download(
        request, session, context, language=language, role=AccessLog.Role.CARER
    )
