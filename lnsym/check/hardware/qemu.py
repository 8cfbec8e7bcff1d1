"""``lnsym conform qemu``: the whole campaign here, with ``qemu-aarch64 -cpu max`` standing in for hardware.

In chunks (so that a 10^6-test campaign needs one chunk's disk at a time): generate the tests, build the harness
with ``aarch64-linux-gnu-gcc -static``, run it under qemu-user, replay the trace and add to one summary.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lnsym.check.hardware.generate import generate, write_harness
from lnsym.check.hardware.replay import Summary, Verdict, judge
from lnsym.check.hardware.report import replay_json, replay_table, totals_line
from lnsym.check.hardware.trace import read_trace
from lnsym.errors import LnsymError

COMPILER, EMULATOR = "aarch64-linux-gnu-gcc", "qemu-aarch64"


def missing_tools() -> list[str]:
    """The cross compiler and emulator this campaign needs and this machine lacks."""
    return [tool for tool in (COMPILER, EMULATOR) if shutil.which(tool) is None]


def record_trace(directory: Path, timeout: float = 3600) -> Path:
    """Build the harness in ``directory`` and run it under qemu; the trace's path."""
    commands = [["make", "-s", "-C", str(directory), "trace.jsonl", f"CC={COMPILER}", f"RUN={EMULATOR} -cpu max"]]
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise LnsymError(f"recording the trace in {directory} failed: {last}")
    return directory / "trace.jsonl"


def campaign(args: argparse.Namespace) -> int:
    """Run the chunks; print mismatches as they come, then the summary.  0 iff nothing mismatched."""
    lacking = missing_tools()
    if lacking:
        raise LnsymError(f"{' and '.join(lacking)} not found (Debian: apt-get install gcc-aarch64-linux-gnu qemu-user)")
    if args.count < 0 or args.sequences < 0 or args.chunk <= 0:
        raise LnsymError("--count and --sequences must not be negative, --chunk must be positive")
    summary, mismatches = Summary(), []
    started = time.perf_counter()
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="lnsym-conform-"))
    try:
        total = args.count + args.sequences
        for start in range(0, total, args.chunk):
            singles = max(0, min(args.chunk, args.count - start))
            sequences = min(args.chunk - singles, total - start - singles)
            records = generate(args.forms, singles, args.seed * 1_000_003 + start, sequences, first_id=start,
                               first_pattern=start)
            directory = root / f"chunk-{start // args.chunk:05d}"
            write_harness(directory, records)
            trace = record_trace(directory)
            for machine, rec in read_trace(trace):
                if not summary.machines:
                    summary.machines.append(machine)
                verdict = judge(machine, rec)
                summary.add(verdict)
                if verdict.status == "mismatch":
                    mismatches.append(verdict)
                    if not args.json:
                        _print_mismatch(verdict, trace)
            if not args.keep:
                shutil.rmtree(directory)
            sys.stdout.flush()
            print(f"chunk {start // args.chunk + 1}: {min(start + args.chunk, total)}/{total} tests, "
                  f"{summary.total('mismatch')} mismatched so far, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    seconds = time.perf_counter() - started
    if args.json:
        report: dict[str, Any] = replay_json(summary, mismatches)
        report["seconds"] = round(seconds, 1)
        json.dump(report, sys.stdout, indent=1)
        print()
    else:
        print(replay_table(summary) if not args.quiet else totals_line(summary))
        print(f"qemu campaign: {seconds:.0f} s")
    return 1 if mismatches else 0


def _print_mismatch(v: Verdict, trace: Path) -> None:
    words = " ".join(f"{w:08x}" for w in v.record.words[:4])
    print(f"MISMATCH record {v.record.id} {v.record.encoding} [{words}]: {'; '.join(v.diffs)}"
          f"  (reproduce: lnsym conform replay {trace} --id {v.record.id}; keep the trace with --keep DIR)")
