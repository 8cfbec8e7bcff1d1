"""Path merging for :class:`lnsym.symbolic.executor.SymbolicExecutor` (``merge=True``).

Two live states at the same PC with the same SP (so the same frame) become one: with ``p`` the
conditions since their last common path prefix and ``q`` the other side's, every register, flag,
vector, system register and memory cell on which they differ becomes ``ite(p, a, b)`` and the path
condition becomes ``prefix ∧ (p ∨ q)`` (just ``prefix`` when ``q`` is structurally ``¬p``).  The
live states' conditions partition the input space (each split adds ``c`` to one side and ``¬c`` to
the other), so ``p ∧ q`` is unsatisfiable and the ``ite`` picks exactly the right side.  A branch
whose target is then an ``ite`` of constants splits again as usual.
"""

from __future__ import annotations

from functools import reduce
from typing import TYPE_CHECKING

from bitvec import BV, Value, ite
from bitvec.term import Term, lift
from lnsym.symbolic.memory import Cell, SymMemory, SymRegion
from lnsym.symbolic.state import PathEnd, PathEndReason, SymState

if TYPE_CHECKING:
    from lnsym.symbolic.executor import SymbolicExecutor


def _same(a: Value, b: Value) -> bool:
    return a is b or lift(a, a.width) is lift(b, b.width)


def _conjunction(conditions: list[Term]) -> Term:
    return reduce(lambda x, y: x & y, conditions, lift(BV(1, 1), 1))


def _choose(p: Term, a: Value, b: Value) -> Value:
    return a if _same(a, b) else ite(p, a, b)


def _merge_region(p: Term, ra: SymRegion, rb: SymRegion) -> SymRegion:
    out = ra.copy()
    same_layout = ra.cells.keys() == rb.cells.keys() and all(
        ra.cells[k].size == rb.cells[k].size for k in ra.cells
    )
    if same_layout:  # whole cells: a stored word stays one term
        out.cells = {k: Cell(c.size, _choose(p, c.value, rb.cells[k].value)) for k, c in ra.cells.items()}
        return out
    for off in sorted(set(ra.owner) | set(rb.owner)):
        a, b = ra.byte(off), rb.byte(off)
        if not _same(a, b):
            out.write(off, 1, ite(p, a, b))
    return out


def _same_monitor(a: SymState, b: SymState) -> bool:
    """The same exclusive monitor (both clear, or one marked address term and size) after the same number of
    store-exclusives: the next one's spurious-failure variable is then one name for one event on each side
    (a variable shared by two different events of one side would correlate their failures), and a replay's
    failure injection, which counts store-exclusives, finds it."""
    if a.exclusive_stores != b.exclusive_stores:
        return False
    if a.monitor is None or b.monitor is None:
        return a.monitor is None and b.monitor is None
    return a.monitor[1] == b.monitor[1] and _same(a.monitor[0], b.monitor[0])


def mergeable(a: SymState, b: SymState) -> bool:
    """Same PC, same frame (SP), same exclusive monitor and the same memory regions."""
    return (
        a.pc == b.pc
        and _same(a.sp, b.sp)
        and _same_monitor(a, b)
        and [r.name for r in a.memory.regions] == [r.name for r in b.memory.regions]
    )


def merge_states(a: SymState, b: SymState) -> SymState:
    """One state equal to ``a`` where ``a``'s path condition holds and to ``b`` where ``b``'s does."""
    k = 0
    while k < min(len(a.path), len(b.path)) and a.path[k] is b.path[k]:
        k += 1
    p, q = _conjunction(a.path[k:]), _conjunction(b.path[k:])
    merged = a.copy()
    complementary = (q.op == "not" and q.args[0] is p) or (p.op == "not" and p.args[0] is q)
    merged.path = a.path[:k] + ([] if complementary else [p | q])
    merged.x = [_choose(p, u, w) for u, w in zip(a.x, b.x)]
    merged.v = [_choose(p, u, w) for u, w in zip(a.v, b.v)]
    merged.flags = _choose(p, a.flags, b.flags)
    merged.sysregs = {n: _choose(p, a.sysregs[n], b.sysregs[n]) for n in a.sysregs}
    merged.memory = SymMemory([_merge_region(p, ra, rb) for ra, rb in zip(a.memory.regions, b.memory.regions)])
    merged.steps = max(a.steps, b.steps)
    merged.loops = {pc: max(a.loops.get(pc, 0), b.loops.get(pc, 0)) for pc in a.loops.keys() | b.loops.keys()}
    return merged


def run_merging(
    executor: SymbolicExecutor, state: SymState, sentinel: int, max_steps: int, max_paths: int
) -> list[PathEnd]:
    """Explore like :meth:`SymbolicExecutor.run`, always stepping the live state with the lowest PC
    and merging every mergeable state waiting at that PC into it first."""
    live = [state]
    ended: list[PathEnd] = []
    while live:
        s = live.pop(min(range(len(live)), key=lambda i: live[i].pc))
        for other in [o for o in live if mergeable(s, o)]:
            live.remove(other)
            s = merge_states(s, other)
            executor.merges += 1
        step = executor.advance(s, sentinel, max_steps)
        if isinstance(step, PathEnd):
            ended.append(step)
            continue
        live.append(step[0])
        for other in step[1:]:
            if len(live) + len(ended) + 1 > max_paths:
                ended.append(PathEnd(other, PathEndReason.PATH_LIMIT, f"more than {max_paths} paths"))
            else:
                live.append(other)
    return ended
