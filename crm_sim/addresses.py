"""The legacy skin's addresses: an old WebForms CRM keeps its screens at `.aspx` pages with the
biller in the query, not at `/billers/<id>/<screen>`.

A WSGI middleware around the whole CRM: a request for a WebForms address is served by the
route of the CRM's own address, and every address the CRM writes (links, form actions,
redirects) is written the WebForms way. The CRM's own addresses keep working, so the test API
and a test's direct loads are unchanged; a robot that follows the CRM's links sees only the
WebForms addresses.

    /billers/10482/advanced-settings?page=2
        <-> /Biller/advanced-settings.aspx?BillerID=10482&page=2
    /billers/10482/ftp/pdf/3/edit  <->  /Biller/ftp.pdf.3.edit.aspx?BillerID=10482
    /billers                       <->  /BillerSearch.aspx
    /login                         <->  /Account/Login.aspx
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

SEARCH, SIGN_IN = "/BillerSearch.aspx", "/Account/Login.aspx"
_SCREEN = re.compile(r"^/Biller/([\w.-]+)\.aspx$", re.IGNORECASE)
# An address the CRM writes in a page: in an attribute, a redirect, a script's string.
_WRITTEN = re.compile(
    r"""(?<=["'])/(?:billers/(\d+)/([\w/-]+)|billers|login)(\?[^"'#]*)?(?=["'#])"""
)
# A form that gets its answer (the CRM writes method before action).
_GET_FORM = re.compile(
    r"""(<form\b[^>]*method="get"[^>]*action="[^"]*BillerID=(\d+)[^"]*"[^>]*>)"""
)


class WebFormsAddresses:
    """Around the CRM's WSGI app: WebForms addresses in, WebForms addresses out."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        _read_webforms(environ)
        answer: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer.update(status=status, headers=headers, exc_info=exc_info)
            return lambda _data: None  # the body is written below, rewritten

        body = b"".join(self.app(environ, keep))
        headers = [
            (k, _location(v) if k.lower() == "location" else v) for k, v in answer["headers"]
        ]
        if any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
            page = _written(body.decode("utf-8"), "&amp;")
            # A form that gets its answer drops its action's query: the biller goes with it.
            body = _GET_FORM.sub(
                r'\1<input type="hidden" name="BillerID" value="\2">', page
            ).encode()
            headers = [
                (k, str(len(body)) if k.lower() == "content-length" else v) for k, v in headers
            ]
        start_response(answer["status"], headers, answer["exc_info"])
        return [body]


def _read_webforms(environ: Environ) -> None:
    """A WebForms address, served by the CRM's own route."""
    path = environ.get("PATH_INFO", "")
    query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if path.lower() == SEARCH.lower():
        environ["PATH_INFO"] = "/billers"
    elif path.lower() == SIGN_IN.lower():
        environ["PATH_INFO"] = "/login"
    elif (screen := _SCREEN.match(path)) and (biller := _biller(query)):
        environ["PATH_INFO"] = f"/billers/{biller}/{screen[1].replace('.', '/')}"
        rest = [(k, v) for k, v in query if k.lower() != "billerid"]
        environ["QUERY_STRING"] = urlencode(rest)


def _biller(query: list[tuple[str, str]]) -> str | None:
    return next((v for k, v in query if k.lower() == "billerid"), None)


def _location(value: str) -> str:
    """A redirect's address (absolute or not), the WebForms way."""
    parts = urlsplit(value)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
    local = f"{parts.path}?{parts.query}" if parts.query else parts.path
    return origin + _written(f'"{local}"', "&")[1:-1]


def _written(text: str, joint: str) -> str:
    """Every CRM address in `text`, the WebForms way (`joint` joins query parameters)."""

    def webforms(match: re.Match[str]) -> str:
        biller, screen, query = match[1], match[2], (match[3] or "")[1:]
        if biller is None:
            address = SEARCH if match[0].startswith("/billers") else SIGN_IN
            return f"{address}?{query}" if query else address
        address = f"/Biller/{screen.strip('/').replace('/', '.')}.aspx?BillerID={biller}"
        return f"{address}{joint}{query}" if query else address

    return _WRITTEN.sub(webforms, text)
