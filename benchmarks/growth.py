"""``lnsym bench --growth``: how proof cost grows with the number of blocks of an unrolled contract.

Two workloads: the bundled ``sha256_blocks_ce`` (SHA256H, n blocks, the loop unrolled) and OpenSSL's
``aes_v8_ctr32_encrypt_blocks`` (AES-128-CTR, n blocks).  Each size is proved in a fresh subprocess, so its
``ru_maxrss`` is that proof's peak; the child reports its own CPU time (user + system, ``getrusage``), not wall
clock, because the machine is shared.  Once a size exceeds the per-size CPU cap the larger sizes of that
workload are skipped.  The growth exponent is the least-squares slope of log(cost) against log(n); the goal is
an exponent of at most 1.2 (linear growth, with some slack for fixed costs).
"""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

GOAL_EXPONENT = 1.2
DEFAULT_CAP_SECONDS = 600.0
DEFAULT_MEM_CAP_MB = 8000  # address space per proof (RLIMIT_AS): the machine is shared, 140 CTR blocks once took 7.6 GB
CTR_ROUNDS = 10  # AES-128

#: workload -> (full sizes, --quick sizes)
WORKLOADS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "sha256_blocks_ce": ((1, 4, 16, 64), (1, 4, 8)),
    "aes_v8_ctr32_encrypt_blocks": ((1, 35, 140), (1, 8, 35)),
}


@dataclass
class Point:
    """One proof: its size, verdict, CPU seconds (the whole child process, and inside ``verify``) and peak RSS."""

    workload: str
    n: int
    verdict: str
    cpu_seconds: float | None = None
    verify_cpu_seconds: float | None = None
    wall_seconds: float | None = None
    maxrss_mb: float | None = None
    steps: int = 0
    obligations: int = 0
    detail: str = ""


@dataclass
class Growth:
    """One workload's points and the fitted exponents (None with fewer than two measured sizes)."""

    workload: str
    points: list[Point] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    time_exponent: float | None = None
    rss_exponent: float | None = None
    tail_time_exponent: float | None = None  # between the two largest proved sizes (fixed costs matter less)
    tail_rss_exponent: float | None = None

    @property
    def goal_met(self) -> bool | None:
        """Whether every size was proved within the caps and the time exponent is at most :data:`GOAL_EXPONENT`
        (None when it could not be fitted)."""
        if self.time_exponent is None:
            return None
        return self.time_exponent <= GOAL_EXPONENT and not self.skipped and \
            all(p.verdict == "proved" for p in self.points)


def fit_exponent(sizes: list[float], costs: list[float]) -> float | None:
    """Least-squares slope of log(cost) on log(size); None for fewer than two distinct sizes."""
    pairs = [(math.log(n), math.log(c)) for n, c in zip(sizes, costs, strict=True) if n > 0 and c > 0]
    if len({x for x, _ in pairs}) < 2:
        return None
    mx = sum(x for x, _ in pairs) / len(pairs)
    my = sum(y for _, y in pairs) / len(pairs)
    sxx = sum((x - mx) ** 2 for x, _ in pairs)
    return sum((x - mx) * (y - my) for x, y in pairs) / sxx


def contract_for(workload: str, n: int) -> object:
    """The unrolled contract of ``workload`` at ``n`` blocks (built here: the registries hold only a few sizes)."""
    if workload == "sha256_blocks_ce":
        from lnsym.cli.verify import bundled_programs_dir
        from programs.sha256_blocks_ce import blocks_contract

        return blocks_contract(n, str(bundled_programs_dir() / "sha256_blocks_ce.o"))
    if workload == "aes_v8_ctr32_encrypt_blocks":
        from lnsym.contracts.openssl_aes_ctr import ctr32_contract
        from lnsym.load.fetch import openssl_libcrypto

        c = ctr32_contract(n, CTR_ROUNDS)
        c.object = str(openssl_libcrypto())
        return c
    raise ValueError(f"unknown growth workload {workload}")


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child(workload: str, n: int, timeout_s: float) -> dict[str, object]:
    """Prove one size in this process; the measurements as a JSON-ready dict (run in a fresh subprocess)."""
    from lnsym.prove.prover import verify

    contract = contract_for(workload, n)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = verify(contract, timeout_s=timeout_s)  # type: ignore[arg-type]
    verify_cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"verdict": str(result.verdict), "cpu_seconds": round(_cpu_seconds(), 3),
            "verify_cpu_seconds": round(verify_cpu, 3), "wall_seconds": round(wall, 3),
            "maxrss_mb": round(maxrss_kb / 1024, 1), "steps": result.steps,
            "obligations": len(result.obligations), "detail": result.detail}


def measure(workload: str, n: int, cap_s: float, mem_cap_mb: int = DEFAULT_MEM_CAP_MB,
            timeout_s: float = 600.0) -> Point:
    """Run :func:`child` for one size in a fresh interpreter, limited to ``cap_s`` CPU seconds and ``mem_cap_mb``
    of address space."""
    limit = max(1, math.ceil(cap_s))

    def limit_cpu() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))
        resource.setrlimit(resource.RLIMIT_AS, (mem_cap_mb << 20, mem_cap_mb << 20))

    cmd = [sys.executable, "-m", "benchmarks.growth", workload, str(n), str(timeout_s)]
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    wall0 = time.perf_counter()
    try:  # the wall-clock limit only guards against a stuck child: the cap is on CPU time
        proc = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limit_cpu, env=env,
                              timeout=20 * limit + 120)
    except subprocess.TimeoutExpired:
        return Point(workload, n, "over cap", detail=f"wall clock over {20 * limit + 120} s")
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Point(workload, n, "over cap", cpu_seconds=float(limit),
                     wall_seconds=round(time.perf_counter() - wall0, 3), detail=f"CPU time over {limit} s")
    if "MemoryError" in proc.stderr or "bad_alloc" in proc.stderr:
        return Point(workload, n, "over cap", wall_seconds=round(time.perf_counter() - wall0, 3),
                     detail=f"memory over {mem_cap_mb} MB")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        return Point(workload, n, "error", detail=tail)
    return Point(workload, n, **json.loads(lines[-1]))


