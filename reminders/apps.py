from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Appointments and reminders")

    def ready(self):
        # Imported here: the receiver imports models, which need the app registry.
        from sessions_app.signals import session_finished

        from .receivers import on_session_finished

        # A finished session sets the next appointment and the action reminders.
        session_finished.connect(on_session_finished, dispatch_uid="reminders.session_finished")
