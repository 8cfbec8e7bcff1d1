"""``lnsym verify``: prove contracts, print a summary table, exit 0 (all proved) / 1 (refuted) / 2 (otherwise)
/ 130 (Ctrl-C: the results so far are printed).

Contracts are named by *targets* (a contract file, a folder of them, or ``openssl:<name>``), so that
``--jobs N`` worker processes can load them again: only targets travel to workers, and only verdicts,
timings and counterexamples travel back (the obligation terms stay in the worker).

``--smt-out DIR``: each routine writes into its own sub-folder, and the run lists every file it wrote in
``DIR/lnsym-manifest.txt``; a non-empty ``DIR`` is refused unless ``--force``, which first deletes the files
an earlier manifest lists (and nothing else).  ``--recheck`` re-proves, for every routine proved, each
non-structural obligation's export -- exactly the files this run wrote for it -- with a second solver: any
``sat``, a missing or empty export, or a file the solver cannot read makes the routine an ``error``; an
``unknown`` (its per-file ``--timeout``, or Ctrl-C) makes it ``unknown``.  Both exit 2 and name the
obligation and file.  ``--budget`` bounds the proof of one routine (not its re-check).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bitvec import BV
from bitvec.term import tune_gc
from lnsym.errors import LnsymError
from lnsym.prove import watch
from lnsym.prove.contract import Contract, load_contract_file
from lnsym.prove.procedures import Verdict

if TYPE_CHECKING:
    from rich.console import Console

    from lnsym.prove.prover import Result

VERDICT_STYLE = {"proved": "green", "refuted": "bold red", "unknown": "yellow", "error": "yellow"}
MANIFEST = "lnsym-manifest.txt"
# seconds per routine: the longest built-in proof (aes_v8_ctr32_encrypt_blocks[35,10]) takes about 10 s on an idle
# machine and 51 s on a loaded 2-core one (all 39 bundled and OpenSSL contracts proved, 191 s in all)
DEFAULT_BUDGET = 600.0
PROGRESS_EVERY = 5.0  # seconds between progress lines on stderr while one routine runs


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
        if t.startswith("openssl:"):  # a bare routine name stands for all its built-in variants
            from lnsym.contracts.openssl import names

            files += [f"openssl:{n}" for n in names(t.split(":", 1)[1])]
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
                from lnsym.load.fetch import openssl_libcrypto

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
    smt_root: str | None  # unused: each target gets its folder (``smt_dir`` of :func:`verify_target`)
    recheck: str | None
    recheck_jobs: int = 1  # processes for the files of one exported folder (one target: --jobs)
    budget: float | None = None  # seconds per routine (None: no budget)
    progress: float | None = PROGRESS_EVERY  # seconds between progress lines
    scheduler: str | None = None  # a Dask scheduler's address, or "local": routines (and recheck files) as tasks


def verify_target(target: Target, options: Options, label: str = "", contract: Contract | None = None,
                  smt_dir: str | None = None) -> Result:
    """Verify one target (in this process or a worker), exporting into ``smt_dir`` and re-checking what it
    wrote there; errors become an ``error`` result."""
    from lnsym.prove.prover import Result, verify

    c = contract
    try:
        c = c or target.load()
        watch.start(progress_every=options.progress)
        watch.set_label(f"{label}{c.name}")
        print(f"{label}verifying {c.name} ...", file=sys.stderr, flush=True)
        smt = Path(smt_dir) if smt_dir else None
        before = snapshot(smt) if smt else {}
        r = verify(c, object_override=options.object, timeout_s=options.timeout, smt_out=smt, budget_s=options.budget)
        if options.recheck and smt is not None and r.verdict == "proved":
            with watch.routine(None):
                recheck_result(r, options, written(smt, before))
    except Exception as exc:  # one routine's failure (bad input, or an internal error) is its verdict
        name = c.name if c is not None else target.source
        detail = str(exc) if isinstance(exc, LnsymError) else f"internal error: {type(exc).__name__}: {exc}"
        r = Result(name, Verdict.ERROR, list(c.preconditions) if c is not None else [], detail=detail)
    return r


def snapshot(folder: Path) -> dict[Path, int]:
    """Every file under ``folder`` with its modification time (ns)."""
    if not folder.is_dir():
        return {}
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def written(folder: Path, before: dict[Path, int]) -> set[Path]:
    """The files under ``folder`` created or rewritten since ``before``."""
    return {p for p, t in snapshot(folder).items() if before.get(p) != t}


def recheck_result(r: Result, options: Options, files: set[Path]) -> None:
    """Re-check every proved, non-structural obligation of ``r`` on exactly its export's files among ``files``
    (a folder's ``.smt2`` files, or its whole file); set each ``recheck`` and, unless all are ``unsat``, the
    verdict: ``error`` for ``sat``, a missing or empty export or an unreadable file, else ``unknown``."""
    from lnsym.prove.recheck import recheck_files

    solver = str(options.recheck)
    answers: dict[str, tuple[str, str]] = {}  # an export (file or folder) -> answer, file it concerns
    problems: list[tuple[str, str, str]] = []
    checked = [o for o in r.obligations if o.verdict == "proved" and o.method != "structural"]
    for k, o in enumerate(checked):
        export = o.smt_file or ""
        if export not in answers:
            path = Path(export)
            mine = sorted(str(f) for f in files if f.parent == path and f.suffix == ".smt2") if export and \
                path.is_dir() else [export] if export and path in files else []
            watch.note(f"re-checking {o.name!r} with {solver} ({len(mine)} files; obligation {k + 1}/{len(checked)})")
            if not export:
                answers[export] = ("missing", "no file exported")
            elif not mine:
                answers[export] = ("empty" if path.is_dir() else "missing", export)
            else:
                try:
                    answer, bad = recheck_files(mine, solver, options.timeout, options.recheck_jobs,
                                                   options.scheduler)
                    answers[export] = (answer, bad)
                except LnsymError as exc:  # a file the solver cannot read
                    answers[export] = ("error", str(exc))
        answer, where = answers[export]
        o.recheck = f"{solver}:{answer}"
        if answer != "unsat":
            problems.append((o.name, answer, where))
    if problems:
        shown = "; ".join(f"{name}: {answer} ({where})" for name, answer, where in problems[:3])
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        r.verdict = Verdict.UNKNOWN if all(a == "unknown" for _, a, _ in problems) else Verdict.ERROR
        gave_up = f" (unknown: gave up within --timeout {options.timeout:g}s per file)" \
            if any(a == "unknown" for _, a, _ in problems) else ""
        r.detail = (f"{solver} did not confirm {len(problems)} of {len(checked)} proved obligations{gave_up}: "
                    f"{shown}{more}")


def _detached(r: Result) -> Result:
    """``r`` without its obligation terms, to send between processes (only names and verdicts are shown)."""
    none = BV(1, 0)
    return dataclasses.replace(r, obligations=[dataclasses.replace(o, implementation=none, specification=none)
                                               for o in r.obligations])


def _work(job: tuple[Target, Options, str, str | None]) -> Result:
    target, options, label, smt_dir = job
    tune_gc()  # a spawned worker starts with the default collector thresholds
    return _detached(verify_target(target, options, label, smt_dir=smt_dir))


def run_all(pairs: list[tuple[Target, Contract]], options: Options, jobs: int = 1,
            smt_dirs: list[str | None] | None = None) -> tuple[list[Result], bool]:
    """Results in target order, and whether Ctrl-C stopped the run (then only the routines finished or
    interrupted are returned, the interrupted ones ``unknown``); ``jobs`` > 1 verifies in that many worker
    processes (spawned; on Ctrl-C they are terminated)."""
    from lnsym.prove.prover import Result

    n = len(pairs)
    dirs = smt_dirs or [None] * n
    results: dict[int, Result] = {}

    def interrupted(k: int, what: str, seconds: float = 0.0) -> None:
        c = pairs[k][1]
        results[k] = Result(c.name, Verdict.UNKNOWN, list(c.preconditions), seconds=seconds,
                            detail=f"interrupted (Ctrl-C) {what}")

    if options.scheduler:
        return _run_on_cluster(pairs, options, jobs, dirs, results)
    if jobs <= 1 or n <= 1:
        k = 0
        try:
            for k, (t, c) in enumerate(pairs):
                results[k] = verify_target(t, options, f"[{k + 1}/{n}] ", c, dirs[k])
                _finished(k, n, results[k])
                if watch.interrupted():  # Ctrl-C between two routines
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            watch.reset()
            if k not in results:
                interrupted(k, f"while {watch.doing()}", watch.elapsed())
            return [results[j] for j in sorted(results)], True
        return [results[k] for k in range(n)], False
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from lnsym.prove.recheck import terminate

    pool = ProcessPoolExecutor(max_workers=min(jobs, n), mp_context=multiprocessing.get_context("spawn"))
    futures = {}
    try:
        futures = {pool.submit(_work, (t, options, f"[{k + 1}/{n}] ", dirs[k])): k for k, (t, _) in enumerate(pairs)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)  # polled: Ctrl-C is seen
            for fut in done:
                k = futures[fut]
                try:
                    results[k] = fut.result()
                except Exception as exc:  # the worker process died (e.g. out of memory)
                    c = pairs[k][1]
                    results[k] = Result(c.name, Verdict.ERROR, list(c.preconditions),
                                        detail=f"worker failed: {type(exc).__name__}: {exc}")
                _finished(k, n, results[k])
            if watch.interrupted():
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        for fut, k in futures.items():
            if k not in results and fut.running():
                interrupted(k, "in a worker process")
        return [results[j] for j in sorted(results)], True
    finally:
        terminate(pool)
    return [results[k] for k in range(n)], False


def _work_indexed(item: tuple[int, tuple[Target, Options, str, str | None]]) -> Result:
    return _work(item[1])


def _run_on_cluster(pairs: list[tuple[Target, Contract]], options: Options, jobs: int, dirs: list[str | None],
                    results: dict[int, Result]) -> tuple[list[Result], bool]:
    """:func:`run_all` on Dask: one task per routine; a routine whose worker dies or that runs past its budget is
    ``unknown``, naming why."""
    from lnsym.cluster.engine import Engine
    from lnsym.prove.prover import Result

    n = len(pairs)

    def failed(item: tuple[int, object], reason: str) -> Result:
        c = pairs[item[0]][1]
        return Result(c.name, Verdict.UNKNOWN, list(c.preconditions), detail=f"on the Dask cluster: {reason}")

    def done(k: int, r: Result) -> None:
        results[k] = r
        _finished(k, n, r)

    address = None if options.scheduler == "local" else options.scheduler
    items = [(k, (t, options, f"[{k + 1}/{n}] ", dirs[k])) for k, (t, _) in enumerate(pairs)]
    with Engine(address, workers=min(jobs, n) if jobs > 1 else None) as engine:
        print(f"lnsym: verifying {n} routine(s) with {engine.describe()}", file=sys.stderr, flush=True)
        budget = None if options.recheck or options.budget is None else options.budget
        try:
            engine.map_ordered(_work_indexed, items, failed=failed, budget=budget, on_done=done,
                               interrupted=watch.interrupted)
        except KeyboardInterrupt:
            watch.reset()
            for k in range(n):
                if k not in results:
                    c = pairs[k][1]
                    results[k] = Result(c.name, Verdict.UNKNOWN, list(c.preconditions),
                                        detail="interrupted (Ctrl-C) before the cluster returned it")
            return [results[j] for j in sorted(results)], True
    return [results[k] for k in range(n)], False


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
    """Validate every option first (one-line errors, exit 2), then prove; Ctrl-C prints what is done, exits 130."""
    check_options(args)
    if args.recheck:
        from lnsym.prove.recheck import require

        require(args.recheck)  # before any proving: the second solver must be there
    pairs = resolve(args.targets)
    with smt_folder(args) as smt_root:
        dirs = smt_dirs(smt_root, [c for _, c in pairs])
        options = Options(args.object, args.timeout, str(smt_root) if smt_root else None, args.recheck,
                          args.jobs if len(pairs) == 1 else 1, args.budget, scheduler=args.scheduler)
        start = time.perf_counter()
        watch.start(sigint=True, progress_every=PROGRESS_EVERY)
        try:
            results, stopped = run_all(pairs, options, args.jobs, dirs)
        finally:
            watch.shutdown()
    wall = time.perf_counter() - start
    if args.json:
        json.dump([r.to_json() for r in results], sys.stdout, indent=1)
        print()
    else:
        print_table(results, wall, args.jobs)
    if stopped:
        print(f"lnsym: interrupted (Ctrl-C): {len(results)} of {len(pairs)} routines shown, "
              f"{len(pairs) - len(results)} not run", file=sys.stderr)
        return 130
    if args.report:
        from lnsym.cli.report import write_html

        write_html(Path(args.report), [c for _, c in pairs], results)
    return exit_code(results)


def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds > 0, not {text!r}")
    return value


def check_options(args: argparse.Namespace) -> None:
    """The checks that need more than one option, or the file system, before any work."""
    if getattr(args, "jobs", 1) < 1:
        raise LnsymError(f"--jobs must be at least 1, not {args.jobs}")
    if args.force and args.smt_out is None:
        raise LnsymError("--force only applies to --smt-out DIR")
    if args.smt_out is not None:
        out = Path(args.smt_out)
        if out.exists() and not out.is_dir():
            raise LnsymError(f"--smt-out {out}: not a folder")
        above = next((p for p in out.resolve().parents if p.exists()), None)
        if above is not None and not above.is_dir():
            raise LnsymError(f"--smt-out {out}: {above} is a file")
        if not os.access(out if out.exists() else above or Path("."), os.W_OK | os.X_OK):
            raise LnsymError(f"--smt-out {out}: not writable")
    if args.report:
        check_report_path(args.report)


def check_report_path(path: str) -> None:
    """``--report FILE``: a writable file in an existing folder (checked before any proof runs)."""
    report = Path(path)
    if report.is_dir():
        raise LnsymError(f"--report {report}: is a folder")
    if not report.parent.is_dir():
        raise LnsymError(f"--report {report}: no folder {report.parent}")
    if not os.access(report.parent, os.W_OK | os.X_OK) or (report.exists() and not os.access(report, os.W_OK)):
        raise LnsymError(f"--report {report}: not writable")


def prepare_smt_out(out: Path, force: bool) -> Path:
    """``out`` created if need be; a non-empty one is refused unless ``force``, which deletes the files its
    manifest lists (an earlier run's) and nothing else."""
    out.mkdir(parents=True, exist_ok=True)
    out = out.resolve()
    if not any(out.iterdir()):
        return out
    manifest = out / MANIFEST
    if not force:
        kind = "an earlier lnsym run's files" if manifest.is_file() else "files lnsym did not write"
        raise LnsymError(f"--smt-out {out} is not empty ({kind}); --force deletes the files its {MANIFEST} lists")
    if manifest.is_file():
        for line in manifest.read_text().splitlines():
            if not line or line.startswith("#"):
                continue
            f = (out / line).resolve()
            if out not in f.parents or not f.is_file():
                continue  # only files inside the folder
            f.unlink()
            parent = f.parent
            while parent != out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        manifest.unlink()
    return out


@contextmanager
def smt_folder(args: argparse.Namespace) -> Iterator[Path | None]:
    """The folder exports go to: ``--smt-out`` (prepared, its manifest written at the end), a temporary one for
    ``--recheck`` alone (deleted at the end), or None."""
    temporary = bool(args.recheck) and args.smt_out is None
    root = prepare_smt_out(Path(args.smt_out), args.force) if args.smt_out is not None else \
        Path(tempfile.mkdtemp(prefix="lnsym-smt-")).resolve() if temporary else None
    before = snapshot(root) if root else {}
    try:
        yield root
    finally:
        if temporary and root is not None:
            shutil.rmtree(root, ignore_errors=True)
        elif root is not None:
            write_manifest(root, before)


def write_manifest(root: Path, before: dict[Path, int]) -> None:
    """List, relative to ``root``, the files this run wrote under it (what ``--force`` may delete next time)."""
    mine = sorted(p.relative_to(root).as_posix() for p in written(root, before) if p.name != MANIFEST)
    if not mine and not (root / MANIFEST).exists():
        return
    lines = ["# files written by lnsym verify --smt-out (lnsym verify --force deletes these, and only these)", *mine]
    (root / MANIFEST).write_text("\n".join(lines) + "\n")


def smt_dirs(root: Path | None, contracts: list[Contract]) -> list[str | None]:
    """One folder per target under ``root``, named after its contract (``~2``, ``~3`` ... when names repeat)."""
    if root is None:
        return [None] * len(contracts)
    seen: dict[str, int] = {}
    out: list[str | None] = []
    for c in contracts:
        name = _safe_dir(c.name)
        seen[name] = seen.get(name, 0) + 1
        out.append(str(root / (name if seen[name] == 1 else f"{name}~{seen[name]}")))
    return out


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
               Text(",".join(sorted({o.method for o in r.obligations if o.method})))]
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
    if cx and "inputs" in cx:
        lines.append(f"  counterexample for {cx['obligation']}: inputs {cx['inputs']}")
        lines.append(f"    expected {cx['expected']}, routine computes {cx['symbolic_actual']}")
        lines += [f"    {key}: {cx[key]}" for key in ("entry_registers", "replay_lnsym", "replay_unicorn") if key in cx]
    elif cx:  # a loop obligation: a state, not a call (lnsym.prove.induction)
        model = cx.get("model") or {}
        shown = ", ".join(f"{k} = {v:#x}" for k, v in list(model.items())[:12])  # type: ignore[union-attr]
        lines.append(f"  {cx['obligation']} fails in {cx.get('note', 'a state')}: {shown}"
                     f"{' ...' if len(model) > 12 else ''}")  # type: ignore[arg-type]
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
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster: a scheduler's address (tcp://host:8786), or 'local' for a LocalCluster "
                   "of --jobs workers (default: one per CPU); one task per routine, results in target order, a "
                   "routine whose worker dies or overruns --budget is unknown")
    p.add_argument("--smt-out", help="write every decided obligation as SMT-LIB2 under this folder (one sub-folder "
                   "per routine, names with the path index): whole files, and lemma-chain or (polarized) column "
                   f"folders a second solver re-proves file by file; what a run wrote is listed in {MANIFEST}; "
                   "a non-empty folder is refused unless --force")
    p.add_argument("--force", action="store_true",
                   help="with --smt-out: a non-empty folder is accepted; the files of the earlier run listed in its "
                   f"{MANIFEST} are deleted first (nothing else)")
    p.add_argument("--timeout", type=positive_seconds, default=60.0,
                   help="seconds per solver query, and per file for --recheck (timeout = unknown)")
    p.add_argument("--budget", type=positive_seconds, default=DEFAULT_BUDGET,
                   help=f"seconds per routine, proof and exports (default {DEFAULT_BUDGET:g}): then it is unknown, "
                   f"naming what was being proved; a progress line goes to stderr every {PROGRESS_EVERY:g} s")
    p.add_argument("--report", help="write an HTML report to this file")
    p.add_argument("--recheck", choices=("bitwuzla", "cvc5"),
                   help="re-prove every exported obligation of each proved routine (exactly the files of this run) "
                   "with a second solver: exit 2 unless all are unsat (optional extra: pip install 'lnsym[recheck]'); "
                   "without --smt-out the files go to a temporary folder, removed at the end")
    p.set_defaults(func=run, error_status=2)  # exit 1 means refuted: an error is 2, like unknown
