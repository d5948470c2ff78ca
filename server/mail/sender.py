"""Send one message over SMTP (plain, STARTTLS or TLS; optional login) with a timeout.

:func:`send` raises :class:`TemporaryFailure` when trying again later may help
(server down, hanging, 4xx) and :class:`PermanentFailure` when it will not
(5xx refusal of sender, recipient or content). The reason never contains the
recipient's address.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate


class TemporaryFailure(Exception):
    """Sending failed for now; retry with backoff."""


class PermanentFailure(Exception):
    """The server refused the message; retrying will not help."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "starttls"  # none | starttls | tls
    user: str = ""
    password: str = ""
    sender: str = "loket@localhost"
    timeout: float = 15.0
    ca_file: str = ""

    def tls_context(self) -> ssl.SSLContext:
        """Certificate-checking TLS (the office's own CA bundle when one is given)."""
        return ssl.create_default_context(cafile=self.ca_file or None)


def build_message(
    config: SmtpConfig, *, to: str, subject: str, text: str, html: str, message_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"SMTP {exc.smtp_code}: {detail}"[:400]
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        return f"recipient refused (SMTP {', '.join(map(str, codes))})"
    return f"{type(exc).__name__}: {exc}"[:400]


def send(config: SmtpConfig, message: EmailMessage) -> None:
    """Deliver ``message``; raises TemporaryFailure or PermanentFailure."""
    try:
        if config.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host,
                config.port,
                timeout=config.timeout,
                context=config.tls_context(),
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            if config.security == "starttls":
                client.starttls(context=config.tls_context())
            if config.user:
                client.login(config.user, config.password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        temporary = all(400 <= code < 500 for code, _ in exc.recipients.values())
        raise (TemporaryFailure if temporary else PermanentFailure)(_reason(exc)) from None
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500:
            raise TemporaryFailure(_reason(exc)) from None
        raise PermanentFailure(_reason(exc)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(_reason(exc)) from None
