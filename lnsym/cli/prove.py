"""``lnsym prove SCRIPT.py ...``: run proof scripts (loop induction) with ``lnsym verify``'s table, JSON, HTML
report and exit codes.  A script defines ``CONTRACT`` (the call: arguments and outputs) and ``LOOP`` (a
:class:`lnsym.prove.induction.BlockLoop`: the loop head, its counter and pointer, the spec as a fold; or a
:class:`lnsym.prove.stream.StreamLoop`: cuts in several loops, a buffer written block by block); see
``programs/proofs/``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lnsym.cli.verify import check_report_path, exit_code, positive_seconds, print_table
from lnsym.errors import LnsymError
from lnsym.prove.contract import Contract, import_file
from lnsym.prove.induction import BlockLoop, prove_block_loop
from lnsym.prove.procedures import Verdict
from lnsym.prove.prover import Result
from lnsym.prove.stream import StreamLoop, prove_stream_loop

Loop = BlockLoop | StreamLoop


def load_script(path: str | Path) -> tuple[Contract, Loop | Callable[[], Result]]:
    """A proof script's ``CONTRACT`` and either its ``LOOP`` (a :class:`BlockLoop` or
    :class:`~lnsym.prove.stream.StreamLoop`, proved by induction) or its
    ``prove()`` (an interactive script, :mod:`lnsym.prove.script`, returning a Result); a one-line error for
    anything else."""
    p = Path(path)
    module = import_file(p, "proof script")
    contract, loop, prove = (getattr(module, name, None) for name in ("CONTRACT", "LOOP", "prove"))
    if not isinstance(contract, Contract) or not (isinstance(loop, BlockLoop | StreamLoop) or callable(prove)):
        raise LnsymError(f"proof script {p} must define CONTRACT (a Contract) and LOOP (a BlockLoop or "
                         "StreamLoop) or prove()")
    if contract.origin is None:  # a contract loaded from its own file keeps that file's folder for its object
        contract.origin = p
    return contract, loop if isinstance(loop, BlockLoop | StreamLoop) else prove  # type: ignore[return-value]


def run_script(path: str | Path, timeout_s: float) -> Result:
    """Run one proof script: its loop induction, or its ``prove()``."""
    contract, how = load_script(path)
    if isinstance(how, BlockLoop):
        return prove_block_loop(contract, how, timeout_s=timeout_s)
    if isinstance(how, StreamLoop):
        return prove_stream_loop(contract, how, timeout_s=timeout_s)
    start = time.perf_counter()
    try:
        result = how()
    except LnsymError as exc:  # a failing script step (ScriptError) names itself
        return Result(contract.name, Verdict.UNKNOWN, [], detail=f"not proved: {exc}",
                      seconds=time.perf_counter() - start)
    except Exception as exc:  # the user's script code failed: its error, not lnsym's
        return Result(contract.name, Verdict.ERROR, [], detail=f"the script raised {type(exc).__name__}: {exc}",
                      seconds=time.perf_counter() - start)
    if not isinstance(result, Result):
        raise LnsymError(f"proof script {path}: prove() must return a Result (Session.finish())")
    result.seconds = time.perf_counter() - start
    return result


def bundled_scripts() -> list[Path]:
    """The proof scripts shipped in ``programs/proofs``."""
    from lnsym.cli.verify import bundled_programs_dir

    return sorted(p for p in (bundled_programs_dir() / "proofs").glob("*.py") if not p.name.startswith("_"))


def prove_scripts(paths: list[str | Path], timeout_s: float) -> list[Result]:
    """Each script's result, in order."""
    return [run_script(p, timeout_s) for p in paths]


def run(args: argparse.Namespace) -> int:
    scripts = args.scripts or [str(p) for p in bundled_scripts()]
    for s in scripts:  # every file is checked before any proof runs
        load_script(s)
    if args.report:
        check_report_path(args.report)
    start = time.perf_counter()
    results = prove_scripts(scripts, args.timeout)
    if args.json:
        json.dump([r.to_json() for r in results], sys.stdout, indent=1)
        print()
    else:
        print_table(results, time.perf_counter() - start)
    if args.report:
        from lnsym.cli.report import write_html

        write_html(Path(args.report), [load_script(s)[0] for s in scripts], results)
    return exit_code(results)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("prove", help="run proof scripts (loop induction: every block count)",
                       description=__doc__)
    p.add_argument("scripts", nargs="*", metavar="SCRIPT", help="proof scripts (default: programs/proofs/*.py)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--timeout", type=positive_seconds, default=60.0, help="seconds per solver query")
    p.add_argument("--report", help="write an HTML report to this file")
    p.set_defaults(func=run)
