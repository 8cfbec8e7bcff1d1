"""Polarized exports (lnsym.prove.polar) of obligations quadratic in a key: two GHASH-like blocks over GF(2^8),
``(x h ^ y) h`` (Algorithm-1 products) against ``x h^2 ^ y h`` (carry-less products reduced afterwards)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import z3
from smt_support import z3_answers

from bitvec import var
from bitvec.term import Term, evaluate, lift
from lnsym.prove.columns import export as column_export
from lnsym.prove.polar import export, polarize

POLY = 0x1B  # x^8 = x^4 + x^3 + x + 1 (AES's field)


def _shift_add(a: Term, b: Term) -> Term:
    """a * b in GF(2^8): add b x^i for each set bit i of a, b multiplied by x on the way."""
    z: Term = lift(a, 8) & 0
    v = b
    for i in range(8):
        z = z ^ (a[i].sext(8) & v)
        v = v.lsl(1) ^ (v[7].sext(8) & POLY)
    return z


def _clmul_reduce(a: Term, b: Term, skip: int | None = None) -> Term:
    """a * b in GF(2^8) as a 15-bit carry-less product, its high bits then folded in with the constants
    x^(8+k) mod the polynomial."""
    z: Term = lift(a.zext(16), 16) & 0
    for i in range(8):
        if i != skip:
            z = z ^ (a[i].sext(16) & b.zext(16).lsl(i))
    out = z.extract(7, 0)
    power = POLY  # x^8 reduced
    for k in range(7):
        out = out ^ (z[8 + k].sext(8) & power)
        power = (power << 1 ^ (POLY if power & 0x80 else 0)) & 0xFF
    return out


def _blocks(skip: int | None = None) -> tuple[Term, Term]:
    x, y, h = var("x", 8), var("y", 8), var("h", 8)
    spec = _shift_add(_shift_add(x, h) ^ y, h)
    impl = _clmul_reduce(x, _clmul_reduce(h, h), skip) ^ _clmul_reduce(y, h)
    return impl, spec


def test_renaming_gives_back_the_obligation_and_the_renamed_sides_agree() -> None:
    impl, spec = _blocks()
    polar = polarize([(impl, spec)], [])
    assert polar is not None
    [(p, q)], data, key = polar
    assert data == {"x": 8, "y": 8} and key == {"h": 8}
    rng = random.Random(3)
    for _ in range(20):
        x, y, h, h1, h2 = (rng.getrandbits(8) for _ in range(5))
        same = {"x": x, "y": y, "h@1": h, "h@2": h}
        assert evaluate(p, same) == evaluate(impl, {"x": x, "y": y, "h": h})
        assert evaluate(q, same) == evaluate(spec, {"x": x, "y": y, "h": h})
        apart = {"x": x, "y": y, "h@1": h1, "h@2": h2}
        assert evaluate(p, apart) == evaluate(q, apart)


def test_columns_of_the_renamed_claim_are_confirmed(tmp_path: Path) -> None:
    impl, spec = _blocks()
    folder = export("blocks", [("z", impl, spec)], [], ["test"], tmp_path / "polar")
    assert folder is not None and "renamed" in (folder / "README").read_text()
    answers = z3_answers(folder)
    # zero + 16 data columns, but y = 1 folds to the same claim as zero (h on both sides): one file for both
    assert len(answers) == 16 and all(a == z3.unsat for a in answers)
    assert "zero: also y.0" in (folder / "README").read_text()


def test_bitwuzla_confirms_the_folder(tmp_path: Path) -> None:
    pytest.importorskip("bitwuzla")
    from lnsym.prove.recheck import recheck

    impl, spec = _blocks()
    folder = export("blocks", [("z", impl, spec)], [], ["test"], tmp_path / "polar")
    assert folder is not None and recheck(str(folder), "bitwuzla") == "unsat"
    x, h = var("x", 8), var("h", 8)  # a wrong product, split in columns: some column file is sat
    wrong = column_export("clmul", [("z", _clmul_reduce(x, h), _clmul_reduce(h, x, skip=5))], [], ["test"],
                          tmp_path / "wrong")
    assert wrong is not None
    assert recheck(str(wrong), "bitwuzla", 30, jobs=2) == "sat"  # files checked in two processes
    again = export("blocks", [("z", impl, spec)], [], ["test"], tmp_path / "again")
    assert again is not None and recheck(str(again), "bitwuzla", 30, jobs=2) == "unsat"


def test_a_wrong_product_gets_no_polarized_export(tmp_path: Path) -> None:
    impl, spec = _blocks(skip=3)
    assert polarize([(impl, spec)], []) is None  # the renamed sides differ on random inputs
    assert export("blocks", [("z", impl, spec)], [], ["test"], tmp_path / "polar") is None


def test_higher_degree_or_a_key_on_the_path_is_declined() -> None:
    x, h = var("x", 8), var("h", 8)
    cubic = _shift_add(_shift_add(_shift_add(x, h), h), h)
    assert polarize([(cubic, cubic ^ 0)], []) is None
    impl, spec = _blocks()
    assert polarize([(impl, spec)], [h.ult(5)]) is None
    linear = _clmul_reduce(x, h)
    assert polarize([(linear, _shift_add(x, h))], []) is None  # affine in the key: plain columns do it


def test_a_fourth_power_is_exported_after_a_cut_at_the_proved_square(tmp_path: Path) -> None:
    h = var("h", 8)
    impl_square, spec_square = _clmul_reduce(h, h), _shift_add(h, h)
    impl_fourth, spec_fourth = _clmul_reduce(impl_square, impl_square), _shift_add(spec_square, spec_square)
    square = ("square", impl_square, spec_square)
    fourth = ("fourth", impl_fourth, spec_fourth)
    assert export("powers", [fourth], [], ["test"], tmp_path / "alone") is None  # degree 4 in h
    folder = export("powers", [fourth], [], ["test"], tmp_path / "cut", proved=[square, fourth])
    assert folder is not None and "square" in (folder / "README").read_text()
    answers = z3_answers(folder)
    assert answers and all(a == z3.unsat for a in answers)
    wrong = ("square", impl_square, spec_square ^ 1)  # a wrong "proved" square: the cut claim is refuted
    folder = export("powers", [fourth], [], ["test"], tmp_path / "wrong", proved=[wrong, fourth])
    assert folder is None or z3.sat in z3_answers(folder)


def _recheck_openssl(name: str, tmp_path: Path, jobs: int = 1) -> dict[str, str]:
    pytest.importorskip("bitwuzla")
    from openssl_fixture import libcrypto

    from lnsym.contracts.openssl import contract
    from lnsym.prove.prover import verify
    from lnsym.prove.recheck import recheck

    result = verify(contract(name, str(libcrypto())), smt_out=tmp_path / "smt")
    assert result.verdict == "proved"
    return {o.name: recheck(o.smt_file, "bitwuzla", 60, jobs) for o in result.obligations
            if o.smt_file and not o.name.startswith("frame")}


def test_gcm_init_v8_powers_of_h_are_confirmed_by_bitwuzla(tmp_path: Path) -> None:
    """H^2 polarized, H^3 and H^4 after the cut at H^2: all six Htable entries re-proved (about 25 s)."""
    answers = _recheck_openssl("gcm_init_v8", tmp_path)
    assert answers == {f"Htable[{k}]": "unsat" for k in range(6)}
    readme = (tmp_path / "smt").rglob("*polar_Htable_5_/README")
    assert "Cut points" in next(readme).read_text()


@pytest.mark.campaign
def test_gcm_ghash_v8_two_blocks_are_confirmed_by_bitwuzla(tmp_path: Path) -> None:
    """Quadratic in H: 257 polarized column files, about 11 minutes of bitwuzla."""
    answers = _recheck_openssl("gcm_ghash_v8[2]", tmp_path, jobs=2)
    assert answers == {f"Xi[{k}]": "unsat" for k in range(16)}
