"""``lnsym survey OBJECT...``: every global function of the objects (each member of an archive) with every contract
that targets it and its verdict -- proved, refuted, unknown or error (with the reason) -- or ``no contract``, with
whether lnsym decodes every instruction word the function runs (missing contract, or missing semantics).

A contract targets a function when it is

* built in (``lnsym verify openssl:NAME``): its archive member (the member's name, or a plain object's file name,
  e.g. one taken out with ``ar x``) and symbol match; it is then proved against the surveyed object;
* a bundled contract file (``programs/*.py``) or proof script (``programs/proofs/**/*.py``, ``lnsym prove``): its
  object (or archive member) has the same bytes as the surveyed one, and its symbol matches.  The OpenSSL proof
  scripts (``programs/proofs/openssl``) are only read when a surveyed member is one the built-in contracts name
  (importing them fetches libcrypto.a if it is not cached).

Local functions are listed when a contract targets them (``--locals``: all of them).  Every contract runs as
``lnsym verify`` (its ``--timeout`` per solver query, ``--budget`` per routine, ``--jobs``) or ``lnsym prove``.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from html import escape
from pathlib import Path

from lnsym.cli.verify import (
    DEFAULT_BUDGET,
    PROGRESS_EVERY,
    VERDICT_STYLE,
    Options,
    Target,
    bundled_programs_dir,
    check_report_path,
    console,
    exit_code,
    positive_seconds,
    resolve,
    run_all,
)
from lnsym.errors import LnsymError
from lnsym.load.image import Image
from lnsym.machine.listing import OUTSIDE, FunctionCoverage, coverage
from lnsym.prove import watch
from lnsym.prove.contract import Contract
from lnsym.prove.procedures import Verdict
from lnsym.prove.prover import Result

NO_CONTRACT, NOT_RUN = "no contract", "not run"
VERDICTS = ("proved", "refuted", "unknown", "error", NOT_RUN)
OPENSSL_SCRIPTS = "openssl"  # the folder of programs/proofs whose scripts target OpenSSL's libcrypto.a


@dataclass(frozen=True)
class Unit:
    """One surveyed ELF object: a plain file, or one member of an archive."""

    file: str
    member: str | None
    image: Image

    @property
    def name(self) -> str:
        """The member's name, or the plain object's file name."""
        return self.member or os.path.basename(self.file)

    def digest(self) -> str:
        return elf_digest(self.file, self.member)


@dataclass(frozen=True)
class Candidate:
    """A contract that may target a surveyed function: built in, a bundled contract file, or a proof script."""

    kind: str  # "built-in", "bundled", "script"
    contract: Contract
    source: str  # "openssl:NAME", the contract file, or the script
    target: Target | None = None  # how run_all loads it again (not for scripts)

    def targets(self, unit: Unit, symbol: str) -> bool:
        c = self.contract
        if c.symbol != symbol:
            return False
        if self.kind == "built-in":
            return c.member == unit.name
        try:
            return elf_digest(str(c.object_path()), c.member) == unit.digest()
        except (LnsymError, OSError):
            return False  # its object is missing or broken: it targets nothing here


@dataclass
class Row:
    """One line of the survey: a function with one of its contracts (or none) and the verdict."""

    unit: Unit
    symbol: str
    binding: str
    words: int
    unsupported: int
    candidate: Candidate | None = None
    verdict: str = NO_CONTRACT
    seconds: float = 0.0
    note: str = ""  # the contract's preconditions, the reason (unknown, error), what lnsym decodes (no contract)
    result: Result | None = None
    assumptions: list[str] = field(default_factory=list)  # every assumption of the proof (once run)

    @property
    def function(self) -> str:
        return f"{self.unit.name}:{self.symbol}"

    def to_json(self) -> dict[str, object]:
        c = self.candidate
        return {"object": self.unit.file, "member": self.unit.member, "symbol": self.symbol, "binding": self.binding,
                "contract": c.contract.name if c else None, "kind": c.kind if c else None,
                "source": c.source if c else None, "verdict": self.verdict, "seconds": round(self.seconds, 3),
                "preconditions": list(c.contract.preconditions) if c else [], "assumptions": self.assumptions,
                "note": self.note, "words": self.words, "unsupported_words": self.unsupported}


# -- objects and functions ------------------------------------------------------------------------------------


def elf_digest(path: str, member: str | None) -> str:
    """SHA-256 of a plain object's bytes, or of one archive member's."""
    real = os.path.realpath(path)
    st = os.stat(real)
    return _digest(real, member, st.st_mtime_ns, st.st_size)


@cache
def _digest(path: str, member: str | None, _mtime_ns: int, _size: int) -> str:
    """:func:`elf_digest`, read once per version of the file."""
    from lnsym.load import archive

    with open(path, "rb") as f:
        data = f.read()
    if archive.is_archive(data):
        if member is None:
            raise LnsymError(f"{path}: an archive: a member is needed")
        data = archive.parse(data, path).member(member).data
    return hashlib.sha256(data).hexdigest()


def units(paths: list[str], patterns: list[str]) -> list[Unit]:
    """Every object to survey: plain objects, and the archive members matching one of ``patterns`` (all when
    none); a file that cannot be read, or a member that is not a well-formed AArch64 ELF object, is an error."""
    from lnsym.load.loader import archive_members, iter_members, load

    out: list[Unit] = []
    for path in paths:
        if not archive_members(path):
            out.append(Unit(path, None, load(path)))
            continue
        chosen = [name for name in archive_members(path) if not patterns
                  or any(fnmatch.fnmatchcase(name, p) for p in patterns)]
        if not chosen:
            raise LnsymError(f"{path}: no member matches --members {' '.join(patterns)}")
        for name, image in iter_members(path):
            if name not in chosen:
                continue
            if isinstance(image, LnsymError):
                raise image
            out.append(Unit(path, name, image))
    return out


def functions(unit: Unit) -> list[tuple[FunctionCoverage, str]]:
    """The unit's functions in address order, each with its binding (global, weak or local), and how many of
    its words lnsym decodes (:func:`lnsym.machine.listing.coverage`)."""
    out = []
    for f in coverage(unit.image).functions:
        if f.name == OUTSIDE:
            continue
        sym = unit.image.symbols.get(f.name)
        out.append((f, sym.binding if sym is not None else "local"))
    return out


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def branch_target(word: int, address: int) -> int | None:
    """Where a direct branch goes (B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ), else None."""
    if word & 0x7C000000 == 0x14000000:  # B, BL: imm26
        return address + 4 * _signed(word & 0x03FFFFFF, 26)
    if word & 0xFF000010 == 0x54000000 or word & 0x7E000000 == 0x34000000:  # B.cond, CBZ/CBNZ: imm19
        return address + 4 * _signed((word >> 5) & 0x7FFFF, 19)
    if word & 0x7E000000 == 0x36000000:  # TBZ/TBNZ: imm14
        return address + 4 * _signed((word >> 5) & 0x3FFF, 14)
    return None


def semantics_note(unit: Unit, symbol: str, by_name: dict[str, FunctionCoverage]) -> str:
    """For a function without a contract: whether lnsym decodes every word it may run -- its own and those of the
    functions of the same object it branches to directly, transitively -- and which routines outside the object
    it calls (not followed)."""
    image = unit.image
    reached, todo, outside = [symbol], [symbol], []
    starts = {start: name for name, (start, _) in image.functions.items()}
    undefined = {address: name for name, address in image.undefined.items()}
    while todo:
        for address, word, is_code in image.words(todo.pop()):
            target = branch_target(word, address) if is_code else None
            callee = starts.get(target) if target is not None else None
            if callee is not None and callee not in reached and callee in by_name:
                reached.append(callee)
                todo.append(callee)
            elif target in undefined and undefined[target] not in outside:
                outside.append(undefined[target])
    covered = [by_name[n] for n in reached if n in by_name]
    total = sum(f.instructions for f in covered)
    missing = [u for f in covered for u in f.unsupported]
    also = f", with {', '.join(reached[1:])} that it branches to" if len(reached) > 1 else ""
    calls = f"; it calls {', '.join(outside)} outside this object (not followed)" if outside else ""
    if not missing:
        return f"every instruction word decodes ({total} words{also}): a contract is missing{calls}"
    mnemonics: dict[str, int] = {}
    for u in missing:
        m = (u.capstone or "invalid").split()[0]
        mnemonics[m] = mnemonics.get(m, 0) + 1
    shown = ", ".join(f"{m} x{n}" for m, n in sorted(mnemonics.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{len(missing)} of {total} instruction words not decoded ({shown}{also}): semantics are missing{calls}"


# -- contracts ------------------------------------------------------------------------------------------------


def candidates(surveyed: list[Unit]) -> list[Candidate]:
    """Every contract that may target a surveyed function: built in, bundled, and proof scripts."""
    from lnsym.cli.prove import load_script
    from lnsym.contracts.openssl import CONTRACTS

    out = [Candidate("built-in", c, f"openssl:{key}") for key, c in CONTRACTS.items()]
    programs = bundled_programs_dir()
    out += [Candidate("bundled", c, t.source, t) for t, c in resolve([str(programs)])]
    members = {c.member for c in CONTRACTS.values()}
    openssl = any(u.name in members for u in surveyed)
    for script in sorted((programs / "proofs").rglob("*.py")):
        if script.name.startswith("_") or (script.parent.name == OPENSSL_SCRIPTS and not openssl):
            continue
        out.append(Candidate("script", load_script(script)[0], str(script)))
    return out


def survey_rows(surveyed: list[Unit], found: list[Candidate], locals_too: bool = False) -> list[Row]:
    """One row per (function, contract targeting it), or one ``no contract`` row: global functions, and local
    ones a contract targets (every one with ``locals_too``)."""
    rows: list[Row] = []
    for unit in surveyed:
        listed = functions(unit)
        by_name = {f.name: f for f, _ in listed}
        for f, binding in listed:
            mine = [c for c in found if c.targets(unit, f.name)]
            if not mine and binding == "local" and not locals_too:
                continue
            base = dict(unit=unit, symbol=f.name, binding=binding, words=f.instructions, unsupported=len(f.unsupported))
            if not mine:
                rows.append(Row(**base, note=semantics_note(unit, f.name, by_name)))  # type: ignore[arg-type]
            rows += [Row(**base, candidate=c, verdict=NOT_RUN,  # type: ignore[arg-type]
                         note="; ".join(c.contract.preconditions)) for c in mine]
    return rows


# -- proving --------------------------------------------------------------------------------------------------


def run_script(path: str, contract: Contract, options: Options, label: str) -> Result:
    """``lnsym prove`` on one script, within ``options.budget`` seconds; a failure is its verdict."""
    from lnsym.cli.prove import run_script as prove_script

    watch.set_label(f"{label}{contract.name}")
    print(f"{label}proving {contract.name} ...", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        with watch.routine(options.budget):
            return prove_script(path, options.timeout)
    except watch.BudgetExceeded:
        watch.reset()
        return Result(contract.name, Verdict.UNKNOWN, list(contract.preconditions),
                      detail=f"budget of {options.budget:g}s per routine exhausted while {watch.doing()}",
                      seconds=time.perf_counter() - start)
    except LnsymError as exc:
        return Result(contract.name, Verdict.ERROR, list(contract.preconditions), detail=str(exc),
                      seconds=time.perf_counter() - start)


def prove_rows(rows: list[Row], options: Options, jobs: int) -> bool:
    """Run the contract of every row that has one (verify's runner for contracts, ``lnsym prove``'s for scripts),
    filling in its verdict; whether Ctrl-C stopped the run (rows not reached stay ``not run``)."""
    todo = [r for r in rows if r.candidate is not None]
    plain = [r for r in todo if r.candidate and r.candidate.kind != "script"]
    scripts = [r for r in todo if r.candidate and r.candidate.kind == "script"]
    pairs = []
    for r in plain:
        c = r.candidate
        assert c is not None
        target = c.target or Target(c.source, library=r.unit.file)
        pairs.append((target, target.load() if c.target is None else c.contract))
    results, stopped = run_all(pairs, options, jobs)
    for r, res in zip(plain, results):
        fill(r, res)
    n = len(scripts)
    for k, r in enumerate(scripts if not stopped else []):
        c = r.candidate
        assert c is not None
        try:
            res = run_script(c.source, c.contract, options, f"[script {k + 1}/{n}] ")
        except KeyboardInterrupt:
            watch.reset()
            fill(r, Result(c.contract.name, Verdict.UNKNOWN, [], detail="interrupted (Ctrl-C)"))
            return True
        fill(r, res)
        print(f"[script {k + 1}/{n}] {res.contract}: {res.verdict} in {res.seconds:.2f}s", file=sys.stderr, flush=True)
        if watch.interrupted():
            return True
    return stopped


def fill(row: Row, result: Result) -> None:
    """The row's verdict, time, assumptions (all the prover made) and, unless proved, the reason as its note (a
    proved row keeps its contract's preconditions: the path it names)."""
    row.result, row.verdict, row.seconds = result, str(result.verdict), result.seconds
    row.assumptions = list(result.assumptions)
    if result.verdict != Verdict.PROVED:
        row.note = result.detail


