from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.mixins import ClinicAdminRequiredMixin

from . import selectors, services
from .models import Reminder


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
