"""A watch list of billers, the run's overview page and its notification, end to end: the real
command against a crm_sim with extra billers, a receiver of notifications on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.scheduled.support import Scheduler
from tests.support.crm_sim_forms import PASSWORD
from tests.support.crm_sim_server import CrmSimServer
from tests.support.sim_plans import sim_biller_id, write_watch_list

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
BILLERS = [sim_biller_id(n) for n in (1, 2, 3)]


class Receiver(ThreadingHTTPServer):
    """A notification receiver: keeps every request body it is sent."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/crm-robot?token=t0k3n"


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        length = int(self.headers.get("Content-Length", "0"))
        assert isinstance(self.server, Receiver)
        self.server.bodies.append(self.rfile.read(length))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return None  # quiet


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_watch_list_run_writes_its_overview_and_notifies_once(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path, receiver: Receiver
) -> None:
    sim = start_crm_sim(extra_billers=3)
    watch = write_watch_list(tmp_path / "watch.csv", 3)
    scheduled = Scheduler(sim, tmp_path / "screenshots", [], tmp_path)
    outcome = scheduled.run("--billers", str(watch), "--workers", "2", "--notify", receiver.url)
    assert outcome.code == 0, outcome.stderr
    assert outcome.statuses() == dict.fromkeys(BILLERS, "baseline")

    page = Path(outcome.summary["overview"])
    assert page.parent.parent == scheduled.out / "scheduled" and page.is_file()
    html = page.read_text()
    for n in (1, 2, 3):
        assert f"Sim Biller {n:03d}" in html
    assert (page.parent / "summary.json").is_file()

    (body,) = receiver.bodies  # exactly one notification per run
    sent = json.loads(body)
    assert [b["biller_id"] for b in sent["billers"]] == BILLERS
    assert PASSWORD not in body.decode()
    assert outcome.summary["notified"].startswith("delivered to http://127.0.0.1:")
    assert "t0k3n" not in outcome.stderr + outcome.summary["notified"]


def test_a_receiver_that_is_down_never_fails_the_run(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    sim = start_crm_sim(extra_billers=1)
    scheduled = Scheduler(sim, tmp_path / "screenshots", [], tmp_path)
    down = Receiver()
    url = down.url
    down.server_close()  # nobody listens there any more
    outcome = scheduled.run(
        "--billers", str(write_watch_list(tmp_path / "w.csv", 1)), "--notify", url
    )
    assert outcome.code == 0, outcome.stderr
    assert outcome.summary["notified"].startswith("not delivered to http://127.0.0.1:")


def test_a_watch_list_with_a_bad_row_is_refused_before_a_browser_opens(
    start_crm_sim: Callable[..., CrmSimServer], tmp_path: Path
) -> None:
    sim = start_crm_sim(extra_billers=1)
    watch = write_watch_list(tmp_path / "watch.csv", 2)
    watch.write_text(watch.read_text().replace("Sim Biller 002,UAT", "Sim Biller 002,TEST"))
    scheduled = Scheduler(sim, tmp_path / "screenshots", [], tmp_path)
    outcome = scheduled.run("--billers", str(watch))
    assert outcome.code == 2
    assert f'{watch}: row 3, column environment: must be "UAT" or "PROD"' in outcome.stderr
    assert not scheduled.out.exists()
