from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """A clinic admin's staff and clinic settings pages.

    Above ``patients``: handing a leaving clinician's patients to a colleague
    and the clinic's default session plan are about patients too.
    """

    name = "staff"
    verbose_name = _("Staff")
