"""The SMTP sender over STARTTLS with login and over implicit TLS, against a real
aiosmtpd server on 127.0.0.1 with a certificate the test makes; an untrusted
certificate or a wrong password is refused, never sent in the clear."""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from server.mail.sender import (
    PermanentFailure,
    SmtpConfig,
    TemporaryFailure,
    build_message,
    send,
)
from tests.server.test_mail import Inbox, free_port, wait_for


def make_cert(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp.pem", directory / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def authenticator(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"pst"
        and data.password == b"rahasia-smtp"
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    return make_cert(tmp_path)


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def message(config: SmtpConfig) -> Any:
    return build_message(
        config,
        to="pemohon@example.go.id",
        subject="Uji",
        text="halo",
        html="<p>halo</p>",
        message_id="<t1@loket>",
    )


def test_starttls_with_login(tls_files: tuple[Path, Path]) -> None:
    cert, key = tls_files
    port, inbox = free_port(), Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=server_context(cert, key),
        require_starttls=True, auth_required=True, authenticator=authenticator,
    )  # fmt: skip
    controller.start()
    try:
        config = SmtpConfig(
            host="127.0.0.1",
            port=port,
            security="starttls",
            user="pst",
            password="rahasia-smtp",
            ca_file=str(cert),
        )
        send(config, message(config))
        wait_for(lambda: len(inbox.messages) == 1)
        assert inbox.messages[0]["Subject"] == "Uji"
        wrong = SmtpConfig(
            host="127.0.0.1",
            port=port,
            security="starttls",
            user="pst",
            password="salah",
            ca_file=str(cert),
        )
        with pytest.raises(PermanentFailure, match="535"):
            send(wrong, message(wrong))
        untrusted = SmtpConfig(
            host="127.0.0.1", port=port, security="starttls", user="pst", password="rahasia-smtp"
        )
        with pytest.raises(TemporaryFailure, match="SSLCertVerificationError"):
            send(untrusted, message(untrusted))
        plain = SmtpConfig(host="127.0.0.1", port=port, security="none")
        with pytest.raises((PermanentFailure, TemporaryFailure)):
            send(plain, message(plain))  # the server demands STARTTLS first
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_implicit_tls(tls_files: tuple[Path, Path]) -> None:
    cert, key = tls_files
    port, inbox = free_port(), Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, ssl_context=server_context(cert, key)
    )
    controller.start()
    try:
        config = SmtpConfig(host="127.0.0.1", port=port, security="tls", ca_file=str(cert))
        send(config, message(config))
        wait_for(lambda: len(inbox.messages) == 1)
        assert inbox.messages[0]["To"] == "pemohon@example.go.id"
    finally:
        controller.stop()