# -- output ---------------------------------------------------------------------------------------------------


def counts(rows: list[Row]) -> dict[str, int]:
    """Functions, those with a contract and without, then contract rows by verdict."""
    names = {(r.unit.file, r.unit.member, r.symbol) for r in rows}
    covered = {(r.unit.file, r.unit.member, r.symbol) for r in rows if r.candidate is not None}
    out = {"functions": len(names), "with contract": len(covered), "no contract": len(names) - len(covered),
           "contracts": sum(r.candidate is not None for r in rows)}
    out.update({v: sum(r.verdict == v for r in rows) for v in VERDICTS})
    return out


def counts_line(rows: list[Row], wall: float | None = None) -> str:
    n = counts(rows)
    shown = ", ".join(f"{n[v]} {v}" for v in VERDICTS if n[v] or v in ("proved", "refuted", "unknown"))
    line = (f"{n['functions']} functions: {n['with contract']} with a contract ({n['contracts']} contracts: {shown}), "
            f"{n['no contract']} without")
    return line + (f"; {wall:.1f}s" if wall is not None else "")


def _source(row: Row) -> str:
    from lnsym.cli.report import shorten

    c = row.candidate
    return shorten(c.source) if c is not None else ""


def print_rows(rows: list[Row], wall: float | None) -> None:
    """The survey as a table on stdout, then the counts line."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from lnsym.cli.report import shorten

    out = console()
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False)
    for name, justify in (("function", "left"), ("contract", "left"), ("verdict", "left"), ("time", "right"),
                          ("assumptions / reason", "left")):
        table.add_column(name, justify=justify, no_wrap=name != "assumptions / reason")  # type: ignore[arg-type]
    for r in rows:
        c = r.candidate
        contract = f"{c.contract.name} ({c.kind})" if c else "-"
        local = " (local)" if r.binding == "local" else ""
        table.add_row(Text(r.function + local), Text(contract),
                      Text(r.verdict.upper(), style=VERDICT_STYLE.get(r.verdict, "")),
                      f"{r.seconds:.2f}s" if r.result is not None else "", Text(shorten(r.note)))
    out.print(table)
    out.print(counts_line(rows, wall), markup=False)


def markdown(rows: list[Row], wall: float | None) -> str:
    """The survey as a Markdown table, then the counts line."""
    from lnsym.cli.report import shorten

    def cell(text: str) -> str:
        return shorten(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| function | contract | verdict | time | assumptions / reason |", "|---|---|---|---:|---|"]
    for r in rows:
        c = r.candidate
        contract = f"`{c.contract.name}` ({c.kind})" if c else "-"
        local = " (local)" if r.binding == "local" else ""
        time_s = f"{r.seconds:.2f} s" if r.result is not None else ""
        lines.append(f"| `{r.unit.name}`: `{r.symbol}`{local} | {contract} | {r.verdict} | {time_s} | {cell(r.note)} |")
    return "\n".join(lines) + f"\n\n{counts_line(rows, wall)}\n"


def html(rows: list[Row], wall: float | None, command: str) -> str:
    """A self-contained page: the counts, the survey table, then each contract run as ``lnsym verify --report``
    shows it."""
    from lnsym import __version__
    from lnsym.cli.report import badge, page, section, shorten

    n = counts(rows)
    totals = "".join(f"<div><b>{n[k]}</b>{escape(k)}</div>" for k in
                     ("functions", "with contract", "no contract", "contracts", *VERDICTS) if n[k] or k != NOT_RUN)
    if wall is not None:
        totals += f"<div><b>{wall:.1f} s</b>wall clock</div>"
    parts = [f"<h1>lnsym survey</h1><p>lnsym {escape(__version__)}: <code>{escape(shorten(command))}</code></p>"
             "<p>Every global function of the objects, with every contract that targets it and its verdict, or "
             "<b>no contract</b> with whether lnsym decodes every instruction word it runs.</p>",
             f'<div class="totals">{totals}</div>']
    body, sections = [], []
    for k, r in enumerate(rows):
        c = r.candidate
        contract = "-"
        if c is not None:
            ident = f"s{k}"
            contract = (f'<a href="#{ident}"><code>{escape(c.contract.name)}</code></a>' if r.result is not None
                        else f"<code>{escape(c.contract.name)}</code>") + f" ({escape(c.kind)})"
            if r.result is not None:
                sections.append(section(c.contract, r.result, ident))
        local = " (local)" if r.binding == "local" else ""
        time_s = f"{r.seconds:.2f} s" if r.result is not None else ""
        body.append(f"<tr><td><code>{escape(r.unit.name)}</code><br><code>{escape(r.symbol)}</code>{local}</td>"
                    f"<td>{contract}</td><td>{badge(r.verdict)}</td><td class=num>{time_s}</td>"
                    f"<td>{escape(shorten(r.note))}</td></tr>")
    widths = "".join(f'<col style="width:{w}%">' for w in (26, 22, 13, 8))
    parts.append(f'<table class="summary"><colgroup>{widths}<col></colgroup><tr><th>function</th><th>contract</th>'
                 f"<th>verdict</th><th class=num>time</th><th>assumptions / reason</th></tr>{''.join(body)}</table>")
    return page(f"lnsym survey: {n['functions']} functions, {n['proved']} contracts proved", parts + sections)


def survey_json(rows: list[Row], wall: float | None) -> dict[str, object]:
    return {"rows": [r.to_json() for r in rows], "counts": counts(rows),
            "seconds": round(wall, 3) if wall is not None else None}


def status(rows: list[Row]) -> int:
    """0 when every contract run proved (or none ran), 1 when some are refuted and the rest proved, else 2."""
    ran = [r.result for r in rows if r.result is not None]
    return exit_code(ran) if ran else 0


# -- the command ----------------------------------------------------------------------------------------------


def command_line(args: argparse.Namespace) -> str:
    """The survey's command, as the report shows it (what decides the rows and verdicts)."""
    import shlex

    words = ["lnsym", "survey", *args.objects, *(w for p in args.members for w in ("--members", p))]
    words += ["--locals"] * args.locals + ["--no-prove"] * args.no_prove
    words += [w for p in args.run for w in ("--run", p)]
    if not args.no_prove:
        words += ["--timeout", f"{args.timeout:g}", "--budget", f"{args.budget:g}", "--jobs", str(args.jobs)]
    return " ".join(shlex.quote(w) for w in words)


