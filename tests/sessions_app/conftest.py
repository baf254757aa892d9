import pytest

from sessions_app import services
from sessions_app.models import DialogSession


@pytest.fixture
def start(clinician):
    """``start(patient)``: start (or resume) that patient's session as ``clinician``."""

    def start_for(patient, **kwargs):
        kwargs.setdefault("attendance", DialogSession.Attendance.ALONE)
        return services.session_start(patient=patient, clinician=clinician, **kwargs).session

    return start_for


@pytest.fixture
def session(start, patient):
    """The patient's first session, open at the rating screen."""
    return start(patient)
