"""``lnsym conform replay``: run every test record of a trace on lnsym and compare every field.

A record agrees when lnsym ends the same way (a ``brk`` at the same PC, or the same fault: SIGSEGV for an
unmapped or read-only page, SIGBUS for an alignment fault, SIGILL for an UNDEFINED encoding) and leaves the
same X0-X30, SP, PC, NZCV, FPCR, FPSR, TPIDR_EL0, V0-V31 and memory bytes.  Known deviations of a recorder
from the Arm ARM are named (:data:`DEVIATIONS`) and counted, never silently accepted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import isa
from isa.decoder import DecodeError
from isa.machine import Stop
from lnsym.check.conformance import is_ordered_access, is_store_exclusive
from lnsym.check.hardware.trace import MASK64, Ending, MachineRecord, State, TestRecord
from lnsym.errors import LnsymError, MemoryFault, UnpredictableBehaviour, UnsupportedInstruction
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.oracle import Snapshot, machine_for
from lnsym.machine.stepper import Stepper

MAX_STEPS = 10_000
SEGV_MAPERR, SEGV_ACCERR, BUS_ADRALN = 1, 2, 1
_NOP_FEATURES = {"FEAT_PAuth": 1 << 30}  # lnsym runs these hints as a CPU without the feature does (NOPs)


@dataclass
class Run:
    """What lnsym did with a record: final state, changed bytes, ending, or why it cannot be compared."""

    final: State
    changes: dict[int, int]
    ending: Ending
    not_comparable: str = ""
    fault: str = ""  # lnsym's fault kind and detail, e.g. "sp-alignment", "fetch PC alignment fault"


def snapshot(rec: TestRecord) -> Snapshot:
    """The record's initial state and memory as the oracle's :class:`Snapshot`."""
    s = rec.initial
    regions = [(r.address, r.contents(), r.perm.replace("-", "")) for r in rec.memory]
    return Snapshot(x=list(s.x), sp=s.sp, pc=s.pc, nzcv=s.nzcv, v=list(s.v), fpcr=s.fpcr, fpsr=s.fpsr,
                    regions=regions, tpidr=s.tpidr_el0)


def _ending(exc: BaseException | None, m: ConcreteMachine) -> tuple[Ending, str]:
    """The signal Linux would deliver for how lnsym's run ended, or why the run is not comparable."""
    if exc is None:
        return Ending("SIGALRM"), ""
    if isinstance(exc, Stop):
        kind = exc.kind.value
        if kind == "brk":
            return Ending("SIGTRAP", 1, m.pc), ""
        if kind in ("udf", "hlt"):  # HLT is UNDEFINED at EL0 when halting is disabled, as under Linux
            return Ending("SIGILL", 1, m.pc), ""
        return Ending("none"), f"lnsym stopped at {kind}"
    if isinstance(exc, MemoryFault):
        if exc.kind in ("alignment", "sp-alignment") or (exc.kind == "fetch" and "alignment" in str(exc)):
            return Ending("SIGBUS", BUS_ADRALN, exc.address), ""
        code = SEGV_ACCERR if "is not" in str(exc) else SEGV_MAPERR
        return Ending("SIGSEGV", code, exc.address), ""
    if isinstance(exc, UnpredictableBehaviour):
        return Ending("none"), "CONSTRAINED UNPREDICTABLE in the Arm ARM (lnsym picks no behaviour)"
    if isinstance(exc, UnsupportedInstruction):
        if "UNPREDICTABLE" in exc.reason:
            return Ending("none"), "CONSTRAINED UNPREDICTABLE in the Arm ARM (lnsym picks no behaviour)"
        if "not supported" in exc.reason or "not modelled" in exc.reason:
            return Ending("none"), f"unsupported by lnsym: {exc.reason}"
        return Ending("SIGILL", 1, m.pc), ""
    return Ending("none"), f"lnsym error: {exc}"