def run(args: argparse.Namespace) -> int:
    """Check the options, read every object, find the contracts, prove them (unless ``--no-prove``), print."""
    if args.jobs < 1:
        raise LnsymError(f"--jobs must be at least 1, not {args.jobs}")
    if args.run and args.no_prove:
        raise LnsymError("--run names the contracts to prove: not with --no-prove")
    if args.report:
        check_report_path(args.report)
    surveyed = units(args.objects, args.members)
    rows = survey_rows(surveyed, candidates(surveyed), args.locals)
    chosen = [r for r in rows if r.candidate is not None and (not args.run or any(
        fnmatch.fnmatchcase(r.candidate.contract.name, p) for p in args.run))]
    if args.run and not chosen:
        raise LnsymError(f"no contract of the surveyed functions matches --run {' '.join(args.run)}")
    start = time.perf_counter()
    stopped = False
    if not args.no_prove:
        options = Options(None, args.timeout, None, None, 1, args.budget)
        watch.start(sigint=True, progress_every=PROGRESS_EVERY)
        try:
            stopped = prove_rows(chosen, options, args.jobs)
        finally:
            watch.shutdown()
    wall = None if args.no_prove else time.perf_counter() - start
    show: Callable[[], None]
    if args.json:
        def show() -> None:
            json.dump(survey_json(rows, wall), sys.stdout, indent=1)
            print()
    elif args.markdown:
        def show() -> None:
            sys.stdout.write(markdown(rows, wall))
    else:
        def show() -> None:
            print_rows(rows, wall)
    show()
    if stopped:
        print(f"lnsym: interrupted (Ctrl-C): {sum(r.verdict == NOT_RUN for r in rows)} contracts not run",
              file=sys.stderr)
        return 130
    if args.report:
        Path(args.report).write_text(html(rows, wall, command_line(args)), encoding="utf-8")
    return status(rows)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("survey", help="every global function of objects with its contracts' verdicts",
                       description=__doc__)
    p.add_argument("objects", nargs="+", metavar="OBJECT", help="ELF objects or archives (every member)")
    p.add_argument("--members", action="append", default=[], metavar="PATTERN",
                   help="only the archive members whose name matches this glob (repeatable), e.g. '*armv8*.o'")
    p.add_argument("--locals", action="store_true", help="list every local function too (not only those a "
                   "contract targets)")
    p.add_argument("--no-prove", action="store_true", help="list the contracts without running them")
    p.add_argument("--run", action="append", default=[], metavar="PATTERN",
                   help="prove only the contracts whose name matches this glob (repeatable); the others are listed "
                   "as not run")
    p.add_argument("--json", action="store_true", help="one object: rows and counts")
    p.add_argument("--markdown", action="store_true", help="the table in Markdown")
    p.add_argument("--report", help="write an HTML report to this file")
    p.add_argument("--timeout", type=positive_seconds, default=60.0, help="seconds per solver query (as verify)")
    p.add_argument("--budget", type=positive_seconds, default=DEFAULT_BUDGET,
                   help=f"seconds per contract (default {DEFAULT_BUDGET:g}): then it is unknown, naming what was "
                   "being proved")
    p.add_argument("--jobs", "-j", type=int, default=1, help="prove contracts in N worker processes (scripts run "
                   "one after another)")
    p.set_defaults(func=run)
