"""Cut-point induction for stream loops: a routine that reads ``n`` blocks of one buffer and (optionally) writes
``n`` blocks of another, through one or more loops (an unrolled-by-5 loop, then a by-3 loop, then a tail), for
*every* ``n`` (issue 16; Floyd's inductive assertions with a measure).

The user names the *cuts* -- program points inside the loops, each optionally restricted to arrivals over one
back-edge (``via``) so that an inner loop sharing the head does not count -- and what every cut holds, given
the **progress** of the stream: ``left`` blocks still to consume (the measure), the addresses of the next block
to read and to write, and the *carried* values of the specification (a counter block, a chaining value).  The
specification is a transducer over blocks: ``init`` (the carried values before the first block) and ``step``
(carried values, one input block, the call's inputs -> next carried values, that block's output bytes).  The
invariant at a cut, when ``i`` blocks are done (``left = n - i``):

    left(state) = n - i >= least,  every register in holds(progress_i) as given,
    every other *pinned* register and every memory region but the two buffers as at the cut's first arrival,
    output blocks 0..i-1 equal to the specification's (not represented: no later run can touch them).

:func:`prove_stream_loop` checks, each obligation through the same
:class:`~lnsym.prove.procedures.Checker` as ``lnsym verify``:

* from the **call** (``left = n``, the carried values ``init``) and from a **generalized state at each cut**
  (``left``, the carried values and every unpinned register fresh; the addresses ``&buffer + block * (n -
  left)``), every path either arrives at a cut having consumed ``d`` blocks -- ``d >= 1`` from a cut (the measure
  decreases), ``d >= 0`` from the call -- with that cut's invariant for ``i + d``, the ``d`` output blocks equal
  to the specification's; or returns having consumed every block left, with the outputs and every frame
  obligation of a returned path (callee-saved registers, SP, X18, FPCR, TPIDR_EL0, no store to the caller's
  frame).
* The buffers are represented by **windows**: the next ``window`` blocks (exactly ``left`` when fewer are
  left, one case per count), with fresh contents.  An access outside the window -- a block already done, a
  block past the end -- ends the path with an error, so the verdict is unknown, never proved.

``d`` is read off the arriving state with the cut's ``left`` and proved, not guessed.  Pinned registers are
found by a discovery run (wide windows, a few iterations), then proved at every arrival.  A failing obligation
makes the verdict *unknown* (the invariant may be too weak), never refuted.
"""

from __future__ import annotations

import dataclasses
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
from lnsym.prove.contract import Buffer, BufferOut, Contract, Inputs, Scalar
from lnsym.prove.induction import head_address
from lnsym.prove.loopcheck import LoopObligations
from lnsym.prove.loopreplay import replay_failure
from lnsym.prove.procedures import Verdict
from lnsym.prove.prover import USER_SPACE_END, Obligation, Result, code_memory, initial_state, obligations_for
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.memory import SymRegion
from lnsym.symbolic.state import PathEnd, PathEndReason, SymState


def _no_ahead(j: int) -> list[Value]:
    raise LnsymError("the cut reads no block ahead (give it ahead=k to read the next k blocks in holds)")


@dataclass(frozen=True)
class Progress:
    """What a cut's invariant is a function of: ``left`` blocks to go (64-bit), the address of the next block
    to read and to write, the specification's carried values, the call's inputs (keys, IVs: unchanged), and
    ``ahead(j)``: the bytes of the j-th block still to consume (j = 0 the next; only j < the cut's ``ahead``),
    for a routine that holds blocks it has loaded but not yet hashed in registers (a pipelined loop)."""

    left: Value
    source: Value
    sink: Value | None
    carried: list[Value]
    inputs: Inputs
    ahead: Callable[[int], list[Value]] = _no_ahead


