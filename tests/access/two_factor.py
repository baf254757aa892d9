"""Access-matrix rows for two-factor sign-in and password reset.

The staff personas' clients have passed the second factor (tests/conftest.py
gives each a confirmed authenticator app); the carers have none set up and
need none. Deeper behaviour (codes, throttling, half signed-in sessions) is in
tests/accounts/test_two_factor.py and test_password_reset.py.
"""

from tests.access.common import (
    LOGIN,
    NOT_FOUND,
    OK,
    RedirectTo,
    Row,
    everyone_signed_in,
    expect,
    public,
)

STAFF = ("clinician", "colleague", "clinic_admin", "outsider", "other_admin")
CARERS = ("carer_with_consent", "carer_withdrawn")


def staff_and_carers(staff, carers):
    """Staff (app set up, session verified) get ``staff``; carers (no app) ``carers``."""
    return expect(staff, **dict.fromkeys(CARERS, carers))


WRONG_CODE = {"code": "000000"}

ROWS = [
    # The code page: nothing owed by anyone here, so on to `next` (home).
    Row("accounts:two_factor_verify", everyone_signed_in(RedirectTo("home"))),
    Row(
        "accounts:two_factor_verify",
        everyone_signed_in(RedirectTo("home")),
        method="post",
        data=WRONG_CODE,
    ),
    # Setting up: carers may turn it on; staff already have an app, and a new
    # one needs a current code first (the "replace" page).
    Row(
        "accounts:two_factor_setup",
        staff_and_carers(RedirectTo("accounts:two_factor"), OK),
    ),
    # A wrong code: the form again, with its message.
    Row(
        "accounts:two_factor_setup",
        staff_and_carers(RedirectTo("accounts:two_factor"), OK),
        method="post",
        data=WRONG_CODE,
    ),
    # The set-up code page is for a sign-in that owes a first app and has no
    # grant: nobody here (staff are verified, carers owe nothing), so on to `next`.
    Row("accounts:two_factor_enrolment_code", everyone_signed_in(RedirectTo("home"))),
    Row(
        "accounts:two_factor_enrolment_code",
        everyone_signed_in(RedirectTo("home")),
        method="post",
        data={"code": "00000000"},
    ),
    # No new codes waiting to be shown: back to the settings page.
    Row("accounts:two_factor_backup_codes", everyone_signed_in(RedirectTo("accounts:two_factor"))),
    Row(
        "accounts:two_factor_backup_codes",
        everyone_signed_in(RedirectTo("home")),
        method="post",
    ),
    Row("accounts:two_factor", everyone_signed_in(OK)),
    # Changes that need a current code: only with an app set up.
    *(
        row
        for name in ("accounts:two_factor_new_codes", "accounts:two_factor_replace")
        for row in (
            Row(name, staff_and_carers(OK, RedirectTo("accounts:two_factor"))),
            Row(
                name,
                staff_and_carers(OK, RedirectTo("accounts:two_factor")),
                method="post",
                data=WRONG_CODE,
            ),
        )
    ),
    # Staff must keep it on; carers have nothing to turn off.
    Row("accounts:two_factor_turn_off", everyone_signed_in(RedirectTo("accounts:two_factor"))),
    Row(
        "accounts:two_factor_turn_off",
        everyone_signed_in(RedirectTo("accounts:two_factor")),
        method="post",
        data=WRONG_CODE,
    ),
    # A clinic admin resets a member's second factor: their own clinic only.
    Row(
        "accounts:staff_two_factor_reset",
        expect(NOT_FOUND, clinic_admin=OK),
        kwargs=lambda w: {"pk": w.clinician.pk},
    ),
    # Resetting shows the set-up code to hand over.
    Row(
        "accounts:staff_two_factor_reset",
        expect(NOT_FOUND, clinic_admin=OK),
        kwargs=lambda w: {"pk": w.clinician.pk},
        method="post",
    ),
    Row(
        "accounts:staff_two_factor_reset",
        expect(NOT_FOUND, anonymous=LOGIN),
        kwargs=lambda w: {"pk": w.clinic_admin.pk},
        method="post",
        variant="themselves",
    ),
    # A set-up code for a member without an app: their own clinic's admin only,
    # never for themselves.
    Row(
        "accounts:staff_two_factor_code",
        expect(NOT_FOUND, anonymous=LOGIN, clinic_admin=OK),
        kwargs=lambda w: {"pk": w.colleague.pk},
    ),
    Row(
        "accounts:staff_two_factor_code",
        expect(NOT_FOUND, anonymous=LOGIN, clinic_admin=OK),
        kwargs=lambda w: {"pk": w.colleague.pk},
        method="post",
    ),
    Row(
        "accounts:staff_two_factor_code",
        expect(NOT_FOUND, anonymous=LOGIN),
        kwargs=lambda w: {"pk": w.clinic_admin.pk},
        method="post",
        variant="themselves",
    ),
    # A forgotten password: public pages, the same answer for any address.
    Row("accounts:password_reset", public(OK)),
    Row(
        "accounts:password_reset",
        public(RedirectTo("accounts:password_reset_done")),
        method="post",
        data={"email": "nobody@example.org"},
    ),
    Row("accounts:password_reset_done", public(OK)),
    Row(
        "accounts:password_reset_confirm",
        public(OK),
        kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"},
        variant="bad link",
    ),
    Row("accounts:password_reset_complete", public(OK)),
]
