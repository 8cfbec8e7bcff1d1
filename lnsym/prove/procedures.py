"""The decision procedures as one pipeline: each obligation goes through :data:`Checker.pipeline` in order
until one decides it.

A procedure has a :class:`Method` name and one method, ``decide(goal)``: a :class:`Decision` (a verdict, the
method that reached it, and a model when refuted), or ``None`` when it does not apply or cannot tell (the
next one then tries).  A step may also only record something and pass (:class:`Export` writes the
obligation's SMT-LIB2 file before any procedure that can prove it).  Adding a procedure is adding a class
here (or a module with its algorithm) and a line in :meth:`Checker.__init__`; each must be tested
exhaustively at small widths against brute force or Z3, with a planted wrong rewrite caught.

Order matters only for speed and for which method is credited: the cheap syntactic ones first, then the
refuting simulations (so that no wrong obligation reaches an export), the GF(2) procedures, and Z3 last.
Only Z3 and the constant check can end ``unknown``/``refuted`` by themselves; every ``proved`` is a proof
over all inputs satisfying the path condition.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import z3

from bitvec.smtlib import check_script
from bitvec.term import Term, evaluate, lift, variables
from bitvec.z3backend import to_z3
from lnsym.prove.anf import ANF, decide, witness
from lnsym.prove.arx import ArxDecider
from lnsym.prove.columns import ColumnDecider
from lnsym.prove.field import Reduction
from lnsym.prove.field import decide as field_decide
from lnsym.prove.lowdegree import decide as low_degree_decide
from lnsym.prove.lowdegree import polynomial_only
from lnsym.prove.normalize import BoxingNormalizer, Normalizer
from lnsym.prove.randsim import PathSimulator
from lnsym.prove.rare import DirectedSampler
from lnsym.prove.sweep import Sweeper

if TYPE_CHECKING:
    from lnsym.prove.prover import Obligation


class Verdict(StrEnum):
    """An obligation's or a routine's verdict (a ``str``: JSON and comparisons see the value)."""

    PENDING = "pending"
    PROVED = "proved"
    REFUTED = "refuted"
    UNKNOWN = "unknown"
    ERROR = "error"


class Method(StrEnum):
    """What decided an obligation."""

    STRUCTURAL = "structural"  # both sides are the same hash-consed term
    NORMAL_FORM = "normal-form"  # equal normal forms (lnsym.prove.normalize)
    ARX_NORMAL_FORM = "arx-normal-form"  # equal add-rotate-XOR normal forms (lnsym.prove.arx)
    RANDOM_SIMULATION = "random-simulation"  # a random input on the path tells them apart
    DIRECTED_SAMPLING = "directed-sampling"  # a rare input from a small condition's model (lnsym.prove.rare)
    CONSTANT = "constant"  # the claim folded to a constant
    GF2_LOW_DEGREE = "gf2-low-degree"  # low-weight evaluation (lnsym.prove.lowdegree)
    FIELD = "field-algebra"  # ring normal form, then low-weight evaluation (lnsym.prove.field)
    SWEEP = "sweep"  # cut-point sweeping (lnsym.prove.sweep)
    GF2_ANF = "gf2-anf"  # algebraic normal form (lnsym.prove.anf)
    GF2_ANF_COLUMNS = "gf2-anf-columns"  # ANF per column (lnsym.prove.columns)
    GF2_ANF_Z3 = "gf2-anf+z3"  # the bit ANF found different, refuted by Z3
    Z3 = "z3"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    method: Method
    model: dict[str, int] | None = None


@dataclass
class Goal:
    """One obligation on one path: both sides as terms of one width, the path condition, the header of its
    export, and the other obligations of the path (decided together by some procedures)."""

    obligation: Obligation
    path: list[Term]
    header: list[str]
    siblings: list[Obligation] = field(default_factory=list)
    path_index: int = 0

    @cached_property
    def impl(self) -> Term:
        ob = self.obligation
        return lift(ob.implementation, ob.specification.width)

    @cached_property
    def spec(self) -> Term:
        ob = self.obligation
        return lift(ob.specification, ob.implementation.width)

    @cached_property
    def claim(self) -> Term:
        return self.impl.eq(self.spec)


class Procedure(Protocol):
    method: Method

    def decide(self, goal: Goal) -> Decision | None: ...


# -- the procedures, in pipeline order -------------------------------------------------------------------


class Structural:
    method = Method.STRUCTURAL

    def decide(self, goal: Goal) -> Decision | None:
        return Decision(Verdict.PROVED, self.method) if goal.impl is goal.spec else None


class NormalForm:
    """Equal normal forms: first with named sums kept whole (:class:`BoxingNormalizer`, linear on unrolled
    add chains), then, if those differ and keep some sum whole, fully flattened (``normalizer``)."""

    method = Method.NORMAL_FORM

    def __init__(self, normalizer: Normalizer, boxing: BoxingNormalizer | None = None) -> None:
        self.normalize = normalizer
        self.boxing = boxing

    def decide(self, goal: Goal) -> Decision | None:
        proved = Decision(Verdict.PROVED, self.method)
        if self.boxing is not None:
            impl, spec = self.boxing(goal.impl), self.boxing(goal.spec)
            if impl is spec:
                return proved
            if not (self.boxing.boxes(impl) or self.boxing.boxes(spec)):
                return None  # no sum kept whole: these are the flat forms
        return proved if self.normalize(goal.impl) is self.normalize(goal.spec) else None


class ArxNormalForm:
    """Add-rotate-XOR normal form (:mod:`lnsym.prove.arx`): rotations however written, slices of sums and shifts,
    for claims holding both an addition and a rotation."""

    method = Method.ARX_NORMAL_FORM

    def __init__(self, decider: ArxDecider) -> None:
        self.decider = decider

    def decide(self, goal: Goal) -> Decision | None:
        return Decision(Verdict.PROVED, self.method) if self.decider(goal.impl, goal.spec) else None


class RandomSimulation:
    """Samples and node values shared by the obligations of a path (:mod:`lnsym.prove.randsim`)."""

    method = Method.RANDOM_SIMULATION

    def __init__(self, simulator: PathSimulator) -> None:
        self.simulator = simulator

    def decide(self, goal: Goal) -> Decision | None:
        sample = self.simulator.difference(goal.impl, goal.spec, goal.path)
        return None if sample is None else Decision(Verdict.REFUTED, self.method, sample)


class DirectedSampling:
    """Rare inputs: models of the small conditions the sides depend on (:mod:`lnsym.prove.rare`)."""

    method = Method.DIRECTED_SAMPLING

    def __init__(self, sampler: DirectedSampler) -> None:
        self.sampler = sampler

    def decide(self, goal: Goal) -> Decision | None:
        sample = self.sampler.difference(goal.impl, goal.spec, goal.path)
        return None if sample is None else Decision(Verdict.REFUTED, self.method, sample)


class Export:
    """Not a decision: writes ``<contract>__path<k>__<obligation>.smt2`` (path condition and negated claim;
    ``unsat`` means it holds) for every obligation that got this far, when exporting."""

    method = Method.Z3  # never credited: it always passes

    def __init__(self, smt_out: Path | None) -> None:
        self.smt_out = smt_out
        self.exported: set[Path] = set()  # files written, so that two obligations never share a name

    def decide(self, goal: Goal) -> Decision | None:
        if self.smt_out is not None:
            self.smt_out.mkdir(parents=True, exist_ok=True)
            ob = goal.obligation
            fname = self.name(self.smt_out / f"{safe(goal.header[0])}__path{goal.path_index}__{safe(ob.name)}")
            comments = [*goal.header, f"obligation: {ob.name}", "unsat means the obligation holds"]
            fname.write_text(check_script([*goal.path, ~goal.claim], comments))
            ob.smt_file = str(fname)
        return None

    def name(self, stem: Path) -> Path:
        """``stem.smt2``, or ``stem~2.smt2`` ... if an obligation of this run already has that name (two names
        that :func:`safe` maps to one, or cut at 80 characters)."""
        fname, k = stem.with_name(stem.name + ".smt2"), 1
        while fname in self.exported:
            k += 1
            fname = stem.with_name(f"{stem.name}~{k}.smt2")
        self.exported.add(fname)
        return fname


class Z3:
    """Search for a state on the path violating the claim: unsat proves, sat refutes with its model, a
    timeout is unknown."""

    method = Method.Z3

    def __init__(self, timeout_ms: int) -> None:
        self.timeout_ms = timeout_ms
        self.cache: dict[int, object] = {}

    def decide(self, goal: Goal) -> Decision | None:
        return self.solve(goal.path, goal.claim, self.method)

    def solve(self, path: list[Term], claim: Term, method: Method) -> Decision:
        solver = self._solver(path)
        solver.add(to_z3(claim, self.cache) == 0)
        answer = solver.check()
        if answer == z3.unsat:
            return Decision(Verdict.PROVED, method)
        if answer == z3.sat:
            model = solver.model()
            return Decision(Verdict.REFUTED, method, {
                name: model.eval(z3.BitVec(name, width), model_completion=True).as_long()
                for name, width in variables([*path, claim]).items()})
        return Decision(Verdict.UNKNOWN, method)

    def path_model(self, path: list[Term]) -> dict[str, int]:
        """Values of the path condition's variables that satisfy it, so that a replay takes this path; buffer
        addresses (``&name``) are first sought below 2^47, where a replay can map them."""
        names = variables(path)
        solver = self._solver(path)
        low = [z3.ULT(z3.BitVec(n, 64), 1 << 47) for n in names if n.startswith("&")]
        if solver.check(*low) != z3.sat and (not low or solver.check() != z3.sat):
            return {}
        model = solver.model()
        return {n: model.eval(z3.BitVec(n, w), model_completion=True).as_long() for n, w in names.items()}

    def _solver(self, path: list[Term]) -> z3.Solver:
        solver = z3.Solver()
        solver.set("timeout", self.timeout_ms)
        for c in path:
            solver.add(to_z3(c, self.cache) == 1)
        return solver


class Constant:
    """A claim that folded to a constant: true proves; false is wrong on every input of the path."""

    method = Method.CONSTANT

    def __init__(self, z3_procedure: Z3) -> None:
        self.z3 = z3_procedure

    def decide(self, goal: Goal) -> Decision | None:
        claim = goal.claim
        if claim.op != "const":
            return None
        if claim.params[0]:
            return Decision(Verdict.PROVED, self.method)
        return Decision(Verdict.REFUTED, self.method, self.z3.path_model(goal.path))


def pending_pairs(goal: Goal) -> list[tuple[Term, Term]]:
    """The (implementation, specification) pairs of the goal's path still pending and not the same term."""
    pairs = []
    for o in goal.siblings:
        i, s = lift(o.implementation, o.specification.width), lift(o.specification, o.implementation.width)
        if i is not s and o.verdict == Verdict.PENDING:
            pairs.append((i, s))
    return pairs


