"""``lnsym bench --proofs``: time the proof of every built-in OpenSSL contract, every bundled program and every
bundled proof script.

The list comes from the registries (``lnsym.contracts.openssl.CONTRACTS``, the bundled ``programs/`` contract
files and the loop-induction scripts in ``programs/proofs``), so a newly registered contract or script is
benchmarked without editing this module.  The goal is all of them proved in at most 60 s in total
(sequential, one process).
"""

from __future__ import annotations

import time

GOAL_SECONDS = 60.0


def proof_targets() -> list[str]:
    """Every bundled program (the folder) and every built-in OpenSSL contract, as ``lnsym verify`` targets."""
    from lnsym.cli.verify import bundled_programs_dir
    from lnsym.contracts.openssl import CONTRACTS

    return [str(bundled_programs_dir()), *(f"openssl:{name}" for name in sorted(CONTRACTS))]


def loop_scripts() -> list[str]:
    """The bundled proof scripts (``programs/proofs``): loop induction for every block count."""
    from lnsym.cli.prove import bundled_scripts

    scripts = bundled_scripts()
    openssl = sorted(p for p in (scripts[0].parent / "openssl").glob("*.py") if not p.name.startswith("_")) \
        if scripts else []
    return [str(p) for p in [*scripts, *openssl]]


def run_proof_benchmarks(timeout_s: float = 60.0) -> int:
    """Verify each target in turn; print per-routine and total seconds against the goal.  Exit 0 when every
    routine is proved (whether or not the time goal is met: the table says which), else 1."""
    from lnsym.cli.verify import Options, print_table, resolve, run_all

    start = time.perf_counter()
    pairs = resolve(proof_targets())
    results, stopped = run_all(pairs, Options(None, timeout_s, None, None))
    if not stopped:  # and every proof script (loop induction: every block count)
        from lnsym.cli.prove import prove_scripts

        results += prove_scripts(loop_scripts(), timeout_s)
    wall = time.perf_counter() - start
    print_table(results, wall)
    if stopped:  # Ctrl-C: the routines done so far are shown; the command's convention is exit 130
        return 130
    total = sum(r.seconds for r in results)
    verdict = "met" if total <= GOAL_SECONDS and all(r.verdict == "proved" for r in results) else "NOT met"
    print(f"proof benchmark: {len(results)} routines, {total:.1f}s in verify ({wall:.1f}s with loading); "
          f"goal: all proved in at most {GOAL_SECONDS:.0f}s -- {verdict}")
    return 0 if all(r.verdict == "proved" for r in results) else 1
