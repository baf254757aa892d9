"""A set-up code for someone no clinic admin can make one for: a superuser.

Whoever runs the server's commands stands in for the clinic admin: the person
types the printed code after their password and then sets up their
authenticator app (accounts.two_factor.services.enrolment_code_use).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.selectors import user_has_two_factor
from accounts.two_factor.services import (
    ENROLMENT_CODE_LIFETIME,
    enrolment_code_create,
    format_backup_code,
)


class Command(BaseCommand):
    help = "Print a one-time code with which a person without an authenticator app sets one up."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No account with the email {email}.")
        if user_has_two_factor(user):
            raise CommandError(f"{user.email} has an authenticator app set up; no code needed.")
        code = enrolment_code_create(user=user, created_by=None)
        hours = int(ENROLMENT_CODE_LIFETIME.total_seconds() // 3600)
        self.stdout.write(
            f"Set-up code for {user.email}: {format_backup_code(code)} "
            f"(works once, for {hours} hours; a new one replaces it)."
        )