class LowDegree:
    """Low-weight evaluation (:mod:`lnsym.prove.lowdegree`) of the GF(2) obligations of a path together (one
    evaluation of their shared DAG), memoised per path."""

    method = Method.GF2_LOW_DEGREE

    def __init__(self) -> None:
        self.proved: dict[int, tuple[list[Term], set[tuple[int, int]]]] = {}
        self.polynomial: dict[int, bool] = {}  # polynomial_only, memoised by serial

    def decide(self, goal: Goal) -> Decision | None:
        key = id(goal.path)
        if key not in self.proved:
            pairs = pending_pairs(goal)
            proved = low_degree_decide(pairs, goal.path) if pairs else None
            self.proved[key] = (goal.path, {(i.serial, s.serial) for i, s in pairs} if proved else set())
        hit = (goal.impl.serial, goal.spec.serial) in self.proved[key][1]
        if not hit and not self.proved[key][1] and len(goal.siblings) > 1 and all(
                polynomial_only(t, self.polynomial) for t in (goal.impl, goal.spec)):  # together they failed: alone
            hit = low_degree_decide([(goal.impl, goal.spec)], goal.path) is not None
        return Decision(Verdict.PROVED, self.method) if hit else None


class FieldAlgebra:
    """Identities of a recorded field multiplication too deep for low-weight evaluation (``(((Y ^ I0) H ^ I1) H
    ...`` against ``(Y ^ I0) H^4 ^ ...``): ring normal form of the specification over the implementation's
    products, then low-weight evaluation with those products generalized (:mod:`lnsym.prove.field`); the
    obligations of a path together, memoised per path.  ``reductions`` keeps each proof's reduction for export."""

    method = Method.FIELD

    def __init__(self) -> None:
        self.proved: dict[int, tuple[list[Term], set[tuple[int, int]]]] = {}
        self.reductions: dict[int, tuple[list[Term], list[Reduction]]] = {}

    def decide(self, goal: Goal) -> Decision | None:
        key = id(goal.path)
        if key not in self.proved:
            pairs = pending_pairs(goal)
            red = field_decide(pairs, goal.path) if pairs else None
            self.proved[key] = (goal.path, {(i.serial, s.serial) for i, s in red.proved} if red else set())
            if red is not None:
                self.reductions.setdefault(key, (goal.path, []))[1].append(red)
        hit = (goal.impl.serial, goal.spec.serial) in self.proved[key][1]
        if not hit and not self.proved[key][1]:  # the path's pairs together failed: this one alone
            red = field_decide([(goal.impl, goal.spec)], goal.path)
            if red is not None:
                self.reductions.setdefault(key, (goal.path, []))[1].append(red)
                hit = True
        return Decision(Verdict.PROVED, self.method) if hit else None


