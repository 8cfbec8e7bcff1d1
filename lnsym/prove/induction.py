"""Loop induction for block loops: a routine that consumes ``n`` blocks of a buffer, one per iteration, for
*every* ``n`` (issue 16, first procedure).

A :class:`BlockLoop` names the loop head, the register counting the blocks left (decremented by one per
iteration; the loop leaves when it reaches 0), the register pointing at the next block, the buffer and its
stride, and the specification as a fold: ``init`` (the chaining value before the first block), ``step``
(chaining value, block bytes -> next chaining value: e.g. FIPS 180-4's compression function) and
``outputs`` (what the routine stores from the last chaining value); ``carried`` reads the chaining value off
a machine state (e.g. V0 and V1 as eight words).  The invariant at the i-th arrival at the head (0 <= i < n):

    counter = n - i,  pointer = &buffer + stride * i,  carried(state) = H_i  (the fold after i blocks),
    every *pinned* register and every writable region as at the first arrival,

where the pinned registers are those one iteration leaves as they were at the first arrival (found by
running that iteration, then proved for every iteration below).  :func:`prove_block_loop` proves:

* **entry**: from the call to the first arrival (i = 0): counter = n, pointer = &buffer, carried = init;
* **step**: from a *generalized* state at the head -- counter ``c`` and chaining registers fresh (any value),
  ``1 <= c <= n``, pointer ``p = &buffer + stride * (n - c)``, the current block a fresh read-only region of
  ``stride`` bytes at ``p`` (any contents: it stands for block ``n - c``), everything else as at the first
  arrival -- one iteration either comes back to the head with counter ``c - 1`` (which decreases: the
  measure), pointer ``p + stride``, carried = step(carried, block) and every pinned register and writable
  region unchanged; or returns, with ``c = 1`` (the last block), the outputs equal to ``outputs(step(...))``
  and every frame obligation of a returned path (callee-saved registers, SP, X18, FPCR, TPIDR_EL0, no store
  to the caller's frame).

By induction on i the routine returns, after exactly n iterations, the fold over all n blocks.  Reads of the
buffer outside the current block, writes to it, a path that neither returns nor comes back, or a pinned
register or region the iteration changes make the verdict *unknown*, never proved.  Every obligation goes
through the same :class:`~lnsym.prove.procedures.Checker` as ``lnsym verify``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bitvec import BV, Value, var
from bitvec.term import Term, lift
from lnsym.errors import LnsymError
from lnsym.load.image import Image
from lnsym.load.loader import load
from lnsym.machine.layout import SENTINEL
from lnsym.prove.contract import Buffer, Contract, Inputs, Scalar
from lnsym.prove.loopcheck import LoopObligations
from lnsym.prove.loopreplay import replay_failure
from lnsym.prove.procedures import Verdict
from lnsym.prove.prover import (
    USER_SPACE_END,
    Obligation,
    Result,
    code_memory,
    initial_state,
    obligations_for,
)
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.memory import SymRegion
from lnsym.symbolic.state import PathEnd, PathEndReason, SymState


@dataclass(frozen=True)
class BlockLoop:
    """A loop consuming ``count`` blocks of ``stride`` bytes of ``buffer`` (see the module docstring)."""

    head: str  # "symbol", "symbol+0x1c" or "0x1001c"
    counter: int  # X register: blocks left
    pointer: int  # X register: the next block
    buffer: str  # the contract's buffer the loop reads, block by block (never written)
    stride: int
    count: str  # the contract's scalar: the number of blocks n (proved for every 1 <= n <= max_count)
    carried: Callable[[SymState], list[Value]]
    init: Callable[[Inputs], list[Value]]
    step: Callable[[list[Value], list[Value]], list[Value]]
    outputs: Callable[[list[Value]], dict[str, list[Value]]]
    max_count: int = 1 << 40  # blocks: keeps &buffer + stride * n inside the user address space
    lookahead: Callable[[SymState], list[Value]] | None = None  # a pipelined loop: the current block's bytes
    # as the loop holds them in registers at the head (the pointer is then one block ahead)


def head_address(image: Image, head: str) -> int:
    """``symbol``, ``symbol+0xoff`` or an absolute address."""
    name, _, offset = head.partition("+")
    try:
        return int(head, 0) if not offset and name[:1].isdigit() else image.address(name) + int(offset or "0", 0)
    except (ValueError, LnsymError) as exc:
        raise LnsymError(f"loop head {head!r}: {exc}") from None


def run_until(executor: SymbolicExecutor, start: SymState, head: int, max_steps: int,
               ) -> tuple[list[SymState], list[PathEnd]]:
    """Every path from ``start`` (after at least one instruction) to its next arrival at ``head`` or its end."""
    arrived: list[SymState] = []
    ended: list[PathEnd] = []
    work = [(start, True)]
    while work:
        s, first = work.pop()
        while True:
            if not first and s.pc == head:
                arrived.append(s)
                break
            first = False
            step = executor.advance(s, SENTINEL, max_steps)
            if isinstance(step, PathEnd):
                ended.append(step)
                break
            s = step[0]
            work.extend((other, False) for other in step[1:])
    return arrived, ended


def _words_equal(prefix: str, got: list[Value], want: list[Value]) -> list[Obligation]:
    if len(got) != len(want):
        raise LnsymError(f"{prefix}: the loop's chaining value has {len(got)} words, the spec's {len(want)}")
    return [Obligation(f"{prefix}[{k}]", g, lift(w, lift(g, None).width)) for k, (g, w) in enumerate(zip(got, want))]


def _name(f: object) -> str:
    return getattr(f, "__name__", repr(f)).replace("<lambda>", "a lambda")


def _same(a: Value, b: Value) -> bool:
    return lift(a, None) is lift(b, None)


def _regions_written(before: SymState, after: SymState) -> list[str]:
    return [r.name for r in after.memory.regions if r.writable
            and before.memory.region(r.name).cells != r.cells]


def prove_block_loop(contract: Contract, loop: BlockLoop, timeout_s: float = 60.0,
                     image: Image | None = None, smt_out: Path | None = None) -> Result:
    """Prove ``contract``'s routine computes ``loop``'s fold over its ``count`` blocks, for every count from 1
    to ``loop.max_count``; the contract's own ``spec`` is not used (its buffer ``loop.buffer`` stands for one
    block: only its address is taken).  ``smt_out``: every decided obligation exported as ``lnsym verify``
    exports it (one group per path)."""
    start = time.perf_counter()
    result = Result(contract.name, Verdict.PROVED, [])
    try:
        _prove(contract, loop, timeout_s, image, result, smt_out)
    except LnsymError as exc:
        result.verdict, result.detail = Verdict.ERROR, str(exc)
    result.seconds = time.perf_counter() - start
    return result


def _prove(contract: Contract, loop: BlockLoop, timeout_s: float, image: Image | None, result: Result,
           smt_out: Path | None) -> None:
    if image is None:
        image = load(contract.object_path(None), member=contract.member, symbol=contract.symbol,
                     defines=contract.defines or None)
    buffers = {a.name: a for a in contract.args if isinstance(a, Buffer)}
    scalars = {a.name: a for a in contract.args if isinstance(a, Scalar)}
    if loop.buffer not in buffers or buffers[loop.buffer].size != loop.stride:
        raise LnsymError(f"{contract.name}: the loop's buffer {loop.buffer!r} must be a contract buffer of one "
                         f"block ({loop.stride} bytes)")
    if loop.count not in scalars or scalars[loop.count].value is not None or scalars[loop.count].width != 64:
        raise LnsymError(f"{contract.name}: the block count {loop.count!r} must be a symbolic 64-bit scalar")
    head = head_address(image, loop.head)
    state, inputs, assumptions = initial_state(contract, image)
    entry = state.copy()
    n = lift(inputs[loop.count], 64)
    base = lift(state.memory.region(loop.buffer).base, 64)
    state.path += [n.uge(1), n.ule(loop.max_count),
                   base.ule(USER_SPACE_END - loop.stride * loop.max_count)]
    result.assumptions = [f"{loop.count} >= 1 and {loop.count} <= {loop.max_count}",
                          f"{loop.buffer} holds {loop.count} blocks of {loop.stride} bytes (the buffer, not one "
                          "block, is disjoint from the other regions)",
                          f"the specification is the script's fold over the blocks ({_name(loop.init)}, "
                          f"{_name(loop.step)}, {_name(loop.outputs)}); the contract's spec is not used",
                          *[a for a in assumptions if loop.buffer not in a or "disjoint" in a]]
    executor = SymbolicExecutor(code_memory(image), loop_limit=None)
    state.solver = executor.solver
    check = LoopObligations(result, timeout_s, smt_out).check

    # -- entry: the call reaches the head once, with i = 0 ---------------------------------------------
    if not executor.solver.satisfiable(state.path):
        raise LnsymError(f"{contract.name}: the preconditions contradict each other (a proof would be vacuous)")
    call = state.copy()  # the executor steps states in place
    arrived, ended = ([state], []) if state.pc == head else run_until(executor, state, head, contract.max_steps)
    if ended or len(arrived) != 1:
        reasons = ", ".join(f"{e.reason} ({e.detail})" if e.detail else str(e.reason) for e in ended)
        raise LnsymError(f"{contract.name}: the call must reach the loop head {head:#x} on one path and nowhere "
                         f"else first; got {len(arrived)} arrival(s){', and ' + reasons if reasons else ''}")
    first = arrived[0]
    init = loop.init(inputs)

    def entry_obligations(s: SymState) -> list[Obligation]:
        """The obligations of the first arrival at the head (rebuilt from a concrete state by a replay)."""
        obligations = [Obligation("entry: counter = n", s.x[loop.counter], n),
                       *_words_equal("entry: carried", loop.carried(s), init)]
        if loop.lookahead is None:
            return [*obligations, Obligation("entry: pointer = &buffer", s.x[loop.pointer], base)]
        block0 = [first.memory.region(loop.buffer).initial_byte(k) for k in range(loop.stride)]
        return [*obligations, Obligation("entry: pointer = &buffer + stride", s.x[loop.pointer], base + loop.stride),
                *_words_equal("entry: lookahead = block 0", loop.lookahead(s), block0)]

    def entry_replay(ob: Obligation, path: list[Term]) -> dict[str, object]:
        return replay_failure(image, call, ob, path, lambda prev, pc: pc == head, entry_obligations,
                              contract.max_steps, timeout_s)

    if not check(entry_obligations(first), first.path, entry_replay):
        return

    # -- which registers one iteration leaves alone (pinned): found on the first iteration ------------
    around = first.copy()
    if loop.lookahead is not None:  # the first iteration reads block 1 ahead: give it room (discovery only)
        old = around.memory.region(loop.buffer)
        around.memory.regions = [r for r in around.memory.regions if r is not old]
        around.memory.add(SymRegion(old.name, old.base, 2 * loop.stride, old.writable, None, dict(old.fixed)))
    back, _ = run_until(executor, around, head, contract.max_steps)
    if not back:
        raise LnsymError(f"{contract.name}: no path comes back to the loop head {head:#x} (not a loop head?)")
    pinned_x = [k for k in range(31) if k not in (loop.counter, loop.pointer)
                and all(_same(a.x[k], first.x[k]) for a in back)]
    pinned_v = [k for k in range(32) if all(_same(a.v[k], first.v[k]) for a in back)]
    pinned_sys = [name for name in first.sysregs if all(_same(a.sysregs[name], first.sysregs[name]) for a in back)]
    if first.monitor is not None or any(a.monitor is not None for a in back):
        raise LnsymError(f"{contract.name}: an exclusive monitor is open at the loop head (not supported)")

    # -- step: one iteration from a generalized state at the head --------------------------------------
    g = first.copy()
    c = var("c@head", 64)
    for k in range(31):
        if k not in pinned_x:
            g.x[k] = var(f"x{k}@head", 64)
    for k in range(32):
        if k not in pinned_v:
            g.v[k] = var(f"v{k}@head", 128)
    g.flags = var("nzcv@head", 4)
    for name in g.sysregs:
        if name not in pinned_sys:
            g.sysregs[name] = var(f"{name.lower()}@head", 64)
    g.x[loop.counter] = c
    g.memory = first.memory.copy()
    g.memory.regions = [r for r in g.memory.regions if r.name != loop.buffer]
    q = var("q@head", 64)  # the address of the current block (block n - c)
    g.path = [*first.path, c.uge(1), c.ule(n), q.eq(base + (n - c) * loop.stride)]
    carried = loop.carried(g)
    if loop.lookahead is None:  # the iteration reads its block at the pointer
        g.x[loop.pointer] = q
        variants = [(g, [c.uge(1)], 1)]
    else:  # the block is in registers already, the pointer one block ahead; the last iteration has no next one
        g.x[loop.pointer] = q + loop.stride
        variants = [(g, [c.uge(2)], 2), (g, [c.eq(1)], 1)]
    steps = paths = 0
    for template, condition, blocks in variants:
        v = template.copy()
        v.path += condition
        if loop.lookahead is None:
            window = v.memory.add(SymRegion(f"{loop.buffer}@block", q, loop.stride, writable=False))
            block = [window.initial_byte(k) for k in range(loop.stride)]
        else:
            block = list(loop.lookahead(v))
            if len(block) != loop.stride:
                raise LnsymError(f"{contract.name}: lookahead gives {len(block)} bytes for a {loop.stride}-byte block")
            window = v.memory.add(SymRegion(f"{loop.buffer}@blocks", q, loop.stride * blocks, writable=False,
                                            fixed=dict(enumerate(block))))
        if not executor.solver.satisfiable(v.path):
            raise LnsymError(f"{contract.name}: no state satisfies the invariant at the loop head (a proof would be "
                             "vacuous)")
        after = loop.step(carried, block)
        if len(after) != len(carried):
            raise LnsymError(f"{contract.name}: the spec's step gives {len(after)} words for {len(carried)}")
        generalized = v.copy()
        arrived, ended = run_until(executor, v, head, contract.max_steps)
        steps, paths = executor.steps, paths + len(arrived) + len(ended)
        pointer = generalized.x[loop.pointer]

        def step_obligations(s: SymState, generalized: SymState = generalized, pointer: Value = pointer,
                             window: SymRegion = window, blocks: int = blocks, after: list[Value] = after,
                             ) -> list[Obligation]:
            """The obligations of an arrival back at the head (rebuilt from a concrete state by a replay)."""
            obligations = [
                Obligation("step: counter - 1", s.x[loop.counter], c - 1),
                Obligation("step: counter decreases (the measure)", lift(s.x[loop.counter], 64).ult(c), BV(1, 1)),
                Obligation("step: counter stays >= 1", lift(s.x[loop.counter], 64).uge(1), BV(1, 1)),
                Obligation("step: pointer + stride", s.x[loop.pointer], lift(pointer, 64) + loop.stride),
                *_words_equal("step: carried", loop.carried(s), after),
                *[Obligation(f"step: x{k} unchanged", s.x[k], generalized.x[k]) for k in pinned_x],
                *[Obligation(f"step: v{k} unchanged", s.v[k], generalized.v[k]) for k in pinned_v],
                Obligation("step: sp unchanged", s.sp, generalized.sp),
                *[Obligation(f"step: {name.lower()} unchanged", lift(s.sysregs[name], 64),
                             lift(generalized.sysregs[name], 64)) for name in pinned_sys],
            ]
            if loop.lookahead is not None:  # the next block is in the registers now
                ahead = [window.initial_byte(loop.stride + k) if blocks == 2 else BV(8, 0)
                         for k in range(loop.stride)]
                obligations += _words_equal("step: lookahead = the next block", loop.lookahead(s), ahead)
            return obligations

        def exit_obligations(s: SymState, after: list[Value] = after) -> list[Obligation]:
            """The obligations of a return from the head (rebuilt from a concrete state by a replay)."""
            return [Obligation("exit: after the last block (counter was 1)", c.eq(1), BV(1, 1)),
                    *[Obligation(f"exit: {o.name}", o.implementation, o.specification)
                      for o in obligations_for(contract, PathEnd(s, PathEndReason.RETURNED), inputs, entry,
                                               expected=loop.outputs(after))]]

        def replay(ob: Obligation, path: list[Term], start: SymState = generalized,
                   build: Callable[[SymState], list[Obligation]] = step_obligations) -> dict[str, object]:
            return replay_failure(image, start, ob, path, lambda prev, pc: pc == head, build, contract.max_steps,
                                  timeout_s)

        for s in arrived:
            written = _regions_written(generalized, s)
            if written or s.monitor is not None:
                result.verdict = Verdict.UNKNOWN
                result.detail = (f"the loop body writes {', '.join(written)} (an invariant over memory: "
                                 "lnsym.prove.stream.StreamLoop)" if written
                                 else "an exclusive monitor is open at the loop head")
                return
            if not check(step_obligations(s), s.path, replay):
                return
        for end in ended:
            if end.reason == PathEndReason.INFEASIBLE:
                continue
            if end.reason != PathEndReason.RETURNED:
                result.verdict = Verdict.UNKNOWN
                result.detail = f"an iteration from the loop head ends with {end.reason}: {end.detail}"
                return
            if not check(exit_obligations(end.state), end.state.path,
                         lambda ob, path, build=exit_obligations: replay(ob, path, build=build)):
                return
    result.steps, result.paths = steps, paths
    names = {o.name for o in result.obligations}
    if not any(n.startswith("step: counter - 1") for n in names) or not any(n.startswith("exit:") for n in names):
        result.verdict = Verdict.UNKNOWN
        result.detail = "an iteration from the loop head must be able both to come back and to return"