@dataclass(frozen=True)
class Cut:
    """A program point inside the loops: ``head`` (``symbol+0xoff``), counted only when reached from one of
    ``via`` (the branches and fall-throughs into a loop head, not an inner loop's back-edge) if given; ``left``
    reads the blocks left off a state there; ``holds`` gives the registers (``x0``-``x30``, ``v0``-``v31``,
    ``sp``, ``nzcv``) as functions of the progress; at least ``least`` and at most ``most`` (if given) blocks
    are left whenever the cut is reached; ``holds`` may read the next ``ahead`` (at most ``least``) blocks
    still to consume (:attr:`Progress.ahead`): the invariant then says the registers hold what the routine
    loaded from them, and a run reaching the cut must have them in its window."""

    head: str
    left: Callable[[SymState], Value]
    holds: Callable[[Progress], dict[str, Value]]
    via: str | tuple[str, ...] | None = None
    least: int = 1
    most: int | None = None
    ahead: int = 0


def _no_outputs(carried: list[Value]) -> dict[str, list[Value]]:
    return {}


@dataclass(frozen=True)
class StreamLoop:
    """The stream: ``count`` (the contract's symbolic 64-bit scalar n), ``source`` (the buffer read block by
    block, ``block`` bytes each; the contract declares it one block long: only its address is taken), ``sink``
    (the buffer written block by block, or None), the cuts, the widths of the carried values, the
    specification (``init``, ``step``, ``outputs``: the contract's other outputs from the final carried values)
    and ``window``: the most blocks one run between cuts reads or writes (with the blocks a cut reads ahead).
    ``count_in_bytes``: the count scalar is a length in bytes, a multiple of ``block`` (a power of two; n =
    count / block, the multiple a precondition).  ``discovery``: rounds of the run that finds each cut's first
    arrival (a cut reached only from another cut needs 2)."""

    count: str
    source: str
    block: int
    window: int
    cuts: tuple[Cut, ...]
    carried: tuple[int, ...]
    init: Callable[[Inputs], list[Value]]
    step: Callable[[list[Value], list[Value], Inputs], tuple[list[Value], list[Value]]]
    sink: str | None = None
    outputs: Callable[[list[Value]], dict[str, list[Value]]] = _no_outputs
    max_count: int = 1 << 40
    count_in_bytes: bool = False
    discovery: int = 1


REGISTERS = [f"x{k}" for k in range(31)] + [f"v{k}" for k in range(32)] + ["sp", "nzcv"]


def _same(a: Value, b: Value) -> bool:
    return lift(a, None) is lift(b, None)


#: times the pinned registers are refined (registers the discovery run saw unchanged that an arrival changes)
REFINEMENTS = 8


@dataclass
class _Run:
    """A start of the proof: the call (``label`` "entry") or a generalized state at a cut."""

    label: str
    state: SymState
    progress: Progress
    from_cut: bool
    blocks: int  # window blocks (the exact count when fewer than ``window`` are left)
    exact: bool


