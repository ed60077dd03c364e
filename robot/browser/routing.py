"""Routing the browser's requests through the robot while it posts a form or signs in.

Inside `Router.routed()` each form post to the CRM is sent exactly once (`_post_once`), and each
request away from the CRM goes only where the transport rules let it (robot/core/transport.py).
Page objects post every form inside such a block (pages/saving.py), and robot/browser/signin.py
signs in inside one.

Only inside: Playwright turns Chromium's cache off while any route is set; between posts the
screens load their style sheet and script from the cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from playwright.sync_api import BrowserContext, Route
from playwright.sync_api import Error as PlaywrightError

from robot.browser.launch import routed_requests
from robot.core.transport import request_problem, under


class Router:
    def __init__(self, base_url: str, sso_hosts: Iterable[str], timeout_ms: float) -> None:
        self.base_url = base_url.rstrip("/")
        self.sso_hosts = tuple(sso_hosts)
        self.timeout_ms = timeout_ms
        self.refused: str | None = None  # the first request the transport rules did not let go
        self._routing = False

    @contextmanager
    def routed(self, context: BrowserContext | None) -> Iterator[None]:
        """Requests through the robot inside this block (nested blocks share the outer one)."""
        if self._routing or context is None:
            yield
            return
        pattern = routed_requests(self.base_url)
        context.route(pattern, self._route)
        self._routing = True
        try:
            yield
        finally:
            self._routing = False
            try:
                context.unroute(pattern, self._route)
            except PlaywrightError:
                pass  # the browser is gone: so is the route

    def _route(self, route: Route) -> None:
        if not under(route.request.url, self.base_url):
            self._outside_request(route)
        elif route.request.method == "POST":
            self._post_once(route)
        else:
            route.fallback()

    def _post_once(self, route: Route) -> None:
        """Every form post goes to the CRM exactly once.

        Chromium sends a POST again by itself when a reused connection closes before any answer,
        so a save whose answer was lost would be made twice (two maintenance windows). Posts are
        sent from here instead, never retried; a lost answer reaches the page as a reset
        connection, and the robot reads the screen to see whether the save was stored.
        """
        try:
            response = route.fetch(max_redirects=0, timeout=self.timeout_ms)
        except PlaywrightError:
            route.abort("connectionreset")
            return
        route.fulfill(response=response)

    def _outside_request(self, route: Route) -> None:
        """A request away from the CRM (its company sign-in, a CDN) goes only where the
        transport rules let it; a refused one is remembered, and the sign-in reports it."""
        request = route.request
        problem = request_problem(request.url, request.method, self.sso_hosts)
        if problem is None:
            route.fallback()
            return
        self.refused = self.refused or problem
        route.abort("blockedbyclient")
