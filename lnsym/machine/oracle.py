"""Reference execution on Unicorn (QEMU's TCG, CPU model ``max``) for differential conformance tests.

A :class:`Snapshot` describes a machine state; :func:`run_unicorn` and :func:`run_lnsym` execute a
number of instructions from it and return comparable :class:`Outcome` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from isa.machine import Stop
from lnsym.errors import LnsymError, MemoryFault, UnpredictableBehaviour, UnsupportedInstruction
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.stepper import Stepper
from lnsym.machine.uc_engine import new_engine, read_nzcv, read_vs, read_xs, write_registers

MASK64 = (1 << 64) - 1


@dataclass
class Snapshot:
    x: list[int]
    sp: int
    pc: int
    nzcv: int
    v: list[int] = field(default_factory=lambda: [0] * 32)
    fpcr: int = 0
    fpsr: int = 0
    regions: list[tuple[int, bytes, str]] = field(default_factory=list)  # (start, bytes, perms)
    patches: list[tuple[int, bytes]] = field(default_factory=list)  # written over the regions
    tpidr: int = 0


@dataclass
class Outcome:
    """Final registers and every byte either side wrote, or how execution ended abnormally."""

    x: list[int]
    sp: int
    pc: int
    nzcv: int
    v: list[int]
    fpsr: int
    writes: dict[int, int]  # address -> byte value after the run, for written addresses
    ending: str  # "ok", "undefined", "fault", "svc", "brk", "hlt", "udf"
    fault: str = ""  # for lnsym faults: the kind and the faulting word, e.g. "alignment 0x48007fe1"

    def registers(self) -> tuple[object, ...]:
        return (self.x, self.sp, self.pc, self.nzcv, self.v, self.fpsr)


def machine_for(snap: Snapshot) -> tuple[ConcreteMachine, set[int]]:
    """A concrete machine in ``snap``'s state, and the set it fills with every address written."""
    m = ConcreteMachine()
    m.x = list(snap.x)
    m.sp, m.pc, m.flags = snap.sp, snap.pc, snap.nzcv
    m.v = list(snap.v)
    m.sysregs["FPCR"], m.sysregs["FPSR"] = snap.fpcr, snap.fpsr
    for start, data, perms in snap.regions:
        m.memory.map(start, len(data), perms, data=data)
    for address, data in snap.patches:
        m.memory.load(address, data)
    m.sysregs["TPIDR_EL0"] = snap.tpidr
    written: set[int] = set()
    original_write = m.memory.write

    def tracking_write(address: int, data: bytes) -> None:
        original_write(address, data)
        written.update(range(address, address + len(data)))

    m.memory.write = tracking_write  # type: ignore[method-assign]
    return m, written


def run_lnsym(snap: Snapshot, steps: int, compiled: bool = True) -> Outcome:
    """Run ``steps`` instructions on lnsym, compiled (default) or interpreted."""
    m, written = machine_for(snap)
    stepper = Stepper(m, compiled=compiled)
    ending = "ok"
    fault = ""
    try:
        for _ in range(steps):
            stepper.step()
    except Stop as stop:
        ending = stop.kind.value
    except UnsupportedInstruction as exc:
        reason = exc.reason
        ending = "undefined"
        if "UNPREDICTABLE" in reason:
            ending = "unpredictable"
        elif "not supported" in reason:
            ending = "unsupported"
    except UnpredictableBehaviour:
        ending = "unpredictable"
    except MemoryFault as exc:
        ending = "fault"
        try:
            fault = f"{exc.kind} {m.memory.read_int(m.pc, 4, 'fetch'):#010x}"
        except MemoryFault:
            fault = exc.kind
    except LnsymError:
        ending = "error"
    writes = {a: m.memory.read_int(a, 1) for a in sorted(written)}
    return Outcome(list(m.x), m.sp, m.pc, m.flags, list(m.v), m.sysregs["FPSR"], writes, ending, fault)


_EXCP_UDEF, _EXCP_SWI, _EXCP_PREFETCH_ABORT, _EXCP_DATA_ABORT, _EXCP_BKPT = 1, 2, 3, 4, 7  # QEMU EXCP_* numbers
_UNICORN: dict[str, Any] = {}


