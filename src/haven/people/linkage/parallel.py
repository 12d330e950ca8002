"""Running one step of linkage in a second process while this one does another.

Linkage is pure Python over a list of records that both steps only read. A forked child
sees that list without copying or pickling it; only its result comes back through a pipe.
Where ``fork`` is unavailable, or the child fails (killed for memory, say), the step runs
here instead, so the answer never depends on whether a second process was used.
"""

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """``function()`` started in a forked process; ``result()`` waits for its value. With
    ``fork=False`` it runs here, when ``result()`` is asked for."""

    def __init__(self, function: Callable[[], T], *, fork: bool = True):
        self._function = function
        self._process = self._receiver = None
        if not fork or "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)

        def run() -> None:
            try:
                sender.send((True, function()))
            except BaseException:  # reported to the parent, which then runs it itself
                sender.send((False, traceback.format_exc()))

        self._process = context.Process(target=run, daemon=True)
        self._process.start()
        sender.close()  # the child holds the only sending end: EOF if it dies

    def result(self) -> T:
        if self._process is None:
            return self._function()
        try:
            ok, value = self._receiver.recv()
        except (EOFError, OSError):
            ok, value = False, "the child process ended without a result"
        finally:
            self._receiver.close()
            self._process.join()
        return value if ok else self._function()
