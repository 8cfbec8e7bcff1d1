"""Concrete replay of an out-of-bounds counterexample (:mod:`lnsym.prove.oob`): the routine runs on lnsym's
machine and on Unicorn with the model's entry registers, buffer contents and buffer addresses, and each
machine reports the first load or store that is not inside one declared object (a buffer, the stack, an
image segment).

lnsym's machine maps exactly the declared objects, so such an access faults there.  Unicorn maps whole
4 KiB pages: a memory hook checks every access against the declared objects' exact bounds, so an access
that lands on mapped memory past an object's end is caught too (reported as ``hits mapped memory``),
and one on an unmapped page faults (Arm ARM D8.14, translation fault on a load or store).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lnsym.errors import MemoryFault
from lnsym.machine.layout import SENTINEL, STACK_BASE, STACK_SIZE
from lnsym.machine.stepper import Stepper
from lnsym.prove.contract import Contract
from lnsym.prove.replay import Entry, lnsym_machine, unicorn_call

Objects = list[tuple[str, int, int]]  # name, start, size of each declared object


@dataclass
class Access:
    """The first load or store outside the declared objects on one machine."""

    pc: int
    address: int
    size: int
    kind: str  # read, write
    faulted: bool  # the machine stopped with a fault on it (else it hit mapped memory)

    def overlaps(self, address: int, size: int) -> bool:
        return self.address < address + size and address < self.address + self.size


def declared(image: object, buffers: Mapping[str, tuple[int, bytes, bool]]) -> Objects:
    """The objects a routine may access: the image's segments, the stack and the argument buffers."""
    out = [(seg.name, seg.start, len(seg.data)) for seg in image.segments]  # type: ignore[attr-defined]
    out.append(("stack", STACK_BASE, STACK_SIZE))
    out += [(name, address, len(data)) for name, (address, data, _) in buffers.items()]
    return out


def inside(objects: Objects, address: int, size: int) -> bool:
    """Is ``[address, address + size)`` inside one declared object?"""
    return any(start <= address and address + size <= start + n for _, start, n in objects)


def name_of(objects: Objects, address: int) -> str:
    """``name+0xoff`` relative to the nearest declared object starting at or below ``address``."""
    below = [(start, name) for name, start, _ in objects if start <= address]
    if not below:
        return f"{address:#x}"
    start, name = max(below)
    return f"{name}+{address - start:#x}"


def run_lnsym(contract: Contract, image: object, regs: list[int], buffers: Mapping[str, tuple[int, bytes, bool]],
              entry: Entry, spurious: frozenset[int] = frozenset()) -> Access | str:
    """The faulting access on lnsym's concrete machine (store-exclusives numbered in ``spurious`` failing
    spuriously), or why there is none."""
    m = lnsym_machine(image, buffers, entry, spurious)
    try:
        Stepper(m).call(image.address(contract.symbol), regs, sentinel=SENTINEL,  # type: ignore[attr-defined]
                        max_steps=contract.max_steps)
    except MemoryFault as fault:
        if fault.kind in ("fetch", "sp-alignment") or inside(declared(image, buffers), fault.address, fault.size):
            return f"faulted inside the declared objects at pc {m.pc:#x}: {fault}"
        return Access(m.pc, fault.address, fault.size, fault.kind, True)
    except Exception as exc:  # a step limit, an unsupported word ...: no out-of-bounds access shown
        return f"run failed: {exc}"
    return "returned without an access outside the declared objects"


def run_lnsym_sp_fault(contract: Contract, image: object, regs: list[int],
                      buffers: Mapping[str, tuple[int, bytes, bool]], entry: Entry,
                      spurious: frozenset[int] = frozenset()) -> tuple[int, int] | str:
    """``(pc, SP)`` of the SP alignment fault lnsym's concrete machine takes, or why it takes none."""
    m = lnsym_machine(image, buffers, entry, spurious)
    try:
        Stepper(m).call(image.address(contract.symbol), regs, sentinel=SENTINEL,  # type: ignore[attr-defined]
                        max_steps=contract.max_steps)
    except MemoryFault as fault:
        if fault.kind == "sp-alignment":
            return m.pc, m.sp
        return f"faulted otherwise at pc {m.pc:#x}: {fault}"
    except Exception as exc:  # a step limit, an unsupported word ...: no SP alignment fault shown
        return f"run failed: {exc}"
    return "returned without an SP alignment fault"


def run_unicorn(contract: Contract, image: object, regs: list[int],
                buffers: Mapping[str, tuple[int, bytes, bool]], entry: Entry) -> Access | str:
    """The first access outside the declared objects on Unicorn, or why there is none."""
    import unicorn
    import unicorn.arm64_const as A

    uc = unicorn_call(image, regs, buffers, entry)
    objects = declared(image, buffers)
    pages = [(start, end) for start, end, _ in uc.mem_regions()]  # inclusive ends
    first: list[Access] = []
    write_kinds = (unicorn.UC_MEM_WRITE, unicorn.UC_MEM_WRITE_UNMAPPED, unicorn.UC_MEM_WRITE_PROT)

    def note(uc: unicorn.Uc, access: int, address: int, size: int, unmapped: bool) -> None:
        if not first and not inside(objects, address, size):
            kind = "write" if access in write_kinds else "read"
            first.append(Access(uc.reg_read(A.UC_ARM64_REG_PC), address, size, kind, unmapped))
        elif first and unmapped and first[0].overlaps(address, size):
            first[0].faulted = True

    def on_access(uc: unicorn.Uc, access: int, address: int, size: int, _value: int, _data: object) -> None:
        mapped = any(s <= address and address + size - 1 <= e for s, e in pages)
        note(uc, access, address, size, not mapped)
        if first and mapped:
            uc.emu_stop()  # hits mapped memory: shown outside the declared objects, no need to go on

    def on_unmapped(uc: unicorn.Uc, access: int, address: int, size: int, _value: int, _data: object) -> bool:
        if access != unicorn.UC_MEM_FETCH_UNMAPPED:  # an instruction fetch is not a data access
            note(uc, access, address, size, True)
        return False  # fault

    uc.hook_add(unicorn.UC_HOOK_MEM_READ | unicorn.UC_HOOK_MEM_WRITE, on_access)
    uc.hook_add(unicorn.UC_HOOK_MEM_UNMAPPED, on_unmapped)
    try:
        uc.emu_start(image.address(contract.symbol), SENTINEL, count=contract.max_steps)  # type: ignore[attr-defined]
    except unicorn.UcError as exc:
        if not first:
            return f"run failed: {exc}"
    if first:
        return first[0]
    return "returned without an access outside the declared objects"


def describe(access: Access | str, objects: Objects) -> list[str] | str:
    """A replay report line for :mod:`lnsym.prove.oob`: a list when the machine made an out-of-bounds access."""
    if isinstance(access, str):
        return access
    how = "faulted" if access.faulted else "hits mapped memory"
    return [f"{access.kind} of {access.size} byte(s) at {access.address:#x} ({name_of(objects, access.address)}) "
            f"outside the declared objects at pc {access.pc:#x}: {how}"]
