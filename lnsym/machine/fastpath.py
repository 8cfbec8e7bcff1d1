"""Compiled concrete execution derived from the one semantics.

An instruction's executor is run once on a :class:`TraceMachine` whose registers are variables;
the recorded effects (register writes, memory accesses, branch target) are terms, which
:mod:`bitvec.pycompile` turns into a Python function over plain ints.  No instruction is written
twice: the compiled function is a translation of the traced semantics, and executors that cannot
be traced (stops, unsupported) fall back to normal execution.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bitvec import BV, Value, var
from bitvec.pycompile import emit, reference, sdiv
from bitvec.term import Term, lift, postorder
from isa.decoder import Executor
from isa.machine import AccessKind, BranchType, Stop
from lnsym.errors import MemoryFault
from lnsym.machine.concrete import SP_ALIGNMENT_DETAIL

CompiledStep = Callable[[Any, int], "int | None"]


@dataclass
class Effect:
    kind: str  # "load", "store", "align", "sp-align", "monitor-set", "monitor-pass", "monitor-clear"
    address: Term | None  # for "sp-align": the SP value checked
    size: int
    value: Term | None = None
    result: Term | None = None
    access: AccessKind = AccessKind.NORMAL
    condition: Term | None = None  # a store made only when this 1-bit term is 1 (a store-exclusive)


@dataclass
class TraceMachine:
    """A Machine whose state is variables; records what an executor does, in order."""

    x: dict[int, Value] = field(default_factory=dict)
    sp: Value | None = None
    flags: Value | None = None
    v: dict[int, Value] = field(default_factory=dict)
    sysregs: dict[str, Value] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)
    next_pc: Value | None = None

    def X(self, n: int, width: int) -> Value:
        if n == 31:
            return BV(width, 0)
        r = self.x.get(n, var(f"x{n}", 64))
        return r if width == 64 else r.extract(width - 1, 0)

    def set_X(self, n: int, value: Value) -> None:
        if n != 31:
            self.x[n] = value.zext(64)

    def SP(self, width: int) -> Value:
        r = self.sp if self.sp is not None else var("sp", 64)
        return r if width == 64 else r.extract(width - 1, 0)

    def set_SP(self, value: Value) -> None:
        self.sp = value.zext(64)

    def V(self, n: int) -> Value:
        return self.v.get(n, var(f"v{n}", 128))

    def set_V(self, n: int, value: Value) -> None:
        self.v[n] = value

    @property
    def PC(self) -> Value:
        return var("pc", 64)

    def branch_to(self, target: Value, kind: BranchType) -> None:
        self.next_pc = target

    def nzcv(self) -> Value:
        return self.flags if self.flags is not None else var("nzcv", 4)

    def set_nzcv(self, value: Value) -> None:
        self.flags = value

    def sysreg(self, name: str) -> Value:
        return self.sysregs.get(name, var(f"sys_{name}", 64))

    def set_sysreg(self, name: str, value: Value) -> None:
        self.sysregs[name] = value

    def mem_read(self, address: Value, size: int, kind: AccessKind) -> Value:
        result = var(f"ld{len(self.effects)}", 8 * size)
        self.effects.append(Effect("load", lift(address, 64), size, result=result, access=kind))
        return result

    def mem_write(self, address: Value, size: int, value: Value, kind: AccessKind) -> None:
        self.effects.append(Effect("store", lift(address, 64), size, value=lift(value, 8 * size), access=kind))

    def check_alignment(self, address: Value, size: int, kind: AccessKind) -> None:
        self.effects.append(Effect("align", lift(address, 64), size, access=kind))

    def check_sp_alignment(self) -> None:
        self.effects.append(Effect("sp-align", lift(self.SP(64), 64), 16))

    def set_exclusive_monitor(self, address: Value, size: int) -> None:
        self.effects.append(Effect("monitor-set", lift(address, 64), size))

    def exclusive_monitor_pass(self, address: Value, size: int) -> Value:
        result = var(f"ex{len(self.effects)}", 1)
        self.effects.append(Effect("monitor-pass", lift(address, 64), size, result=result))
        return result

    def clear_exclusive_monitor(self) -> None:
        self.effects.append(Effect("monitor-clear", None, 0))


def _var_ref(t: Term) -> str:
    name = t.params[0]
    if name.startswith("x") and name[1:].isdigit():
        return f"X[{name[1:]}]"
    if name.startswith("v") and name[1:].isdigit():
        return f"m.v[{name[1:]}]"
    if name.startswith("sys_"):
        return f"m.sysregs[{name[4:]!r}]"
    return {"sp": "m.sp", "nzcv": "m.flags", "pc": "pc"}.get(name, name)


def compile_executor(execute: Executor) -> CompiledStep | None:
    """Trace ``execute`` and compile it; ``None`` when it cannot be traced (it must then run as is)."""
    trace = TraceMachine()
    try:
        execute(trace)
    except (Stop, TypeError, ValueError):
        return None
    effects = _conditional_stores(trace)
    if effects is None:
        return None
    lines = ["def step(m, pc):", "    X = m.x", "    mem = m.memory"]
    done: set[int] = set()

    def compute(t: Term) -> str:
        lines.extend("    " + line for line in emit([t], _var_ref, done, fuse=True))
        return reference(t, _var_ref)

    def snapshot(t: Term) -> str:
        """Like ``compute`` but never a direct state reference, which a later write could change."""
        ref = compute(t)
        if t.op == "var":
            lines.append(f"    r{t.serial} = {ref}")
            return f"r{t.serial}"
        return ref

    for e in _coalesce(effects):
        if isinstance(e, list):
            _emit_run(e, compute, lines)
        elif e.kind == "load":
            assert e.address is not None and e.result is not None
            addr = compute(e.address)
            lines.append(f"    {e.result.params[0]} = mem.read_int({addr}, {e.size})")
        elif e.kind == "store":
            assert e.address is not None and e.value is not None
            addr, value = compute(e.address), compute(e.value)
            if e.condition is not None:  # computed before the test: emitted code must not sit inside the if
                lines.append(f"    if {compute(e.condition)}:")
                lines.append(f"        mem.write_int({addr}, {e.size}, {value})")
            else:
                lines.append(f"    mem.write_int({addr}, {e.size}, {value})")
        elif e.kind == "align":
            assert e.address is not None
            addr = compute(e.address)
            lines.append(f"    if {addr} % {e.size}: _misaligned({addr}, {e.size}, {e.access.value!r})")
        elif e.kind == "sp-align":
            assert e.address is not None
            sp = compute(e.address)
            lines.append(f"    if {sp} % 16: _sp_misaligned({sp})")
        elif e.kind == "monitor-set":
            assert e.address is not None
            lines.append(f"    m.set_exclusive_monitor(_BV(64, {compute(e.address)}), {e.size})")
        elif e.kind == "monitor-pass":
            assert e.address is not None and e.result is not None
            lines.append(
                f"    {e.result.params[0]} = m.exclusive_monitor_pass(_BV(64, {compute(e.address)}), {e.size}).val"
            )
        else:
            lines.append("    m.clear_exclusive_monitor()")
    # compute every new value before writing any register (all reads see the old state)
    writes: list[str] = []
    for n, value in sorted(trace.x.items()):
        writes.append(f"    X[{n}] = {snapshot(lift(value, 64))}")
    if trace.sp is not None:
        writes.append(f"    m.sp = {snapshot(lift(trace.sp, 64))}")
    if trace.flags is not None:
        writes.append(f"    m.flags = {snapshot(lift(trace.flags, 4))}")
    for n, value in sorted(trace.v.items()):
        writes.append(f"    m.v[{n}] = {snapshot(lift(value, 128))}")
    for name, value in sorted(trace.sysregs.items()):
        writes.append(f"    m.sysregs[{name!r}] = {snapshot(lift(value, 64))}")
    target = snapshot(lift(trace.next_pc, 64)) if trace.next_pc is not None else None
    lines.extend(writes)
    lines.append(f"    return {target}" if target is not None else "    return None")
    namespace: dict[str, Any] = {"_sdiv": sdiv, "_BV": BV, "_misaligned": _misaligned, "_Fault": MemoryFault,
                                 "_sp_misaligned": _sp_misaligned}
    exec(compile("\n".join(lines), "<lnsym-compiled>", "exec"), namespace)
    step: CompiledStep = namespace["step"]
    step.source = "\n".join(lines)  # type: ignore[attr-defined]
    return step


def _conditional_stores(trace: TraceMachine) -> list[Effect] | None:
    """The effects with each store-exclusive made conditional again: the semantics store
    ``ite(passed, data, old)`` after loading ``old`` when the monitor's answer ``passed`` is not a constant,
    which compiled as is would read and write the location even when the store fails (and could fault
    there).  Such a load-store pair becomes one store of ``data`` under ``passed``.  ``None`` (do not compile)
    when a monitor answer is used in any other way."""
    effects = list(trace.effects)
    answers = {e.result.serial for e in effects if e.kind == "monitor-pass" and e.result is not None}
    if not answers:
        return effects
    out: list[Effect] = []
    dropped: set[int] = set()
    for i, e in enumerate(effects):
        if e.kind == "load" and i + 1 < len(effects) and effects[i + 1].kind == "store" \
                and _store_exclusive(e, effects[i + 1], answers):
            assert e.result is not None
            dropped.add(e.result.serial)
            continue
        if e.kind == "store":
            v = e.value
            if v is not None and v.op == "ite" and v.args[2].serial in dropped:
                out.append(Effect("store", e.address, e.size, v.args[1], access=e.access, condition=v.args[0]))
                continue
            if v is not None and _mentions(v, answers):
                return None
        out.append(e)
    regs = [*trace.x.values(), *trace.v.values(), *trace.sysregs.values(), trace.sp, trace.flags, trace.next_pc]
    terms = [lift(r, r.width) for r in regs if r is not None]
    terms += [t for e in out for t in (e.address, e.value) if t is not None]
    if any(_mentions(t, dropped) for t in terms):
        return None  # a dropped load's value is used elsewhere
    return out


def _store_exclusive(load: Effect, store: Effect, answers: set[int]) -> bool:
    """``store`` writes ``ite(answer, data, loaded)`` back where ``load`` read, ``answer`` a monitor's."""
    v = store.value
    return (
        v is not None and load.result is not None and v.op == "ite" and v.args[0].serial in answers
        and v.args[2] is load.result and store.address is load.address and store.size == load.size
        and not _mentions(v.args[1], {load.result.serial})
    )


