"""Concrete replay of a loop proof's counterexample: the failing obligation's model is a state at a loop head
(or at the call); it is built concretely -- registers and every memory region evaluated under the model --
and run on Unicorn (the independent oracle) until the next arrival at a cut or the return.  The obligations of
that arrival are rebuilt from the *concrete* state (the same builder as the proof's) and the failing one is
compared with its specification evaluated under the model: the replay confirms the mismatch with the two
values, or says why it cannot (regions the model places on overlapping pages, a model that does not satisfy
the path, a different path taken, a fault)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from bitvec import BV
from bitvec.term import Term, evaluate, lift, variables
from lnsym.machine.layout import SENTINEL
from lnsym.machine.uc_engine import new_engine, read_nzcv, read_vs, read_xs, write_registers
from lnsym.prove.procedures import Z3, Method, Verdict
from lnsym.prove.prover import Obligation
from lnsym.symbolic.memory import Cell
from lnsym.symbolic.state import SymState

Builder = Callable[[SymState], list[Obligation]]
Stop = Callable[[int, int], bool]  # (previous pc, pc) -> an arrival


class ReplayError(Exception):
    """Why a state cannot be replayed."""


def _env(start: SymState, model: dict[str, int]) -> dict[str, int]:
    names: dict[str, int] = {}
    for value in [*start.x, *start.v, start.sp, start.flags, *start.path]:
        names.update(variables(lift(value, None)) if not isinstance(value, BV) else {})
    for r in start.memory.regions:
        if not isinstance(r.base, BV):
            names.update(variables(lift(r.base, 64)))
        for k in range(r.size if r.init is None else 0):
            b = r.byte(k)
            if not isinstance(b, BV):
                names.update(variables(b))
    env = {**model, **{n: model.get(n, 0) & ((1 << w) - 1) for n, w in names.items()}}
    for cond in start.path:
        if evaluate(lift(cond, 1), env).val != 1:
            raise ReplayError("the model does not satisfy the path condition at the start")
    return env


def _value(v: Any, env: dict[str, int]) -> int:
    """``v`` under ``env``; a variable the start state did not mention (an input only the obligation reads)
    takes 0, as a variable the model leaves free may."""
    term = lift(v, None)
    if not isinstance(term, BV):
        for name in variables(term):
            env.setdefault(name, 0)
    return int(evaluate(term, env).val)


def run_concretely(image: Any, start: SymState, model: dict[str, int], stop: Stop, max_steps: int,
                   ) -> tuple[SymState, dict[str, int]]:
    """``start`` under ``model`` run on Unicorn until ``stop`` or the return: the arrival as a SymState whose
    registers and memory are constants, and the environment used."""
    import unicorn

    env = _env(start, model)
    uc = new_engine()
    chunks: list[tuple[int, bytes, str]] = []
    for r in start.memory.regions:
        base = _value(r.base, env)
        data = bytes(r.init) if r.init is not None and not r.cells else \
            bytes(_value(r.byte(k), env) for k in range(r.size))
        chunks.append((base, data, r.name))
    spans = sorted((base, base + len(data), name) for base, data, name in chunks)
    for (_, end, name), (start_b, _, other) in pairwise(spans):
        if start_b < end:
            raise ReplayError(f"the model places {name} and {other} at overlapping addresses ({start_b:#x})")
    pages: set[int] = set()
    for base, data, _ in chunks:
        pages.update(range(base & ~0xFFF, (base + max(len(data), 1) + 0xFFF) & ~0xFFF, 0x1000))
    for page in sorted(pages):
        uc.mem_map(page, 0x1000, unicorn.UC_PROT_ALL)
    for base, data, _ in chunks:
        uc.mem_write(base, data)
    write_registers(uc, [_value(x, env) for x in start.x], sp=_value(start.sp, env), pc=start.pc,
                    v=[_value(v, env) for v in start.v], nzcv=_value(start.flags, env))
    state = {"prev": -1, "count": 0, "arrived": False}

    def on_code(uc: Any, address: int, size: int, _: object) -> None:
        if state["count"] > 0 and stop(state["prev"], address):
            state["arrived"] = True
            uc.emu_stop()
        state["prev"], state["count"] = address, state["count"] + 1
        if state["count"] > max_steps:
            uc.emu_stop()

    uc.hook_add(unicorn.UC_HOOK_CODE, on_code)
    try:
        uc.emu_start(start.pc, SENTINEL)
    except unicorn.UcError as exc:
        raise ReplayError(f"Unicorn stopped at {uc.reg_read(unicorn.arm64_const.UC_ARM64_REG_PC):#x}: {exc}") \
            from None
    pc = uc.reg_read(unicorn.arm64_const.UC_ARM64_REG_PC)
    if not state["arrived"] and pc != SENTINEL:
        raise ReplayError(f"no arrival and no return within {max_steps} instructions (at {pc:#x})")
    out = start.copy()
    out.x = [BV(64, v) for v in read_xs(uc)]
    out.v = [BV(128, v) for v in read_vs(uc)]
    out.flags = BV(4, read_nzcv(uc))
    out.sp = BV(64, uc.reg_read(unicorn.arm64_const.UC_ARM64_REG_SP))
    out.pc = pc
    out.path = []
    for r, (base, _, _) in zip(out.memory.regions, chunks):
        data = bytes(uc.mem_read(base, r.size))
        r.cells = {k: Cell(1, BV(8, b)) for k, b in enumerate(data)}
        r.owner = {k: k for k in range(r.size)}
    return out, env


def disjoint(start: SymState) -> list[Term]:
    """The regions pairwise disjoint (an assumption every result states, not part of the path condition)."""
    spans = [(lift(r.base, 64), r.size) for r in start.memory.regions]
    out: list[Term] = []
    for i, (a, m) in enumerate(spans):
        for b, k in spans[i + 1:]:
            if isinstance(a, BV) and isinstance(b, BV):
                continue
            out.append(lift((a + m).ule(b) | (b + k).ule(a), 1))
    return out


def replay_failure(image: Any, start: SymState, ob: Obligation, path: list[Term], stop: Stop, build: Builder,
                   max_steps: int, timeout_s: float = 60.0) -> dict[str, object]:
    """The counterexample fields: ``replays`` True when Unicorn's run from the model's state gives a value for
    the obligation's implementation side that differs from its specification under the model.  The model is
    the obligation's when its regions are disjoint, else one the solver finds with disjointness added."""
    model = ob.model or {}
    try:
        try:
            arrival, env = run_concretely(image, start, model, stop, max_steps)
        except ReplayError as exc:
            if "overlapping" not in str(exc):
                raise
            claim = lift(ob.implementation, None).eq(lift(ob.specification, lift(ob.implementation, None).width))
            found = Z3(int(timeout_s * 1000)).solve([*path, *disjoint(start)], lift(claim, 1), Method.Z3)
            if found.verdict != Verdict.REFUTED or not found.model:
                raise ReplayError(f"{exc}, and no model with disjoint regions ({found.verdict})") from None
            model = found.model
            arrival, env = run_concretely(image, start, model, stop, max_steps)
        try:
            again = {o.name: o for o in build(arrival)}
        except Exception as exc:  # a builder that cannot read the concrete state (another path was taken)
            raise ReplayError(f"{type(exc).__name__}: {exc}") from None
        mine = again.get(ob.name)
        if mine is None:
            raise ReplayError(f"the concrete run ends elsewhere (pc {arrival.pc:#x})")
        got = _value(mine.implementation, env)
        want = _value(lift(mine.specification, lift(mine.implementation, None).width), env)
    except ReplayError as exc:
        return {"replays": False, "replay": f"not replayed: {exc}"}
    return {"replays": got != want, "model": model,
            "replay": f"Unicorn from the state at {start.pc:#x}: {ob.name} = {got:#x}, the invariant wants {want:#x}"}
