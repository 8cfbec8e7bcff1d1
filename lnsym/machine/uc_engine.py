"""The one adapter to Unicorn (the independent oracle): an AArch64 engine with every feature QEMU's ``max``
CPU has, page mapping, and the register file written and read in lnsym's terms (X0-X30 as one list although
Unicorn numbers X29 and X30 apart from X0-X28; NZCV as 4 bits; V0-V31 as 128-bit integers).  Used by the
conformance oracle, counterexample and out-of-bounds replays and the benchmarks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def new_engine() -> Any:
    """A fresh Unicorn AArch64 engine, CPU model ``max`` (the crypto extensions included)."""
    import unicorn
    import unicorn.arm64_const as A

    uc = unicorn.Uc(unicorn.UC_ARCH_ARM64, unicorn.UC_MODE_ARM)
    uc.ctl_set_cpu_model(A.UC_CPU_ARM64_MAX)
    return uc


def _x_register(n: int) -> int:
    import unicorn.arm64_const as A

    return A.UC_ARM64_REG_X0 + n if n < 29 else (A.UC_ARM64_REG_X29, A.UC_ARM64_REG_X30)[n - 29]


def map_pages(uc: Any, address: int, data: bytes, perms: str = "rwx") -> None:
    """Map the whole pages covering ``address .. address + len(data)`` and write ``data`` there."""
    import unicorn

    prot = 0
    for ch in perms:
        prot |= {"r": unicorn.UC_PROT_READ, "w": unicorn.UC_PROT_WRITE, "x": unicorn.UC_PROT_EXEC}[ch]
    start, end = address & ~0xFFF, (address + max(len(data), 1) + 0xFFF) & ~0xFFF
    uc.mem_map(start, end - start, prot)
    uc.mem_write(address, data)


def write_registers(uc: Any, x: Sequence[int], *, sp: int | None = None, pc: int | None = None,
                    v: Sequence[int] = (), nzcv: int | None = None, tpidr: int | None = None,
                    fpcr: int | None = None, fpsr: int | None = None) -> None:
    """Set X0.. from ``x`` (up to 31 values), V0.. from ``v``, and each other register given."""
    import unicorn.arm64_const as A

    for n, value in enumerate(x):
        uc.reg_write(_x_register(n), value)
    for n, value in enumerate(v):
        uc.reg_write(A.UC_ARM64_REG_Q0 + n, value)
    for reg, value in ((A.UC_ARM64_REG_SP, sp), (A.UC_ARM64_REG_PC, pc), (A.UC_ARM64_REG_TPIDR_EL0, tpidr),
                       (A.UC_ARM64_REG_FPCR, fpcr), (A.UC_ARM64_REG_FPSR, fpsr)):
        if value is not None:
            uc.reg_write(reg, value)
    if nzcv is not None:
        uc.reg_write(A.UC_ARM64_REG_NZCV, nzcv << 28)


def read_x(uc: Any, n: int) -> int:
    """X<n> (0..30)."""
    return uc.reg_read(_x_register(n))


def read_xs(uc: Any) -> list[int]:
    """X0-X30."""
    return [read_x(uc, n) for n in range(31)]


def read_vs(uc: Any) -> list[int]:
    """V0-V31 as 128-bit integers."""
    import unicorn.arm64_const as A

    return [uc.reg_read(A.UC_ARM64_REG_Q0 + n) for n in range(32)]


def read_nzcv(uc: Any) -> int:
    import unicorn.arm64_const as A

    return uc.reg_read(A.UC_ARM64_REG_NZCV) >> 28
