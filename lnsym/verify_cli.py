"""``lnsym verify``: prove contracts, print a summary table, exit 0 (all proved) / 1 (refuted) / 2 (otherwise).

Contracts are named by *targets* (a contract file, a folder of them, or ``openssl:<name>``), so that
``--jobs N`` worker processes can load them again: only targets travel to workers, and only verdicts,
timings and counterexamples travel back (the obligation terms stay in the worker).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bitvec import BV
from lnsym.contract import Contract, load_contract_file
from lnsym.errors import LnsymError

if TYPE_CHECKING:
    from rich.console import Console

    from lnsym.prover import Result

VERDICT_STYLE = {"proved": "green", "refuted": "bold red", "unknown": "yellow", "error": "yellow"}


@dataclass(frozen=True)
class Target:
    """One contract, as a worker process can load it: ``index`` in a contract file, or a built-in name."""

    source: str  # a contract file path, or "openssl:<name>"
    index: int = 0
    library: str = ""  # libcrypto.a for built-in OpenSSL contracts

    def load(self) -> Contract:
        if self.source.startswith("openssl:"):
            from lnsym.contracts.openssl import contract

            return contract(self.source.split(":", 1)[1], self.library)
        return load_contract_file(self.source)[self.index]


def bundled_programs_dir() -> Path:
    """The bundled ``programs/`` folder (installed as package data, or the source checkout's)."""
    import programs

    return Path(programs.__file__).resolve().parent


def _contract_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def resolve(targets: list[str]) -> list[tuple[Target, Contract]]:
    """Contract files, folders of them or ``openssl:<name>``; none means every bundled (non-buggy) routine."""
    files: list[Path | str] = []
    for t in targets or [str(bundled_programs_dir())]:
        p = Path(t)
        if t.startswith("openssl:"):
            files.append(t)
        elif p.is_dir():
            files += _contract_files(p)
        elif p.is_file():
            files.append(p)
        else:
            raise LnsymError(f"no contract file or folder {t}")
    out: list[tuple[Target, Contract]] = []
    library = ""
    for f in files:
        if isinstance(f, str):
            if not library:
                from lnsym.fetch import openssl_libcrypto

                library = str(openssl_libcrypto())
            target = Target(f, library=library)
            out.append((target, target.load()))
        else:
            out += [(Target(str(f.resolve()), k), c) for k, c in enumerate(load_contract_file(f))]
    if not out:
        raise LnsymError("no contracts to verify")
    return out


def resolve_targets(targets: list[str]) -> list[Contract]:
    """The contracts of :func:`resolve`."""
    return [c for _, c in resolve(targets)]


@dataclass(frozen=True)
class Options:
    object: str | None
    timeout: float
    smt_root: str | None
    recheck: str | None
    recheck_jobs: int = 1  # processes for the files of one exported folder (one target: --jobs)


def verify_target(target: Target, options: Options, label: str = "", contract: Contract | None = None) -> Result:
    """Verify one target (in this process or a worker); errors become an ``error`` result."""
    from lnsym.prover import Result, verify

    c = contract
    try:
        c = c or target.load()
        print(f"{label}verifying {c.name} ...", file=sys.stderr, flush=True)
        smt = Path(options.smt_root) / _safe_dir(c.name) if options.smt_root else None
        r = verify(c, object_override=options.object, timeout_s=options.timeout, smt_out=smt)
        if options.recheck:
            from lnsym.recheck import recheck

            for o in r.obligations:
                if o.smt_file and o.verdict == "proved":
                    answer = recheck(o.smt_file, options.recheck, options.timeout, options.recheck_jobs)
                    o.recheck = f"{options.recheck}:{answer}"
    except Exception as exc:  # one routine's failure (bad input, or an internal error) is its verdict
        name = c.name if c is not None else target.source
        detail = str(exc) if isinstance(exc, LnsymError) else f"internal error: {type(exc).__name__}: {exc}"
        r = Result(name, "error", list(c.preconditions) if c is not None else [], detail=detail)
    return r


def _detached(r: Result) -> Result:
    """``r`` without its obligation terms, to send between processes (only names and verdicts are shown)."""
    none = BV(1, 0)
    return dataclasses.replace(r, obligations=[dataclasses.replace(o, implementation=none, specification=none)
                                               for o in r.obligations])


def _work(job: tuple[Target, Options, str]) -> Result:
    target, options, label = job
    return _detached(verify_target(target, options, label))


def run_all(pairs: list[tuple[Target, Contract]], options: Options, jobs: int = 1) -> list[Result]:
    """Results in target order; ``jobs`` > 1 verifies in that many worker processes (spawned)."""
    from lnsym.prover import Result

    n = len(pairs)
    results: dict[int, Result] = {}
    if jobs <= 1 or n <= 1:
        for k, (t, c) in enumerate(pairs):
            results[k] = verify_target(t, options, f"[{k + 1}/{n}] ", c)
            _finished(k, n, results[k])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, n), mp_context=ctx) as pool:
            futures = {pool.submit(_work, (t, options, f"[{k + 1}/{n}] ")): k for k, (t, _) in enumerate(pairs)}
            for fut in as_completed(futures):
                k = futures[fut]
                try:
                    results[k] = fut.result()
                except Exception as exc:  # the worker process died (e.g. out of memory)
                    c = pairs[k][1]
                    results[k] = Result(c.name, "error", list(c.preconditions),
                                        detail=f"worker failed: {type(exc).__name__}: {exc}")
                _finished(k, n, results[k])
    return [results[k] for k in range(n)]


def _finished(k: int, n: int, r: Result) -> None:
    print(f"[{k + 1}/{n}] {r.contract}: {r.verdict} in {r.seconds:.2f}s", file=sys.stderr, flush=True)


