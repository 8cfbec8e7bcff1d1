"""Condition-directed sampling: inputs for behaviour that random simulation almost never reaches.

A routine wrong only on a rare input (a compare and branch on a magic value, a ``CSEL``/``CCMP`` on one, an
``ADDS``/``ADC`` pair wrong only when a carry happens) defeats random simulation, whose samples never select
the wrong behaviour, and the whole obligation (ten AES rounds, 64 SHA-256 rounds) is far too deep for a
solver.  The condition that selects the rare behaviour is usually small, though: a conjunct of the path
condition, the condition of an ``ite`` in the routine's term, a comparison, or the carry out of a widened
addition (ASL ``AddWithCarry``: bit ``N`` of the ``N+1``-bit sum).  So, per path:

1. if random samples violate the path condition (the path is itself the rare case, e.g. ``x == magic``
   after ``b.ne``), Z3 finds a model of the path condition alone;
2. every 1-bit *decision* node of the obligations' DAGs that keeps one value on all samples so far is asked
   of Z3 -- with a short timeout, on that node and the path condition only -- with the other value;
   When Z3 gives up on a decision (its cone spans several rounds), the decision is instead *propagated
   backwards* from a random sample (:class:`Backward`): the wanted value is pushed through invertible
   operators (XOR, addition, subtraction, NOT, rotations, concatenations, bit slices, S-box lookups by
   preimage) into an operand holding a variable its sibling does not (the last round key of AES, a message
   word of SHA-2), which is then set; the result is kept only if it satisfies the decision concretely.
3. each model is completed with random values for the variables it leaves free and re-checked concretely
   against the path condition (and the decision); both sides of each obligation are evaluated on these
   samples with the concrete operators of :mod:`bitvec` (:class:`lnsym.prove.randsim.Samples`). A difference is a
   genuine counterexample, which the prover then replays on lnsym's machine and Unicorn.

The number of queries and the time spent per path are bounded; a decision that random samples already
show both ways costs no query, so routines without rare decisions (the bundled and OpenSSL proofs) pay one
walk of their term DAG.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

import z3

from bitvec.term import Term, evaluate, postorder, variables
from bitvec.z3backend import to_z3
from lnsym.prove.randsim import PathSimulator, Samples

COMPARISONS = frozenset({"eq", "ult", "ule", "slt", "sle"})
LOW_POINTERS = 1 << 47  # buffer addresses sought below this, where a replay can map them


def decisions(root: list[Term], known: set[int]) -> list[Term]:
    """The 1-bit decision nodes reachable from ``root`` through nodes not in ``known`` (which is updated):
    ``ite`` conditions, comparisons, and the top bit of an addition or subtraction (a carry or borrow out of
    a widened sum, or a sign)."""
    out: list[Term] = []
    for node in postorder(root, known):
        known.add(node.serial)
        if node.op == "ite":
            out.append(node.args[0])
        elif node.op in COMPARISONS:
            out.append(node)
        elif node.op == "extract" and node.width == 1:
            arg = node.args[0]
            if arg.op in ("add", "sub") and node.params[0] == arg.width - 1:
                out.append(node)
    return [d for d in dict.fromkeys(out) if d.op != "const"]


@dataclass
class _Path:
    """Directed samples of one path and the work done for it."""

    conditions: list[Term]
    known: set[int] = field(default_factory=set)  # DAG nodes already searched for decisions
    batches: list[Samples] = field(default_factory=list)  # samples satisfying the path, from models
    queries: int = 0
    seconds: float = 0.0
    feasible: bool = True  # False once Z3 shows the path condition alone unsatisfiable


class DirectedSampler:
    """Condition-directed samples per path condition (see the module docstring); ``difference`` is the entry.

    ``timeout_ms`` bounds each Z3 query, ``max_queries`` and ``budget_s`` the queries and time per path."""

    def __init__(self, simulator: PathSimulator, timeout_ms: int = 1000, max_queries: int = 32,
                 budget_s: float = 4.0, completions: int = 2, seed: int = 0x7A4E) -> None:
        self.simulator = simulator
        self.timeout_ms = timeout_ms
        self.max_queries = max_queries
        self.budget_s = budget_s
        self.completions = completions
        self.rng = random.Random(seed)
        self.cache: dict[int, object] = {}
        self._paths: dict[tuple[int, ...], _Path] = {}
        self.queries = 0  # totals over all paths, for reports and tests
        self.seconds = 0.0

    def difference(self, impl: Term, spec: Term, path: list[Term]) -> dict[str, int] | None:
        """An assignment (covering every variable of ``impl``, ``spec`` and ``path``) satisfying ``path`` on
        which the two sides differ, found from models of the path condition and of the DAGs' rare
        decisions; None if none of them tells the sides apart."""
        key = tuple(c.serial for c in path)
        state = self._paths.get(key)
        random_samples = self.simulator.samples(path)
        if state is None:
            state = self._paths[key] = _Path(list(path))
            state.known.update(c.serial for c in path)
            live = [c for c in path if c.op != "const"]
            if live and len(random_samples.envs) < self.simulator.tries:  # the path itself is rare
                self._sample(state, None, 1)
        if state.feasible:
            base = [random_samples, *state.batches]
            for d in decisions([impl, spec], state.known):
                if state.queries >= self.max_queries or state.seconds >= self.budget_s:
                    break
                seen = {v.val for s in base if s.envs for v in s.value(d)}
                for target in (0, 1):
                    if target not in seen and state.feasible:
                        self._sample(state, d, target, random_samples if random_samples.envs else None)
        for batch in state.batches:
            for j, (x, y) in enumerate(zip(batch.value(impl), batch.value(spec))):
                if x != y:
                    return dict(batch.envs[j])
        return None

    def _sample(self, state: _Path, decision: Term | None, target: int, base: Samples | None = None) -> None:
        """Ask Z3 for a model of the path condition (and ``decision == target``); keep its completions that
        satisfy them concretely as a new batch of samples."""
        start = time.perf_counter()
        goal = [c for c in state.conditions if c.op != "const"]
        if decision is not None:
            goal.append(decision if target else ~decision)
        solver = z3.Solver()
        solver.set("timeout", self.timeout_ms)
        for c in goal:
            solver.add(to_z3(c, self.cache) == 1)
        names = variables(goal)
        low = [z3.ULT(z3.BitVec(n, 64), LOW_POINTERS) for n, w in names.items() if n.startswith("&") and w == 64]
        answer = solver.check(*low)
        if answer != z3.sat and low:
            answer = solver.check()
        state.queries += 1
        self.queries += 1
        if answer == z3.sat:
            model = solver.model()
            assigned = {d.name() for d in model.decls()}
            partial = {n: model.eval(z3.BitVec(n, w), model_completion=True).as_long()
                       for n, w in names.items() if n in assigned}
            full = {n: model.eval(z3.BitVec(n, w), model_completion=True).as_long() for n, w in names.items()}
            envs = [dict(partial) for _ in range(self.completions)] + [full]
            batch = Samples([random.Random(self.rng.getrandbits(64)) for _ in envs], envs)
            ok = [True] * len(envs)
            for c in goal:
                ok = [o and bool(v.val) for o, v in zip(ok, batch.value(c))]
            lanes = [j for j, o in enumerate(ok) if o]
            if lanes:
                state.batches.append(batch.keep(lanes))
        elif answer == z3.unsat and decision is None:
            state.feasible = False
        elif answer == z3.unknown and decision is not None and base is not None:
            self._backward(state, goal, decision, target, base)
        spent = time.perf_counter() - start
        state.seconds += spent
        self.seconds += spent

    def _backward(self, state: _Path, goal: list[Term], decision: Term, target: int, base: Samples) -> None:
        """Samples making ``decision == target`` by backward propagation from each random sample of the path."""
        envs = []
        for env in base.envs[: self.completions]:
            start = dict(env)
            for name, width in variables(decision).items():  # drawn by the samples' traversal; if not, here
                start.setdefault(name, self.rng.getrandbits(width))
            found = Backward(decision, start).solve(target)
            if found is not None:
                envs.append(found)
        if envs:
            batch = Samples([random.Random(self.rng.getrandbits(64)) for _ in envs], envs)
            ok = [True] * len(envs)
            for c in goal:
                ok = [o and bool(v.val) for o, v in zip(ok, batch.value(c))]
            lanes = [j for j, o in enumerate(ok) if o]
            if lanes:
                state.batches.append(batch.keep(lanes))


class Backward:
    """Backward propagation of a wanted value through invertible operators, from a complete assignment.

    At ``xor``/``add``/``sub`` (and ``eq`` for the value 1) the other operand is evaluated and the wanted
    value moves into an operand holding a variable that neither that operand nor any operand evaluated
    on the way holds; ``extract`` splices the wanted bits into the operand's current value (or zeros, or
    ones: a carry out of ``x + c`` needs the low bits zero); ``lut`` takes a preimage in the table.  The
    result is only a candidate: :meth:`solve` checks it concretely."""

    STEPS = 4096

    def __init__(self, root: Term, env: dict[str, int]) -> None:
        self.root, self.start = root, env
        self.index: dict[str, int] = {}
        self.vars: dict[int, int] = {}  # node serial -> bit set of its variables
        for node in postorder(root):
            if node.op == "var":
                bit = 1 << self.index.setdefault(node.params[0], len(self.index))
            else:
                bit = 0
                for a in node.args:
                    bit |= self.vars[a.serial]
            self.vars[node.serial] = bit
        self.steps = 0

    def solve(self, target: int) -> dict[str, int] | None:
        env = dict(self.start)
        if self._push(self.root, target, env, 0) and evaluate(self.root, env).val == target:
            return env
        return None

    def _value(self, t: Term, env: dict[str, int]) -> int:
        return evaluate(t, env).val

    def _push(self, t: Term, want: int, env: dict[str, int], fixed: int) -> bool:
        """Change variables of ``t`` outside ``fixed`` (a bit set) so that ``t`` evaluates to ``want``."""
        self.steps += 1
        if self.steps > self.STEPS:
            return False
        op, w = t.op, t.width
        want &= (1 << w) - 1
        if op == "var":
            if self.vars[t.serial] & fixed:
                return False
            env[t.params[0]] = want
            return True
        if op == "const":
            return t.params[0] == want
        if op == "not":
            return self._push(t.args[0], ~want, env, fixed)
        if op == "rotr":
            k = t.params[0] % w
            return self._push(t.args[0], ((want << k) | (want >> (w - k))) if k else want, env, fixed)
        if op == "sext":
            return self._push(t.args[0], want, env, fixed)  # only the low bits; checked at the end
        if op == "concat":
            shift = w
            for part in t.args:
                shift -= part.width
                if not self._push(part, want >> shift, env, fixed):
                    return False
            return True
        if op == "extract":
            hi, lo = t.params
            x = t.args[0]
            field_mask = ((1 << (hi - lo + 1)) - 1) << lo
            current = self._value(x, env)
            for rest in dict.fromkeys((current, 0, (1 << x.width) - 1)):
                trial = dict(env)
                if self._push(x, (rest & ~field_mask) | ((want << lo) & field_mask), trial, fixed):
                    env.update(trial)
                    return True
            return False
        if op == "lut":
            table = t.params[0]
            for index in (i for i, v in enumerate(table) if v == want):
                trial = dict(env)
                if self._push(t.args[0], index, trial, fixed):
                    env.update(trial)
                    return True
            return False
        if op in ("xor", "add", "sub") or (op == "eq" and want == 1):
            for i in (1, 0):  # the second operand first: round keys and message words come last
                child, other = t.args[i], t.args[1 - i]
                if not self.vars[child.serial] & ~(self.vars[other.serial] | fixed):
                    continue
                v = self._value(other, env)
                wc = child.width
                if op == "xor":
                    need = want ^ v
                elif op == "add":
                    need = want - v
                elif op == "sub":
                    need = want + v if i == 0 else v - want
                else:
                    need = v
                trial = dict(env)
                if self._push(child, need & ((1 << wc) - 1), trial, fixed | self.vars[other.serial]):
                    env.update(trial)
                    return True
            return False
        return False
