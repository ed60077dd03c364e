"""N workers taking billers from one queue, each with its own browser session.

Each worker is a thread with its own Playwright (the sync API binds a Playwright to the thread
that started it) and its own signed-in browser session, opened on first use and opened again
after the browser crashed. A job that raises something unexpected becomes that job's failure
(with its traceback on stderr); the other jobs go on. Ctrl-C stops handing out jobs, lets the
running ones finish and then raises in the caller.
"""

from __future__ import annotations

import queue
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from robot.browser.session import BrowserSession

J = TypeVar("J")
R = TypeVar("R")


class Worker:
    """One worker's browser session, opened lazily."""

    def __init__(self, index: int, open_session: Callable[[], BrowserSession]) -> None:
        self.index = index
        self._open_session = open_session
        self._session: BrowserSession | None = None

    def session(self) -> BrowserSession:
        """The signed-in session; a new one when there is none or the browser crashed."""
        if self._session is not None and self._session.crash:
            self.discard()
        if self._session is None:
            session = self._open_session()
            session.__enter__()  # closes itself when it fails to start
            self._session = session
        return self._session

    def discard(self) -> None:
        """Close the session; the next job opens a fresh one."""
        if self._session is not None:
            self._session.close()
            self._session = None


class Pool(Generic[J, R]):
    """`run(jobs)` hands each job to `handle(worker, job)` and returns the results in job order.

    `failed(job, exc)` turns an unexpected exception into that job's result.
    """

    def __init__(
        self,
        workers: int,
        open_session: Callable[[], BrowserSession],
        handle: Callable[[Worker, J], R],
        failed: Callable[[J, BaseException], R],
    ) -> None:
        self.workers = max(1, workers)
        self._open_session = open_session
        self._handle = handle
        self._failed = failed
        self._stop = threading.Event()

    def run(self, jobs: Sequence[J]) -> list[R]:
        todo: queue.Queue[tuple[int, J]] = queue.Queue()
        for item in enumerate(jobs):
            todo.put(item)
        results: dict[int, R] = {}
        threads = [
            threading.Thread(
                target=self._work, args=(n, todo, results), name=f"worker-{n}", daemon=True
            )
            for n in range(1, min(self.workers, len(jobs)) + 1)
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.5)  # wakes up for Ctrl-C, which only the main thread sees
        except KeyboardInterrupt:
            self._stop.set()
            for thread in threads:
                thread.join()
            raise
        return [results[n] for n in range(len(jobs)) if n in results]

    def _work(self, index: int, todo: queue.Queue[tuple[int, J]], results: dict[int, R]) -> None:
        worker = Worker(index, self._open_session)
        try:
            while not self._stop.is_set():
                try:
                    n, job = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[n] = self._handle(worker, job)
                except Exception as exc:  # one biller's bug must not stop the rest
                    traceback.print_exc(file=sys.stderr)
                    worker.discard()
                    results[n] = self._failed(job, exc)
        finally:
            worker.discard()
