"""Z3's answers on exported SMT-LIB2 folders (column decompositions, lemma chains)."""

from __future__ import annotations

from pathlib import Path

import z3


def z3_answers(folder: Path) -> list[z3.CheckSatResult]:
    """Z3's answer on every ``.smt2`` file of ``folder``, in name order."""
    out = []
    for f in sorted(folder.glob("*.smt2")):
        s = z3.Solver()
        s.from_string(f.read_text())
        out.append(s.check())
    return out
