import pytest

from .factories import ContactPreferenceFactory, MemorySMSBackend


@pytest.fixture
def sms(settings):
    """SMS go to memory; ``sms.sent`` lists them, ``sms.failures`` makes the next N fail."""
    settings.SMS_BACKEND = "tests.reminders.factories.MemorySMSBackend"
    MemorySMSBackend.sent = []
    MemorySMSBackend.failures = 0
    yield MemorySMSBackend
    MemorySMSBackend.sent = []
    MemorySMSBackend.failures = 0


@pytest.fixture
def reachable_patient(patient):
    # `patient` (clinic A), who agreed to SMS reminders.
    ContactPreferenceFactory(patient=patient)
    return patient