def run_lnsym(rec: TestRecord) -> Run:
    """Run ``rec`` from its initial state until a ``brk``, a fault or :data:`MAX_STEPS` instructions."""
    m, written = machine_for(snapshot(rec))
    stepper = Stepper(m, compiled=False)
    stop: BaseException | None = None
    try:
        for _ in range(MAX_STEPS):
            stepper.step()
    except (Stop, LnsymError) as exc:  # a brk, a fault, an UNDEFINED or unsupported word, ...
        stop = exc
    ending, why = _ending(stop, m)
    fault = f"{stop.kind} {str(stop).rsplit('(', 1)[-1].rstrip(')')}" if isinstance(stop, MemoryFault) else ""
    initial = {}
    for region in rec.memory:
        data = region.contents()
        for a in written:
            if region.address <= a < region.address + region.size:
                initial[a] = data[a - region.address]
    changes = {a: m.memory.read_int(a, 1) for a in sorted(written) if m.memory.read_int(a, 1) != initial.get(a)}
    final = State(list(m.x), m.sp, m.pc, m.flags, m.sysregs["FPCR"], m.sysregs["FPSR"], m.sysregs["TPIDR_EL0"],
                  list(m.v))
    return Run(final, changes, ending, why, fault)


# ------------------------------------------------------------------------------------------------
# comparison


def differences(rec: TestRecord, ours: Run) -> list[str]:
    """Every field where lnsym and the machine disagree, as ``NAME lnsym=... machine=...``."""
    assert rec.final is not None and rec.ending is not None
    a, b = ours.final, rec.final
    out: list[str] = []
    # si_code is the kernel's choice, not the architecture's, for SIGILL (Linux ILL_ILLOPC, qemu-user ILL_ILLOPN)
    codes = (0, 0) if ours.ending.signal == "SIGILL" else (ours.ending.code, rec.ending.code)
    if ours.ending.signal != rec.ending.signal or codes[0] != codes[1]:
        out.append(f"ending lnsym={ours.ending.signal}/{ours.ending.code} "
                   f"machine={rec.ending.signal}/{rec.ending.code}")
    elif ours.ending.signal in ("SIGSEGV", "SIGBUS") and ours.ending.address != rec.ending.address:
        out.append(f"fault address lnsym={ours.ending.address:#x} machine={rec.ending.address:#x}")
    for i, (p, q) in enumerate(zip(a.x, b.x)):
        if p != q:
            out.append(f"X{i} lnsym={p:#x} machine={q:#x}")
    for name in ("sp", "pc", "nzcv", "fpcr", "fpsr", "tpidr_el0"):
        p, q = getattr(a, name), getattr(b, name)
        if p != q:
            out.append(f"{name.upper()} lnsym={p:#x} machine={q:#x}")
    for i, (p, q) in enumerate(zip(a.v, b.v)):
        if p != q:
            out.append(f"V{i} lnsym={p:#034x} machine={q:#034x}")
    if ours.changes != rec.changes:
        addresses = sorted(set(ours.changes) ^ set(rec.changes) | {
            k for k in set(ours.changes) & set(rec.changes) if ours.changes[k] != rec.changes[k]})
        lo, hi = addresses[0], addresses[-1]
        span = range(lo, hi + 1)
        show = lambda d: "".join(f"{d[k]:02x}" if k in d else ".." for k in span)  # noqa: E731
        out.append(f"memory [{lo:#x}..{hi:#x}] lnsym={show(ours.changes)} machine={show(rec.changes)}")
    return out


#: A named deviation: when its test holds for a mismatching record, the record is counted under that name.
Deviation = Callable[[MachineRecord, TestRecord, Run], bool]
HWCAP_USCAT = 1 << 25  # FEAT_LSE2: unaligned single-copy atomicity and unaligned ordered accesses


def word_at(rec: TestRecord, pc: int) -> int | None:
    """The test word at ``pc``, if ``pc`` is one of the record's instructions."""
    index, rest = divmod(pc - rec.initial.pc, 4)
    return rec.words[index] if rest == 0 and 0 <= index < len(rec.words) else None


def _machine_went_on(rec: TestRecord, ours: Run) -> bool:
    """lnsym stopped with SIGBUS where the machine did not (it went on, or stopped elsewhere)."""
    assert rec.ending is not None and rec.final is not None
    return ours.ending.signal == "SIGBUS" and (rec.ending.signal != "SIGBUS" or rec.final.pc != ours.final.pc)


