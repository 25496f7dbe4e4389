"""Progress on a terminal, silence elsewhere.

Anything that may take more than a second reports its steps through a callback. On a terminal
(stderr is a TTY) the steps show as a spinner with the elapsed time; in pipes, CI logs and tests
nothing is printed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def quiet(_: str) -> None:
    return None


@contextmanager
def progress(enabled: bool | None = None) -> Iterator[Callable[[str], None]]:
    """A callback that shows each step, if stderr is a terminal (or ``enabled``)."""
    show = sys.stderr.isatty() if enabled is None else enabled
    if not show:
        yield quiet
        return
    from rich.console import Console

    console = Console(stderr=True)
    start = time.perf_counter()
    with console.status("Starting") as status:

        def step(message: str) -> None:
            status.update(f"{message} ({time.perf_counter() - start:.1f} s)")

        yield step
