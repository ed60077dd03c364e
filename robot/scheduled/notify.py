"""`--notify URL`: tell someone how a scheduled run went, with one POST of its JSON summary.

The summary holds no secret by construction (statuses, screen and field names, paths; never a
value), so it may travel to a chat hook or a monitoring system. Delivery is best effort: one
try, a short timeout, and a receiver that is down or answers an error never fails the run; the
summary says whether it was delivered. The URL itself may carry a token, so only its scheme,
host and path are ever shown.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from robot.core.errors import UsageError

TIMEOUT_S = 10.0


def check_url(url: str) -> str:
    """--notify's value: an http(s) URL with a host; UsageError (exit 2) otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--notify: {shown(url)!r} is not an http:// or https:// URL with a host, like "
            "https://hooks.example.com/crm-robot"
        )
    return url


def shown(url: str) -> str:
    """The URL without what may be secret in it: user, password, query and fragment."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}{parts.path}"


def post_summary(url: str, body: bytes, timeout_s: float = TIMEOUT_S) -> str:
    """POST `body` (JSON) once; a sentence saying whether it was delivered."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "crm-robot"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as answer:  # noqa: S310
            status = answer.status
    except urllib.error.HTTPError as exc:
        return f"not delivered to {shown(url)}: it answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"not delivered to {shown(url)}: {reason}"
    return f"delivered to {shown(url)} (HTTP {status})"