class Sweep:
    """Cut-point sweeping for obligations too deep for ANF (Keccak's 24 rounds of chi): internal values found
    equal by simulation are proved locally and cut (:mod:`lnsym.prove.sweep`)."""

    method = Method.SWEEP

    def __init__(self, sweeper: Sweeper) -> None:
        self.sweeper = sweeper

    def decide(self, goal: Goal) -> Decision | None:
        if self.sweeper.deep(goal.impl, goal.spec) and self.sweeper.prove(goal.impl, goal.spec, goal.path):
            return Decision(Verdict.PROVED, self.method)
        return None


#: input bits (variables and opaque leaves) after which the next obligation gets a fresh ANF engine.  A monomial is
#: an int with one bit per variable numbered as first met, so on an unrolled run (AES-CTR: some 1,400 leaf bits per
#: block) one engine's monomials, memo and leaf keys grew with the block index: quadratic memory (2.4 GB at 35
#: blocks), and its work budget, spent across obligations, ran out.  Each decision uses one engine for both sides.
ANF_RESET_VARIABLES = 1 << 13


class AlgebraicNormalForm:
    """GF(2) algebraic normal form (:mod:`lnsym.prove.anf`): equal polynomials prove; when ANF gave up on some
    nodes, per-column ANF (:mod:`lnsym.prove.columns`); when the polynomials differ at a bit, a witness
    checked against the path condition refutes, else Z3 on that bit alone."""

    method = Method.GF2_ANF

    def __init__(self, anf: ANF, columns: ColumnDecider, z3_procedure: Z3) -> None:
        self.anf = anf
        self.columns = columns
        self.z3 = z3_procedure

    def decide(self, goal: Goal) -> Decision | None:
        impl, spec, path = goal.impl, goal.spec, goal.path
        if len(self.anf.index) > ANF_RESET_VARIABLES:  # a fresh engine: see ANF_RESET_VARIABLES
            self.anf = ANF(self.anf.max_monomials, self.anf.max_work)
        equal, bit = decide(impl, spec, self.anf)
        if equal:
            return Decision(Verdict.PROVED, self.method)
        if equal is not False or bit is None:
            return None
        if self.anf.opaque and self.columns(impl, spec, path)[0]:  # ANF gave up or abstracted: split
            return Decision(Verdict.PROVED, Method.GF2_ANF_COLUMNS)
        env = witness(self.anf, impl, spec, bit)  # the polynomials differ at `bit`: inputs showing it
        if env is not None:
            full = dict.fromkeys(variables([*path, goal.claim]), 0) | env
            if all(evaluate(c, full).val for c in path) and not evaluate(goal.claim, full).val:
                return Decision(Verdict.REFUTED, self.method, full)
        on_bit = self.z3.solve(path, (impl ^ spec)[bit].eq(0), Method.GF2_ANF_Z3)
        return on_bit if on_bit.verdict == Verdict.REFUTED else None


