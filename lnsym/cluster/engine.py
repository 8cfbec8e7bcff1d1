"""One engine for every campaign: items become Dask ``distributed`` tasks, results come back in order.

``Engine(scheduler=ADDRESS)`` uses an existing cluster (``dask scheduler`` / ``dask worker``); without an
address it starts a ``LocalCluster`` of ``workers`` single-threaded worker processes (default: one per CPU), so
one machine needs no set-up.  :meth:`Engine.map_ordered` submits one task per item and returns the results in
item order, reporting each as it completes.  A task whose worker dies (the scheduler gives up on it:
``KilledWorker``), that raises, or that runs past its budget yields ``failed(item, reason)`` for that item --
never lost, never counted as a success; a task past its budget also gets its worker restarted, so the runaway
computation stops.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from lnsym.errors import LnsymError

Item = TypeVar("Item")
R = TypeVar("R")
GRACE = 30.0  # seconds a task may run past its budget before it is given up


@dataclass
class _Timed(Generic[R]):
    """What a task sends back: its result, or that it ran out of time, and the worker it ran on."""

    result: R | None
    timed_out: bool
    seconds: float
    worker: str


def _run_with_budget(fn: Callable[[Any], R], item: Any, budget: float | None, grace: float = GRACE) -> _Timed[R]:
    """Run ``fn(item)`` on a worker; past ``budget`` + :data:`GRACE` give up waiting (the client then restarts
    this worker, which stops the computation)."""
    from distributed import get_worker

    address = get_worker().address
    start = time.perf_counter()
    if budget is None:
        return _Timed(fn(item), False, time.perf_counter() - start, address)
    box: list[Any] = []

    def target() -> None:
        try:
            box.append(("ok", fn(item)))
        except BaseException as exc:
            box.append(("error", exc))

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(budget + grace)
    if not box:
        return _Timed(None, True, time.perf_counter() - start, address)
    kind, value = box[0]
    if kind == "error":
        raise value
    return _Timed(value, False, time.perf_counter() - start, address)


@dataclass
class Engine:
    """A Dask client on an existing scheduler (``scheduler``) or on a fresh local cluster."""

    scheduler: str | None = None
    workers: int | None = None
    client: Any = field(default=None, init=False)
    cluster: Any = field(default=None, init=False)

    def __enter__(self) -> Engine:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise LnsymError("Dask distributed is not installed (pip install distributed)") from None
        dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.worker.daemon": False})
        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="10s")
            else:
                n = self.workers or os.cpu_count() or 1
                self.cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except OSError as exc:
            self.__exit__(None, None, None)
            raise LnsymError(f"cannot reach the Dask scheduler {self.scheduler or '(local)'}: {exc}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def describe(self) -> str:
        workers = self.client.scheduler_info().get("workers", {}) if self.client else {}
        where = self.scheduler or "a local cluster"
        return f"Dask on {where}, {len(workers)} worker(s)"

    def map_ordered(self, fn: Callable[[Item], R], items: Sequence[Item], *, failed: Callable[[Item, str], R],
                    budget: float | None = None, on_done: Callable[[int, R], None] | None = None,
                    interrupted: Callable[[], bool] = lambda: False, grace: float = GRACE) -> list[R]:
        """``[fn(item) for item in items]`` on the cluster, in order; ``failed(item, reason)`` for an item whose
        task died, raised or ran out of time.  ``on_done(index, result)`` is called as results arrive.
        ``interrupted()`` is polled; when it says so, :class:`KeyboardInterrupt` is raised (tasks cancelled)."""
        from distributed import as_completed

        futures = [self.client.submit(_run_with_budget, fn, item, budget, grace, pure=False) for item in items]
        index = {f.key: k for k, f in enumerate(futures)}
        results: dict[int, R] = {}
        pending = as_completed(futures, with_results=False)
        try:
            while len(results) < len(items):
                batch = pending.next_batch(block=False) if pending.count() else []
                if not batch:
                    if interrupted():
                        raise KeyboardInterrupt
                    time.sleep(0.05)
                    continue
                for fut in batch:
                    k = index[fut.key]
                    results[k] = self._outcome(fut, items[k], failed, budget, grace)
                    if on_done is not None:
                        on_done(k, results[k])
        except KeyboardInterrupt:
            self.client.cancel(futures)
            raise
        return [results[k] for k in range(len(items))]

    def _outcome(self, fut: Any, item: Item, failed: Callable[[Item, str], R], budget: float | None,
                 grace: float) -> R:
        try:
            timed: _Timed[R] = fut.result()
        except Exception as exc:  # KilledWorker (the worker died), or the task raised
            name = type(exc).__name__
            reason = "its worker died (KilledWorker)" if name == "KilledWorker" else f"{name}: {exc}"
            return failed(item, reason)
        if timed.timed_out:
            self.client.restart_workers([timed.worker], raise_for_error=False)
            return failed(item, f"ran past its budget of {budget:g} s (+{grace:g} s) on {timed.worker}")
        return timed.result  # type: ignore[return-value]


def inside_worker() -> bool:
    """Whether this code runs as a Dask task (then nested work goes to the same cluster via ``worker_client``)."""
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return False
    return True


@contextmanager
def engine_for(scheduler: str, workers: int | None = None) -> Iterator[Engine]:
    """An engine on ``scheduler`` ('local': a LocalCluster); inside a task, on the task's own cluster."""
    if inside_worker():
        from distributed import worker_client

        with worker_client() as client:
            engine = Engine(scheduler)
            engine.client = client
            yield engine
        return
    with Engine(None if scheduler == "local" else scheduler, workers) as engine:
        yield engine