def _alignment_fault_on(ours: Run, rec: TestRecord, word_class: Callable[[int], bool]) -> bool:
    word = word_at(rec, ours.final.pc)
    return _machine_went_on(rec, ours) and word is not None and word_class(word)


def _unaligned_ordered(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """The machine has FEAT_LSE2 (HWCAP_USCAT): LDAR/STLR need no alignment there.  lnsym models Armv8.0,
    where ``AArch64.CheckAlignment`` faults an unaligned ordered access."""
    return bool(machine.hwcap & HWCAP_USCAT) and _alignment_fault_on(ours, rec, is_ordered_access)


def _qemu_ordered_alignment(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """QEMU's ``max`` CPU performs unaligned LDAR/STLR (as FEAT_LSE2 would) without advertising HWCAP_USCAT;
    Armv8.0 (lnsym) faults them (``AArch64.CheckAlignment`` with ``AccType_ORDERED``)."""
    return not machine.hwcap & HWCAP_USCAT and _alignment_fault_on(ours, rec, is_ordered_access)


def _exclusive_alignment(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """QEMU fails a store-exclusive on the monitor before checking alignment; the Arm ARM checks alignment first
    (``AArch64.ExclusiveMonitorsPass``), so lnsym faults."""
    return _alignment_fault_on(ours, rec, is_store_exclusive)


def _tagged(address: int) -> bool:
    return address >> 56 != (0xFF if address >> 55 & 1 else 0)


def _top_byte_ignore(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """Linux runs EL0 with TCR_EL1.TBI0 = 1: a branch drops the tag (``AArch64.BranchAddr``) and data accesses
    ignore it.  lnsym's flat address space keeps the top byte, so it faults where the machine goes on."""
    return _tagged(ours.final.pc) or (ours.ending.signal in ("SIGSEGV", "SIGBUS") and _tagged(ours.ending.address))


def _sp_alignment(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """qemu-user leaves SCTLR_EL1.SA0 clear; Linux sets it, so an SP-based access with SP not 16-byte aligned
    faults on hardware (``CheckSPAlignment``), as in lnsym."""
    return ours.fault.startswith("sp-alignment") and _machine_went_on(rec, ours)


def _pc_alignment_order(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """qemu reports a misaligned PC in an unmapped page as SIGSEGV; the Arm ARM takes the PC alignment fault
    first (``AArch64.CheckPCAlignment`` before the fetch), which Linux reports as SIGBUS."""
    return (ours.fault.startswith("fetch PC alignment") and rec.ending is not None and rec.ending.signal == "SIGSEGV"
            and rec.final is not None and rec.final.pc == ours.final.pc)


_FPCR_IMPLEMENTATION_DEFINED = 0x0037_9F00  # Len, Stride (AArch32 state), the trap enables


def _fpcr_implementation_defined(machine: MachineRecord, rec: TestRecord, ours: Run) -> bool:
    """Only FPCR differs, and only in bits whose presence the Arm ARM leaves to the implementation: Len and Stride
    (RES0 without AArch32 at EL0) and the trap enables (RAZ/WI without floating-point exception trapping)."""
    assert rec.final is not None
    fields = ("x", "sp", "pc", "nzcv", "fpsr", "tpidr_el0", "v")
    same = all(getattr(ours.final, f) == getattr(rec.final, f) for f in fields) and ours.changes == rec.changes
    diff = ours.final.fpcr ^ rec.final.fpcr
    return same and diff != 0 and diff & ~_FPCR_IMPLEMENTATION_DEFINED == 0


DEVIATIONS: dict[str, Deviation] = {
    "IMPLEMENTATION DEFINED FPCR bits (Len/Stride, trap enables) differ": _fpcr_implementation_defined,
    "qemu-user: no SP alignment check (Linux sets SCTLR_EL1.SA0)": _sp_alignment,
    "qemu: an unmapped misaligned PC faults as SIGSEGV, not a PC alignment fault": _pc_alignment_order,
    "recorder has FEAT_LSE2 (Armv8.4 unaligned LDAR/STLR); lnsym models Armv8.0 alignment": _unaligned_ordered,
    "qemu: unaligned LDAR/STLR performed without HWCAP_USCAT (Armv8.0 faults them)": _qemu_ordered_alignment,
    "qemu: a failing store-exclusive skips the alignment check (AArch64.ExclusiveMonitorsPass)": _exclusive_alignment,
    "lnsym: no top-byte-ignore (Linux EL0 has TCR_EL1.TBI0 = 1)": _top_byte_ignore,
}


@dataclass
class Verdict:
    record: TestRecord
    status: str  # agreed, mismatch, skipped, deviation, unknown (its cluster task died)
    reason: str = ""
    diffs: list[str] = field(default_factory=list)


def _features(rec: TestRecord) -> set[str]:
    """The architecture features of the record's words (as lnsym's decode table names them)."""
    features = {rec.feature}
    for word in rec.words:
        try:
            features.add(isa.decoder().decode(word)[0].feature)
        except DecodeError:
            pass
    return features


def judge(machine: MachineRecord, rec: TestRecord) -> Verdict:
    """Replay one record and say whether lnsym agrees with the machine."""
    if rec.skipped:
        return Verdict(rec, "skipped", rec.skipped)
    for feature in _features(rec):
        mask = _NOP_FEATURES.get(feature)
        if mask is not None and machine.hwcap & mask:
            return Verdict(rec, "skipped", f"lnsym models {feature} as absent (NOP hints); this machine has it")
    ours = run_lnsym(rec)
    if ours.not_comparable:
        return Verdict(rec, "skipped", ours.not_comparable)
    diffs = differences(rec, ours)
    if not diffs:
        return Verdict(rec, "agreed")
    for name, test in DEVIATIONS.items():
        if test(machine, rec, ours):
            return Verdict(rec, "deviation", name, diffs)
    return Verdict(rec, "mismatch", "", diffs)


@dataclass
class Summary:
    per_encoding: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    reasons: Counter[str] = field(default_factory=Counter)
    machines: list[MachineRecord] = field(default_factory=list)

    def add(self, v: Verdict) -> None:
        self.per_encoding[v.record.encoding]["records"] += 1
        self.per_encoding[v.record.encoding][v.status] += 1
        if v.reason:
            self.reasons[f"{v.status}: {v.reason}"] += 1

    def total(self, status: str) -> int:
        return sum(c[status] for c in self.per_encoding.values())


def replay(records: Iterable[tuple[MachineRecord, TestRecord]], on_verdict: Callable[[Verdict], None]) -> Summary:
    summary = Summary()
    for machine, rec in records:
        if not summary.machines or summary.machines[-1] is not machine:
            summary.machines.append(machine)
        verdict = judge(machine, rec)
        summary.add(verdict)
        on_verdict(verdict)
    return summary


def mask64(value: int) -> int:
    return value & MASK64


def _judge_chunk(chunk: list[tuple[MachineRecord, TestRecord]]) -> list[Verdict]:
    return [judge(machine, rec) for machine, rec in chunk]


def replay_on_cluster(records: Iterable[tuple[MachineRecord, TestRecord]], scheduler: str,
                      on_verdict: Callable[[Verdict], None], chunk: int = 2000) -> Summary:
    """:func:`replay` with one Dask task per ``chunk`` records, verdicts in trace order; the records of a task
    whose worker dies are ``unknown`` (counted, never agreed)."""
    from lnsym.cluster.engine import engine_for

    pairs = list(records)
    chunks = [pairs[i : i + chunk] for i in range(0, len(pairs), chunk)]
    summary = Summary()
    for machine, _ in pairs:
        if not summary.machines or summary.machines[-1] is not machine:
            summary.machines.append(machine)
    with engine_for(scheduler) as engine:
        results = engine.map_ordered(_judge_chunk, chunks,
                                     failed=lambda part, why: [Verdict(rec, "unknown", why) for _, rec in part])
    for verdicts in results:
        for verdict in verdicts:
            summary.add(verdict)
            on_verdict(verdict)
    return summary
