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

from lnsym.cli.verify import (
    Options,
    check_options,
    exit_code,
    positive_seconds,
    print_table,
    recheck_result,
    resolve,
    smt_dirs,
    smt_folder,
    snapshot,
    written,
)
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


def run_script(path: str | Path, timeout_s: float, smt_out: Path | None = None) -> Result:
    """Run one proof script: its loop induction (exporting every decided obligation under ``smt_out``), or its
    ``prove()``."""
    contract, how = load_script(path)
    if isinstance(how, BlockLoop | StreamLoop):
        start = time.perf_counter()
        try:
            if isinstance(how, BlockLoop):
                return prove_block_loop(contract, how, timeout_s=timeout_s, smt_out=smt_out)
            return prove_stream_loop(contract, how, timeout_s=timeout_s, smt_out=smt_out)
        except Exception as exc:  # the script's own functions (its spec, its invariant) failed: its error
            where = _script_frame(exc, Path(path))
            if where is None:
                raise
            return Result(contract.name, Verdict.ERROR, [], detail=f"the script's {where} raised "
                          f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - start)
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


def _script_frame(exc: BaseException, script: Path) -> str | None:
    """The innermost function of ``script`` the exception passed through (``init``, line 42), or None."""
    found = None
    tb = exc.__traceback__
    target = script.resolve()
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == target:
            found = f"{tb.tb_frame.f_code.co_name} (line {tb.tb_lineno})"
        tb = tb.tb_next
    return found


def bundled_scripts() -> list[Path]:
    """The proof scripts shipped in ``programs/proofs``."""
    from lnsym.cli.verify import bundled_programs_dir

    return sorted(p for p in (bundled_programs_dir() / "proofs").glob("*.py") if not p.name.startswith("_"))


def prove_scripts(paths: list[str | Path], timeout_s: float, smt_root: Path | None = None,
                  recheck: str | None = None) -> list[Result]:
    """Each script's result, in order; with ``smt_root`` each script's obligations are exported into its own
    folder there and, with ``recheck``, re-proved by that solver (as ``lnsym verify --recheck``)."""
    contracts = [load_script(p)[0] for p in paths]
    folders = smt_dirs(smt_root, contracts)
    results = []
    for p, folder in zip(paths, folders):
        smt = Path(folder) if folder else None
        before = snapshot(smt) if smt else {}
        r = run_script(p, timeout_s, smt)
        if recheck and smt is not None and r.verdict == Verdict.PROVED:
            recheck_result(r, Options(None, timeout_s, str(smt_root), recheck), written(smt, before))
        results.append(r)
    return results


def write_template(target: str, out: str | None) -> int:
    """``--template TARGET``: a starting script for the first contract of ``TARGET`` (to ``out`` or stdout)."""
    from lnsym.prove.template import find_loop, render

    pairs = resolve([target])
    source, contract = pairs[0][0].source, pairs[0][1]
    text = render(find_loop(contract), contract, source)
    if out is None:
        sys.stdout.write(text)
        return 0
    path = Path(out)
    if path.exists():
        raise LnsymError(f"--out {path}: exists (a template never overwrites a script)")
    if not path.parent.is_dir():
        raise LnsymError(f"--out {path}: no folder {path.parent}")
    path.write_text(text)
    print(f"lnsym: wrote {path}; fill in its TODOs, then run `lnsym prove {path}`", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.template is not None:
        if args.scripts:
            raise LnsymError("--template takes the contract to start from, not scripts")
        return write_template(args.template, args.out)
    if args.out is not None:
        raise LnsymError("--out only applies to --template TARGET")
    scripts = args.scripts or [str(p) for p in bundled_scripts()]
    check_options(args)
    if args.recheck:
        from lnsym.prove.recheck import require

        require(args.recheck)  # before any proving: the second solver must be there
    for s in scripts:  # every file is checked before any proof runs
        load_script(s)
    start = time.perf_counter()
    with smt_folder(args) as smt_root:
        results = prove_scripts(scripts, args.timeout, smt_root, args.recheck)
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
    p.add_argument("--smt-out", help="write every decided obligation as SMT-LIB2 under this folder (one sub-folder "
                   "per script), as lnsym verify --smt-out does")
    p.add_argument("--force", action="store_true", help="with --smt-out: as lnsym verify --force")
    p.add_argument("--recheck", choices=("bitwuzla", "cvc5"),
                   help="re-prove every exported obligation with a second solver (as lnsym verify --recheck)")
    p.add_argument("--template", metavar="TARGET",
                   help="write a starting proof script for the loop of this contract file (or openssl:NAME) whose "
                        "block count is symbolic: the loop head, counter, pointer and stride found; the spec to fill")
    p.add_argument("--out", metavar="FILE", help="with --template: write the script to FILE (default: stdout)")
    p.set_defaults(func=run)