def exit_code(results: list[Result]) -> int:
    verdicts = {r.verdict for r in results}
    if verdicts == {"proved"}:
        return 0
    if "refuted" in verdicts and verdicts <= {"proved", "refuted"}:
        return 1
    return 2


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        raise LnsymError(f"--jobs must be at least 1, not {args.jobs}")
    pairs = resolve(args.targets)
    smt_root = args.smt_out
    if args.recheck and smt_root is None:
        import tempfile

        smt_root = tempfile.mkdtemp(prefix="lnsym-smt-")
    options = Options(args.object, args.timeout, str(Path(smt_root).resolve()) if smt_root else None, args.recheck,
                      args.jobs if len(pairs) == 1 else 1)
    start = time.perf_counter()
    results = run_all(pairs, options, args.jobs)
    wall = time.perf_counter() - start
    if args.json:
        json.dump([r.to_json() for r in results], sys.stdout, indent=1)
        print()
    else:
        print_table(results, wall, args.jobs)
    if args.report:
        from lnsym.report import write_html

        write_html(Path(args.report), [c for _, c in pairs], results)
    return exit_code(results)


def _safe_dir(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def console() -> Console:
    """A rich console on stdout: colours on a terminal; plain text, unwrapped, when piped."""
    from rich.console import Console

    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=240, no_color=True)
    return out


def print_table(results: list[Result], wall: float | None = None, jobs: int = 1) -> None:
    """Per routine: verdict, obligations, time, assumptions (+ steps, methods, recheck); then a totals row,
    then assumptions, details and counterexamples of each routine not proved or proved under assumptions."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    out = console()
    rechecked = any(o.recheck for r in results for o in r.obligations)
    counts = {v: sum(r.verdict == v for r in results) for v in ("proved", "refuted", "unknown", "error")}
    columns = [  # header, justification, totals footer
        ("routine", "left", f"total ({len(results)})"),
        ("verdict", "left", f"{counts['proved']}/{len(results)} proved"),
        ("obligations", "right", str(sum(len(r.obligations) for r in results))),
        ("time", "right", f"{sum(r.seconds for r in results):.2f}s"),
        ("assumptions", "right", str(sum(len(r.assumptions) for r in results))),
        ("steps", "right", str(sum(r.steps for r in results))),
        ("method", "left", ""),
    ]
    if rechecked:
        answers = [o.recheck for r in results for o in r.obligations if o.recheck]
        agreed = sum(a.endswith(":unsat") for a in answers)
        columns.append(("recheck", "left", f"{answers[0].split(':')[0]} {agreed}/{len(answers)} unsat"))
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False, show_footer=True)
    for name, justify, footer in columns:
        table.add_column(name, footer=Text(footer), justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for r in results:
        row = [Text(r.contract), Text(r.verdict.upper(), style=VERDICT_STYLE.get(r.verdict, "")),
               str(len(r.obligations)), f"{r.seconds:.2f}s", str(len(r.assumptions)), str(r.steps),
               Text(",".join(sorted({o.method for o in r.obligations})))]
        if rechecked:
            rows = [o.recheck for o in r.obligations if o.recheck]
            agreed = sum(x.endswith(":unsat") for x in rows)
            row.append(f"{rows[0].split(':')[0]} {agreed}/{len(rows)} unsat" if rows else "")
        table.add_row(*row)
    out.print(table)
    summary = f"{len(results)} routines: " + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    if wall is not None:
        summary += f"; wall clock {wall:.2f}s with {jobs} job{'s' if jobs > 1 else ''}"
    out.print(summary, markup=False)
    for r in results:
        if r.verdict != "proved" or r.assumptions:
            _details(out, r)


def _details(out: Console, r: Result) -> None:
    lines = ["", f"{r.contract}: {r.verdict}"]
    lines += [f"  assumes: {a}" for a in r.assumptions]
    if r.detail:
        lines.append(f"  {r.detail}")
    unconfirmed = [f"{o.name} ({o.recheck})" for o in r.obligations if o.recheck and not o.recheck.endswith(":unsat")]
    if unconfirmed:
        lines.append(f"  not confirmed by the second solver: {', '.join(unconfirmed)}")
    cx = r.counterexample
    if cx:
        lines.append(f"  counterexample for {cx['obligation']}: inputs {cx['inputs']}")
        lines.append(f"    expected {cx['expected']}, routine computes {cx['symbolic_actual']}")
        lines += [f"    {key}: {cx[key]}" for key in ("entry_registers", "replay_lnsym", "replay_unicorn") if key in cx]
    for line in lines:
        out.print(line, markup=False, soft_wrap=True)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify", help="prove routines equal to their specifications")
    p.add_argument("targets", nargs="*",
                   help="contract files or folders, or openssl:NAME (default: the bundled programs)")
    p.add_argument("--object", help="verify the contracts against this object instead")
    p.add_argument("--json", action="store_true")
    p.add_argument("--jobs", "-j", type=int, default=1,
                   help="verify in N worker processes (results in target order); with one target, --recheck "
                   "checks a folder's files in N processes")
    p.add_argument("--smt-out", help="write every decided obligation as SMT-LIB2 under this folder: whole files, "
                   "and lemma-chain or (polarized) column folders a second solver re-proves file by file")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per solver query (timeout = unknown)")
    p.add_argument("--report", help="write an HTML report to this file")
    p.add_argument("--recheck", choices=("bitwuzla", "cvc5"),
                   help="re-prove every exported obligation (every file of its folder) with a second solver "
                   "(optional extra: pip install 'lnsym[recheck]')")
    p.set_defaults(func=run, error_status=2)  # exit 1 means refuted: an error is 2, like unknown
