"""The prover end to end on the bundled programs: proofs, refutations that replay on lnsym and on
Unicorn, SMT-LIB artifacts that a fresh solver re-checks, and the GF(2) decision procedure."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
import z3

from bitvec import BV, concat, var
from bitvec.term import evaluate
from lnsym.contract import load_contract_file
from lnsym.prove.anf import ANF, decide, witness
from lnsym.prove.prover import verify

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
BUNDLED = sorted(p for p in PROGRAMS.glob("*.py") if not p.name.startswith("_"))
BUGGY = sorted(p for p in (PROGRAMS / "buggy").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_routine_is_proved(path: Path) -> None:
    for contract in load_contract_file(path):
        result = verify(contract, timeout_s=120)
        assert result.verdict == "proved", (result.detail, [(o.name, o.verdict) for o in result.obligations])
        assert result.obligations and all(o.verdict == "proved" for o in result.obligations)
        assert any("disjoint" in a for a in result.assumptions)


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_routine_is_refuted_with_a_replaying_counterexample(path: Path) -> None:
    for contract in load_contract_file(path):
        result = verify(contract, timeout_s=120)
        assert result.verdict == "refuted"
        cx = result.counterexample
        assert cx is not None and cx["expected"] != cx["symbolic_actual"]
        if "out_of_bounds" in cx:  # lnsym.prove.oob: both machines fault on that access (tests/test_oob.py)
            assert cx["replays"] is True and result.detail.startswith("out-of-bounds"), cx
            continue
        for key in ("replay_lnsym", "replay_unicorn"):
            assert cx[key] != ["no difference on these inputs"] and isinstance(cx[key], list), cx[key]
            assert any(cx["expected"][2:] in line for line in cx[key]), cx[key]


def test_smt_artifacts_recheck_with_a_fresh_solver(tmp_path: Path) -> None:
    contract = load_contract_file(PROGRAMS / "crc32c.py")[0]
    result = verify(contract, smt_out=tmp_path)
    files = [o.smt_file for o in result.obligations if o.method != "structural"]
    assert files and all(f is not None for f in files)
    for f in files:
        folder = Path(f)  # type: ignore[arg-type]
        # an affine CRC is exported as columns: every input fixed by assertions, one file per unit vector
        assert folder.is_dir() and "affine group" in (folder / "README").read_text()
        columns = sorted(folder.glob("*.smt2"))
        assert len(columns) == 1 + 8 * 64 + 32, len(columns)
        for column in columns[::180]:  # Z3 re-proves a sample
            text = column.read_text()
            assert text.startswith("(set-logic QF_BV)") and "column" in text
            solver = z3.Solver()
            solver.from_string(text)
            assert solver.check() == z3.unsat, column


def test_cli_verify_exit_codes() -> None:
    ok = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify"], capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "PROVED" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify", str(BUGGY[0])], capture_output=True,
                         text=True, timeout=600)
    assert bad.returncode == 1 and "REFUTED" in bad.stdout and "counterexample" in bad.stdout
    missing = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify", "no/such/contract.py"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr


def _combine(op: str, a: object, b: object, k: int) -> object:
    if op == "xor":
        return a ^ b  # type: ignore[operator]
    if op == "and":
        return a & b  # type: ignore[operator]
    if op == "or":
        return a | b  # type: ignore[operator]
    if op == "not":
        return ~a  # type: ignore[operator]
    if op == "rot":
        return a.ror(k)  # type: ignore[attr-defined]
    if op == "shl":
        return a.lsl(k)  # type: ignore[attr-defined]
    return concat(a[7:0], b[15:8])  # type: ignore[index]


def test_anf_decides_like_evaluation_on_random_gf2_terms() -> None:
    rng = random.Random(5)
    x, y, z = var("ax", 16), var("ay", 16), var("az", 16)
    leaves = [x, y, z, BV(16, 0x1234), BV(16, 0xFFFF)]
    for _ in range(200):
        terms = list(leaves)
        for _ in range(6):
            a, b = rng.choice(terms), rng.choice(terms)
            op = rng.choice(["xor", "and", "or", "not", "rot", "shl", "cat"])
            terms.append(_combine(op, a, b, rng.randrange(16)))
        left, right = terms[-1], terms[-2]
        anf = ANF()
        equal, bit = decide(left, right, anf)
        samples = [{"ax": rng.getrandbits(16), "ay": rng.getrandbits(16), "az": rng.getrandbits(16)}
                   for _ in range(40)]
        differs = any(evaluate(left, e) != evaluate(right, e) for e in samples)
        if equal:
            assert not differs
        else:
            assert bit is not None
            env = witness(anf, left, right, bit, tries=512)
            if env is not None:
                env = {"ax": 0, "ay": 0, "az": 0} | env
                assert (evaluate(left, env).val ^ evaluate(right, env).val) >> bit & 1


def test_html_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify", str(PROGRAMS / "crc32c.py"), str(BUGGY[0]),
                           "--report", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    text = out.read_text().lower()
    assert "proved" in text and "refuted" in text and "counterexample" in text and "assumptions" in text


@pytest.mark.parametrize("solver", ["bitwuzla", "cvc5"])
def test_recheck_with_a_second_solver(solver: str, tmp_path: Path) -> None:
    pytest.importorskip(solver)
    from bitvec.smtlib import check_script
    from lnsym.prove.recheck import recheck

    a = var("ra", 16)
    holds = tmp_path / "holds.smt2"
    holds.write_text(check_script([~(a + a).eq(a.lsl(1))], ["a + a == a << 1"]))
    fails = tmp_path / "fails.smt2"
    fails.write_text(check_script([~(a + a).eq(a.lsl(2))], ["a + a == a << 2 (false)"]))
    assert recheck(str(holds), solver, 30) == "unsat"
    assert recheck(str(fails), solver, 30) == "sat"


def test_a_spec_that_raises_is_a_one_line_error() -> None:
    """A user's spec failing (here on a wrongly sized buffer) is an LnsymError naming the contract."""
    from dataclasses import replace

    from lnsym.errors import LnsymError

    (contract,) = load_contract_file(PROGRAMS / "crc32c.py")

    def broken(inputs: object) -> dict[str, object]:
        raise ValueError("expected 9 blocks")

    with pytest.raises(LnsymError, match=r"crc32c_64: the spec raised ValueError: expected 9 blocks"):
        verify(replace(contract, spec=broken))
