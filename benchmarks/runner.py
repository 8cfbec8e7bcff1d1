"""Warm, repeated timing of workloads on lnsym and Unicorn, printed as medians with their spread.

Each engine runs a workload once untimed (lnsym compiles its executors, Unicorn translates its blocks) and its
output is checked against the workload's reference; then ``repeat`` timed runs alternate between the engines
(lnsym, Unicorn, lnsym, ...), so a burst of load from elsewhere on the machine hits both, and each pair gives a
ratio.  Unicorn is started as a user would start it, ``emu_start(entry, return address)`` with no instruction
count and no hook; the instruction count is lnsym's, which is the count for Unicorn too: the same code runs on
the same inputs to the same outputs (checked on every run).
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.simd import Outcome, UnicornCall, random_registers, run_lnsym
from benchmarks.workloads import Workload
from lnsym.errors import LnsymError

UNICORN_START = "emu_start(entry, return address): no count, no hook"
COUNTED = "lnsym's count; Unicorn runs the same code on the same inputs to the same outputs"


@dataclass
class Measurement:
    """The timed runs of one workload (seconds per run, in the order run)."""

    workload: Workload
    instructions: int
    lnsym: list[float]
    unicorn: list[float]

    @property
    def slowdowns(self) -> list[float]:
        """lnsym's time over Unicorn's, pair by pair: the N of "1/N"."""
        return [a / b for a, b in zip(self.lnsym, self.unicorn)]


def _lnsym_once(w: Workload, seed: int) -> tuple[Outcome, int]:
    m, regs, buffers = w.state()
    random_registers(m, seed)
    return run_lnsym(m, w.entry, regs, buffers)


def measure(w: Workload, repeat: int, seed: int = 0) -> Measurement:
    """Check ``w`` on both engines (untimed first runs), then time ``repeat`` warm runs of each, alternating."""
    m, regs, buffers = w.state()
    random_registers(m, seed)
    uc = UnicornCall(m, w.entry, regs, buffers)
    ours, steps = _lnsym_once(w, seed)
    w.check(ours)
    ref = uc.run()
    w.check(ref)
    expected = (ours.x0, ours.buffers)
    if (ref.x0, ref.buffers) != expected:
        raise LnsymError(f"{w.routine}: lnsym and Unicorn disagree")
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        again, count = _lnsym_once(w, seed)
        ref = uc.run()
        if count != steps or (again.x0, again.buffers) != expected or (ref.x0, ref.buffers) != expected:
            raise LnsymError(f"{w.routine}: a timed run differs from the checked one")
        times[0].append(again.seconds)
        times[1].append(ref.seconds)
    return Measurement(w, steps, *times)


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, minimum and maximum."""
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def to_json(m: Measurement) -> dict[str, Any]:
    """One workload's row of ``lnsym bench --json``."""
    engines = {}
    for engine, seconds in (("lnsym", m.lnsym), ("unicorn", m.unicorn)):
        engines[engine] = {"seconds": seconds, **summary(seconds),
                           "instructions_per_second": m.instructions / statistics.median(seconds)}
    return {"name": m.workload.name, "routine": m.workload.routine, "instructions": m.instructions,
            "verified_against": m.workload.reference, **engines, "slowdown": summary(m.slowdowns)}


def describe(m: Measurement) -> str:
    """Four lines: the workload, each engine's median time (min - max) and instructions/s, the ratio."""
    w, n = m.workload, len(m.lnsym)
    lines = [f"{w.name}: {w.routine}, {m.instructions:,} instructions, output = {w.reference} on both engines"]
    for engine, seconds in (("lnsym", m.lnsym), ("unicorn", m.unicorn)):
        s = summary(seconds)
        lines.append(f"  {engine:8s} {1e3 * s['median']:12,.3f} ms  ({1e3 * s['min']:,.3f} - {1e3 * s['max']:,.3f})"
                     f"  {m.instructions / s['median']:15,.0f} instr/s")
    s = summary(m.slowdowns)
    lines.append(f"  lnsym/unicorn = 1/{s['median']:.0f}  (1/{s['min']:.0f} - 1/{s['max']:.0f} over {n} paired runs)")
    return "\n".join(lines)


def run_workloads(workloads: Sequence[Workload], repeat: int, header: dict[str, Any], as_json: bool) -> dict[str, Any]:
    """Measure each workload, print a block per workload as it finishes (or one JSON object at the end)."""
    if repeat < 1:
        raise LnsymError(f"--repeat must be at least 1, not {repeat}")
    import unicorn

    header = {**header, "repeat": repeat, "unicorn": unicorn.__version__, "unicorn_start": UNICORN_START,
              "instructions_counted_by": COUNTED}
    if not as_json:
        for key, value in header.items():
            print(f"{key.replace('_', ' ')}: {value}")
        print(f"times: median of {repeat} warm runs per engine (min - max), after one untimed run each\n", flush=True)
    rows = []
    for w in workloads:
        m = measure(w, repeat)
        rows.append(to_json(m))
        if as_json:
            print(f"lnsym bench: {w.name} done", file=sys.stderr, flush=True)
        else:
            print(describe(m), flush=True)
    result = {**header, "workloads": rows}
    if as_json:
        print(json.dumps(result, indent=2))
    return result


def run_openssl(nbytes: int, repeat: int, as_json: bool = False) -> dict[str, Any]:
    """``lnsym bench``: integer SHA-256, SHA256H and AES-128-CTR from OpenSSL over ``nbytes`` each."""
    from benchmarks.workloads import OPENSSL_WORKLOADS, check_size
    from lnsym.load.fetch import openssl_libcrypto

    check_size(nbytes)
    if repeat < 1:
        raise LnsymError(f"--repeat must be at least 1, not {repeat}")
    path = openssl_libcrypto()
    header = {"benchmark": f"real OpenSSL code, {nbytes:,} bytes per workload", "libcrypto": str(path),
              "bytes": nbytes}
    return run_workloads([make(path, nbytes) for make in OPENSSL_WORKLOADS], repeat, header, as_json)
