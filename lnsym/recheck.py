"""Re-check exported SMT-LIB2 obligations with a second solver (``lnsym verify --recheck``).

Each file asserts the path condition and the *negation* of an obligation, so ``unsat`` confirms it.
Bitwuzla and cvc5 are optional extras (``pip install bitwuzla`` / ``cvc5``).
"""

from __future__ import annotations

from pathlib import Path

from lnsym.errors import LnsymError

SOLVERS = ("bitwuzla", "cvc5")


_folders: dict[tuple[str, str], str] = {}  # a column folder is shared by the obligations it covers


def recheck(path: str, solver: str, timeout_s: float = 60.0) -> str:
    """``"unsat"`` (obligation confirmed), ``"sat"`` (the second solver disagrees) or ``"unknown"``.

    A folder (a column decomposition, :mod:`lnsym.columns`, or a lemma chain, :mod:`lnsym.chain`) is
    confirmed when every ``.smt2`` file in it is ``unsat``; checking stops at the first file that is not
    (``sat``: the second solver disagrees; ``unknown``: it gave up on that file)."""
    if Path(path).is_dir():
        key = (str(Path(path).resolve()), solver)
        if key not in _folders:
            answer = "unsat"
            for f in sorted(Path(path).glob("*.smt2")):  # the first file not confirmed settles the folder
                answer = recheck(str(f), solver, timeout_s)
                if answer != "unsat":
                    break
            _folders[key] = answer
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
