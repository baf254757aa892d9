import pytest
from axes.utils import reset


@pytest.fixture(autouse=True)
def axes_clean(settings):
    """Lockout tests run with django-axes on and start and end with no attempts."""
    settings.AXES_ENABLED = True
    reset()
    yield
    reset()