def _mentions(t: Term, serials: set[int]) -> bool:
    """Does ``t`` contain a node with one of these serials?"""
    return any(n.serial in serials for n in postorder(t))


def _base_offset(t: Term) -> tuple[Term, int]:
    """``t`` as base + constant offset (the offset 0 when ``t`` is not such a sum)."""
    if t.op == "add" and t.width == 64:
        a, b = t.args
        if b.op == "const":
            return a, b.params[0]
        if a.op == "const":
            return b, a.params[0]
    return t, 0


def _coalesce(effects: list[Effect]) -> list[Effect | list[Effect]]:
    """Group runs of two or more consecutive normal loads (or stores) of one size at consecutive
    addresses from one base, e.g. the per-element accesses of LD1/ST1 {4 registers}."""
    out: list[Effect | list[Effect]] = []
    run: list[Effect] = []

    def flush() -> None:
        out.extend([run[:]] if len(run) > 1 else run)
        run.clear()

    for e in effects:
        if e.kind in ("load", "store") and e.access is AccessKind.NORMAL and e.address is not None:
            if run:
                base, offset = _base_offset(run[0].address)  # type: ignore[arg-type]
                here = _base_offset(e.address)
                if (e.kind, e.size) == (run[0].kind, run[0].size) and here == (base, offset + len(run) * e.size):
                    run.append(e)
                    continue
                flush()
            run.append(e)
        else:
            flush()
            out.append(e)
    flush()
    return out


