"""The app's settings plus the bench's reference views (bench/urls.py)."""

from dialogplus.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
