"""Exception generation, hints, barriers and system-register moves (Arm ARM C4.1.93).

lnsym models user-mode (EL0) execution on a CPU without FEAT_PAuth, FEAT_BTI enforcement or
debug halting: the pointer-authentication and BTI hints are NOPs, HLT behaves as UNDEFINED and is
reported as a typed stop, and only the EL0-accessible registers NZCV, FPCR, FPSR and TPIDR_EL0
can be moved.
"""

from __future__ import annotations

from bitvec import BV
from isa.decoder import Executor, Unsupported, decodes
from isa.machine import Machine, Stop, StopKind


def _stop(kind: StopKind, imm16: int) -> Executor:
    def execute(s: Machine) -> None:
        raise Stop(kind, imm16)

    return execute


@decodes("SVC_EX_exception")
def svc(imm16: int) -> Executor:
    """SVC (C6.2.365): supervisor call; ends user-mode execution with a typed stop."""
    return _stop(StopKind.SVC, imm16)


@decodes("BRK_EX_exception")
def brk(imm16: int) -> Executor:
    """BRK (C6.2.40): software breakpoint; a typed stop."""
    return _stop(StopKind.BRK, imm16)


@decodes("HLT_EX_exception")
def hlt(imm16: int) -> Executor:
    """HLT (C6.2.133): with halting debug disabled (as at EL0) this is UNDEFINED; a typed stop."""
    return _stop(StopKind.HLT, imm16)


@decodes("UDF_only_perm_undef")
def udf(imm16: int) -> Executor:
    """UDF (C6.2.387): permanently undefined; ends execution with a typed stop."""
    return _stop(StopKind.UDF, imm16)


def _nop(s: Machine) -> None:
    """Executes as a NOP (hints with no architectural effect in lnsym's model)."""


@decodes(
    "HINT_HM_hints", "NOP_HI_hints", "YIELD_HI_hints", "WFE_HI_hints", "WFI_HI_hints", "SEV_HI_hints",
    "SEVL_HI_hints", "XPACLRI_HI_hints", "PACIAZ_HI_hints", "PACIASP_HI_hints", "PACIBZ_HI_hints",
    "PACIBSP_HI_hints", "AUTIAZ_HI_hints", "AUTIASP_HI_hints", "AUTIBZ_HI_hints", "AUTIBSP_HI_hints",
    "PACIA1716_HI_hints", "PACIB1716_HI_hints", "AUTIA1716_HI_hints", "AUTIB1716_HI_hints", "BTI_HB_hints",
)
def hint(**_fields: int) -> Executor:
    """HINT space (C6.2.134): NOP, YIELD, WFE, WFI, SEV, SEVL, and the PAuth/BTI hints.

    Unallocated hints execute as NOP architecturally; without FEAT_PAuth and FEAT_BTI so do
    PACIASP/AUTIASP/XPACLRI/BTI and their relatives, PACIA1716/PACIB1716/AUTIA1716/AUTIB1716 (X17 with X16)
    included.  WFE/WFI only wait, which a single-threaded
    simulation cannot observe.
    """
    return _nop


@decodes("DSB_BO_barriers", "DMB_BO_barriers", "ISB_BI_barriers")
def barrier(CRm: int) -> Executor:
    """DSB, DMB, ISB (C6.2.87, C6.2.85, C6.2.139): ordering only; no effect on a single PE's state."""
    return _nop


@decodes("CLREX_BN_barriers")
def clrex(CRm: int) -> Executor:
    """CLREX (C6.2.63): clears the local exclusive monitor."""

    def execute(s: Machine) -> None:
        s.clear_exclusive_monitor()

    return execute


# (op0, op1, CRn, CRm, op2) of the system registers user-mode crypto code touches
SYSTEM_REGISTERS = {
    (3, 3, 4, 2, 0): "NZCV",
    (3, 3, 4, 4, 0): "FPCR",
    (3, 3, 4, 4, 1): "FPSR",
    (3, 3, 13, 0, 2): "TPIDR_EL0",
}


def _sysreg_name(o0: int, op1: int, CRn: int, CRm: int, op2: int) -> str:
    key = (2 + o0, op1, CRn, CRm, op2)
    name = SYSTEM_REGISTERS.get(key)
    if name is None:
        raise Unsupported(f"system register S{key[0]}_{op1}_C{CRn}_C{CRm}_{op2} is not modelled")
    return name


@decodes("MRS_RS_systemmove")
def mrs(L: int, o0: int, op1: int, CRn: int, CRm: int, op2: int, Rt: int) -> Executor:
    """MRS (C6.2.228): read a system register into Xt."""
    name = _sysreg_name(o0, op1, CRn, CRm, op2)

    def execute(s: Machine) -> None:
        if name == "NZCV":
            s.set_X(Rt, s.nzcv().zext(32).lsl(28).zext(64))
        else:
            s.set_X(Rt, s.sysreg(name))

    return execute


# Bits of FPCR and FPSR that are writable (others are RES0).  FPCR: AHP, DN, FZ, RMode, Stride, FZ16, Len
# (Stride and Len only hold state for AArch32; RES0 where EL0 has no AArch32, an IMPLEMENTATION DEFINED choice).
# The trap enables IDE, IXE, UFE, OFE, DZE, IOE are RAZ/WI: lnsym models an implementation without
# floating-point exception trapping, as Arm's Cortex-A and Neoverse cores (D1.13.4, FPCR in D17.2).
_FPCR_MASK = 0x07FF_0000
_FPSR_MASK = 0xF800_009F


@decodes("MSR_SR_systemmove")
def msr(L: int, o0: int, op1: int, CRn: int, CRm: int, op2: int, Rt: int) -> Executor:
    """MSR (register) (C6.2.230): write Xt to a system register."""
    name = _sysreg_name(o0, op1, CRn, CRm, op2)

    def execute(s: Machine) -> None:
        value = s.X(Rt, 64)
        if name == "NZCV":
            s.set_nzcv(value[31:28])
        elif name == "FPCR":
            s.set_sysreg(name, value & BV(64, _FPCR_MASK))
        elif name == "FPSR":
            s.set_sysreg(name, value & BV(64, _FPSR_MASK))
        else:
            s.set_sysreg(name, value)

    return execute
