import pytest

from accounts.models import Clinic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "language"),
    [("BA", "bs"), ("XK", "sq"), ("MK", "mk"), ("ME", "cnr"), ("RS", "sr")],
)
def test_a_new_clinic_speaks_its_countrys_first_language(country, language):
    clinic = Clinic.objects.create(name="New clinic", country=country, time_zone="Europe/Belgrade")

    assert clinic.default_language == language


def test_a_clinics_chosen_language_is_kept():
    clinic = Clinic.objects.create(
        name="New clinic", country="XK", time_zone="Europe/Belgrade", default_language="sr"
    )

    assert clinic.default_language == "sr"
