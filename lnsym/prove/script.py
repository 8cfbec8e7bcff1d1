"""Interactive proof scripts: step a contract's routine, look at its state, assume, split, assert, and finish
with the contract's obligations, in a Python file that re-runs in CI (issue 16; the loop-induction step is
:mod:`lnsym.prove.induction`).

    s = Session(CONTRACT)
    s.run_to("sha256_block_ce+0x14")        # every live path stops there (or ends)
    print(s.show("v0"))                      # the term in V0, pretty-printed
    s.assert_("ABCD loaded", lambda st, i: (st.V(0)[31:0], i.words("state", 4)[0]))
    s.cut("sha256_block_ce+0x114", holds)    # summarise: the registers it names, the rest any value
    s.lemma("xor-cancel", lambda a, b: (a ^ b ^ b, a), (32, 32))   # proved once, for all a, b
    s.use("xor-cancel", lambda st, i: st.x[3], lambda st, i: st.x[4])  # an instance added to the paths
    result = s.finish()                      # run to the return; outputs and frame obligations

A :meth:`Session.cut` proves what it claims, then goes on from the summary (so a later failure is unknown, not
refuted); a :meth:`Session.lemma` is proved once for all values and :meth:`Session.use` adds its instances to
the paths.  Every :meth:`Session.assert_` is proved on every live path by the same procedures as ``lnsym verify``
(:class:`~lnsym.prove.procedures.Checker`); a failing one raises :class:`ScriptError` naming itself, with
the model of the path.  :meth:`Session.assume` adds a condition to every live path and to the assumptions the
result lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bitvec import BV, Value, var
from bitvec.term import lift
from lnsym.errors import LnsymError
from lnsym.load.image import Image, where
from lnsym.load.loader import load
from lnsym.machine.layout import SENTINEL
from lnsym.prove.contract import Contract, Inputs
from lnsym.prove.induction import head_address
from lnsym.prove.procedures import Checker, Verdict
from lnsym.prove.prover import Obligation, Result, code_memory, initial_state, obligations_for, replay
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.pretty import pretty
from lnsym.symbolic.state import PathEnd, PathEndReason, SymState

Claim = Callable[[SymState, Inputs], "Value | tuple[Value, Value]"]
FRAME = (*[f"x{n}" for n in range(18, 31)], *[f"v{n}" for n in range(8, 16)])  # kept by every cut


class ScriptError(LnsymError):
    """A step of a proof script failed: an assertion refuted or unknown, or a path that cannot go on."""


class Session:
    """The live paths of one call of ``contract``'s routine, stepped by the script."""

    def __init__(self, contract: Contract, image: Image | None = None, timeout_s: float = 60.0) -> None:
        self.contract = contract
        self.image = image or load(contract.object_path(None), member=contract.member, symbol=contract.symbol,
                                   defines=contract.defines or None)
        state, self.inputs, self.assumptions = initial_state(contract, self.image)
        self.entry = state.copy()
        self.executor = SymbolicExecutor(code_memory(self.image), loop_limit=None,
                                         where=lambda a: where(self.image, a))
        state.solver = self.executor.solver
        self.live: list[SymState] = [state]
        self.ended: list[PathEnd] = []
        self.checker = Checker(timeout_s)
        self.proved: list[Obligation] = []
        self.cuts = 0  # after a cut the live states over-approximate the real ones: a failure is not a refutation
        self.lemmas: dict[str, Callable[..., tuple[Value, Value]]] = {}

    # -- moving ------------------------------------------------------------------------------------------
    def step(self, count: int = 1) -> Session:
        """Execute ``count`` instructions on every live path (a symbolic branch splits a path in two)."""
        for _ in range(count):
            moved: list[SymState] = []
            for s in self.live:
                moved += self._advance(s)
            self.live = moved
        return self

    def run_to(self, location: str | int, max_steps: int = 100_000) -> Session:
        """Run every live path until its PC is ``location`` (``symbol+0xoff`` or an address) or it ends; at
        least one instruction is executed."""
        target = location if isinstance(location, int) else head_address(self.image, location)
        arrived: list[SymState] = []
        work = [(s, True) for s in self.live]
        while work:
            s, first = work.pop()
            for _ in range(max_steps):
                if not first and s.pc == target:
                    arrived.append(s)
                    break
                first = False
                successors = self._advance(s)
                if not successors:
                    break
                s = successors[0]
                work += [(o, False) for o in successors[1:]]
            else:
                raise ScriptError(f"run_to {location}: a path ran {max_steps} steps without reaching it (a loop?)")
        self.live = arrived
        return self

    def _advance(self, s: SymState) -> list[SymState]:
        step = self.executor.advance(s, SENTINEL, self.contract.max_steps)
        if isinstance(step, PathEnd):
            self.ended.append(step)
            return []
        return step

    # -- looking ------------------------------------------------------------------------------------------
    @property
    def state(self) -> SymState:
        """The one live path's state (a script with several live paths uses :attr:`live`)."""
        if len(self.live) != 1:
            raise ScriptError(f"{len(self.live)} live paths: use Session.live (or split/assume down to one)")
        return self.live[0]

    def value(self, register: str) -> Value:
        """``x0``..``x30``, ``sp``, ``v0``..``v31``, ``nzcv``, ``pc`` of the one live path."""
        s = self.state
        if register.lower() == "pc":
            return BV(64, s.pc)
        try:
            return s.register(register)
        except LnsymError:
            raise ScriptError(f"no register {register!r} (x0-x30, sp, v0-v31, nzcv, pc)") from None

    def show(self, register: str, limit: int = 400) -> str:
        """The register's term, pretty-printed (cut to about ``limit`` characters)."""
        return pretty(self.value(register), limit)

    # -- reasoning ----------------------------------------------------------------------------------------
    def assume(self, description: str, condition: Callable[[SymState, Inputs], Value]) -> Session:
        """Add a 1-bit condition to every live path; it is listed among the result's assumptions."""
        for s in self.live:
            s.path.append(lift(condition(s, self.inputs), 1))
        self.assumptions.append(f"script: {description}")
        return self

    def split(self, condition: Callable[[SymState, Inputs], Value]) -> Session:
        """Each live path becomes two: one with the condition, one with its negation (infeasible ones drop)."""
        out: list[SymState] = []
        for s in self.live:
            cond = lift(condition(s, self.inputs), 1)
            for side in (cond, ~cond):
                t = s.copy()
                t.path.append(side)
                if self.executor.solver.satisfiable(t.path):
                    out.append(t)
        self.live = out
        return self

    def assert_(self, name: str, claim: Claim) -> list[Obligation]:
        """Prove ``claim`` on every live path: a 1-bit term that must be 1, or an (implementation,
        specification) pair that must be equal.  Raises :class:`ScriptError` unless every path proves it."""
        done = []
        for k, s in enumerate(self.live):
            got = claim(s, self.inputs)
            impl, spec = got if isinstance(got, tuple) else (got, BV(1, 1))
            done.append(self._prove_on(s, name + (f" (path {k})" if len(self.live) > 1 else ""), impl, spec))
        return done

    def cut(self, location: str | int, holds: Callable[[SymState, Inputs], dict[str, Value]],
            keep: tuple[str, ...] = ()) -> Session:
        """Summarise ``location`` by a predicate: run every live path there, prove each register ``holds`` names
        equal to the value it gives (a specification-side term), then go on from the *summary* -- those
        registers hold the claimed values, the ``keep`` registers and the frame (X18-X30 and V8-V15, whose
        entry values the frame obligations compare; SP) stay as they are, and every other register is fresh
        (any value).  Memory and the path condition are kept.  The summary over-approximates the real states,
        so a later failure is reported unknown, never refuted."""
        keep = (*keep, *FRAME)
        self.run_to(location)
        if not self.live:
            raise ScriptError(f"cut {location}: no live path reaches it")
        self.cuts += 1
        summaries = []
        for k, s in enumerate(self.live):
            claims = holds(s, self.inputs)
            for register, value in claims.items():
                self._prove_on(s, f"cut {location}: {register}" + (f" (path {k})" if len(self.live) > 1 else ""),
                               self._named(s, register), value)
            t = s.copy()
            for register in [*[f"x{n}" for n in range(31)], *[f"v{n}" for n in range(32)], "nzcv"]:
                if register in claims:
                    t.set_register(register, claims[register])
                elif register not in keep:
                    width = lift(s.register(register), None).width
                    t.set_register(register, var(f"{register}@cut{self.cuts}", width))
            summaries.append(t)
        self.live = summaries
        named = ", ".join(k for k in keep if k not in FRAME) or "nothing else"
        self.assumptions.append(f"script: cut at {location} (holds {', '.join(sorted(claims))}; keeps {named} and "
                                "the frame; every other register any value), proved")
        return self

    def lemma(self, name: str, claim: Callable[..., tuple[Value, Value]], widths: tuple[int, ...]) -> Session:
        """Prove ``claim(*variables)`` -- a pair that must be equal -- for *every* value of fresh variables of
        the given widths (no path condition), once; :meth:`use` then adds instances of it to the live paths."""
        args = [var(f"{name}#{k}", w) for k, w in enumerate(widths)]
        left, right = claim(*args)
        ob = Obligation(f"lemma {name}", lift(left, None), lift(right, lift(left, None).width))
        self.checker.siblings = [ob]
        self.checker.check(ob, [], [self.contract.name, f"lemma {name}: for all values of its variables"])
        if ob.verdict != Verdict.PROVED:
            raise ScriptError(f"lemma {name}: {ob.verdict}")
        self.proved.append(ob)
        self.lemmas[name] = claim
        return self

    def use(self, name: str, *args: Callable[[SymState, Inputs], Value]) -> Session:
        """Add the lemma ``name`` instantiated at the given terms (functions of each live path's state and the
        inputs) to every live path's condition: a proved fact, not an assumption."""
        if name not in self.lemmas:
            raise ScriptError(f"no lemma {name!r} (prove it first with Session.lemma)")
        for s in self.live:
            left, right = self.lemmas[name](*[a(s, self.inputs) for a in args])
            s.path.append(lift(lift(left, None).eq(lift(right, lift(left, None).width)), 1))
        return self

    @staticmethod
    def _named(s: SymState, register: str) -> Value:
        try:
            return s.register(register)
        except LnsymError:
            raise ScriptError(f"no register {register!r} (x0-x30, v0-v31, nzcv)") from None

    def _prove_on(self, s: SymState, name: str, impl: Value, spec: Value) -> Obligation:
        """One obligation on one live path, proved or a :class:`ScriptError` naming it."""
        impl = lift(impl, None if not isinstance(impl, int) else lift(spec, None).width)
        ob = Obligation(f"script: {name}", impl, lift(spec, impl.width))
        self.checker.siblings = [ob]
        self.checker.check(ob, s.path, [self.contract.name, *self.assumptions])
        if ob.verdict != Verdict.PROVED:
            shown = ", ".join(f"{n} = {v:#x}" for n, v in list((ob.model or {}).items())[:10])
            raise ScriptError(f"{ob.name}: {ob.verdict}" + (f" ({ob.method}; {shown})" if shown else ""))
        self.proved.append(ob)
        return ob

    def finish(self) -> Result:
        """Run every live path to its end; the contract's output and frame obligations on each returned path.
        The result lists the script's assumptions and its proved assertions among the obligations."""
        result = Result(self.contract.name, Verdict.PROVED, list(self.assumptions), list(self.proved))
        while self.live:
            self.step()
        for end in self.ended:
            if end.reason == PathEndReason.INFEASIBLE:
                continue
            if end.reason != PathEndReason.RETURNED:
                result.verdict, result.detail = Verdict.UNKNOWN, f"a path ended with {end.reason}: {end.detail}"
                continue
            obligations = obligations_for(self.contract, end, self.inputs, self.entry)
            self.checker.siblings = obligations
            for ob in obligations:
                self.checker.check(ob, end.state.path, [self.contract.name, *self.assumptions])
                result.obligations.append(ob)
                if ob.verdict == Verdict.REFUTED and self.cuts:  # a state of the summary, maybe not a real one
                    result.verdict = Verdict.UNKNOWN
                    result.detail = (f"not proved: {ob.name} fails after {self.cuts} cut(s) (a cut keeps only what it "
                                     "names: the summary may have dropped what the rest needs)")
                    return result
                if ob.verdict == Verdict.REFUTED:
                    result.verdict, result.detail = Verdict.REFUTED, f"{ob.name} fails"
                    result.counterexample = replay(self.contract, self.image, self.inputs, ob)
                    return result
                if ob.verdict != Verdict.PROVED and result.verdict == Verdict.PROVED:
                    result.verdict, result.detail = Verdict.UNKNOWN, f"{ob.name}: {ob.verdict}"
        result.steps, result.paths = self.executor.steps, len(self.ended)
        return result


def words(value: Any, width: int, count: int) -> list[Value]:
    """``count`` lanes of ``width`` bits of ``value``, lane 0 first (V registers as words)."""
    v = lift(value, None)
    return [v[width * k + width - 1: width * k] for k in range(count)]
