"""Advanced SIMD moves and permutes (Arm ARM C4.1.95; execute sections from C7.2): modified immediate
(MOVI/MVNI/ORR/BIC/FMOV vector immediate), copy (DUP/INS/UMOV/SMOV), FMOV (general), EXT, TBL/TBX and
UZP/TRN/ZIP."""

from __future__ import annotations

from bitvec import BV, concat, ite
from isa.advsimd_common import lowest_set_bit
from isa.decoder import Executor, Undefined, decodes
from isa.machine import Machine
from isa.simd_pseudocode import (
    AdvSIMDExpandImm,
    Elem,
    Elems,
    ElemSet,
    FromElems,
    Replicate,
    VFPExpandImm,
    Vpart,
    VpartSet,
    Vread,
    Vwrite,
)

# ------------------------------------------------------------------------------------------------
# Advanced SIMD modified immediate

_MODIMM = (
    "MOVI_asimdimm_L_sl", "ORR_asimdimm_L_sl", "MVNI_asimdimm_L_sl", "BIC_asimdimm_L_sl",
    "MOVI_asimdimm_L_hl", "ORR_asimdimm_L_hl", "MVNI_asimdimm_L_hl", "BIC_asimdimm_L_hl",
    "MOVI_asimdimm_M_sm", "MVNI_asimdimm_M_sm", "MOVI_asimdimm_N_b", "MOVI_asimdimm_D_ds",
    "MOVI_asimdimm_D2_d", "FMOV_asimdimm_S_s", "FMOV_asimdimm_D2_d", "FMOV_asimdimm_H_h",
)


@decodes(*_MODIMM)
def modified_immediate(
    Q: int, op: int, abc: int, cmode3: int, cmode2: int, cmode1: int, cmode0: int, o2: int, defgh: int, Rd: int
) -> Executor:
    """MOVI, MVNI, ORR/BIC (vector, immediate), FMOV (vector, immediate):
    ``imm = AdvSIMDExpandImm(op, cmode, a:b:c:d:e:f:g:h)``, the operation chosen by ``cmode:op``."""
    cmode = cmode3 << 3 | cmode2 << 2 | cmode1 << 1 | cmode0
    imm8 = abc << 5 | defgh
    datasize = 64 << Q
    if o2 == 1:  # FMOV (vector, immediate), half-precision: Replicate(VFPExpandImm(imm8), datasize DIV 16)
        operation = "MOVI"
        imm64 = int.from_bytes(VFPExpandImm(imm8, 16).to_bytes(2, "little") * 4, "little")
    else:
        if cmode == 0b1111 and op == 1 and Q == 0:
            raise Undefined("FMOV (vector, immediate) double-precision requires Q == 1")
        imm64 = AdvSIMDExpandImm(op, cmode, imm8)
        if cmode3 == 0 or cmode >> 2 == 0b10:  # 0xxx and 10xx: cmode<0> selects ORR/BIC
            operation = ("ORR", "BIC")[op] if cmode0 else ("MOVI", "MVNI")[op]
        elif cmode >> 1 == 0b110:
            operation = ("MOVI", "MVNI")[op]
        else:  # 1110, 1111: MOVI (8-bit, 64-bit) and FMOV
            operation = "MOVI"
    imm = BV(datasize, imm64 | imm64 << 64)

    def execute(s: Machine) -> None:
        if operation == "MOVI":
            result = imm
        elif operation == "MVNI":
            result = ~imm
        elif operation == "ORR":
            result = Vread(s, Rd, datasize) | imm
        else:  # BIC
            result = Vread(s, Rd, datasize) & ~imm
        Vwrite(s, Rd, result)

    return execute


# ------------------------------------------------------------------------------------------------
# Advanced SIMD copy, scalar copy


def _element_size(imm5: int) -> tuple[int, int]:
    """``size = LowestSetBit(imm5)`` (UNDEFINED above 3) and ``index = UInt(imm5<4:size+1>)``."""
    size = lowest_set_bit(imm5, 5)
    if size > 3:
        raise Undefined("imm5 encodes no element size")
    return size, imm5 >> (size + 1)


