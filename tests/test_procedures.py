"""The decision procedures as one pipeline (lnsym.prove.procedures): each obligation is decided by the first
procedure that can, the export step only records, and a procedure added to the list takes part."""

from __future__ import annotations

from pathlib import Path

import pytest
import z3

from bitvec import BV, var
from lnsym.prove.procedures import (
    Checker,
    Decision,
    Export,
    Goal,
    Method,
    Structural,
    Verdict,
)
from lnsym.prove.prover import Obligation


def _check(impl: object, spec: object, path: list[object] | None = None, **kw: object) -> Obligation:
    ob = Obligation("r", impl, spec)  # type: ignore[arg-type]
    checker = Checker(timeout_s=10, **kw)  # type: ignore[arg-type]
    checker.siblings = [ob]
    checker.check(ob, path or [], ["test"])  # type: ignore[arg-type]
    return ob


x, y = var("x", 8), var("y", 8)


@pytest.mark.parametrize(("impl", "spec", "verdict", "method"), [
    (x + y, x + y, Verdict.PROVED, Method.STRUCTURAL),
    (x + y, y + x, Verdict.PROVED, Method.STRUCTURAL),  # commutative operands are ordered when built
    ((x + y) - y, x, Verdict.PROVED, Method.NORMAL_FORM),
    (x ^ y ^ x, y, Verdict.PROVED, Method.NORMAL_FORM),
    (x + 1, x, Verdict.REFUTED, Method.RANDOM_SIMULATION),
    ((x * y) & 1, (x & y) & 1, Verdict.PROVED, None),  # some procedure proves it; which is not pinned
])
def test_the_first_procedure_that_can_decides(impl: object, spec: object, verdict: Verdict,
                                              method: Method | None) -> None:
    ob = _check(impl, spec)
    assert ob.verdict == verdict, (ob.verdict, ob.method)
    if method is not None:
        assert ob.method == method
    assert isinstance(ob.method, Method)


def test_a_rare_difference_is_found_by_directed_sampling() -> None:
    """Wrong only when x == 0x5a17c0de: random simulation never draws it; the condition's model does."""
    w = var("w", 32)
    ob = _check((w.eq(BV(32, 0x5A17C0DE))).zext(32) + w, w)
    assert ob.verdict == Verdict.REFUTED and ob.method == Method.DIRECTED_SAMPLING
    assert ob.model is not None and ob.model["w"] == 0x5A17C0DE


def test_verdicts_and_methods_are_strings_for_json_and_comparisons() -> None:
    assert Verdict.PROVED == "proved" and f"{Method.GF2_ANF}" == "gf2-anf"
    ob = _check(x, x)
    assert f"{ob.verdict}" == "proved"


def test_export_records_and_passes(tmp_path: Path) -> None:
    """The export step writes the obligation's file and decides nothing: the next procedure does."""
    ob = _check((x + y) * (x - y), x * x - y * y, smt_out=tmp_path)  # past the syntactic procedures
    assert ob.verdict == Verdict.PROVED and ob.smt_file is not None and Path(ob.smt_file).exists()
    step = Export(tmp_path / "again")
    goal = Goal(Obligation("out[0]", x + 1, x + 2), [], ["c"])
    assert step.decide(goal) is None
    (written,) = (tmp_path / "again").iterdir()
    assert written.name == "c__path0__out_0_.smt2"
    solver = z3.Solver()
    solver.from_string(written.read_text())
    assert solver.check() == z3.sat  # x + 1 != x + 2 always: the negated claim holds


def test_a_procedure_added_to_the_pipeline_takes_part() -> None:
    class Oracle:
        """A (test-only) procedure that refutes everything it sees: it must be credited when it runs first."""

        method = Method.Z3

        def decide(self, goal: Goal) -> Decision | None:
            return Decision(Verdict.REFUTED, self.method, {"x": 0})

    ob = Obligation("r", x, x)
    checker = Checker(timeout_s=10)
    checker.pipeline.insert(1, Oracle())  # after Structural: x == x is still proved structurally
    checker.check(ob, [], ["t"])
    assert (ob.verdict, ob.method) == (Verdict.PROVED, Method.STRUCTURAL)
    ob = Obligation("r", (x + y) - y, x)
    checker.check(ob, [], ["t"])
    assert (ob.verdict, ob.model) == (Verdict.REFUTED, {"x": 0})


def test_every_pipeline_step_names_its_method() -> None:
    checker = Checker()
    assert isinstance(checker.pipeline[0], Structural)
    assert all(isinstance(p.method, Method) for p in checker.pipeline)
    assert checker.pipeline[-1] is checker.z3  # Z3 decides whatever is left