class _Prover:
    def __init__(self, contract: Contract, loop: StreamLoop, timeout_s: float, image: Image | None,
                 result: Result, smt_out: Path | None = None) -> None:
        self.contract, self.loop, self.result = contract, loop, result
        self.image = image or load(contract.object_path(None), member=contract.member, symbol=contract.symbol,
                                   defines=contract.defines or None)
        self.obligations = LoopObligations(result, timeout_s, smt_out)
        self.timeout_s, self.smt_out = timeout_s, smt_out
        self.executor = SymbolicExecutor(code_memory(self.image), loop_limit=None)
        self.heads = [(head_address(self.image, c.head), None if c.via is None else
                       frozenset(head_address(self.image, v) for v in ((c.via,) if isinstance(c.via, str) else c.via)))
                      for c in loop.cuts]
        self.obligations_by_run: dict[str, int] = {}

    # -- set-up -----------------------------------------------------------------------------------------
    def check_contract(self) -> None:
        c, loop = self.contract, self.loop
        buffers = {a.name: a for a in c.args if isinstance(a, Buffer)}
        scalars = {a.name: a for a in c.args if isinstance(a, Scalar)}
        for name in filter(None, (loop.source, loop.sink)):
            if name not in buffers or buffers[name].size != loop.block:
                raise LnsymError(f"{c.name}: the stream's buffer {name!r} must be a contract buffer of one block "
                                 f"({loop.block} bytes)")
        if loop.sink is not None and not any(isinstance(o, BufferOut) and o.buffer == loop.sink for o in c.outputs):
            raise LnsymError(f"{c.name}: the stream's sink {loop.sink!r} must be one of the contract's outputs")
        if loop.count not in scalars or scalars[loop.count].value is not None or scalars[loop.count].width != 64:
            raise LnsymError(f"{c.name}: the block count {loop.count!r} must be a symbolic 64-bit scalar")
        if not loop.cuts or loop.window < 1:
            raise LnsymError(f"{c.name}: a stream loop needs at least one cut and a window of at least one block")
        if any(not 0 <= cut.ahead <= min(cut.least, loop.window) for cut in loop.cuts):
            raise LnsymError(f"{c.name}: a cut reads ahead at most its least blocks left and the window")
        if loop.count_in_bytes and loop.block & (loop.block - 1):
            raise LnsymError(f"{c.name}: a count in bytes needs a block of a power of two bytes")

    def call(self) -> tuple[SymState, Inputs, list[str]]:
        state, inputs, assumptions = initial_state(self.contract, self.image)
        self.entry = state.copy()
        count = lift(inputs[self.loop.count], 64)
        whole = []
        if self.loop.count_in_bytes:
            self.n = count.lsr(self.loop.block.bit_length() - 1)
            whole = [(count & (self.loop.block - 1)).eq(0)]
        else:
            self.n = count
        self.bases = {name: lift(state.memory.region(name).base, 64)
                      for name in filter(None, (self.loop.source, self.loop.sink))}
        span = self.loop.block * self.loop.max_count
        self.preconditions = [*state.path, *whole, self.n.uge(1), self.n.ule(self.loop.max_count),
                              *[b.ule(USER_SPACE_END - span) for b in self.bases.values()]]
        state.path = list(self.preconditions)
        state.solver = self.executor.solver
        return state, inputs, assumptions

    def windows(self, s: SymState, label: str, addresses: dict[str, Value], blocks: int, fresh: bool) -> None:
        """Replace the source and sink regions by ``blocks``-block windows at ``addresses`` (fresh contents named
        after ``label`` when ``fresh``; the call's own names otherwise)."""
        for name, address in addresses.items():
            old = s.memory.region(name)
            size = blocks * self.loop.block
            fixed = {k: var(f"{name}@{label}[{k}]", 8) for k in range(size)} if fresh else {}
            s.memory.regions = [r for r in s.memory.regions if r is not old]
            s.memory.add(SymRegion(name, address, size, name == self.loop.sink, None, fixed))

    def run(self, start: SymState, max_steps: int) -> tuple[list[tuple[int, SymState]], list[PathEnd]]:
        """Every path from ``start`` (after at least one instruction) to its next cut arrival or its end."""
        arrived: list[tuple[int, SymState]] = []
        ended: list[PathEnd] = []
        work = [(start.copy(), -1)]  # the executor steps states in place: the start stays as it is
        while work:
            s, prev = work.pop()
            while True:
                if prev != -1:
                    hit = next((k for k, (h, via) in enumerate(self.heads)
                                if s.pc == h and (via is None or prev in via)), None)
                    if hit is not None:
                        arrived.append((hit, s))
                        break
                here = s.pc
                step = self.executor.advance(s, SENTINEL, max_steps)
                if isinstance(step, PathEnd):
                    ended.append(step)
                    break
                s, prev = step[0], here
                work.extend((other, here) for other in step[1:])
        return arrived, ended

    # -- discovery: the pinned registers and the template of each cut ------------------------------------
    def discover(self, call: SymState) -> None:
        loop = self.loop
        wide = call.copy()
        self.windows(wide, "discovery", self.bases, 4 * loop.window + 4, fresh=False)
        found: dict[int, list[SymState]] = {k: [] for k in range(len(loop.cuts))}
        frontier = [wide]
        for _ in range(loop.discovery):
            following = []
            for s in frontier:
                arrived, _ = self.run(s, self.contract.max_steps)
                for k, a in arrived:
                    found[k].append(a)
                    following.append(a)
            frontier = following[:16]
        self.templates: dict[int, SymState] = {}
        self.pinned: dict[int, list[str]] = {}
        self.pinned_sys: dict[int, list[str]] = {}
        for k, states in found.items():
            if not states:
                continue
            first = states[0]
            held = set(loop.cuts[k].holds(self.dummy_progress(first)))
            self.templates[k] = first
            self.pinned[k] = [r for r in REGISTERS if r not in held
                              and all(_same(a.register(r), first.register(r)) for a in states)]
            self.pinned_sys[k] = [n for n in first.sysregs
                                  if all(_same(a.sysregs[n], first.sysregs[n]) for a in states)]
            if any(a.monitor is not None for a in states):
                raise LnsymError(f"{self.contract.name}: an exclusive monitor is open at cut {loop.cuts[k].head}")

    def dummy_progress(self, s: SymState) -> Progress:
        return Progress(var("left@probe", 64), var("source@probe", 64), var("sink@probe", 64),
                        [var(f"carried{k}@probe", w) for k, w in enumerate(self.loop.carried)], self.inputs,
                        lambda j: [var(f"ahead@probe[{self.loop.block * j + b}]", 8) for b in range(self.loop.block)])

    # -- the runs -----------------------------------------------------------------------------------------
    def variants(self, base: SymState, label: str, progress: Progress, from_cut: bool, least: int,
                 most: int | None = None) -> list[_Run]:
        """One run per exact count of blocks left below the window, one for ``window`` or more."""
        w = self.loop.window
        runs = []
        counts = [*range(least, w), max(w, least)]
        for blocks in [b for b in counts if most is None or b <= most]:
            exact = blocks < w
            s = base.copy()
            s.path = [*s.path, progress.left.eq(blocks) if exact else progress.left.uge(blocks)]
            if not self.executor.solver.satisfiable(s.path):
                continue
            addresses = {self.loop.source: progress.source}
            if self.loop.sink is not None:
                addresses[self.loop.sink] = progress.sink  # type: ignore[assignment]
            self.windows(s, label, addresses, blocks, fresh=from_cut)
            runs.append(_Run(f"{label}, {'left = ' if exact else 'left >= '}{blocks}", s, progress, from_cut,
                             blocks, exact))
        return runs

    def generalized(self, k: int) -> list[_Run]:
        cut, template = self.loop.cuts[k], self.templates[k]
        label = f"cut {cut.head}"
        g = template.copy()
        for r in REGISTERS:
            if r not in self.pinned[k]:
                g.set_register(r, var(f"{r}@{cut.head}", lift(g.register(r), None).width))
        for name in g.sysregs:
            if name not in self.pinned_sys[k]:
                g.sysregs[name] = var(f"{name.lower()}@{cut.head}", 64)
        left = var(f"left@{cut.head}", 64)
        done = self.n - left
        source = var(f"{self.loop.source}@{cut.head}", 64)
        sink = var(f"{self.loop.sink}@{cut.head}", 64) if self.loop.sink else None
        g.path = [*self.preconditions, left.uge(cut.least), left.ule(self.n),
                  *([] if cut.most is None else [left.ule(cut.most)]),
                  source.eq(self.bases[self.loop.source] + done * self.loop.block)]
        if sink is not None:
            g.path.append(sink.eq(self.bases[self.loop.sink] + done * self.loop.block))  # type: ignore[index]
        carried = [var(f"carried{j}@{cut.head}", w) for j, w in enumerate(self.loop.carried)]
        size = self.loop.block
        loaded = [var(f"{self.loop.source}@{label}[{k}]", 8) for k in range(cut.ahead * size)]  # windows' names

        def ahead(j: int) -> list[Value]:
            if not 0 <= j < cut.ahead:
                raise LnsymError(f"{self.contract.name}: cut {cut.head} reads block {j} ahead (ahead={cut.ahead})")
            return loaded[j * size : (j + 1) * size]  # type: ignore[return-value]

        progress = Progress(left, source, sink, carried, self.inputs, ahead)
        for r, value in cut.holds(progress).items():
            g.set_register(r, value)
        g.solver = self.executor.solver
        return self.variants(g, label, progress, True, cut.least, cut.most)

    def consumed(self, run: _Run, path: list[Term], left_after: Value | None) -> int | None:
        """The blocks a path consumed: ``left - left_after`` (or all that were left, at a return), proved."""
        left = lift(run.progress.left, 64)
        options = range(0 if not run.from_cut else 1, run.blocks + 1)
        for d in options:
            claim = left.eq(d) if left_after is None else lift(left_after, 64).eq(left - d)
            if self.executor.solver.valid(path, claim):
                return d
        return None

    def spec(self, run: _Run, d: int) -> tuple[list[Value], list[list[Value]]]:
        """The carried values after ``d`` blocks and each block's output bytes."""
        window = None
        carried = list(run.progress.carried)
        outs = []
        for j in range(d):
            window = window or self.source_window(run)
            block = [window.initial_byte(j * self.loop.block + b) for b in range(self.loop.block)]
            carried, out = self.loop.step(carried, block, self.inputs)
            if len(carried) != len(self.loop.carried) or (self.loop.sink and len(out) != self.loop.block):
                raise LnsymError(f"{self.contract.name}: the spec's step gives {len(carried)} carried values and "
                                 f"{len(out)} output bytes")
            outs.append(out)
        return carried, outs

    def source_window(self, run: _Run) -> SymRegion:
        return run.state.memory.region(self.loop.source)

    def ahead(self, run: _Run, d: int, count: int) -> Callable[[int], list[Value]]:
        """The blocks after the ``d`` a path of ``run`` consumed, read from its window (its start's contents)."""
        window, size = self.source_window(run), self.loop.block

        def block(j: int) -> list[Value]:
            if not 0 <= j < count:
                raise LnsymError(f"{self.contract.name}: a cut reads block {j} ahead (ahead={count})")
            return [window.initial_byte((d + j) * size + b) for b in range(size)]

        return block

    def sink_obligations(self, prefix: str, s: SymState, outs: list[list[Value]]) -> list[Obligation]:
        if self.loop.sink is None:
            return []
        region = s.memory.region(self.loop.sink)
        return [Obligation(f"{prefix}: {self.loop.sink} block +{j} byte {b}", region.byte(j * self.loop.block + b),
                           lift(out[b], 8)) for j, out in enumerate(outs) for b in range(self.loop.block)]

    def prove_run(self, run: _Run, explored: tuple[list[tuple[int, SymState]], list[PathEnd]]) -> bool:
        """The obligations of every path of ``run`` (``explored``: its arrivals at cuts and its ends)."""
        arrived, ended = explored
        self.result.paths += len(arrived) + len(ended)
        for k, s in arrived:
            cut = self.loop.cuts[k]
            where = f"{run.label} -> cut {cut.head}"
            if k not in self.templates:
                return self.stop(f"{where}: the discovery run never reached this cut (no template for it)")
            d = self.consumed(run, s.path, cut.left(s))
            if d is None:
                return self.stop(f"{where}: cannot tell how many blocks the path consumed (at most the window, "
                                 f"{run.blocks}; at least 1 from a cut)")
            carried, outs = self.spec(run, d)
            left = lift(run.progress.left, 64) - d
            source = lift(run.progress.source, 64) + d * self.loop.block
            sink = None if run.progress.sink is None else lift(run.progress.sink, 64) + d * self.loop.block
            if d + cut.ahead > run.blocks:
                return self.stop(f"{where}: the cut reads {cut.ahead} block(s) ahead, past the window ({run.blocks} "
                                 f"block(s), {d} consumed)")
            expected = cut.holds(Progress(left, source, sink, carried, self.inputs, self.ahead(run, d, cut.ahead)))
            template = self.templates[k]
            written = [r.name for r in s.memory.regions if r.name not in (self.loop.source, self.loop.sink)
                       and r.writable and r.cells != template.memory.region(r.name).cells]
            if written or s.monitor is not None:
                return self.stop(f"{where}: " + (f"{', '.join(written)} differ from the cut's first arrival (an "
                                                 "invariant over that memory is not supported)" if written
                                                 else "an exclusive monitor is open"))
            def at_cut(s: SymState, where: str = where, cut: Cut = cut, k: int = k, d: int = d, left: Value = left,
                       expected: dict[str, Value] = expected, template: SymState = template,
                       outs: list[list[Value]] = outs) -> list[Obligation]:
                """The obligations of an arrival at cut ``k`` (rebuilt from a concrete state by a replay)."""
                return [
                    Obligation(f"{where}: blocks left (consumed {d})", cut.left(s), left),
                    Obligation(f"{where}: at least {cut.least} block(s) left", left.uge(cut.least), BV(1, 1)),
                    *([] if cut.most is None else
                      [Obligation(f"{where}: at most {cut.most} block(s) left", left.ule(cut.most), BV(1, 1))]),
                    *[Obligation(f"{where}: {r}", s.register(r), value) for r, value in expected.items()],
                    *[Obligation(f"{where}: {r} as at the cut's first arrival", s.register(r),
                                 template.register(r)) for r in self.pinned[k]],
                    *[Obligation(f"{where}: {n.lower()} as at the cut's first arrival", lift(s.sysregs[n], 64),
                                 lift(template.sysregs[n], 64)) for n in self.pinned_sys[k]],
                    *self.sink_obligations(where, s, outs),
                ]

            if not self.obligations.check(at_cut(s), s.path, self.replayer(run, at_cut)):
                return False
        for end in ended:
            if end.reason == PathEndReason.INFEASIBLE:
                continue
            where = f"{run.label} -> return"
            if end.reason != PathEndReason.RETURNED:
                return self.stop(f"{where}: a path ends with {end.reason}: {end.detail}")
            d = self.consumed(run, end.state.path, None)
            if d is None:
                ob = Obligation(f"{where}: every block consumed (at most {run.blocks} left)",
                                lift(run.progress.left, 64).ule(run.blocks), BV(1, 1))
                if not self.obligations.check([ob], end.state.path):
                    return False
                return self.stop(f"{where}: cannot tell how many blocks the path consumed")
            carried, outs = self.spec(run, d)
            others = dataclasses.replace(self.contract, outputs=[
                o for o in self.contract.outputs if not (isinstance(o, BufferOut) and o.buffer == self.loop.sink)])

            def at_return(s: SymState, where: str = where, outs: list[list[Value]] = outs,
                          carried: list[Value] = carried, others: Contract = others) -> list[Obligation]:
                """The obligations of a return (rebuilt from a concrete state by a replay)."""
                return [*self.sink_obligations(where, s, outs),
                        *[Obligation(f"{where}: {o.name}", o.implementation, o.specification)
                          for o in obligations_for(others, PathEnd(s, PathEndReason.RETURNED), self.inputs,
                                                   self.entry, expected=self.loop.outputs(carried))]]

            if not self.obligations.check(at_return(end.state), end.state.path, self.replayer(run, at_return)):
                return False
        return True

    def refuted(self, got: Value, pinned: Value, path: list[Term]) -> bool:
        """Whether a register the discovery run saw pinned can differ at this arrival (a quick check: a
        register kept pinned is still proved with every other obligation)."""
        if lift(got, None) is lift(pinned, None):
            return False
        ob = Obligation("pinned", got, pinned)
        self.obligations.checker.siblings = [ob]
        self.obligations.checker.check(ob, path, [self.contract.name])
        return ob.verdict == Verdict.REFUTED

    def replayer(self, run: _Run, build: Callable[[SymState], list[Obligation]],
                 ) -> Callable[[Obligation, list[Term]], dict[str, object]]:
        """Replays a failing obligation of ``run`` on Unicorn from the model's start state."""
        def stop(prev: int, pc: int) -> bool:
            return any(pc == h and (via is None or prev in via) for h, via in self.heads)

        def replay(ob: Obligation, path: list[Term]) -> dict[str, object]:
            return replay_failure(self.image, run.state, ob, path, stop, build, self.contract.max_steps,
                                  self.timeout_s)

        return replay

    # -- bookkeeping --------------------------------------------------------------------------------------
    def stop(self, detail: str) -> bool:
        self.result.verdict, self.result.detail = Verdict.UNKNOWN, f"not proved: {detail}"
        return False

    def prove(self) -> None:
        self.check_contract()
        loop, result = self.loop, self.result
        call, self.inputs, assumptions = self.call()
        result.assumptions = [
            (f"{loop.count} = {loop.block} n with n >= 1 and n <= {loop.max_count}" if loop.count_in_bytes else
             f"{loop.count} >= 1 and {loop.count} <= {loop.max_count}"),
            *[f"{name} holds {loop.count} blocks of {loop.block} bytes (the whole buffer, not one block, is "
              "disjoint from the other regions)" for name in self.bases],
            f"the specification is the script's transducer over blocks ({_name(loop.init)}, {_name(loop.step)}, "
            f"{_name(loop.outputs)}); the contract's spec is not used",
            *[a for a in assumptions if not any(name in a for name in self.bases) or "disjoint" in a],
        ]
        if not self.executor.solver.satisfiable(call.path):
            raise LnsymError(f"{self.contract.name}: the preconditions contradict each other (a proof would be "
                             "vacuous)")
        self.discover(call)
        entry = Progress(self.n, self.bases[loop.source], self.bases.get(loop.sink or ""),
                         loop.init(self.inputs), self.inputs)
        if len(entry.carried) != len(loop.carried):
            raise LnsymError(f"{self.contract.name}: init gives {len(entry.carried)} carried values, the loop "
                             f"declares {len(loop.carried)}")
        for _ in range(REFINEMENTS):  # the pinned registers, refined until no arrival changes one
            runs = self.variants(call, "call", entry, False, 1)
            for k in range(len(loop.cuts)):
                if k in self.templates:
                    runs += self.generalized(k)
            if not runs:
                raise LnsymError(f"{self.contract.name}: no state satisfies the preconditions (a proof would be "
                                 "vacuous)")
            explored = [self.run(run.state, self.contract.max_steps) for run in runs]
            changed: dict[int, set[str]] = {}
            for arrived, _ in explored:
                for k, s in arrived:
                    if k in self.templates:
                        changed.setdefault(k, set()).update(
                            r for r in self.pinned[k]
                            if self.refuted(s.register(r), self.templates[k].register(r), s.path))
            if not any(changed.values()):
                break
            for k, registers in changed.items():  # discovery missed an arrival that changes these
                self.pinned[k] = [r for r in self.pinned[k] if r not in registers]
        else:
            self.stop(f"the pinned registers still changed after {REFINEMENTS} refinements")
            return
        for run, paths in zip(runs, explored):
            if not self.prove_run(run, paths):
                break
        result.steps = self.executor.steps
        if result.verdict == Verdict.PROVED and not any(r.from_cut for r in runs):
            self.stop("no cut was reached: the loop is not between the cuts")


def _name(f: object) -> str:
    return getattr(f, "__name__", repr(f)).replace("<lambda>", "a lambda")


def prove_stream_loop(contract: Contract, loop: StreamLoop, timeout_s: float = 60.0,
                      image: Image | None = None, smt_out: Path | None = None) -> Result:
    """Prove ``contract``'s routine transforms its ``count`` blocks as ``loop``'s specification says, for every
    count from 1 to ``loop.max_count`` (see the module docstring); ``smt_out`` as for
    :func:`~lnsym.prove.induction.prove_block_loop`."""
    start = time.perf_counter()
    result = Result(contract.name, Verdict.PROVED, [])
    result.paths = 0
    try:
        _Prover(contract, loop, timeout_s, image, result, smt_out).prove()
    except LnsymError as exc:
        result.verdict, result.detail = Verdict.ERROR, str(exc)
    result.seconds = time.perf_counter() - start
    return result

