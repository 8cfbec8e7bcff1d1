"""Interactive proof scripts: step a contract's routine, look at its state, assume, split, assert, and finish
with the contract's obligations, in a Python file that re-runs in CI (issue 16; the loop-induction step is
:mod:`lnsym.prove.induction`).

    s = Session(CONTRACT)
    s.run_to("sha256_block_ce+0x14")        # every live path stops there (or ends)
    print(s.show("v0"))                      # the term in V0, pretty-printed
    s.assert_("ABCD loaded", lambda st, i: (st.V(0)[31:0], i.words("state", 4)[0]))
    result = s.finish()                      # run to the return; outputs and frame obligations

Every :meth:`Session.assert_` is proved on every live path by the same procedures as ``lnsym verify``
(:class:`~lnsym.prove.procedures.Checker`); a failing one raises :class:`ScriptError` naming itself, with
the model of the path.  :meth:`Session.assume` adds a condition to every live path and to the assumptions the
result lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bitvec import BV, Value
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
        s, r = self.state, register.lower()
        if r == "sp":
            return s.sp
        if r == "pc":
            return BV(64, s.pc)
        if r == "nzcv":
            return s.flags
        if r[:1] in "xv" and r[1:].isdigit() and int(r[1:]) < (31 if r[0] == "x" else 32):
            return s.x[int(r[1:])] if r[0] == "x" else s.v[int(r[1:])]
        raise ScriptError(f"no register {register!r} (x0-x30, sp, v0-v31, nzcv, pc)")

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
            impl = lift(impl, None if not isinstance(impl, int) else lift(spec, None).width)
            spec = lift(spec, impl.width)  # an int on the specification side takes the implementation's width
            ob = Obligation(f"script: {name}" + (f" (path {k})" if len(self.live) > 1 else ""), impl, spec)
            self.checker.siblings = [ob]
            self.checker.check(ob, s.path, [self.contract.name, *self.assumptions])
            if ob.verdict != Verdict.PROVED:
                shown = ", ".join(f"{n} = {v:#x}" for n, v in list((ob.model or {}).items())[:10])
                raise ScriptError(f"{ob.name}: {ob.verdict}" + (f" ({ob.method}; {shown})" if shown else ""))
            done.append(ob)
        self.proved += done
        return done

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
