"""Data-protection requests: a copy of the record, and erasure.

Who may do what, and why:

* **A copy of the record** (JSON and PDF): the patient's clinicians, who are
  with the patient when they ask, and the clinic admin, who handles written
  requests. The admin reaches a patient only through these pages (found by
  name or code on the search page), never through the clinical ones.
* **Erasure**: the clinic admin only; for everyone else the page is a 404.
  Clinicians see on the patient page that erasure exists and who does it.

Each download and each erasure is written to the access log.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from accounts.mixins import ClinicAdminRequiredMixin
from accounts.selectors import is_clinic_admin
from audit.models import AccessLog
from audit.services import log_access
from dialogplus.languages import LANGUAGES
from dialogplus.pdf import pdf_response
from patients.selectors import patient_get_for_records, patients_search_for_admin

from .erasure import erasure_plan, patient_erase, pseudonym_for
from .export import export_filename, record_export, record_json
from .forms import ErasureConfirmForm, ExportReasonForm, RecordSearchForm


class RecordSearchView(ClinicAdminRequiredMixin, FormView):
    """The clinic admin finds the patient a request is about, by name or code.

    A POST, like the clinicians' search, so a typed name never lands in a URL.
    Nothing is listed before a search: admins do not browse the patients.
    """

    template_name = "patients/records/search.html"
    form_class = RecordSearchForm

    def form_valid(self, form):
        query = form.cleaned_data["q"]
        results = list(patients_search_for_admin(self.request.user, query))
        return self.render_to_response(
            self.get_context_data(form=form, query=query, results=results, searched=True)
        )


def _export_context(user, patient, reason_form=None):
    is_admin = is_clinic_admin(user)
    return {
        "patient": patient,
        "language_name": dict(LANGUAGES).get(patient.language, patient.language),
        "is_admin": is_admin,
        # An admin answers a written request: its reference goes into the access log.
        # Clinicians export with the patient in front of them.
        "reason_form": (reason_form or ExportReasonForm()) if is_admin else None,
    }


class ExportView(LoginRequiredMixin, TemplateView):
    """What a copy of the record holds, with the two downloads."""

    template_name = "patients/records/export.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        patient = patient_get_for_records(self.request.user, kwargs["code"])
        context.update(_export_context(self.request.user, patient))
        return context


def ratings_overview(record, *, per_table=8):
    """The ratings of every session as tables of areas × sessions, for the PDF.

    One small table per ``per_table`` sessions reads as a history (each area
    across the sessions) and lays out far faster than a table per session,
    which made a long record's PDF take many seconds. Each table is
    ``{"sessions": [session, ...], "rows": [{"domain", "cells": [rating or None]}]}``.
    """
    rated = [
        s
        for s in record["sessions"]
        if any(r["value"] is not None or r["needs_help"] is not None for r in s["ratings"])
    ]
    names = {}
    for session in rated:
        for rating in session["ratings"]:
            # The wording of the latest session that asked, in the patient's language.
            names[rating["domain_key"]] = rating["domain"]
    tables = []
    for start in range(0, len(rated), per_table):
        chunk = rated[start : start + per_table]
        by_session = [{r["domain_key"]: r for r in s["ratings"]} for s in chunk]
        rows = [
            {"domain": name, "cells": [ratings.get(key) for ratings in by_session]}
            for key, name in names.items()
        ]
        tables.append({"sessions": chunk, "rows": rows})
    return tables


def _download(request, code, *, as_pdf):
    patient = patient_get_for_records(request.user, code)
    reason = ""
    if is_clinic_admin(request.user):
        form = ExportReasonForm(request.POST)
        if not form.is_valid():
            # The page again, with the message and what was typed; nothing exported.
            context = _export_context(request.user, patient, reason_form=form)
            return render(request, "patients/records/export.html", context, status=422)
        reason = form.cleaned_data["reason"]
    now = timezone.now()
    record = record_export(patient, exported_by=request.user, now=now)
    if as_pdf:
        response = pdf_response(
            "patients/records/export_pdf.html",
            {"record": record, "ratings_tables": ratings_overview(record)},
            language=patient.language,
            filename=export_filename(patient, "pdf", now=now),
            download=True,
        )
    else:
        response = HttpResponse(record_json(record), content_type="application/json")
        filename = export_filename(patient, "json", now=now)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
    # Logged once the copy exists: a failed export is not one.
    log_access(user=request.user, patient=patient, kind=AccessLog.Kind.EXPORT, reason=reason)
    return response


@login_required
@require_POST
def export_json(request, code):
    """The record as a data file (``records.export`` documents its structure)."""
    return _download(request, code, as_pdf=False)


@login_required
@require_POST
def export_pdf(request, code):
    """The record as a readable PDF in the patient's language."""
    return _download(request, code, as_pdf=True)


class ErasureView(LoginRequiredMixin, FormView):
    """The admin sees the retention duty and what will happen, then confirms by
    typing the patient's code. A wrong code changes nothing and says why."""

    template_name = "patients/records/erase.html"
    form_class = ErasureConfirmForm

    @cached_property
    def patient(self):
        return patient_get_for_records(self.request.user, self.kwargs["code"], for_erasure=True)

    @cached_property
    def plan(self):
        return erasure_plan(self.patient)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["patient"] = self.patient
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(patient=self.patient, plan=self.plan, pseudonym=pseudonym_for(self.patient))
        return context

    def post(self, request, *args, **kwargs):
        if not self.plan.has_work:
            messages.info(request, gettext("There is nothing more to erase in this record."))
            return redirect("patients:erase", code=self.patient.code)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        result = patient_erase(patient=self.patient, by=self.request.user)
        if result.pseudonymised and result.text_erased:
            text = gettext(
                "The record is pseudonymised and its clinical notes are erased. "
                "Only the ratings and dates remain."
            )
        elif result.pseudonymised:
            text = gettext(
                "The record is pseudonymised. Nothing in it names the patient or their "
                "carers any more; the clinical content is kept as the law requires."
            )
        elif result.text_erased:
            text = gettext("The clinical notes of this record are erased.")
        else:
            text = gettext("There is nothing more to erase in this record.")
        messages.success(self.request, text)
        return redirect("patients:erase", code=self.patient.code)
