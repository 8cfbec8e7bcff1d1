"""Re-check exported SMT-LIB2 obligations with a second solver (``lnsym verify --recheck``).

Each file asserts the path condition and the *negation* of an obligation, so ``unsat`` confirms it.
Bitwuzla and cvc5 are optional extras (``pip install bitwuzla`` / ``cvc5``).
"""

from __future__ import annotations

from pathlib import Path

from lnsym.errors import LnsymError

SOLVERS = ("bitwuzla", "cvc5")


_folders: dict[tuple[str, str], str] = {}  # a column folder is shared by the obligations it covers


def recheck(path: str, solver: str, timeout_s: float = 60.0, jobs: int = 1) -> str:
    """``"unsat"`` (obligation confirmed), ``"sat"`` (the second solver disagrees) or ``"unknown"``.

    A folder (a column decomposition, :mod:`lnsym.columns` or :mod:`lnsym.polar`, or a lemma chain,
    :mod:`lnsym.chain`) is confirmed when every ``.smt2`` file in it is ``unsat``; checking stops at the
    first file that is not (``sat``: the second solver disagrees; ``unknown``: it gave up on that file).
    ``jobs`` > 1 checks a folder's files in that many processes."""
    if Path(path).is_dir():
        key = (str(Path(path).resolve()), solver)
        if key not in _folders:
            files = [str(f) for f in sorted(Path(path).glob("*.smt2"))]
            _folders[key] = _all_unsat(files, solver, timeout_s, jobs)
        return _folders[key]
    if solver == "bitwuzla":
        try:
            import bitwuzla
        except ImportError:
            raise LnsymError("--recheck bitwuzla needs the bitwuzla package: pip install bitwuzla") from None
        options = bitwuzla.Options()
        options.set(bitwuzla.Option.TIME_LIMIT_PER, int(timeout_s * 1000))
        parser = bitwuzla.Parser(bitwuzla.TermManager(), options)
        parser.parse(path, True)
        return str(parser.bitwuzla().check_sat()).lower()
    if solver == "cvc5":
        try:
            import cvc5
        except ImportError:
            raise LnsymError("--recheck cvc5 needs the cvc5 package: pip install cvc5") from None
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
    raise LnsymError(f"unknown solver {solver!r} for --recheck (choose from {', '.join(SOLVERS)})")


def _all_unsat(files: list[str], solver: str, timeout_s: float, jobs: int) -> str:
    """``"unsat"`` if every file is, else the first other answer met (the remaining files are skipped)."""
    if jobs <= 1 or len(files) <= 1:
        for f in files:
            answer = recheck(f, solver, timeout_s)
            if answer != "unsat":
                return answer
        return "unsat"
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(recheck, f, solver, timeout_s) for f in files]
        for done in as_completed(futures):
            answer = done.result()
            if answer != "unsat":
                pool.shutdown(cancel_futures=True)
                return answer
    return "unsat"
