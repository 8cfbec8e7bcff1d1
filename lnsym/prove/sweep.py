"""Cut-point sweeping: prove one large equivalence through many small ones.

A routine and its specification that compute the same intermediate values (the lanes after each
Keccak round, the AES state after each round) give obligations that are deep but *locally* similar.
Sweeping finds and exploits those shared intermediates:

1. **Narrowing.**  Slices are pushed through bitwise operators (``(a ^ b)[63:0]`` becomes
   ``a[63:0] ^ b[63:0]``), so values kept in wide registers become words like the specification's.
2. **Random simulation** (:mod:`lnsym.prove.packsim`) gives every node of both sides a signature: its values
   on the same random inputs (satisfying the path condition).  Nodes with equal signatures -- or
   complementary ones, ``x`` against ``~y`` -- are *candidates* for being equal; a class of candidates
   is used when it holds a node of each side.
3. **Local proofs, bottom-up.**  Nodes are visited children first.  The first node of a class becomes its
   representative and is replaced by a fresh *cut variable*; every later member is rebuilt over the cut
   variables below it and proved equal to the representative's cut variable -- expanding cut variables
   into their definitions (the representative's first, then those hiding part of a bitwise cone or sum
   from the normal form, or simply the latest) while the claim fails -- by
   structural identity, normal forms, GF(2) ANF, or Z3 with a short timeout.  Only then is it
   replaced by the cut variable (or its complement).
4. The obligation's two rebuilt sides are compared the same way.

Soundness: each local claim is proved for *all* values of the cut variables in it (and all inputs on the
path), in particular for the values the representatives actually take; by induction over the visiting
order every rebuilt node equals the original node once each cut variable is read as its
representative, so the final comparison implies the original equality.  A local claim that is not proved
only loses a cut (the node keeps its rebuilt definition); nothing is ever assumed, and a final
comparison that fails is "not proved here", never a refutation.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field

import z3

from bitvec.term import Term, concat_slices, evaluate, mk, mk_concat, mk_extract, postorder, rebuild, var, variables
from bitvec.z3backend import to_z3
from lnsym.prove.anf import ANF, decide
from lnsym.prove.chain import Chain
from lnsym.prove.lowdegree import RDegree
from lnsym.prove.normalize import Normalizer
from lnsym.prove.packsim import PackedSimulator

BITWISE = frozenset({"and", "or", "xor", "not"})
# operator families the normal form (lnsym.prove.normalize) flattens: bitwise cones and linear sums
_FAMILY = {**dict.fromkeys(("and", "or", "xor", "not"), "bitwise"), **dict.fromkeys(("add", "sub", "neg"), "sum")}
SWEEP_FIRST_DEGREE = 32  # the prover sweeps before trying ANF when the degree bound exceeds this
POINTER_MASK = 0x0000_7FFF_FFFF_0000  # buffer pointers (``&name``): page aligned, far from wrapping


class Narrower:
    """Push ``extract`` through AND/OR/XOR/NOT and ITE nodes wider than ``word`` bits (an identity: slicing
    commutes with bitwise operators), so vector-register values split into words.  Slices of words are
    left alone: pushing every byte slice down a deep DAG would copy it once per slice."""

    def __init__(self, word: int = 64) -> None:
        self.word = word
        self.memo: dict[int, Term] = {}
        self.slices: dict[tuple[int, int, int], Term] = {}

    def __call__(self, root: Term) -> Term:
        for t in postorder(root, self.memo):
            args = [self.memo[a.serial] for a in t.args]
            if t.op == "extract":
                self.memo[t.serial] = self.slice(args[0], *t.params)
            else:
                self.memo[t.serial] = rebuild(t, args)
        return self.memo[root.serial]

    def slice(self, x: Term, hi: int, lo: int) -> Term:
        if lo == 0 and hi == x.width - 1:
            return x
        if x.width <= self.word:
            return mk_extract(x, hi, lo)
        key = (x.serial, hi, lo)
        done = self.slices.get(key)
        if done is not None:
            return done
        if x.op in ("and", "or", "xor"):
            out = mk(x.op, self.slice(x.args[0], hi, lo), self.slice(x.args[1], hi, lo))
        elif x.op == "not":
            out = mk("not", self.slice(x.args[0], hi, lo))
        elif x.op == "ite":
            out = mk("ite", x.args[0], self.slice(x.args[1], hi, lo), self.slice(x.args[2], hi, lo))
        elif x.op == "concat":
            out = mk_concat(*(self.slice(part, p_hi, p_lo) for part, p_hi, p_lo in concat_slices(x, hi, lo)))
        else:
            out = mk_extract(x, hi, lo)
        self.slices[key] = out
        return out


@dataclass
class SweepStats:
    nodes: int = 0
    classes: int = 0  # classes with a cut variable
    merged: Counter[str] = field(default_factory=Counter)  # members proved equal to their representative, by method
    failed: int = 0  # candidate members whose local claim was not proved
    expansions: int = 0  # cut variables replaced by their definitions in successful local proofs
    seconds: float = 0.0

    def summary(self) -> str:
        how = ", ".join(f"{n} {m}" for m, n in self.merged.most_common())
        return (f"{self.nodes} nodes, {self.classes} cut points, {sum(self.merged.values())} merged ({how}), "
                f"{self.expansions} expansions, {self.failed} unproved candidates, {self.seconds:.2f}s")


class Sweeper:
    """Sweeps the obligations of one path, reusing signatures, cuts and rebuilt terms across them."""

    def __init__(
        self, samples: int = 64, seed: int = 20261126, timeout_ms: int = 2000, max_failures: int = 200,
        max_expansions: int = 8, max_expanded_nodes: int = 4000, keying: str = "simulation",
    ) -> None:
        self.keying = keying  # candidates: equal "simulation" signatures, or equal "normal-form"s / "anf" bits
        self.max_expansions = max_expansions
        self.max_expanded_nodes = max_expanded_nodes
        self.samples = samples
        self.rng = random.Random(seed)
        self.timeout_ms = timeout_ms
        self.max_failures = max_failures
        self.normalize = Normalizer()
        self.narrow = Narrower()
        # GF(2) degree as lnsym.prove.anf would compute it (non-GF(2) nodes are leaves): deep chi chains explode
        self.degree = RDegree(None, opaque=1, cap=1 << 20)
        self._path_key: tuple[int, ...] | None = None
        self.stats = SweepStats()

    # -- state per path ---------------------------------------------------------------------------
    def _start(self, path: list[Term]) -> bool:
        """Reset for a new path; draw input samples satisfying it.  False if too few were found."""
        key = tuple(c.serial for c in path)
        if key == self._path_key:
            return self.sim is not None or self.keying != "simulation"
        self._path_key = key
        self.values: dict[str, list[int]] = {}
        self.widths: dict[str, int] = {}
        self.sim: PackedSimulator | None = None
        self.side: dict[int, int] = {}
        self.key: dict[int, tuple[int, int]] = {}
        self.polarity: dict[int, bool] = {}
        self.members: dict[tuple[int, int], list[Term]] = {}
        self.reps: dict[tuple[int, int], Term] = {}  # class -> its cut term in canonical polarity
        self.defs: dict[int, tuple[int, Term]] = {}  # cut variable -> (creation index, definition)
        self.sub: dict[int, Term] = {}
        self.lemmas: list[tuple[Term, Term]] = []  # every local claim proved, over inputs and cut variables
        self.z3cache: dict[int, object] = {}
        self.path = path
        if self.keying != "simulation":  # candidates from canonical forms: no samples needed
            self.anf_engine = ANF(max_monomials=2_000, max_work=2_000_000)
            return True
        names = variables(path) if path else {}
        found: list[dict[str, int]] = []
        for _ in range(8 * self.samples):
            env = {n: self._draw(n, w) for n, w in names.items()}
            if all(evaluate(c, env).val for c in path):
                found.append(env)
                if len(found) == self.samples:
                    break
        if len(found) < 8:
            return False
        for n, w in names.items():
            self.values[n] = [env[n] for env in found]
            self.widths[n] = w
        self.sim = PackedSimulator(len(found), self.values)
        return True

    def _draw(self, name: str, width: int) -> int:
        v = self.rng.getrandbits(width)
        return v & POINTER_MASK if name.startswith("&") else v

    # -- the sweep -------------------------------------------------------------------------------
    def deep(self, impl: Term, spec: Term) -> bool:
        """Whether the pair is too deep for ANF (degree bound above ``SWEEP_FIRST_DEGREE``): sweep first."""
        return max(self.degree(impl), self.degree(spec)) > SWEEP_FIRST_DEGREE

    def prove(self, impl: Term, spec: Term, path: list[Term]) -> bool:
        """True if ``impl == spec`` on every input satisfying ``path`` was proved by sweeping."""
        start = time.perf_counter()
        try:
            if not self._start(path):
                return False
            if self.keying != "simulation":
                return self._sweep(self.narrow(impl), self.narrow(spec)) is not None
            a, b = self.narrow(impl), self.narrow(spec)
            return self._sweep(a, b) is not None
        finally:
            self.stats.seconds += time.perf_counter() - start

    def _sweep(self, a: Term, b: Term) -> str | None:
        sim = self.sim
        reach_a, reach_b = postorder(a, self.sub), postorder(b, self.sub)
        for bit, nodes in ((1, reach_a), (2, reach_b)):
            for t in nodes:
                self.side[t.serial] = self.side.get(t.serial, 0) | (3 if t.op == "const" else bit)
        seen: set[int] = set()
        fresh = [t for t in reach_a + reach_b if not (t.serial in seen or seen.add(t.serial))]
        if sim is not None:
            for t in fresh:
                if t.op == "var" and t.params[0] not in self.values:
                    self.values[t.params[0]] = [self._draw(t.params[0], t.width) for _ in range(sim.k)]
            sim.run_nodes(fresh)
        for t in fresh:
            self._register(t)
        worthy = {k for k in {self.key.get(t.serial) for t in fresh} if k is not None and self._worthy(k)}
        for t in fresh:
            self._visit(t, worthy)
        self.stats.nodes += len(fresh)
        return self._equal(self.sub[a.serial], self.sub[b.serial], allow_solver=self.keying == "simulation")

    def _register(self, t: Term) -> None:
        if self.keying != "simulation":
            if t.op in ("var", "const"):
                return
            canon: object = self.normalize(t).serial
            if self.keying == "anf":
                canon = self.anf_engine.bits(t)
                if canon is None:
                    return
                canon = tuple(canon)
            key = (t.width, canon)
            self.key[t.serial] = key  # type: ignore[assignment]
            self.polarity[t.serial] = False
            self.members.setdefault(key, []).append(t)  # type: ignore[arg-type]
            return
        sig = self.sim.signature(t) if self.sim else None
        if sig is None:
            return
        full = self.sim.full(t.width)  # type: ignore[union-attr]
        canon = min(sig, sig ^ full)
        key = (t.width, canon)
        self.key[t.serial] = key
        self.polarity[t.serial] = canon != sig
        self.members.setdefault(key, []).append(t)

    def _worthy(self, key: tuple[int, int]) -> bool:
        """A class is used when it pairs a node of the implementation with a different one of the spec."""
        members = self.members[key]
        if len(members) < 2:
            return False
        impl = [m for m in members if self.side.get(m.serial, 0) & 1]
        spec = [m for m in members if self.side.get(m.serial, 0) & 2]
        return any(x is not y for x in impl for y in spec)

    def _visit(self, t: Term, worthy: set[tuple[int, int]]) -> None:
        rebuilt = rebuild(t, [self.sub[x.serial] for x in t.args])
        key = self.key.get(t.serial)
        if key is None or (key not in worthy and key not in self.reps):
            self.sub[t.serial] = rebuilt
            return
        flip = self.polarity[t.serial]
        base = self.reps.get(key)
        if base is None:
            # the representative: a cut variable standing for ``rebuilt``
            cut = rebuilt if rebuilt.op in ("var", "const") else self._new_cut(rebuilt)
            self.reps[key] = mk("not", cut) if flip else cut  # the class's canonical polarity
            self.sub[t.serial] = cut
            self.stats.classes += 1
            return
        cut = mk("not", base) if flip else base
        solver = self.keying == "simulation" and self.stats.failed < self.max_failures
        method = self._equal(rebuilt, cut, allow_solver=solver)
        if method is None:
            self.stats.failed += 1
            self.sub[t.serial] = rebuilt
            return
        self.stats.merged[method] += 1
        self.sub[t.serial] = cut

    def _new_cut(self, definition: Term) -> Term:
        c = var(f"#cut{len(self.defs)}", definition.width)
        self.defs[c.serial] = (len(self.defs), definition)
        return c

    def chain(self) -> Chain:
        """The cut variables and every local claim proved on the current path, as a re-checkable chain."""
        cuts = sorted(self.defs.items(), key=lambda item: item[1][0])
        return Chain(
            definitions=[(var(f"#cut{index}", d.width), d) for _, (index, d) in cuts],
            lemmas=[(f"local claim {k}", x, y) for k, (x, y) in enumerate(self.lemmas)],
            how=f"cut-point sweeping, lnsym.prove.sweep, candidates by {self.keying}; the two sides were first "
                "narrowed (slices pushed through bitwise operators, an identity)",
        )

    # -- local proofs ----------------------------------------------------------------------------
    def _equal(self, x: Term, y: Term, allow_solver: bool) -> str | None:
        """How ``x == y`` was proved for all values of its cut variables and all inputs on the path, or None.

        When the claim fails with cut variables free, cut variables are replaced by their definitions
        (an identity under the cuts' meaning): first the one ``y`` names, then (see :meth:`_pick_cut`) those
        hiding part of a bitwise cone or sum, or else simply the latest one present, each order up to
        ``max_expansions`` times -- ``a ^ c1`` with ``c1 := a ^ c0`` is then seen to equal ``c0``.
        """
        original = (x, y)
        for cones_first in (True, False):
            x, y = original
            for step in range(self.max_expansions + 1):
                method = self._cheap(x, y)
                if method is not None:
                    self.stats.expansions += step
                    self.lemmas.append((x, y))
                    return method
                picked = self._pick_cut(x, y, first=step == 0, cones_first=cones_first)
                if picked is None:
                    break
                x, y = self._expand(x, picked), self._expand(y, picked)
        if not allow_solver:
            return None
        solver = z3.Solver()
        solver.set("timeout", self.timeout_ms)
        for c in self.path:
            solver.add(to_z3(c, self.z3cache) == 1)
        solver.add(to_z3(x, self.z3cache) != to_z3(y, self.z3cache))
        if solver.check() != z3.unsat:
            return None
        self.lemmas.append((x, y))
        return "z3"

    def _cheap(self, x: Term, y: Term) -> str | None:
        if x is y:
            return "structural"
        if self.normalize(x) is self.normalize(y):
            return "normal-form"
        if self.keying == "normal-form":
            return None
        equal, _ = decide(x, y, ANF(max_monomials=2_000, max_work=200_000))
        return "gf2-anf" if equal else None

    def _pick_cut(self, x: Term, y: Term, first: bool, cones_first: bool) -> Term | None:
        """The cut variable to expand next: ``y``'s own (possibly complemented) on the first step, else the
        latest one in either side -- with ``cones_first``, preferring those that hide part of a bitwise cone
        or a sum from the normal form (an operand of a node of the same family as its definition: FIPS Maj
        ``c ^ (a & e) ^ (d & e)`` with ``c := a & d`` is a cone of four leaves, of three expanded, as
        SHAmajority's normal form is);
        None when there is none or the terms grew too large."""
        top = y.args[0] if y.op == "not" else y
        if first and top.serial in self.defs:
            return top
        nodes = postorder([x, y])
        if len(nodes) > self.max_expanded_nodes:
            return None
        cuts = [t for t in nodes if t.serial in self.defs]
        if not cuts:
            return None
        if cones_first:
            inside = {a.serial for t in nodes if t.op in _FAMILY for a in t.args
                      if a.serial in self.defs and _FAMILY.get(self.defs[a.serial][1].op) == _FAMILY[t.op]}
            cuts = [t for t in cuts if t.serial in inside] or cuts
        return max(cuts, key=lambda t: self.defs[t.serial][0])

    def _expand(self, x: Term, cut: Term) -> Term:
        definition = self.defs[cut.serial][1]
        memo: dict[int, Term] = {}
        for t in postorder(x):
            memo[t.serial] = definition if t is cut else rebuild(t, [memo[a.serial] for a in t.args])
        return memo[x.serial]
