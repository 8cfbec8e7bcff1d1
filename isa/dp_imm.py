"""Data processing -- immediate (Arm ARM C4.1.92; execute sections from C6.2)."""

from __future__ import annotations

from bitvec import BV, concat
from isa.decoder import Executor, Undefined, decodes
from isa.machine import Machine
from isa.pseudocode import AddWithCarry, DecodeBitMasks, SInt


@decodes("ADR_only_pcreladdr", "ADRP_only_pcreladdr")
def adr(op: int, immlo: int, immhi: int, Rd: int) -> Executor:
    """ADR / ADRP (C6.2.10, C6.2.11)."""
    page = op == 1
    imm = SInt((immhi << 2) | immlo, 21) << (12 if page else 0)

    def execute(s: Machine) -> None:
        base = s.PC
        if page:
            base = base & ~0xFFF
        s.set_X(Rd, base + imm)

    return execute


@decodes(
    "ADD_32_addsub_imm", "ADDS_32S_addsub_imm", "SUB_32_addsub_imm", "SUBS_32S_addsub_imm",
    "ADD_64_addsub_imm", "ADDS_64S_addsub_imm", "SUB_64_addsub_imm", "SUBS_64S_addsub_imm",
)
def add_sub_imm(sf: int, op: int, S: int, sh: int, imm12: int, Rn: int, Rd: int) -> Executor:
    """ADD/ADDS/SUB/SUBS (immediate) (C6.2.4 ...): ``Rd = Rn +/- imm``, Rn/Rd may be SP."""
    datasize = 64 if sf else 32
    sub_op = op == 1
    setflags = S == 1
    imm = BV(datasize, imm12 << (12 if sh else 0))
    operand2 = ~imm if sub_op else imm
    carry_in = BV(1, 1 if sub_op else 0)

    def execute(s: Machine) -> None:
        operand1 = s.SP(datasize) if Rn == 31 else s.X(Rn, datasize)
        result, nzcv = AddWithCarry(operand1, operand2, carry_in)
        if setflags:
            s.set_nzcv(nzcv)
        if Rd == 31 and not setflags:
            s.set_SP(result.zext(64))
        else:
            s.set_X(Rd, result)

    return execute


@decodes(
    "AND_32_log_imm", "ORR_32_log_imm", "EOR_32_log_imm", "ANDS_32S_log_imm",
    "AND_64_log_imm", "ORR_64_log_imm", "EOR_64_log_imm", "ANDS_64S_log_imm",
)
def logical_imm(sf: int, opc: int, N: int, immr: int, imms: int, Rn: int, Rd: int) -> Executor:
    """AND/ORR/EOR/ANDS (immediate) (C6.2.12 ...), immediate from ``DecodeBitMasks``."""
    datasize = 64 if sf else 32
    if sf == 0 and N != 0:
        raise Undefined("N must be 0 for 32-bit")
    wmask, _ = DecodeBitMasks(N, imms, immr, True, datasize)
    imm = BV(datasize, wmask)
    setflags = opc == 3

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        if opc == 0 or opc == 3:
            result = operand1 & imm
        elif opc == 1:
            result = operand1 | imm
        else:
            result = operand1 ^ imm
        if setflags:
            s.set_nzcv(concat(result[datasize - 1], result.eq(0), BV(2, 0)))
        if Rd == 31 and not setflags:
            s.set_SP(result.zext(64))
        else:
            s.set_X(Rd, result)

    return execute


@decodes(
    "MOVN_32_movewide", "MOVZ_32_movewide", "MOVK_32_movewide",
    "MOVN_64_movewide", "MOVZ_64_movewide", "MOVK_64_movewide",
)
def move_wide(sf: int, opc: int, hw: int, imm16: int, Rd: int) -> Executor:
    """MOVN/MOVZ/MOVK (C6.2.226 ...)."""
    datasize = 64 if sf else 32
    if sf == 0 and hw & 2:
        raise Undefined("hw<1> must be 0 for 32-bit")
    pos = hw << 4
    keep = ~BV(datasize, 0xFFFF << pos)
    imm = BV(datasize, imm16 << pos)

    def execute(s: Machine) -> None:
        if opc == 3:  # MOVK
            result = (s.X(Rd, datasize) & keep) | imm
        elif opc == 0:  # MOVN
            result = ~imm
        else:
            result = imm
        s.set_X(Rd, result)

    return execute


@decodes(
    "SBFM_32M_bitfield", "BFM_32M_bitfield", "UBFM_32M_bitfield",
    "SBFM_64M_bitfield", "BFM_64M_bitfield", "UBFM_64M_bitfield",
)
def bitfield(sf: int, opc: int, N: int, immr: int, imms: int, Rn: int, Rd: int) -> Executor:
    """SBFM/BFM/UBFM (C6.2.30, C6.2.266, C6.2.382): the shared bitfield-move execute section."""
    datasize = 64 if sf else 32
    if (sf == 1 and N != 1) or (sf == 0 and (N != 0 or immr & 0x20 or imms & 0x20)):
        raise Undefined("reserved bitfield operands")
    wmask_i, tmask_i = DecodeBitMasks(N, imms, immr, False, datasize)
    wmask, tmask = BV(datasize, wmask_i), BV(datasize, tmask_i)
    inzero = opc != 1  # SBFM and UBFM start from zero, BFM from the destination
    extend = opc == 0  # SBFM replicates the top bit of the field
    R, S = immr, imms

    def execute(s: Machine) -> None:
        dst = BV(datasize, 0) if inzero else s.X(Rd, datasize)
        src = s.X(Rn, datasize)
        bot = (dst & ~wmask) | (src.ror(R) & wmask)
        if extend:
            top = BV(datasize, 0) - src[S].zext(datasize)  # Replicate(src<S>)
        else:
            top = dst
        s.set_X(Rd, (top & ~tmask) | (bot & tmask))

    return execute


@decodes("EXTR_32_extract", "EXTR_64_extract")
def extract_register(sf: int, N: int, Rm: int, imms: int, Rn: int, Rd: int) -> Executor:
    """EXTR (C6.2.123): ``Rd = (Rn:Rm)<lsb + datasize - 1 : lsb>``."""
    datasize = 64 if sf else 32
    if sf == 0 and imms & 0x20:
        raise Undefined("imms<5> must be 0 for 32-bit")
    lsb = imms

    def execute(s: Machine) -> None:
        concatenated = concat(s.X(Rn, datasize), s.X(Rm, datasize))
        s.set_X(Rd, concatenated.extract(lsb + datasize - 1, lsb))

    return execute
