"""A crm_sim server in a subprocess, as the robot meets it: a URL on a free 127.0.0.1 port."""

from __future__ import annotations

import json
import os
import re
import ssl
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from robot.core.server_process import ServerProcess
from tests.support import e2e

# With --sso, the identity provider's URL follows: `... (UAT) sign-in at http://127.0.0.1:NNNN`.
FIRST_LINE = re.compile(
    r"^crm-sim: serving (https?://127\.0\.0\.1:\d+) \((UAT|PROD)\)"
    r"(?: sign-in at (https?://127\.0\.0\.1:\d+))?$"
)
START_TIMEOUT_S = 30.0


class CrmSimError(RuntimeError):
    """The test server did not start or did not answer as expected."""


class CrmSimServer:
    """Start with `start()`, stop with `stop()`; `url`, `state()`, `set_faults()`, `reset()`.

    With `sso`, the CRM signs in through its identity provider at `idp_url` (one process, two
    ports); `totp_seed` makes the provider ask for a one-time code too. With `tls` (a
    certificate chain and its key, tests/support/certificates.py), both serve https; the test
    API is then called trusting `tls_ca`."""

    def __init__(
        self,
        db_path: Path,
        log_path: Path,
        *,
        env: str = "UAT",
        session_idle: float | None = None,
        save_delay_ms: int = 10,
        faults: str = "",
        extra_billers: int = 0,
        skin: str = "default",
        sso: bool = False,
        totp_seed: str | None = None,
        tls: tuple[Path, Path] | None = None,
        tls_ca: Path | None = None,
    ) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self.env = env
        self.args = [
            "--db",
            str(db_path),
            "--env",
            env,
            "--save-delay-ms",
            str(save_delay_ms),
            "--extra-billers",
            str(extra_billers),
        ]
        if session_idle is not None:
            self.args += ["--session-idle", str(session_idle)]
        if faults:
            self.args += ["--faults", faults]
        if skin != "default":
            self.args += ["--skin", skin]
        if sso:
            self.args += ["--sso"]
        if totp_seed is not None:
            self.args += ["--totp-seed", totp_seed]
        if tls is not None:
            self.args += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
        self._ssl = ssl.create_default_context(cafile=tls_ca) if tls_ca else None
        self.url = ""
        self.idp_url = ""
        command = [sys.executable, "-m", "crm_sim", "serve", "--port", "0", "--reset", *self.args]
        self._server = ServerProcess(
            "crm_sim", command, log_path=log_path, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> CrmSimServer:
        e2e.check_may_start("a crm_sim server")
        first = self._server.start(FIRST_LINE, START_TIMEOUT_S)
        self.url, self.idp_url = first.group(1), first.group(3) or ""
        self._wait_healthy()
        return self

    @property
    def first_line(self) -> str:
        return self._server.first_line

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                if self._request("GET", "/api/health") == {"ok": True}:
                    return
            except (OSError, CrmSimError):
                pass
            if time.monotonic() > deadline or self.returncode is not None:
                self.stop()
                raise CrmSimError(
                    f"crm_sim at {self.url} never became healthy; see {self.log_path}"
                )
            time.sleep(0.05)  # polling interval of the health check, not a stand-in for a wait

    @property
    def returncode(self) -> int | None:
        return self._server.returncode

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then wait; returns the exit code."""
        return self._server.stop(timeout)

    def __enter__(self) -> CrmSimServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- test API ----------------------------------------------------------------------------

    def state(self, biller_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self._request("GET", f"/api/state/{biller_id}")
        return found

    def set_faults(self, spec: str) -> None:
        self._request("POST", "/api/faults", {"spec": spec})

    def reset(self) -> None:
        self._request("POST", "/api/reset", {})

    def set_password(self, password: str, username: str = "pm.demo") -> None:
        self._request("POST", f"/api/users/{username}/password", {"password": password})

    def expire_sessions(self) -> int:
        """End every signed-in session as an idle expiry would; returns how many there were."""
        answer: dict[str, int] = self._request("POST", "/api/sessions/expire", {})
        return answer["expired"]

    def sign_ins(self) -> int:
        """How many times someone signed in since the server started."""
        answer: dict[str, int] = self._request("GET", "/api/sessions/sign-ins")
        return answer["sign_ins"]

    def set_provider(self, biller_id: str, private_key: str, password: str) -> None:
        """The RTDR credentials the simulated Spectrum service accepts for a biller."""
        body = {"private_key": private_key, "password": password}
        self._request("POST", f"/api/provider/{biller_id}", body)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=15, context=self._ssl) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise CrmSimError(f"{method} {path} answered {error.code}: {detail}") from None
