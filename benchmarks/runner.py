"""Warm, repeated timing of workloads on lnsym and Unicorn, printed as medians with their spread.

Each engine runs a workload once untimed (lnsym compiles its executors, Unicorn translates its blocks) and its
output is checked against the workload's reference; then ``repeat`` timed runs alternate between the engines
(lnsym, Unicorn, lnsym, ...), so a burst of load from elsewhere on the machine hits both, and each pair gives a
ratio.  Unicorn is started as a user would start it, ``emu_start(entry, return address)`` with no instruction
count and no hook; the instruction count is lnsym's, which is the count for Unicorn too: the same code runs on
the same inputs to the same outputs (checked on every run).

Times are the CPU time of the running thread (``time.thread_time``): both engines run in this thread, and on a
shared machine the wall clock also counts the time other processes held the CPU (a scheduler tick of 4 ms is
more than a whole Unicorn run, which made wall-clock medians bimodal).  Wall-clock times are reported beside.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from benchmarks.simd import Outcome, UnicornCall, random_registers, run_lnsym
from benchmarks.workloads import Workload
from lnsym.errors import LnsymError

UNICORN_START = "emu_start(entry, return address): no count, no hook"
COUNTED = "lnsym's count; Unicorn runs the same code on the same inputs to the same outputs"


ENGINES = ("lnsym", "unicorn")


@dataclass
class Measurement:
    """The timed runs of one workload: per engine, CPU and wall-clock seconds of each run, in the order run."""

    workload: Workload
    instructions: int
    cpu: dict[str, list[float]]
    wall: dict[str, list[float]]

    def slowdowns(self, times: dict[str, list[float]]) -> list[float]:
        """lnsym's time over Unicorn's, pair by pair: the N of "1/N"."""
        return [a / b for a, b in zip(times["lnsym"], times["unicorn"])]


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
    result = Measurement(w, steps, {e: [] for e in ENGINES}, {e: [] for e in ENGINES})
    for _ in range(repeat):
        again, count = _lnsym_once(w, seed)
        ref = uc.run()
        if count != steps or (again.x0, again.buffers) != expected or (ref.x0, ref.buffers) != expected:
            raise LnsymError(f"{w.routine}: a timed run differs from the checked one")
        for engine, out in zip(ENGINES, (again, ref)):
            result.cpu[engine].append(out.cpu)
            result.wall[engine].append(out.seconds)
    return result


def summary(values: Sequence[float]) -> dict[str, float]:
    """Median, minimum and maximum."""
    return {"median": median(values), "min": min(values), "max": max(values)}


def to_json(m: Measurement) -> dict[str, Any]:
    """One workload's row of ``lnsym bench --json``."""
    engines = {}
    for engine in ENGINES:
        cpu, wall = m.cpu[engine], m.wall[engine]
        engines[engine] = {"cpu_seconds": cpu, **summary(cpu), "instructions_per_second": m.instructions / median(cpu),
                           "wall_seconds": wall, "wall": summary(wall)}
    return {"name": m.workload.name, "routine": m.workload.routine, "instructions": m.instructions,
            "verified_against": m.workload.reference, **engines, "slowdown": summary(m.slowdowns(m.cpu)),
            "wall_slowdown": summary(m.slowdowns(m.wall))}


def describe(m: Measurement) -> str:
    """Four lines: the workload; each engine's median CPU time (min - max), instructions/s and median wall time;
    the ratio lnsym/Unicorn (CPU, then wall clock)."""
    w, n = m.workload, len(m.cpu["lnsym"])
    lines = [f"{w.name}: {w.routine}, {m.instructions:,} instructions, output = {w.reference} on both engines"]
    for engine in ENGINES:
        s = summary(m.cpu[engine])
        lines.append(f"  {engine:8s} {1e3 * s['median']:11,.3f} ms cpu ({1e3 * s['min']:,.3f} - {1e3 * s['max']:,.3f})"
                     f" {m.instructions / s['median']:14,.0f} instr/s   wall {1e3 * median(m.wall[engine]):,.3f} ms")
    s, wall = summary(m.slowdowns(m.cpu)), median(m.slowdowns(m.wall))
    lines.append(f"  lnsym/unicorn = 1/{s['median']:.0f}  (1/{s['min']:.0f} - 1/{s['max']:.0f} over {n} paired runs;"
                 f" wall clock 1/{wall:.0f})")
    return "\n".join(lines)


def run_workloads(workloads: Sequence[Workload], repeat: int, header: dict[str, Any], as_json: bool) -> dict[str, Any]:
    """Measure each workload, print a block per workload as it finishes (or one JSON object at the end)."""
    if repeat < 1:
        raise LnsymError(f"--repeat must be at least 1, not {repeat}")
    import unicorn

    times = (f"CPU time of the thread, median of {repeat} warm runs per engine (min - max) after one untimed run"
             " each; wall clock beside")
    header = {**header, "repeat": repeat, "unicorn": unicorn.__version__, "unicorn_start": UNICORN_START,
              "instructions_counted_by": COUNTED, "times": times}
    if not as_json:
        for key, value in header.items():
            print(f"{key.replace('_', ' ')}: {value}")
        print(flush=True)
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