def _emit_run(run: list[Effect], compute: Callable[[Term], str], lines: list[str]) -> None:
    """One memory access for a run of element accesses, falling back to the element-wise accesses
    (and so to exactly their faults and partial effects) if the whole range is not one region."""
    size, total = run[0].size, run[0].size * len(run)
    addrs = [compute(e.address) for e in run]  # type: ignore[arg-type]
    if run[0].kind == "load":
        names = [e.result.params[0] for e in run]  # type: ignore[union-attr]
        mask = hex((1 << (8 * size)) - 1)
        lines.append("    try:")
        lines.append(f"        _w = mem.read_int({addrs[0]}, {total})")
        lines.append("    except _Fault:")
        lines.extend(f"        {n} = mem.read_int({a}, {size})" for n, a in zip(names, addrs))
        lines.append("    else:")
        lines.extend(f"        {n} = (_w >> {8 * size * k}) & {mask}" for k, n in enumerate(names))
        return
    values = [compute(e.value) for e in run]  # type: ignore[arg-type]
    whole = " | ".join(f"({v} << {8 * size * k})" if k else v for k, v in enumerate(values))
    lines.append("    try:")
    lines.append(f"        mem.write_int({addrs[0]}, {total}, {whole})")
    lines.append("    except _Fault:")
    lines.extend(f"        mem.write_int({a}, {size}, {v})" for a, v in zip(addrs, values))


def _sp_misaligned(sp: int) -> None:
    raise MemoryFault(sp, 16, "sp-alignment", SP_ALIGNMENT_DETAIL)


def _misaligned(address: int, size: int, kind: str) -> None:
    raise MemoryFault(address, size, "alignment", f"{kind} access must be {size}-byte aligned")
