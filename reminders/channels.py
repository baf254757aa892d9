"""How a reminder leaves the building: email through Django's mail backends,
SMS through a small backend interface chosen by ``SMS_BACKEND``.

Every channel returns the provider's message id and raises ``TransientSendError``
for failures worth retrying (a gateway's 5xx, a timeout, a refused connection)
and ``PermanentSendError`` for the rest (a rejected number).
"""

import abc
import base64
import json
import logging
import smtplib
import uuid
from email.utils import make_msgid
from pathlib import Path
from urllib import error, request

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SendError(Exception):
    """A reminder could not be handed over. The message is shown to admins, so
    it names the failure, never the text or the recipient."""


class TransientSendError(SendError):
    pass


class PermanentSendError(SendError):
    pass


# The name the brief and the task use for SMS gateways; the same class.
TransientSMSError = TransientSendError


def send_email(*, to, subject, body, message_id=None):
    """Send one email; returns its Message-ID.

    A reminder passes the same ``message_id`` on every attempt, so a copy
    handed over twice (a worker that died before recording the first) carries
    the id a mail system can recognise it by.
    """
    message_id = message_id or make_msgid(domain="dialogplus")
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id},
    )
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentSendError("email address refused") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientSendError(f"mail server: {type(exc).__name__}") from exc
    return message_id


class BaseSMSBackend(abc.ABC):
    @abc.abstractmethod
    def send(self, *, to, text, reference):
        """Hand one SMS over; returns the provider's message id.

        ``reference`` is stable per reminder, so a gateway that de-duplicates
        on it never delivers a retried message twice.
        """


class FileSMSBackend(BaseSMSBackend):
    """Development outbox: one JSON file per SMS in ``$DIALOGPLUS_VAR_DIR/outbox/sms``."""

    def send(self, *, to, text, reference):
        folder = Path(settings.VAR_DIR) / "outbox" / "sms"
        folder.mkdir(parents=True, exist_ok=True)
        message_id = f"file-{uuid.uuid4().hex}"
        payload = {
            "id": message_id,
            "to": to,
            "from": settings.SMS_SENDER,
            "text": text,
            "reference": reference,
            "written_at": timezone.now().isoformat(),
        }
        path = folder / f"{timezone.now():%Y%m%d-%H%M%S}-{message_id}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        return message_id


class ConsoleSMSBackend(BaseSMSBackend):
    """Logs each SMS instead of sending it."""

    def send(self, *, to, text, reference):
        message_id = f"console-{uuid.uuid4().hex}"
        logger.info("SMS %s to %s (%s): %s", message_id, to, reference, text)
        return message_id


class HttpGatewaySMSBackend(BaseSMSBackend):
    """POSTs ``{"to", "from", "text", "reference"}`` as JSON to ``SMS_GATEWAY_URL``
    with HTTP basic auth; expects a JSON answer with the message ``id``.

    ``reference`` (``reminder-<id>``) is also sent as the ``Idempotency-Key``
    header: SMS gateways keep such a client reference and answer a repeat with
    the first message's id (or 409 Conflict) instead of sending it again, which
    is what makes a retry after a crash safe (README "Delivery guarantee").
    """

    timeout = 10

    def send(self, *, to, text, reference):
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise PermanentSendError("SMS_GATEWAY_URL is not set")
        body = json.dumps(
            {"to": to, "from": settings.SMS_SENDER, "text": text, "reference": reference}
        ).encode()
        credentials = f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD}"
        req = request.Request(  # noqa: S310 - the URL is the operator's, from settings
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
                "Idempotency-Key": reference,
            },
        )
        try:
            with request.urlopen(req, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except error.HTTPError as exc:
            if exc.code == 409:
                # Already accepted under this reference: delivered once, not again.
                return _duplicate_id(exc, reference)
            if exc.code >= 500 or exc.code == 429:
                raise TransientSendError(f"SMS gateway answered {exc.code}") from exc
            raise PermanentSendError(f"SMS gateway answered {exc.code}") from exc
        except (error.URLError, TimeoutError, ConnectionError) as exc:
            raise TransientSendError("SMS gateway unreachable") from exc
        except ValueError as exc:
            raise TransientSendError("SMS gateway answered no JSON") from exc
        message_id = answer.get("id") or answer.get("message_id")
        if not message_id:
            raise PermanentSendError("SMS gateway answered without a message id")
        return str(message_id)


def _duplicate_id(exc, reference):
    try:
        answer = json.loads(exc.read() or b"{}")
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    message_id = answer.get("id") or answer.get("message_id")
    return str(message_id or f"duplicate:{reference}")


def sms_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(*, to, text, reference):
    return sms_backend().send(to=to, text=text, reference=reference)
