"""``lnsym bench --proofs``: time the proof of every built-in OpenSSL contract and every bundled program.

The list comes from the registries (``lnsym.contracts.openssl.CONTRACTS`` and the bundled ``programs/``
contract files), so a newly registered contract is benchmarked without editing this module.  The goal
is all of them proved in at most 60 s in total (sequential, one process).
"""

from __future__ import annotations

import time

GOAL_SECONDS = 60.0


def proof_targets() -> list[str]:
    """Every bundled program (the folder) and every built-in OpenSSL contract, as ``lnsym verify`` targets."""
    from lnsym.cli.verify import bundled_programs_dir
    from lnsym.contracts.openssl import CONTRACTS

    return [str(bundled_programs_dir()), *(f"openssl:{name}" for name in sorted(CONTRACTS))]


def run_proof_benchmarks(timeout_s: float = 60.0) -> int:
    """Verify each target in turn; print per-routine and total seconds against the goal.  Exit 0 when every
    routine is proved (whether or not the time goal is met: the table says which), else 1."""
    from lnsym.cli.verify import Options, print_table, resolve, run_all

    start = time.perf_counter()
    pairs = resolve(proof_targets())
    results, stopped = run_all(pairs, Options(None, timeout_s, None, None))
    wall = time.perf_counter() - start
    print_table(results, wall)
    if stopped:  # Ctrl-C: the routines done so far are shown; the command's convention is exit 130
        return 130
    total = sum(r.seconds for r in results)
    verdict = "met" if total <= GOAL_SECONDS and all(r.verdict == "proved" for r in results) else "NOT met"
    print(f"proof benchmark: {len(results)} routines, {total:.1f}s in verify ({wall:.1f}s with loading); "
          f"goal: all proved in at most {GOAL_SECONDS:.0f}s -- {verdict}")
    return 0 if all(r.verdict == "proved" for r in results) else 1
