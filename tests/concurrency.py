"""Racing pieces of test code against each other on separate database connections."""

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def race_outcomes(*actions: Callable[[], T]) -> list[T | Exception]:
    """Run each action in its own thread, all released at the same instant; wait for all of them.

    Each thread has its own database connection (closed when it ends), so the actions
    really do compete for rows and locks. Returns, in the order of `actions`, what each
    returned or the exception it raised, for the test to assert on.
    """
    start = threading.Barrier(len(actions))
    outcomes: dict[int, T | Exception] = {}

    def run(index: int, action: Callable[[], T]) -> None:
        try:
            start.wait(timeout=10)
            outcomes[index] = action()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(outcomes) == len(actions), "a racing thread did not finish within 30 s"
    return [outcomes[index] for index in range(len(actions))]


def race(action: Callable[[], None], *, copies: int) -> None:
    """Run `action` in `copies` threads released at the same instant; an exception in any fails the test."""
    for outcome in race_outcomes(*[action] * copies):
        if isinstance(outcome, Exception):
            raise outcome
