"""Racing one piece of test code against itself on separate database connections."""

import threading
from collections.abc import Callable

from django.db import connection


def race(action: Callable[[], None], *, copies: int) -> None:
    """Run `action` in `copies` threads released at the same instant; wait for all of them.

    Each thread has its own database connection (closed when it ends), so the copies
    really do compete for rows and locks.
    """
    start = threading.Barrier(copies)

    def run() -> None:
        try:
            start.wait()
            action()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