# -- the pipeline ---------------------------------------------------------------------------------------


class Checker:
    """Discharges obligations through :attr:`pipeline`; records each one's verdict, method, model and time."""

    def __init__(self, timeout_s: float = 60.0, smt_out: Path | None = None) -> None:
        self.timeout_ms = int(timeout_s * 1000)
        self.smt_out = smt_out
        self.simulator = PathSimulator(random.Random(20261125))
        self.directed = DirectedSampler(self.simulator, timeout_ms=min(self.timeout_ms, 1000))
        self.sweeper = Sweeper(timeout_ms=min(self.timeout_ms, 2000))
        self.export = Export(smt_out)
        self.z3 = Z3(self.timeout_ms)
        self.field = FieldAlgebra()
        self.pipeline: list[Procedure] = [
            Structural(),
            NormalForm(Normalizer(), BoxingNormalizer()),
            RandomSimulation(self.simulator),
            DirectedSampling(self.directed),
            self.export,
            ArxNormalForm(ArxDecider()),
            Constant(self.z3),
            LowDegree(),
            self.field,
            Sweep(self.sweeper),
            AlgebraicNormalForm(ANF(), ColumnDecider(), self.z3),
            self.z3,
        ]
        self.siblings: list[Obligation] = []  # the obligations of the path being checked
        self.path_index = 0  # that path's index (in exported file names: one file per path and obligation)

    def check(self, ob: Obligation, path: list[Term], header: list[str]) -> None:
        start = time.perf_counter()
        goal = Goal(ob, path, header, self.siblings, self.path_index)
        for procedure in self.pipeline:
            decision = procedure.decide(goal)
            if decision is not None:
                ob.verdict, ob.method, ob.model = decision.verdict, decision.method, decision.model
                break
        ob.seconds = time.perf_counter() - start

    def export_name(self, stem: Path) -> Path:
        return self.export.name(stem)

    def random_difference(self, impl: Term, spec: Term, path: list[Term]) -> dict[str, int] | None:
        return self.simulator.difference(impl, spec, path)


def safe(text: str) -> str:
    """A file-name-safe form of ``text`` (at most 80 characters)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:80]
