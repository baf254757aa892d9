from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.mixins import ClinicAdminRequiredMixin, ClinicianRequiredMixin
from accounts.selectors import membership_for_user
from patients.selectors import patient_get_for_user

from . import selectors, services
from .forms import AppointmentForm, ContactPreferenceForm
from .models import ContactChannel, Reminder


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


class PatientFormView(ClinicianRequiredMixin, FormView):
    """A form about one patient of the clinician's clinic; 404 for anyone else's."""

    @cached_property
    def patient(self):
        return patient_get_for_user(self.request.user, self.kwargs["code"])

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


class ContactPreferenceView(PatientFormView):
    """How the patient is reminded, and their consent."""

    form_class = ContactPreferenceForm
    template_name = "reminders/contact_form.html"

    def get_initial(self):
        pref = selectors.contact_preference_for_patient(self.patient)
        if pref is None:
            return {"channel": ContactChannel.SMS}
        return {
            "channel": pref.channel,
            "phone": pref.phone,
            "email": pref.email,
            "consent": pref.consent_to_reminders,
            "opted_out": pref.opted_out_at is not None,
        }

    def save(self, form):
        services.contact_preference_save(
            patient=self.patient, by=self.request.user, **form.cleaned_data
        )

    def success_text(self):
        return _("The contact details are saved.")


class AppointmentView(PatientFormView):
    """Set the next appointment outside a session."""

    form_class = AppointmentForm
    template_name = "reminders/appointment_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["time_zone"] = self.patient.clinic.time_zone
        return kwargs

    def get_initial(self):
        current = selectors.next_appointment_for_patient(self.patient)
        if current is None or current <= timezone.now():
            return {}
        # Naive, on the clinic's clock: the widget shows it as it is.
        local = timezone.localtime(current, timezone=ZoneInfo(self.patient.clinic.time_zone))
        return {"when": local.replace(tzinfo=None)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["time_zone"] = self.patient.clinic.time_zone
        return context

    def save(self, form):
        services.appointment_set(patient=self.patient, when=form.cleaned_data["when"])

    def success_text(self):
        return _("The next appointment is set. Reminders will go out before it.")


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
        )
        return context