@decodes("DUP_asimdins_DV_v")
def dup_element(Q: int, op: int, imm5: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """DUP (element), vector: replicate ``Elem[V[n], index, esize]``."""
    size, index = _element_size(imm5)
    if size == 3 and Q == 0:
        raise Undefined("64-bit elements need Q == 1")
    esize, datasize = 8 << size, 64 << Q

    def execute(s: Machine) -> None:
        element = Elem(s.V(Rn), index, esize)
        Vwrite(s, Rd, Replicate(element, datasize // esize))

    return execute


@decodes("DUP_asisdone_only")
def dup_element_scalar(op: int, imm5: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """DUP (element), scalar (alias MOV (scalar)): ``V[d] = Elem[V[n], index, esize]``."""
    size, index = _element_size(imm5)
    esize = 8 << size

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, Elem(s.V(Rn), index, esize))

    return execute


@decodes("DUP_asimdins_DR_r")
def dup_general(Q: int, op: int, imm5: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """DUP (general): replicate ``X[n, esize]``."""
    size, _ = _element_size(imm5)
    if size == 3 and Q == 0:
        raise Undefined("64-bit elements need Q == 1")
    esize, datasize = 8 << size, 64 << Q

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, Replicate(s.X(Rn, esize), datasize // esize))

    return execute


@decodes("INS_asimdins_IR_r")
def ins_general(Q: int, op: int, imm5: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """INS (general) (alias MOV (from general)): ``Elem[V[d], index, esize] = X[n, esize]``."""
    size, index = _element_size(imm5)
    esize = 8 << size

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, ElemSet(s.V(Rd), index, esize, s.X(Rn, esize)))

    return execute


@decodes("INS_asimdins_IV_v")
def ins_element(Q: int, op: int, imm5: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """INS (element) (alias MOV (element)): ``Elem[V[d], dst_index] = Elem[V[n], src_index]``;
    ``imm4<size-1:0>`` is ignored."""
    size, dst_index = _element_size(imm5)
    src_index = imm4 >> size
    esize = 8 << size

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, ElemSet(s.V(Rd), dst_index, esize, Elem(s.V(Rn), src_index, esize)))

    return execute


@decodes("UMOV_asimdins_W_w", "UMOV_asimdins_X_x", "SMOV_asimdins_W_w", "SMOV_asimdins_X_x")
def move_to_general(Q: int, op: int, imm5: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """UMOV / SMOV (UMOV alias MOV (to general)): ``X[d] = Extend(Elem[V[n], index])``."""
    signed = imm4 == 0b0101
    size = lowest_set_bit(imm5, 5)
    if signed:
        allowed = size <= 1 or (size == 2 and Q == 1)  # 'xxxxx1', 'xxxx10', '1xx100'
    else:
        allowed = (size <= 2 and Q == 0) or (size == 3 and Q == 1)  # '0xxxx1' ... '0xx100', '1x1000'
    if not allowed:
        raise Undefined("reserved Q:imm5 for UMOV/SMOV")
    index = imm5 >> (size + 1)
    esize, datasize = 8 << size, 32 << Q

    def execute(s: Machine) -> None:
        element = Elem(s.V(Rn), index, esize)
        s.set_X(Rd, element.sext(datasize) if signed else element.zext(datasize))

    return execute


# ------------------------------------------------------------------------------------------------
# Conversion between floating-point and integer: FMOV (general)

_FMOV_GENERAL = (
    "FMOV_32H_float2int", "FMOV_64H_float2int", "FMOV_H32_float2int", "FMOV_H64_float2int",
    "FMOV_32S_float2int", "FMOV_S32_float2int", "FMOV_64D_float2int", "FMOV_D64_float2int",
    "FMOV_64VX_float2int", "FMOV_V64I_float2int",
)


@decodes(*_FMOV_GENERAL)
def fmov_general(sf: int, S: int, ftype: int, rmode: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """FMOV (general): move bits between ``X[]``/``W[]`` and ``Vpart[]`` (FPConvOp_MOV_FtoI/ItoF).

    ``part`` is 1 only for ``V.D[1]``; writing part 1 keeps the low 64 bits of the SIMD&FP register."""
    intsize = 64 if sf else 32
    fltsize = {0b00: 32, 0b01: 64, 0b10: 64, 0b11: 16}[ftype]
    part = 1 if ftype == 0b10 else 0
    to_general = opcode == 0b110

    def execute(s: Machine) -> None:
        if to_general:
            s.set_X(Rd, Vpart(s, Rn, part, fltsize).zext(intsize))
        else:
            VpartSet(s, Rd, part, s.X(Rn, intsize).extract(fltsize - 1, 0))

    return execute


# ------------------------------------------------------------------------------------------------
# Advanced SIMD extract, table lookup, permute


@decodes("EXT_asimdext_only")
def ext(Q: int, op2: int, Rm: int, imm4: int, Rn: int, Rd: int) -> Executor:
    """EXT: ``(V[m]:V[n])<position + datasize - 1 : position>``, ``position = imm4 << 3``."""
    if Q == 0 and imm4 & 0b1000:
        raise Undefined("imm4<3> must be 0 for a 64-bit vector")
    datasize = 64 << Q
    position = imm4 << 3

    def execute(s: Machine) -> None:
        both = concat(Vread(s, Rm, datasize), Vread(s, Rn, datasize))
        Vwrite(s, Rd, both.extract(position + datasize - 1, position))

    return execute


@decodes(
    "TBL_asimdtbl_L1_1", "TBL_asimdtbl_L2_2", "TBL_asimdtbl_L3_3", "TBL_asimdtbl_L4_4",
    "TBX_asimdtbl_L1_1", "TBX_asimdtbl_L2_2", "TBX_asimdtbl_L3_3", "TBX_asimdtbl_L4_4",
)
def table_lookup(Q: int, op2: int, Rm: int, len: int, op: int, Rn: int, Rd: int) -> Executor:
    """TBL / TBX: bytes of ``V[n] .. V[n+len]`` (mod 32) indexed by ``V[m]``; an index
    out of range gives 0 (TBL) or keeps the destination byte (TBX)."""
    datasize = 64 << Q
    regs = len + 1
    is_tbl = op == 0
    limit = 16 * regs

    def execute(s: Machine) -> None:
        table = concat(*[s.V((Rn + i) % 32) for i in reversed(range(regs))])  # V[n] least significant
        indices = Vread(s, Rm, datasize)
        result = BV(datasize, 0) if is_tbl else Vread(s, Rd, datasize)
        out = []
        for index, default in zip(Elems(indices, 8), Elems(result, 8)):
            looked_up = table.lsr(concat(index, BV(3, 0))).extract(7, 0)  # Elem[table, UInt(index), 8]
            out.append(ite(index.ult(limit), looked_up, default))
        Vwrite(s, Rd, FromElems(out))

    return execute


@decodes(
    "UZP1_asimdperm_only", "UZP2_asimdperm_only", "TRN1_asimdperm_only", "TRN2_asimdperm_only",
    "ZIP1_asimdperm_only", "ZIP2_asimdperm_only",
)
def permute(Q: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """UZP1/UZP2, TRN1/TRN2, ZIP1/ZIP2; ``part = opcode<2>``."""
    if size == 3 and Q == 0:
        raise Undefined("size:Q == '110' is reserved")
    esize, datasize = 8 << size, 64 << Q
    elements = datasize // esize
    pairs = elements // 2
    part = opcode >> 2
    kind = opcode & 0b11  # 01 UZP, 10 TRN, 11 ZIP

    def execute(s: Machine) -> None:
        op1 = Elems(Vread(s, Rn, datasize), esize)
        op2 = Elems(Vread(s, Rm, datasize), esize)
        if kind == 0b01:  # UZP: even or odd elements of operand2:operand1
            both = op1 + op2
            result = [both[2 * e + part] for e in range(elements)]
        elif kind == 0b10:  # TRN
            result = []
            for p in range(pairs):
                result += [op1[2 * p + part], op2[2 * p + part]]
        else:  # ZIP
            base = part * pairs
            result = []
            for p in range(pairs):
                result += [op1[base + p], op2[base + p]]
        Vwrite(s, Rd, FromElems(result))

    return execute
