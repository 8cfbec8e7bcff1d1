"""``lnsym mutate TARGET [--count N] [--seed S]``: kill-rate table of single-instruction mutants.

Exit 0 when every mutant that concrete testing shows wrong is refuted with a replaying counterexample
and no wrong mutant is proved; 1 otherwise (any ``UNSOUND`` mutant is also printed loudly).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from lnsym.errors import LnsymError

if TYPE_CHECKING:
    from lnsym.check.mutation import RoutineReport

STATUSES = ("killed", "rejected", "equivalent", "undecided", "missed", "UNSOUND")


def analyse_targets(targets: list[str], count: int, seed: int, trials: int, timeout: float,
                    scheduler: str | None = None) -> list[RoutineReport]:
    from lnsym.check.mutation import analyse
    from lnsym.cli.verify import resolve
    from lnsym.load.loader import load

    reports = []
    for target, c in resolve(targets):
        print(f"mutating {c.name} ...", file=sys.stderr, flush=True)
        image = load(c.object_path(), member=c.member, symbol=c.symbol, defines=c.defines or None)
        if scheduler:
            reports.append(_analyse_on_cluster(target, c, image, (count, seed, trials, timeout), scheduler))
        else:
            reports.append(analyse(c, image, count, seed=seed, trials=trials, timeout_s=timeout))
    return reports


def _assess_remote(job: tuple[object, tuple[int, int, int, float], int]) -> object:
    """One mutant, in a Dask worker: load the target again, prepare (deterministically) and assess mutant ``k``."""
    from lnsym.check.mutation import assess, prepare
    from lnsym.load.loader import load

    target, (count, seed, trials, timeout), k = job
    c = target.load()  # type: ignore[attr-defined]
    image = load(c.object_path(), member=c.member, symbol=c.symbol, defines=c.defines or None)
    _, bounded, tests, mutants = prepare(c, image, count, seed, trials)
    return assess(bounded, image, mutants[k], tests, timeout)


def _analyse_on_cluster(target: object, c: object, image: object, params: tuple[int, int, int, float],
                        scheduler: str) -> RoutineReport:
    """One Dask task per mutant; a mutant whose task dies or overruns is ``undecided`` (never proved)."""
    from lnsym.check.mutation import prepare, unassessed
    from lnsym.cluster.engine import engine_for

    count, seed, trials, timeout = params
    report, _, _, mutants = prepare(c, image, count, seed, trials)  # type: ignore[arg-type]
    if report.skipped:
        return report
    jobs = [(target, params, k) for k in range(len(mutants))]
    with engine_for(scheduler) as engine:
        print(f"lnsym: {len(mutants)} mutants of {report.routine} with {engine.describe()}", file=sys.stderr)
        report.results = engine.map_ordered(  # type: ignore[assignment]
            _assess_remote, jobs, failed=lambda job, why: unassessed(mutants[job[2]], why),
            budget=max(600.0, 20 * timeout))
    return report


def print_reports(reports: list[RoutineReport]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from lnsym.cli.verify import console

    out = console()
    table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False, show_footer=True)
    total = [r for rep in reports for r in rep.results]
    shown = sum(r.concrete == "differs" for r in total)
    killed = sum(r.concrete == "differs" and r.status == "killed" for r in total)
    columns = [("routine", f"total ({len(reports)})"), ("insns", str(sum(rep.instructions for rep in reports))),
               ("mutants", str(len(total))), ("differ", str(shown))]
    columns += [(s, str(sum(r.status == s for r in total))) for s in STATUSES]
    columns += [("kill rate", _rate(killed, shown)), ("time", f"{sum(r.seconds for r in total):.1f}s")]
    for name, footer in columns:
        table.add_column(name, footer=Text(footer), justify="left" if name == "routine" else "right", no_wrap=True)
    for rep in reports:
        table.add_row(Text(rep.routine), str(rep.instructions), str(len(rep.results)), str(rep.distinguished),
                      *(str(rep.count(s)) for s in STATUSES),
                      _rate(rep.killed_distinguished, rep.distinguished),
                      f"{sum(r.seconds for r in rep.results):.1f}s")
    out.print(table)
    out.print("kill rate = mutants refuted with a replaying counterexample / mutants that concrete tests show wrong"
              " (killed also counts mutants the tests missed that verify refuted with a replaying counterexample)",
              markup=False)
    for rep in reports:
        if rep.skipped:
            out.print(f"{rep.routine}: skipped: {rep.skipped}", markup=False)
        for r in rep.results:
            if r.status in ("killed", "rejected"):
                continue
            loud = "!!! SOUNDNESS BUG: concrete testing shows this mutant wrong, yet it was PROVED: " \
                if r.status == "UNSOUND" else ""
            out.print(f"{loud}{rep.routine}: {r.status}: {r.mutant.describe()}; concrete {r.concrete}"
                      f"{' (' + r.concrete_detail + ')' if r.concrete_detail else ''}; verify {r.verdict}"
                      f"{' (' + r.detail + ')' if r.detail else ''}", markup=False, soft_wrap=True)


def _rate(killed: int, shown: int) -> str:
    return f"{100 * killed / shown:.0f}%" if shown else "-"


def run(args: argparse.Namespace) -> int:
    if args.count < 1 or args.trials < 1:
        raise LnsymError("--count and --trials must be at least 1")
    reports = analyse_targets(args.targets, args.count, args.seed, args.trials, args.timeout, args.scheduler)
    print_reports(reports)
    bad = [r for rep in reports for r in rep.results if r.status in ("UNSOUND", "missed")]
    return 1 if bad or any(rep.skipped for rep in reports) else 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("mutate", help="mutation analysis: verify must refute every mutant shown wrong")
    p.add_argument("targets", nargs="+", help="contract files or folders, or openssl:NAME")
    p.add_argument("--count", type=int, default=16, help="mutants per routine")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--trials", type=int, default=3, help="random concrete tests per mutant")
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per solver query (timeout = unknown)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="assess the mutants as tasks on a Dask cluster (tcp://host:8786, or 'local' for a "
                   "LocalCluster): one task per mutant, results in order")
    p.set_defaults(func=run)
