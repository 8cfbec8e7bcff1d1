"""Re-check exported SMT-LIB2 obligations with a second solver (``lnsym verify --recheck``).

Each file asserts the path condition and the *negation* of an obligation, so ``unsat`` confirms it.
Bitwuzla and cvc5 are optional extras (``pip install 'lnsym[recheck]'``).  Answers: ``unsat``
(confirmed), ``sat`` (the second solver disagrees), ``unknown`` (it gave up: the per-file time limit, or
Ctrl-C), ``empty`` (a folder with no ``.smt2`` file: nothing was confirmed).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from lnsym.errors import LnsymError
from lnsym.prove import watch

SOLVERS = ("bitwuzla", "cvc5")


def require(solver: str) -> None:
    """Raise a one-line :class:`LnsymError` unless ``solver``'s Python package imports (call it before proving)."""
    if solver not in SOLVERS:
        raise LnsymError(f"unknown solver {solver!r} for --recheck (choose from {', '.join(SOLVERS)})")
    try:
        importlib.import_module(solver)
    except ImportError:
        raise LnsymError(f"--recheck {solver} needs the {solver} package: pip install 'lnsym[recheck]' "
                         f"(or pip install {solver})") from None


def recheck(path: str, solver: str, timeout_s: float = 60.0, jobs: int = 1) -> str:
    """The answer for one file, or for a folder (a column decomposition, :mod:`lnsym.prove.columns` or
    :mod:`lnsym.prove.polar`, or a lemma chain, :mod:`lnsym.prove.chain`): ``unsat`` when every ``.smt2`` file in it is,
    ``empty`` when it has none.  ``jobs`` > 1 checks a folder's files in that many processes."""
    if Path(path).is_dir():
        return recheck_files([str(f) for f in sorted(Path(path).glob("*.smt2"))], solver, timeout_s, jobs)[0]
    return _one(path, solver, timeout_s)


def recheck_files(files: Sequence[str], solver: str, timeout_s: float = 60.0, jobs: int = 1,
                  scheduler: str | None = None) -> tuple[str, str]:
    """``("unsat", "")`` if every file is unsat, else the first other answer met and its file (the remaining
    files are skipped); ``("empty", "")`` for no files.  With ``scheduler`` (a Dask address or 'local') every
    file is a task on that cluster; a file whose task dies or overruns its timeout answers ``unknown``."""
    if not files:
        return "empty", ""
    if scheduler:
        return _recheck_on_cluster(files, solver, timeout_s, scheduler)
    if jobs <= 1 or len(files) <= 1:
        for f in files:
            answer = _one(f, solver, timeout_s)
            if answer != "unsat":
                return answer, f
        return "unsat", ""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        pending = {pool.submit(_one, f, solver, timeout_s): f for f in files}
        while pending:
            done, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)  # polled: Ctrl-C is seen
            if watch.interrupted():
                raise KeyboardInterrupt
            for fut in done:
                f = pending.pop(fut)
                answer = fut.result()
                if answer != "unsat":
                    return answer, f
        return "unsat", ""
    finally:
        terminate(pool)


def _one_file(job: tuple[str, str, float]) -> str:
    return _one(*job)


def _recheck_on_cluster(files: Sequence[str], solver: str, timeout_s: float, scheduler: str) -> tuple[str, str]:
    from lnsym.cluster.engine import engine_for

    jobs = [(f, solver, timeout_s) for f in files]
    with engine_for(scheduler) as engine:
        answers = engine.map_ordered(_one_file, jobs, failed=lambda _job, _why: "unknown", budget=timeout_s,
                                     interrupted=watch.interrupted)
    for f, answer in zip(files, answers):
        if answer != "unsat":
            return answer, f
    return "unsat", ""


def terminate(pool: object) -> None:
    """Stop a ``ProcessPoolExecutor`` now: cancel what has not started, terminate its processes."""
    procs = list((getattr(pool, "_processes", None) or {}).values())  # private, but the only handle on them
    pool.shutdown(wait=False, cancel_futures=True)  # type: ignore[attr-defined]
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(5)


def _one(path: str, solver: str, timeout_s: float) -> str:
    """One file's answer; a file the solver cannot read is an :class:`LnsymError` naming it."""
    require(solver)
    try:
        return _bitwuzla(path, timeout_s) if solver == "bitwuzla" else _cvc5(path, timeout_s)
    except (RuntimeError, ValueError) as exc:  # the solvers' parse errors
        raise LnsymError(f"{solver} cannot read {path}: {str(exc).strip().splitlines()[0][:200]}") from None


def _bitwuzla(path: str, timeout_s: float) -> str:
    import bitwuzla

    options = bitwuzla.Options()
    options.set(bitwuzla.Option.TIME_LIMIT_PER, int(timeout_s * 1000))
    parser = bitwuzla.Parser(bitwuzla.TermManager(), options)
    parser.parse(path, True)
    solver = parser.bitwuzla()
    solver.configure_terminator(watch.stopping)  # Ctrl-C stops the query (it is then unknown)
    return str(solver.check_sat()).lower()


def _cvc5(path: str, timeout_s: float) -> str:
    """cvc5's Python API has no terminator: Ctrl-C takes effect when the file's query ends (its time limit)."""
    import cvc5

    tm = cvc5.TermManager()
    s = cvc5.Solver(tm)
    s.setOption("tlimit-per", str(int(timeout_s * 1000)))
    symbols = cvc5.SymbolManager(tm)
    parser = cvc5.InputParser(s, symbols)
    parser.setFileInput(cvc5.InputLanguage.SMT_LIB_2_6, path)
    answer = "unknown"
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        out = command.invoke(s, symbols).strip()
        if out in ("sat", "unsat", "unknown"):
            answer = out
    return answer