def _unicorn_for(snap: Snapshot) -> tuple[Any, set[int]]:
    """A Unicorn instance holding ``snap``'s memory, reused while the regions are the same objects.

    Creating an engine and copying megabytes per test case dominates a differential test, so the
    engine is kept and only the bytes written or patched by the previous case are restored.
    """
    import unicorn

    # the key holds the region bytes themselves (compared by identity), so an id cannot be reused
    key = tuple((start, data, perms) for start, data, perms in snap.regions)
    uc = _UNICORN.get("uc")
    old = _UNICORN.get("key")
    if uc is None or len(old) != len(key) or any(
        (a[0], a[2]) != (b[0], b[2]) or a[1] is not b[1] for a, b in zip(old, key)
    ):
        uc = new_engine()
        perm_bits = {"r": unicorn.UC_PROT_READ, "w": unicorn.UC_PROT_WRITE, "x": unicorn.UC_PROT_EXEC}
        for start, data, perms in snap.regions:
            prot = 0
            for ch in perms:
                prot |= perm_bits[ch]
            uc.mem_map(start, len(data), prot)
            uc.mem_write(start, data)
        # a private page holding CLREX, run before each case to reset the exclusive monitor
        uc.mem_map(_CLREX_PAGE, 0x1000, unicorn.UC_PROT_READ | unicorn.UC_PROT_EXEC)
        uc.mem_write(_CLREX_PAGE, (0xD503305F).to_bytes(4, "little"))
        written: set[int] = set()
        interrupts: list[int] = []

        def on_write(_uc: object, _access: int, address: int, size: int, _value: int, _data: object) -> None:
            written.update(range(address, address + size))

        def on_intr(u: Any, intno: int, _data: object) -> None:
            interrupts.append(intno)
            u.emu_stop()

        fetch_fault: list[int] = []

        def on_unmapped_fetch(_uc: object, _access: int, address: int, _size: int, _v: int, _d: object) -> bool:
            fetch_fault.append(address)
            return False

        uc.hook_add(unicorn.UC_HOOK_MEM_WRITE, on_write)
        uc.hook_add(unicorn.UC_HOOK_INTR, on_intr)
        uc.hook_add(unicorn.UC_HOOK_MEM_FETCH_UNMAPPED, on_unmapped_fetch)
        _UNICORN.update(uc=uc, key=key, written=written, interrupts=interrupts, dirty=set(), fetch_fault=fetch_fault)
    else:
        for address in sorted(_UNICORN["dirty"]):
            for start, data, _perms in snap.regions:
                if start <= address < start + len(data):
                    uc.mem_write(address, data[address - start : address - start + 1])
    for address, data in snap.patches:
        uc.mem_write(address, data)
        uc.ctl_remove_cache(address, address + len(data))
    uc.emu_start(_CLREX_PAGE, _CLREX_PAGE + 4, count=1)
    written = _UNICORN["written"]
    written.clear()
    return uc, written


_CLREX_PAGE = 0xFFFF_0000_0000_0000


def run_unicorn(snap: Snapshot, steps: int) -> Outcome:
    import unicorn
    import unicorn.arm64_const as A

    uc, written = _unicorn_for(snap)
    write_registers(uc, snap.x, sp=snap.sp, pc=snap.pc, v=snap.v, nzcv=snap.nzcv, tpidr=snap.tpidr,
                    fpcr=snap.fpcr, fpsr=snap.fpsr)
    interrupts = _UNICORN["interrupts"]
    interrupts.clear()
    _UNICORN["fetch_fault"].clear()
    ending = "ok"
    executed = 0
    pc = snap.pc
    try:
        # one instruction per emu_start so an exception cannot be mistaken for the next instruction
        while executed < steps and not interrupts:
            uc.emu_start(pc, 0xFFFF_FFFF_FFFF_FFFC, count=1)
            pc = uc.reg_read(A.UC_ARM64_REG_PC)
            if not interrupts:
                executed += 1
    except unicorn.UcError as err:
        fetch = _UNICORN["fetch_fault"]
        if err.errno == unicorn.UC_ERR_FETCH_UNMAPPED and fetch and fetch[-1] != pc and executed == steps - 1:
            # the last instruction completed; only fetching its successor failed
            pc = fetch[-1]
        elif err.errno in (unicorn.UC_ERR_INSN_INVALID, unicorn.UC_ERR_EXCEPTION):
            ending = "undefined"
        else:
            ending = "fault"
    if interrupts:
        intno = interrupts[0]
        ending = {_EXCP_SWI: "svc", _EXCP_BKPT: "brk", _EXCP_UDEF: "undefined", _EXCP_PREFETCH_ABORT: "fault",
                  _EXCP_DATA_ABORT: "fault"}.get(intno, f"exception-{intno}")
        pc = pc if ending != "svc" else pc - 4  # report the PC of the stopping instruction
    x, v = read_xs(uc), read_vs(uc)
    writes = {}
    for a in sorted(written):  # the write hook also fires for a write that then faults
        try:
            writes[a] = uc.mem_read(a, 1)[0]
        except unicorn.UcError:
            pass
    _UNICORN["dirty"] = set(written) | {a + i for a, d in snap.patches for i in range(len(d))}
    return Outcome(
        x, uc.reg_read(A.UC_ARM64_REG_SP), pc & MASK64, read_nzcv(uc), v,
        uc.reg_read(A.UC_ARM64_REG_FPSR), writes, ending,
    )
