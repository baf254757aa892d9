"""The one table of two-step sign-in the app keeps itself (django-otp keeps the devices)."""

from django.conf import settings
from django.db import models


class EnrolmentCode(models.Model):
    """A set-up code a clinic admin made for a member who has no authenticator app.

    Typed after the password, it lets that sign-in set up an app (see
    ``services.enrolment_code_use``). Only an HMAC of the code is stored; one
    per person (a new one replaces the old), used once, until ``expires_at``.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_code"
    )
    code_hash = models.CharField(max_length=128)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"Set-up code of {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"
