"""`--notify URL`: tell someone how a scheduled run went, with one POST of its JSON summary.

The summary holds no secret by construction (statuses, screen and field names, paths; never a
value), so it may travel to a chat hook or a monitoring system. Delivery is best effort: one
try, a short timeout, and a receiver that is down or answers an error never fails the run; the
summary says whether it was delivered. The URL itself may carry a token (in its path, like a
chat hook's, or its query), so only its scheme, host and port are ever shown.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from robot.browser.launch import endpoint_label
from robot.core.errors import UsageError

TIMEOUT_S = 10.0


def check_url(url: str) -> str:
    """--notify's value: an http(s) URL with a host; UsageError (exit 2) otherwise. The value
    is not echoed: a hook's URL is its password."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            "--notify: must be an http:// or https:// URL with a host and a numeric port if "
            "any, like https://hooks.example.com/crm-robot"
        )
    return url


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
        return f"not delivered to {endpoint_label(url)}: it answered HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"not delivered to {endpoint_label(url)}: {reason}"
    return f"delivered to {endpoint_label(url)} (HTTP {status})"
