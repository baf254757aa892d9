from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo clinics, people and sessions of ``make run`` (``seed_demo``).

    On top of every other app: the demo fills all of them, and nothing imports it.
    """

    name = "demo"
    verbose_name = _("Demo data")
