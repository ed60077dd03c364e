"""One way to try again: how many tries, which faults are worth another, what happens in between.

Every retry loop of crm-robot is a `Retry` and goes through `Retry.run`: a conversion step and
the run's sign-in, safety checks and History reads (robot/run/), a screen the capture opens
again (robot/capture/screens.py), a scheduled capture started again (robot/scheduled/run.py).
The policy knows no Playwright and no CRM: what a fault means is said by its callbacks.

Between two tries, in this order:
1. `on_fault`: after every fault worth another try, the last one too; it may raise to stop
   trying (a crashed browser is no CRM fault) or note what it needs (what the screen showed).
2. `progressed`: True when the failed try still got somewhere (it saved something); the budget
   then counts the faults in a row from this one.
3. after the last try the fault is raised as it is;
4. `announce`: progress and journal (`retry` events), only when another try follows;
5. `prepare`: ready the next try (leave the page, sign in again);
6. the pause of `pauses_s`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from robot.core.errors import TransientCrmError

T = TypeVar("T")
E = TypeVar("E", bound=Exception)


@dataclass(frozen=True)
class Fault(Generic[E]):
    """One failed try that another try may mend: the error, which try it was, of how many."""

    error: E
    attempt: int
    tries: int

    @property
    def last(self) -> bool:
        return self.attempt >= self.tries


def _nothing(_fault: Fault[E]) -> None:
    return None


@dataclass(frozen=True)
class Retry(Generic[E]):
    tries: int  # tries in all, the first included
    retry_on: tuple[type[E], ...]  # the faults worth another try...
    never: tuple[type[Exception], ...] = ()  # ...except these (subclasses that another try shows)
    pauses_s: tuple[float, ...] = ()  # before the 2nd, 3rd... try; the last one repeats
    on_fault: Callable[[Fault[E]], None] = _nothing
    progressed: Callable[[], bool] | None = None
    announce: Callable[[Fault[E]], None] = _nothing
    prepare: Callable[[Fault[E]], None] = _nothing

    def run(self, action: Callable[[int], T]) -> T:
        """`action(attempt)` until it returns; attempt counts from 1 (again after progress)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return action(attempt)
            except self.retry_on as exc:
                if isinstance(exc, self.never):
                    raise
                self.on_fault(Fault(exc, attempt, self.tries))
                if self.progressed is not None and self.progressed():
                    attempt = 1
                fault = Fault(exc, attempt, self.tries)
                if fault.last:
                    raise
                self.announce(fault)
                self.prepare(fault)
                self._pause(attempt)

    def _pause(self, attempt: int) -> None:
        if not self.pauses_s:
            return
        # A real pause, and the robot's only one: a transient CRM fault (a timeout, an HTTP 500,
        # a dropped connection) gives nothing to wait on, since a real CRM has no health endpoint
        # to poll, so the next try comes after a short pause that grows with each try.
        time.sleep(self.pauses_s[min(attempt - 1, len(self.pauses_s) - 1)])


# A transient CRM fault (timeout, HTTP 500, dropped connection, expired session): three tries,
# each starting again from a fresh read, never by replaying a click.
TRANSIENT_CRM_FAULT: Retry[TransientCrmError] = Retry(
    tries=3, retry_on=(TransientCrmError,), pauses_s=(0.5, 1.5)
)
