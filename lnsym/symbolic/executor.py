"""Symbolic execution: the one semantics stepping a state of terms, with path splitting.

A :class:`SymState` implements :class:`isa.machine.Machine`; the PC is always concrete.  When an
executor's successor is an ``ite`` of addresses, :class:`SymbolicExecutor` asks Z3 which sides are
feasible under the path condition and follows each with its condition.
"""

from __future__ import annotations

from collections.abc import Callable

import isa
from bitvec.term import Term, lift
from isa.decoder import DecodeError, Executor
from isa.machine import Stop
from lnsym.errors import LnsymError, MemoryFault, UnsupportedInstruction
from lnsym.machine.memory import Memory
from lnsym.machine.stepper import capstone_text
from lnsym.symbolic.merge import run_merging
from lnsym.symbolic.pretty import pretty
from lnsym.symbolic.state import MASK64, NeedsInvariant, PathEnd, PathEndReason, Solver, SymState


class SymbolicExecutor:
    """Explores all feasible paths of a routine from an initial :class:`SymState`.

    ``merge``: live paths that reach the same PC with the same SP are merged into one state whose
    differing values are ``ite(condition, a, b)`` (:mod:`lnsym.symbolic.merge`); paths are scheduled lowest PC
    first so that the two sides of a forward branch meet at their join.  ``loop_limit``: a path that
    reaches one branch with a symbolic, both-ways-feasible condition more than this many times stops
    with reason ``needs-invariant`` (naming the loop via ``where``, e.g. ``symbol+0x40``).
    """

    def __init__(
        self, code: Memory, solver: Solver | None = None, merge: bool = False, loop_limit: int | None = 64,
        where: Callable[[int], str] | None = None,
    ) -> None:
        self.code = code
        self.decoder = isa.decoder()
        self.solver = solver or Solver()
        self._decoded: dict[int, Executor] = {}
        self.steps = 0
        self.splits = 0
        self.merges = 0
        self.merge = merge
        self.loop_limit = loop_limit
        self.where = where

    def _executor(self, pc: int) -> Executor:
        ex = self._decoded.get(pc)
        if ex is None:
            word = self.code.read_int(pc, 4, "fetch")
            try:
                _, ex = self.decoder.decode(word)
            except DecodeError as exc:
                raise UnsupportedInstruction(pc, word, capstone_text(word, pc), exc.reason) from None
            self._decoded[pc] = ex
        return ex

    def run(
        self, state: SymState, sentinel: int, max_steps: int = 1_000_000, max_paths: int = 64
    ) -> list[PathEnd]:
        """Follow every feasible path until it returns to ``sentinel`` or stops."""
        state.solver = self.solver
        if self.merge:
            return run_merging(self, state, sentinel, max_steps, max_paths)
        work = [state]
        ended: list[PathEnd] = []
        while work:
            s = work.pop()
            while True:
                step = self.advance(s, sentinel, max_steps)
                if isinstance(step, PathEnd):
                    ended.append(step)
                    break
                s = step[0]
                for other in step[1:]:
                    if len(work) + len(ended) + 1 >= max_paths:
                        ended.append(PathEnd(other, PathEndReason.PATH_LIMIT, f"more than {max_paths} paths"))
                    else:
                        work.append(other)
        return ended

    def advance(self, s: SymState, sentinel: int, max_steps: int) -> PathEnd | list[SymState]:
        """Execute one instruction of ``s``: its successor states, or how the path ended."""
        if s.pc == sentinel:
            return PathEnd(s, PathEndReason.RETURNED)
        if s.steps >= max_steps:
            return PathEnd(s, PathEndReason.STEP_LIMIT, f"{max_steps} steps at pc {s.pc:#x}: needs an invariant?")
        try:
            execute = self._executor(s.pc)
            s.next_pc = None
            execute(s)
        except Stop as stop:
            return PathEnd(s, PathEndReason(stop.kind.value), f"#{stop.imm:#x} at {s.pc:#x}")
        except (LnsymError, MemoryFault) as exc:
            return PathEnd(s, PathEndReason.ERROR, f"at pc {s.pc:#x}: {exc}", getattr(exc, "access", None))
        s.steps += 1
        self.steps += 1
        try:
            successors = self._successors(s)
        except NeedsInvariant as exc:
            return PathEnd(s, PathEndReason.NEEDS_INVARIANT, str(exc))
        except LnsymError as exc:  # e.g. the solver gave up on a branch condition
            return PathEnd(s, PathEndReason.ERROR, f"at pc {s.pc:#x}: {exc}")
        return successors or PathEnd(s, PathEndReason.INFEASIBLE)

    def _successors(self, s: SymState) -> list[SymState]:
        target = s.next_pc
        if target is None:
            s.pc = (s.pc + 4) & MASK64
            return [s]
        t = lift(target, 64)
        if t.op == "const":
            s.pc = t.params[0]
            return [s]
        if t.op == "ite" and t.args[1].op == "const" and t.args[2].op == "const":
            cond = t.args[0]
            taken, fall = t.args[1].params[0], t.args[2].params[0]
            out = []
            can_take = self.solver.satisfiable([*s.path, cond])
            can_fall = self.solver.satisfiable([*s.path, ~cond])
            if can_take and can_fall:
                self._count_loop(s, ~cond if taken <= s.pc else cond)  # a backward branch continues the loop
                self.splits += 1
                other = s.copy()
                other.path.append(~cond)
                other.pc = fall
                s.path.append(cond)
                s.pc = taken
                out = [s, other]
            elif can_take:
                s.pc = taken
                out = [s]
            elif can_fall:
                s.pc = fall
                out = [s]
            return out
        raise LnsymError(f"symbolic branch target at pc {s.pc:#x}: {t!r}")

    def _count_loop(self, s: SymState, exit_condition: Term) -> None:
        """Count a both-ways-feasible symbolic branch; past the loop limit the path needs an invariant.
        (A branch in a helper called more than the limit times from one path would count too.)"""
        n = s.loops[s.pc] = s.loops.get(s.pc, 0) + 1
        if self.loop_limit is not None and n > self.loop_limit:
            place = f" ({self.where(s.pc)})" if self.where is not None else ""
            raise NeedsInvariant(
                f"needs an invariant: loop at {s.pc:#x}{place} with symbolic exit condition "
                f"{pretty(exit_condition)}, iterations so far {n}"
            )
