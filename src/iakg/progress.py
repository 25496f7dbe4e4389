"""Progress on a terminal, silence elsewhere.

Anything that may take more than a second reports its steps through a callback. On a terminal
(stderr is a TTY) the current step shows beside a spinner and the time elapsed since the command
started, ticking; in pipes, CI logs and tests nothing is printed.
"""

from __future__ import annotations

import sys
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
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as shown:
        task = shown.add_task("Starting", total=None)

        def step(message: str) -> None:
            shown.update(task, description=message)

        yield step
