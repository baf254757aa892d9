from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The top layer: pages and services that assemble a patient's whole record.

    The patient page, the copy of the record, erasure and the change history
    read (and, for erasure, change) rows of every app below; each of those
    apps offers its own part, and only this one puts them together.
    """

    name = "records"
    verbose_name = _("Records")