def run_workload(workload: str, sizes: tuple[int, ...], cap_s: float, mem_cap_mb: int = DEFAULT_MEM_CAP_MB,
                 report: bool = True) -> Growth:
    """Measure ``sizes`` in increasing order, skipping the rest once one exceeds a cap; fit the exponents."""
    g = Growth(workload)
    for i, n in enumerate(sorted(sizes)):
        p = measure(workload, n, cap_s, mem_cap_mb)
        g.points.append(p)
        if report:
            print(f"  {workload} n={n}: {p.verdict}, {p.cpu_seconds} CPU s, {p.maxrss_mb} MB",
                  file=sys.stderr, flush=True)
        if p.verdict != "proved" or (p.cpu_seconds or 0) > cap_s:
            g.skipped = sorted(sizes)[i + 1 :]
            break
    fit(g)
    return g


def proof_seconds(p: Point) -> float:
    """The cost fitted: CPU seconds inside ``verify`` (the interpreter's start and imports left out)."""
    return p.verify_cpu_seconds if p.verify_cpu_seconds is not None else p.cpu_seconds or 0.0


def fit(g: Growth) -> None:
    """Fill in the exponents of ``g`` from its proved points."""
    done = [p for p in g.points if p.verdict == "proved" and p.cpu_seconds]
    g.time_exponent = fit_exponent([p.n for p in done], [proof_seconds(p) for p in done])
    g.rss_exponent = fit_exponent([p.n for p in done], [p.maxrss_mb or 0 for p in done])
    tail = done[-2:]
    g.tail_time_exponent = fit_exponent([p.n for p in tail], [proof_seconds(p) for p in tail])
    g.tail_rss_exponent = fit_exponent([p.n for p in tail], [p.maxrss_mb or 0 for p in tail])


def _fmt(x: float | None, spec: str) -> str:
    return format("-", ">" + spec.partition(".")[0]) if x is None else format(x, spec)


def table(results: list[Growth], cap_s: float) -> str:
    """The human-readable table with one goal line per workload."""
    lines = [f"{'workload':30s} {'n':>5s} {'verdict':>9s} {'CPU s':>9s} {'verify CPU s':>12s} "
             f"{'wall s':>8s} {'peak RSS MB':>11s} {'steps':>7s}"]
    for g in results:
        for p in g.points:
            lines.append(f"{g.workload:30s} {p.n:5d} {p.verdict:>9s} {_fmt(p.cpu_seconds, '9.2f')} "
                         f"{_fmt(p.verify_cpu_seconds, '12.2f')} {_fmt(p.wall_seconds, '8.1f')} "
                         f"{_fmt(p.maxrss_mb, '11.1f')} {p.steps:7d}" + (f"  ({p.detail})" if p.detail else ""))
        if g.skipped:
            lines.append(f"{g.workload:30s} skipped n = {', '.join(map(str, g.skipped))}: "
                         f"a smaller size exceeded a cap ({cap_s:g} CPU s, or memory) or was not proved")
    lines.append("")
    for g in results:
        if g.time_exponent is None:
            lines.append(f"{g.workload}: exponent not fitted (fewer than two proved sizes): goal <= "
                         f"{GOAL_EXPONENT} NOT met")
            continue
        verdict = "met" if g.goal_met else "NOT met" + (" (some size over a cap or not proved)"
                                                          if g.time_exponent <= GOAL_EXPONENT else "")
        lines.append(f"{g.workload}: exponent {g.time_exponent:.2f} (verify CPU time), {_fmt(g.rss_exponent, '.2f')} "
                     f"(peak RSS); between the two largest sizes {_fmt(g.tail_time_exponent, '.2f')} and "
                     f"{_fmt(g.tail_rss_exponent, '.2f')}: goal <= {GOAL_EXPONENT} {verdict}")
    return "\n".join(lines)


def to_json(results: list[Growth], cap_s: float) -> dict[str, object]:
    """The machine-readable result."""
    return {"goal_exponent": GOAL_EXPONENT, "cap_seconds": cap_s, "time": "CPU seconds (getrusage, child); "
            "the exponent is fitted on verify_cpu_seconds",
            "workloads": [{**asdict(g), "goal_met": g.goal_met} for g in results]}


def run_growth(quick: bool = False, cap_s: float = DEFAULT_CAP_SECONDS, as_json: bool = False,
               workloads: list[str] | None = None, mem_cap_mb: int = DEFAULT_MEM_CAP_MB) -> int:
    """``lnsym bench --growth``: exit 0 when every workload's goal is met, else 1."""
    results = []
    for w in workloads or list(WORKLOADS):
        full, small = WORKLOADS[w]
        results.append(run_workload(w, small if quick else full, cap_s, mem_cap_mb))
    print(json.dumps(to_json(results, cap_s), indent=2) if as_json else table(results, cap_s))
    return 0 if all(g.goal_met for g in results) else 1


if __name__ == "__main__":  # the child: python -m benchmarks.growth WORKLOAD N [TIMEOUT]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
    print(json.dumps(child(sys.argv[1], int(sys.argv[2]), timeout)), flush=True)
