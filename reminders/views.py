from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.mixins import ClinicAdminRequiredMixin, ClinicianRequiredMixin
from accounts.selectors import membership_for_user
from patients.carer_services import carer_language
from patients.mixins import PatientPageMixin, RefusePseudonymisedMixin
from patients.selectors import patient_get_for_user
from sessions_app.selectors import sessions_waiting_for_discussion

from . import optout, selectors, services
from .forms import AppointmentForm, CarerReminderForm, ContactPreferenceForm
from .models import ContactChannel, ContactPreference, Reminder


class DeliveryListView(ClinicAdminRequiredMixin, ListView):
    """What was sent, what waits and what failed, for the admin's clinic."""

    template_name = "reminders/delivery.html"
    context_object_name = "reminders"
    paginate_by = 50

    def status(self):
        status = self.request.GET.get("status", "")
        return status if status in Reminder.Status.values else ""

    def get_queryset(self):
        return selectors.reminders_for_admin(self.request.user, status=self.status())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = selectors.reminder_counts_for_admin(self.request.user)
        context["status"] = self.status()
        context["filters"] = [
            (value, label, counts[value]) for value, label in Reminder.Status.choices
        ]
        context["total"] = sum(counts.values())
        context["retryable"] = (Reminder.Status.FAILED, Reminder.Status.CANCELLED)
        return context


class RetryView(ClinicAdminRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        reminder = selectors.reminder_get_for_admin(request.user, pk)
        services.reminder_retry(reminder=reminder)
        messages.success(request, _("The reminder is queued again and goes out within a minute."))
        status = request.POST.get("status", "")
        target = redirect("reminders:delivery")
        if status in Reminder.Status.values:
            target["Location"] += f"?status={status}"
        return target


class PatientFormView(ClinicianRequiredMixin, PatientPageMixin, RefusePseudonymisedMixin, FormView):
    """A form about one patient of the clinician's clinic; 404 for anyone else's.

    Opening it is an access to the patient's record (the contact details are
    on it), so it is logged (``PatientPageMixin``).
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["patient"] = self.patient
        return context

    def form_valid(self, form):
        try:
            self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text())
        return redirect("patients:detail", code=self.patient.code)


def _preference_initial(pref, *, phone, email):
    if pref is None:
        return {"channel": ContactChannel.SMS, "phone": phone, "email": email}
    return {
        "channel": pref.channel,
        "phone": phone,
        "email": email,
        "consent": pref.consent_to_reminders,
        "opted_out": pref.opted_out_at is not None,
    }


class ContactPreferenceView(PatientFormView):
    """How the patient is reminded, and their consent."""

    form_class = ContactPreferenceForm
    template_name = "reminders/contact_form.html"

    def get_initial(self):
        pref = selectors.contact_preference_for_patient(self.patient)
        return _preference_initial(
            pref, phone=pref.phone if pref else "", email=pref.email if pref else ""
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preference"] = selectors.contact_preference_for_patient(self.patient)
        return context

    def save(self, form):
        services.contact_preference_save(
            patient=self.patient, by=self.request.user, **form.cleaned_data
        )

    def success_text(self):
        return _("The contact details are saved.")


class CarerReminderView(PatientFormView):
    """How one of the patient's carers is reminded of appointments."""

    form_class = CarerReminderForm
    template_name = "reminders/carer_form.html"

    @cached_property
    def carer(self):
        return selectors.carer_get_for_patient(self.patient, self.kwargs["carer_id"])

    def get_initial(self):
        pref = getattr(self.carer, "reminder_preference", None)
        # A carer who signs in is offered their sign-in address.
        email = self.carer.email or (self.carer.user.email if self.carer.user_id else "")
        return _preference_initial(pref, phone=self.carer.phone, email=email)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["carer"] = self.carer
        context["preference"] = getattr(self.carer, "reminder_preference", None)
        return context

    def save(self, form):
        services.carer_preference_save(carer=self.carer, by=self.request.user, **form.cleaned_data)

    def success_text(self):
        return _("The carer's reminder choices are saved.")


class AppointmentView(PatientFormView):
    """Set (or move) the next appointment outside a session, also before a first one."""

    form_class = AppointmentForm
    template_name = "reminders/appointment_form.html"

    @cached_property
    def upcoming(self):
        return services.appointment_upcoming(self.patient)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["time_zone"] = self.patient.clinic.time_zone
        return kwargs

    def get_initial(self):
        if self.upcoming is None:
            return {}
        # Naive, on the clinic's clock: the widget shows it as it is.
        tz = ZoneInfo(self.patient.clinic.time_zone)
        local = timezone.localtime(self.upcoming.starts_at, timezone=tz)
        return {
            "when": local.replace(tzinfo=None),
            "send_rating_link": self.upcoming.send_rating_link,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["time_zone"] = self.patient.clinic.time_zone
        context["upcoming"] = self.upcoming
        return context

    def save(self, form):
        services.appointment_set(
            patient=self.patient,
            when=form.cleaned_data["when"],
            by=self.request.user,
            send_rating_link=form.cleaned_data["send_rating_link"],
        )

    def success_text(self):
        return _("The next appointment is set. Reminders will go out before it.")


class AppointmentCancelView(ClinicianRequiredMixin, View):
    """Cancel the patient's upcoming appointment; its reminders do not go out."""

    http_method_names = ["post"]

    def post(self, request, code):
        patient = patient_get_for_user(request.user, code)
        upcoming = services.appointment_upcoming(patient)
        if upcoming is not None:
            services.appointment_cancel(appointment=upcoming)
            messages.success(
                request, _("The appointment is cancelled. No reminders go out for it.")
            )
        return redirect("patients:detail", code=patient.code)


class AgendaView(ClinicianRequiredMixin, TemplateView):
    """The clinician's next two weeks and the patients who are overdue."""

    template_name = "reminders/agenda.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agenda = selectors.agenda_for_clinician(self.request.user, now=timezone.now())
        context.update(
            clinic=membership_for_user(self.request.user).clinic,
            upcoming=agenda.upcoming,
            overdue=agenda.overdue,
            days=selectors.AGENDA_DAYS,
            waiting=sessions_waiting_for_discussion(self.request.user),
        )
        return context


class OptOutView(View):
    """The page an opt-out link opens: public, in the recipient's language.

    It names no one (whoever holds the phone may read it) and changes nothing
    on GET: link previews and scanners open links; only the button stops the
    reminders.
    """

    http_method_names = ["get", "post"]
    template_name = "reminders/opt_out.html"

    def dispatch(self, request, token):
        preference = optout.preference_for_token(token)
        if preference is None:
            raise Http404
        self.preference = preference
        if isinstance(preference, ContactPreference):
            self.language, self.clinic = preference.patient.language, preference.patient.clinic
        else:
            carer = preference.carer
            self.language, self.clinic = carer_language(carer), carer.patient.clinic
        with translation.override(self.language):
            return super().dispatch(request, token)

    def get(self, request, token):
        response = render(
            request,
            self.template_name,
            {"preference": self.preference, "clinic": self.clinic, "token": token},
        )
        response.headers["Content-Language"] = self.language
        response.headers["Cache-Control"] = "no-store"
        return response

    def post(self, request, token):
        services.opt_out_record(preference=self.preference)
        return redirect("optout:stop", token=token)
