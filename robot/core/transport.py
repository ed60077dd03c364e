"""What may carry the robot's keystrokes: the transport rules of crm-robot.

The robot types the CRM password and the RTDR secrets into pages, through a browser that may run
on another machine. So every hop that carries them is encrypted unless it stays on this machine:
the CRM (CRM_BASE_URL), the identity provider (CRM_SSO_HOSTS) and the browser endpoint. A form
may post only to the CRM or to an allowed identity provider; a company's own certificate
authority is trusted through CRM_ROBOT_CA_BUNDLE, never by ignoring certificate errors.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_PEM_CERTIFICATE = re.compile(
    rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL
)
_CERTIFICATE_ERROR = re.compile(r"net::ERR_CERT_[A-Z_]+")


def is_loopback(host: str | None) -> bool:
    """This machine: localhost, or an address of the loopback network (127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_browser_endpoint(raw: str) -> bool:
    """A Playwright browser server (ws://, wss://) or a Chrome DevTools endpoint (http://,
    https://) with a host: what CRM_ROBOT_BROWSER_ENDPOINT and --browser-endpoint take."""
    parts = urlsplit(raw.strip())
    return parts.scheme in ("ws", "wss", "http", "https") and bool(parts.hostname)


def endpoint_transport_problem(raw: str) -> str | None:
    """Why a browser endpoint would carry the robot's keystrokes (passwords, secrets) in clear:
    ws:// or http:// to another machine. None when it is encrypted or on this machine."""
    parts = urlsplit(raw.strip())
    if parts.scheme in ("wss", "https") or is_loopback(parts.hostname):
        return None
    secure = "wss" if parts.scheme == "ws" else "https"
    return (
        f"must be {secure}:// for a browser on another machine: every key the robot types "
        f"(the CRM password, the RTDR secrets) goes through it, and {parts.scheme}:// sends it "
        f"unencrypted (given a {parts.scheme}:// URL to {parts.hostname}); {parts.scheme}:// is "
        "for 127.0.0.1, ::1 or localhost only"
    )


def under(url: str, base_url: str) -> bool:
    """Is `url` a page of the site at `base_url` (the CRM)?"""
    base = base_url.rstrip("/")
    return url == base or url.startswith(f"{base}/")


def host_port(url: str) -> str:
    """`127.0.0.1:8765`: host and port of a URL (the port from the scheme if omitted)."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme in ("https", "wss") else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def host_listed(url: str, entries: Iterable[str]) -> bool:
    """Is the URL's host one of `entries` (host, or host:port; a host alone allows every port)?"""
    host, _, port = host_port(url).rpartition(":")
    for entry in entries:
        entry_host, _, entry_port = entry.partition(":")
        if entry_host == host and entry_port in ("", port):
            return True
    return False


def request_problem(url: str, method: str, sso_hosts: Iterable[str]) -> str | None:
    """Why the browser must not send a request outside the CRM: plain http:// to another machine
    (it could carry a password), or a form post to a host that is neither the CRM nor an
    allowed identity provider. None when the request may go."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return (
            f"the browser was sent to {origin} over plain http://, which would carry the sign-in "
            "unencrypted; the robot refused it. Ask for the identity provider's https:// address"
        )
    if method.upper() == "POST" and not host_listed(url, sso_hosts):
        return (
            f"a form would post to {origin}, which is neither the CRM (CRM_BASE_URL) nor an "
            "identity provider listed in CRM_SSO_HOSTS; the robot refused it. If it is your "
            "company's sign-in, add its host to CRM_SSO_HOSTS"
        )
    return None


def certificate_error(browser_message: str) -> str | None:
    """The browser's certificate error code in its message (net::ERR_CERT_AUTHORITY_INVALID),
    or None when the failure is not about a certificate."""
    found = _CERTIFICATE_ERROR.search(browser_message)
    return found.group(0) if found else None


def bundle_certificates(path: Path) -> list[x509.Certificate]:
    """The PEM certificates of a CA bundle; ValueError saying what is wrong with the file."""
    try:
        blocks = _PEM_CERTIFICATE.findall(path.read_bytes())
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror})") from None
    if not blocks:
        raise ValueError("holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
    try:
        return [x509.load_pem_x509_certificate(block) for block in blocks]
    except ValueError:
        raise ValueError("holds a certificate that cannot be read as PEM") from None


def spki_hashes(path: Path) -> list[str]:
    """Base64 SHA-256 of each certificate's public key: what Chromium's
    --ignore-certificate-errors-spki-list trusts in a chain the CRM presents."""
    hashes = []
    for certificate in bundle_certificates(path):
        der = certificate.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
        hashes.append(base64.b64encode(hashlib.sha256(der).digest()).decode())
    return hashes
