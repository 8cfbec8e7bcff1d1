"""A watchdog for long proofs: a time budget per routine, progress lines on stderr, and Ctrl-C that works
even inside a solver call.

Z3 installs its own SIGINT handler while it solves, cancels the query and returns ``unknown`` ("interrupted
from keyboard"): the prover would take that for a timeout and go on.  So :func:`start` (called by ``lnsym
verify``) blocks SIGINT in the main thread and a watchdog thread collects it with ``sigtimedwait``; it then
interrupts the running Z3 query (``Z3_interrupt``, the documented way to stop a check from another thread),
asks Bitwuzla's terminator to stop (:func:`stopping`) and raises :class:`KeyboardInterrupt` in the main
thread (``_thread.interrupt_main``).  Worker processes inherit the blocked mask, so a terminal's Ctrl-C
reaches the parent only, which terminates them.

A budget works the same way: when a routine's :func:`routine` region outlives it, the watchdog interrupts
Z3 and raises :class:`BudgetExceeded` in the thread that entered the region
(``PyThreadState_SetAsyncExc``), once per region.  It derives from ``BaseException`` so that no
``except Exception`` on the way swallows it.
"""

from __future__ import annotations

import _thread
import ctypes
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class BudgetExceeded(BaseException):  # like KeyboardInterrupt: not an error of the code
    """A routine's time budget ran out (raised asynchronously in the proving thread)."""


@dataclass
class Activity:
    """What the proving thread is doing, as the watchdog reports it (plain attribute writes: thread-safe)."""

    label: str = ""  # e.g. "[2/5] sha256_block_ce"
    what: str = "starting"
    started: float = 0.0
    budget: float | None = None


class _Watch:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.activity = Activity()
        self.active = False  # a routine region is open
        self.fired = False  # the region's budget exception was raised
        self.thread_id = 0
        self.interrupted = threading.Event()  # Ctrl-C seen
        self.ki_sent = False  # KeyboardInterrupt raised in the main thread (once)
        self.progress_every: float | None = None
        self.sigint = False
        self.thread: threading.Thread | None = None
        self.stop = threading.Event()
        self.last_line = 0.0

    def loop(self) -> None:
        while not self.stop.is_set():
            if self.sigint:
                if signal.sigtimedwait({signal.SIGINT}, 0.1) is not None:
                    self.interrupted.set()
            else:
                self.stop.wait(0.1)
            now = time.perf_counter()
            with self.lock:
                act = self.activity
                if not self.active:
                    continue
                over = act.budget is not None and now - act.started > act.budget
                if self.interrupted.is_set() or (over and self.fired):
                    _z3_interrupt()  # again each tick: an interrupt between two queries reaches no query
                if self.interrupted.is_set():
                    if not self.ki_sent:
                        self.ki_sent = True
                        _thread.interrupt_main()
                elif over and not self.fired:
                    self.fired = True
                    _async_raise(self.thread_id, BudgetExceeded)
                    _z3_interrupt()
            if self.progress_every and now - act.started >= self.progress_every \
                    and now - self.last_line >= self.progress_every:
                self.last_line = now
                print(f"{act.label}: {now - act.started:.0f}s, {act.what}", file=sys.stderr, flush=True)


_watch = _Watch()


def _z3_interrupt() -> None:
    try:
        import z3

        z3.main_ctx().interrupt()
    except Exception:  # pragma: no cover - z3 is a dependency; never let the watchdog die
        pass


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in thread ``thread_id`` at its next bytecode (None: cancel a pending one)."""
    f = ctypes.pythonapi.PyThreadState_SetAsyncExc
    f.argtypes = [ctypes.c_ulong, ctypes.c_void_p]
    f(thread_id, None if exc is None else id(exc))


def start(sigint: bool = False, progress_every: float | None = None) -> None:
    """Start the watchdog (once per process).  ``sigint``: take over Ctrl-C (main thread only; SIGINT is
    blocked in this thread and collected by the watchdog); ``progress_every``: seconds between progress lines."""
    w = _watch
    if progress_every is not None:
        w.progress_every = progress_every
    if sigint and not w.sigint and threading.current_thread() is threading.main_thread():
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        w.sigint = True
    if w.thread is None or not w.thread.is_alive():
        w.stop.clear()
        w.thread = threading.Thread(target=w.loop, name="lnsym-watchdog", daemon=True)
        w.thread.start()


def shutdown() -> None:
    """Stop the watchdog and give SIGINT back to the main thread (a pending one is then delivered)."""
    w = _watch
    w.stop.set()
    w.progress_every = None
    if w.thread is not None:
        w.thread.join()
        w.thread = None
    if w.sigint:
        w.sigint = False
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def interrupted() -> bool:
    """Ctrl-C was pressed (the run is stopping)."""
    return _watch.interrupted.is_set()


def stopping() -> bool:
    """The current work should stop: Ctrl-C, or the open region's budget ran out (a solver terminator)."""
    w = _watch
    return w.interrupted.is_set() or w.fired


def note(what: str) -> None:
    """Record what the proving thread is doing (shown in progress lines and in a budget's verdict)."""
    _watch.activity.what = what


def doing() -> str:
    """The last :func:`note`."""
    return _watch.activity.what


def elapsed() -> float:
    """Seconds since the last region opened."""
    return time.perf_counter() - _watch.activity.started if _watch.activity.started else 0.0


def set_label(label: str) -> None:
    """The routine shown in progress lines (e.g. ``[2/5] sha256_block_ce``)."""
    _watch.activity.label = label


@contextmanager
def routine(budget_s: float | None) -> Iterator[Activity]:
    """A region the watchdog times: after ``budget_s`` seconds :class:`BudgetExceeded` is raised in it
    (callers catch it *around* the ``with``: it may surface while the region closes).  Regions do not nest;
    the caller of a region ended by an exception calls :func:`reset`."""
    w = _watch
    if budget_s is not None or w.progress_every:
        start()
    with w.lock:
        w.activity.started = time.perf_counter()
        w.activity.budget = budget_s
        w.activity.what = "starting"
        w.last_line = w.activity.started
        w.thread_id = threading.get_ident()
        w.fired = False
        w.active = True
    try:
        yield w.activity
    finally:
        reset()


def reset() -> None:
    """Close the open region (idempotent); a budget exception raised but not yet delivered is cancelled."""
    w = _watch
    with w.lock:
        w.active = False
        if w.fired:
            w.fired = False
            _async_raise(w.thread_id, None)
