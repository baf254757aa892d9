"""Two-step sign-in: a code from an authenticator app (TOTP) or a backup code.

After the password, anyone who must use a second factor (clinicians, clinic
admins and superusers when DIALOGPLUS_REQUIRE_2FA is on; anyone who turned it
on for themselves) is signed in but not *verified*; ``TwoFactorMiddleware``
keeps such a session on the code or set-up pages until ``django_otp.login``
marks it verified. Password resets never touch the second factor.

A password alone never sets up a first app either: that needs the invitation
link, a password-reset link or a clinic admin's set-up code in the same
browser (``session_state.enrolment_allowed``).
"""
