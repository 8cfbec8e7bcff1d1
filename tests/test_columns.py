"""Column decompositions of GF(2) obligations (lnsym.prove.columns): the affinity check, and exported columns that
Z3 confirms for a correct carry-less product and refutes (in some column) for a wrong one."""

from __future__ import annotations

from pathlib import Path

import z3
from smt_support import z3_answers

from bitvec import BV, var
from bitvec.term import Term, lift
from lnsym.prove.columns import AFFINE, FREE, OTHER, affine_group, export, kinds


def _clmul(a: Term, b: Term, skip: int | None = None) -> Term:
    """Carry-less product of two 8-bit values as 16 bits, summing a's bits times shifted b."""
    z: Term = lift(a.zext(16), 16) & 0
    for i in range(8):
        if i != skip:
            z = z ^ (a[i].sext(16) & b.zext(16).lsl(i))
    return z


def test_kinds_follow_gf2_affinity() -> None:
    x, y, m = var("x", 8), var("y", 8), var("m", 8)
    roots = [(x ^ y) & m, x & x.lsl(1), m | ~m, (x ^ m).extract(3, 0).sext(8)]
    k = kinds(roots, {"x", "y"})
    assert [k[r.serial] for r in roots] == [AFFINE, OTHER, FREE, AFFINE]


def test_a_bilinear_product_splits_into_columns_z3_confirms(tmp_path: Path) -> None:
    x, h = var("x", 8), var("h", 8)
    impl, spec = _clmul(x, h), _clmul(h, x)
    assert affine_group([impl, spec], []) == {"h": 8}
    folder = export("clmul", [("z", impl, spec)], [], ["test"], tmp_path / "cols")
    assert folder is not None and "affine group" in (folder / "README").read_text()
    answers = z3_answers(folder)
    assert len(answers) == 9 and all(a == z3.unsat for a in answers)


def test_a_wrong_product_fails_in_some_column(tmp_path: Path) -> None:
    x, h = var("x", 8), var("h", 8)
    folder = export("clmul", [("z", _clmul(x, h), _clmul(h, x, skip=5))], [], ["test"], tmp_path / "cols")
    assert folder is not None and z3.sat in z3_answers(folder)


def test_fully_affine_obligations_stay_whole() -> None:
    x, y = var("x", 8), var("y", 8)
    assert affine_group([x ^ y.lsl(1), y.lsl(1) ^ x], []) is None


def test_column_decider_proves_and_rejects() -> None:
    from lnsym.prove.columns import ColumnDecider

    x, h = var("x", 8), var("h", 8)
    decide = ColumnDecider()
    assert decide(_clmul(x, h), _clmul(h, x), []) == (True, 9)
    ok, column = decide(_clmul(x, h), _clmul(h, x, skip=2), [])
    assert not ok and column > 0
    assert decide(x & h, x | h, []) == (False, 0)  # they already differ with h = 0


def test_substitution_keeps_a_lookup_s_width() -> None:
    """A table of 16-bit entries indexed by 4 bits: substituting inside it must keep 16 bits (it was rebuilt
    with the index's width) and fold to the entry when the index becomes constant."""
    from bitvec import lookup
    from bitvec.term import const_term
    from lnsym.prove.columns import substitute

    table = tuple((k * 0x1111 + 7) & 0xFFFF for k in range(16))
    i, j = var("i", 4), var("j", 4)
    t = lookup(table, i ^ j, 16)
    assert t.width == 16
    partial = substitute(t, {"j": 3})
    assert partial.width == 16 and partial.op == "lut"
    assert substitute(t, {"i": 5, "j": 3}) is const_term(BV(16, table[5 ^ 3]))
