"""Who a version of the DIALOG wording belongs to: its scope.

For now a scope is a country: the clinics of one country share a validated
wording. A later issue adds organisations; everything that asks "which scope",
"is this version in that scope" or "what is it called" goes through here, so
replacing the country by an organisation changes this module and a migration,
not the services, selectors and views.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.models import Clinic

# The scope of the shared default wording: used where a scope has no
# validated version of its own.
SHARED = ""


@dataclass(frozen=True)
class Scope:
    country: str

    @property
    def is_shared(self):
        return self.country == SHARED

    def lookup(self, prefix=""):
        """Query keyword arguments that select this scope's versions (and, as
        field values, put a new version in this scope)."""
        return {f"{prefix}country": self.country}

    def holds(self, version):
        return version.country == self.country

    @property
    def name(self):
        if self.is_shared:
            return _("Shared default")
        return Clinic.Country(self.country).label

    def clinics(self):
        return Clinic.objects.filter(country=self.country)


SHARED_SCOPE = Scope(SHARED)


def scope_of_clinic(clinic):
    return Scope(clinic.country)


def scope_of_version(version):
    return Scope(version.country)
