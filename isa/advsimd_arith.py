"""Advanced SIMD integer arithmetic (Arm ARM C4.1.95; execute sections from C7.2): three same, scalar three
same, two-register miscellaneous (vector and scalar), across lanes, scalar pairwise and three different.

Vector forms carry ``Q``; the scalar (``asisd``) forms have no ``Q`` field, so their decode functions see
``Q=None`` and use ``datasize = esize``.
"""

from __future__ import annotations

from collections.abc import Callable

from bitvec import Value, ite
from isa.advsimd_common import (
    all_ones_if,
    any_of,
    map1,
    map2,
    map3,
    require_scalar_d,
    reserved_size_q,
    vector_shape,
)
from isa.decoder import Executor, Undefined, decodes
from isa.machine import Machine
from isa.pseudocode import BitReverse
from isa.simd_pseudocode import Elem, Elems, FromElems, SatQ, SetFPSRQC, Vpart, VpartSet, Vread, Vwrite

# ------------------------------------------------------------------------------------------------
# Three same (vector and scalar)


@decodes("ADD_asimdsame_only", "SUB_asimdsame_only", "ADD_asisdsame_only", "SUB_asisdsame_only")
def add_sub(U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """ADD / SUB (vector): element-wise modulo sum or difference."""
    reserved_size_q(size, Q)
    require_scalar_d(size, Q)
    esize, datasize = vector_shape(size, Q)
    sub_op = U == 1

    def execute(s: Machine) -> None:
        op1, op2 = Vread(s, Rn, datasize), Vread(s, Rm, datasize)
        Vwrite(s, Rd, map2(op1, op2, esize, (lambda a, b: a - b) if sub_op else (lambda a, b: a + b)))

    return execute


_COMPARE: dict[tuple[int, int], Callable[[Value, Value], Value]] = {
    (0, 0b00110): lambda a, b: a.sgt(b),  # CMGT
    (1, 0b00110): lambda a, b: a.ugt(b),  # CMHI
    (0, 0b00111): lambda a, b: a.sge(b),  # CMGE
    (1, 0b00111): lambda a, b: a.uge(b),  # CMHS
    (0, 0b10001): lambda a, b: (a & b).ne(0),  # CMTST
    (1, 0b10001): lambda a, b: a.eq(b),  # CMEQ
}


@decodes(
    "CMGT_asimdsame_only", "CMHI_asimdsame_only", "CMGE_asimdsame_only", "CMHS_asimdsame_only",
    "CMTST_asimdsame_only", "CMEQ_asimdsame_only",
    "CMGT_asisdsame_only", "CMHI_asisdsame_only", "CMGE_asisdsame_only", "CMHS_asisdsame_only",
    "CMTST_asisdsame_only", "CMEQ_asisdsame_only",
)
def compare_register(U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """CMGT/CMHI/CMGE/CMHS/CMTST/CMEQ (register): all ones where the test holds, else zero."""
    reserved_size_q(size, Q)
    require_scalar_d(size, Q)
    esize, datasize = vector_shape(size, Q)
    test = _COMPARE[U, opcode]

    def execute(s: Machine) -> None:
        op1, op2 = Vread(s, Rn, datasize), Vread(s, Rm, datasize)
        Vwrite(s, Rd, map2(op1, op2, esize, lambda a, b: all_ones_if(test(a, b), esize)))

    return execute


@decodes(
    "SQADD_asimdsame_only", "UQADD_asimdsame_only", "SQSUB_asimdsame_only", "UQSUB_asimdsame_only",
    "SQADD_asisdsame_only", "UQADD_asisdsame_only", "SQSUB_asisdsame_only", "UQSUB_asisdsame_only",
)
def saturating_add_sub(U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """SQADD/UQADD/SQSUB/UQSUB: ``(Elem[result], sat) =
    SatQ(Int(e1, unsigned) +/- Int(e2, unsigned), esize, unsigned)``; ``FPSR.QC`` set on saturation."""
    reserved_size_q(size, Q)
    esize, datasize = vector_shape(size, Q)
    unsigned = U == 1
    sub_op = opcode == 0b00101

    def execute(s: Machine) -> None:
        op1, op2 = Vread(s, Rn, datasize), Vread(s, Rm, datasize)
        results, sats = [], []
        for a, b in zip(Elems(op1, esize), Elems(op2, esize)):
            # exact value in esize + 2 bits, read as signed (room for the sign of an unsigned difference)
            x = a.zext(esize + 2) if unsigned else a.sext(esize + 2)
            y = b.zext(esize + 2) if unsigned else b.sext(esize + 2)
            result, sat = SatQ(x - y if sub_op else x + y, esize, unsigned)
            results.append(result)
            sats.append(sat)
        Vwrite(s, Rd, FromElems(results))
        SetFPSRQC(s, any_of(sats))

    return execute


@decodes("MUL_asimdsame_only", "MLA_asimdsame_only", "MLS_asimdsame_only")
def multiply(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """MUL / MLA / MLS (vector): ``product<esize-1:0>``, accumulated into V[d]."""
    if size == 3:
        raise Undefined("size == '11' is reserved")
    esize, datasize = vector_shape(size, Q)
    accumulate = opcode == 0b10010
    sub_op = U == 1

    def execute(s: Machine) -> None:
        op1, op2 = Vread(s, Rn, datasize), Vread(s, Rm, datasize)
        if not accumulate:
            Vwrite(s, Rd, map2(op1, op2, esize, lambda a, b: a * b))
            return
        op3 = Vread(s, Rd, datasize)
        if sub_op:
            Vwrite(s, Rd, map3(op1, op2, op3, esize, lambda a, b, d: d - a * b))
        else:
            Vwrite(s, Rd, map3(op1, op2, op3, esize, lambda a, b, d: d + a * b))

    return execute


@decodes("SMAX_asimdsame_only", "UMAX_asimdsame_only", "SMIN_asimdsame_only", "UMIN_asimdsame_only")
def max_min(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """SMAX/UMAX/SMIN/UMIN."""
    if size == 3:
        raise Undefined("size == '11' is reserved")
    esize, datasize = vector_shape(size, Q)
    unsigned = U == 1
    minimum = opcode == 0b01101

    def pick(a: Value, b: Value) -> Value:
        a_greater = a.ugt(b) if unsigned else a.sgt(b)
        return ite(a_greater, b, a) if minimum else ite(a_greater, a, b)

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, map2(Vread(s, Rn, datasize), Vread(s, Rm, datasize), esize, pick))

    return execute


@decodes("ADDP_asimdsame_only")
def addp_vector(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """ADDP (vector): pairwise sums of ``operand2:operand1``."""
    reserved_size_q(size, Q)
    esize, datasize = vector_shape(size, Q)

    def execute(s: Machine) -> None:
        both = Elems(Vread(s, Rn, datasize), esize) + Elems(Vread(s, Rm, datasize), esize)
        Vwrite(s, Rd, FromElems([both[2 * e] + both[2 * e + 1] for e in range(len(both) // 2)]))

    return execute


@decodes("AND_asimdsame_only", "BIC_asimdsame_only", "ORR_asimdsame_only", "ORN_asimdsame_only")
def logical_and_or(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """AND / BIC / ORR / ORN (vector, register)."""
    datasize = 64 << Q
    invert = size & 1 == 1  # BIC, ORN
    use_or = size & 2 == 2  # ORR, ORN

    def execute(s: Machine) -> None:
        op1, op2 = Vread(s, Rn, datasize), Vread(s, Rm, datasize)
        if invert:
            op2 = ~op2
        Vwrite(s, Rd, op1 | op2 if use_or else op1 & op2)

    return execute


@decodes("EOR_asimdsame_only", "BSL_asimdsame_only", "BIT_asimdsame_only", "BIF_asimdsame_only")
def bitwise_select(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """EOR / BSL / BIT / BIF:
    ``V[d] = operand1 EOR ((operand2 EOR operand4) AND operand3)`` with ``operand4 = V[n]``."""
    datasize = 64 << Q

    def execute(s: Machine) -> None:
        n, m = Vread(s, Rn, datasize), Vread(s, Rm, datasize)
        if size == 0b00:  # EOR
            result = m ^ n
        elif size == 0b01:  # BSL: operand1 = operand2 = V[m], operand3 = V[d]
            result = m ^ ((m ^ n) & Vread(s, Rd, datasize))
        else:  # BIT (operand3 = V[m]), BIF (operand3 = NOT V[m]); operand1 = operand2 = V[d]
            d = Vread(s, Rd, datasize)
            result = d ^ ((d ^ n) & (m if size == 0b10 else ~m))
        Vwrite(s, Rd, result)

    return execute


# ------------------------------------------------------------------------------------------------
# Two-register miscellaneous (vector and scalar)


@decodes("REV64_asimdmisc_R", "REV32_asimdmisc_R", "REV16_asimdmisc_R")
def reverse(Q: int, U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """REV64 / REV32 / REV16 (vector): reverse the elements of each container."""
    op = (opcode & 1) << 1 | U  # o0:U
    if op + size >= 3:
        raise Undefined("element size not smaller than the container")
    container_size = {0b00: 64, 0b01: 32, 0b10: 16}[op]
    esize, datasize = vector_shape(size, Q)
    per_container = container_size // esize

    def execute(s: Machine) -> None:
        elements = Elems(Vread(s, Rn, datasize), esize)
        result = []
        for c in range(0, len(elements), per_container):
            result += reversed(elements[c : c + per_container])
        Vwrite(s, Rd, FromElems(result))

    return execute


@decodes("CNT_asimdmisc_R")
def cnt(Q: int, U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """CNT: population count of each byte."""
    if size != 0:
        raise Undefined("size != '00' is reserved")
    datasize = 64 << Q

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, map1(Vread(s, Rn, datasize), 8, lambda a: a.popcount()))

    return execute


@decodes("NOT_asimdmisc_R")
def not_vector(Q: int, U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """NOT (alias MVN)."""
    datasize = 64 << Q

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, ~Vread(s, Rn, datasize))

    return execute


@decodes("RBIT_asimdmisc_R")
def rbit_vector(Q: int, U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """RBIT (vector) (C7.2.219): reverse the bits of each byte."""
    datasize = 64 << Q

    def execute(s: Machine) -> None:
        operand = Vread(s, Rn, datasize)
        Vwrite(s, Rd, FromElems([BitReverse(b) for b in Elems(operand, 8)]))

    return execute


_COMPARE_ZERO: dict[tuple[int, int], Callable[[Value], Value]] = {
    (0, 0b01000): lambda a: a.sgt(0),  # CMGT
    (1, 0b01000): lambda a: a.sge(0),  # CMGE
    (0, 0b01001): lambda a: a.eq(0),  # CMEQ
    (1, 0b01001): lambda a: a.sle(0),  # CMLE
    (0, 0b01010): lambda a: a.slt(0),  # CMLT
}


@decodes(
    "CMGT_asimdmisc_Z", "CMGE_asimdmisc_Z", "CMEQ_asimdmisc_Z", "CMLE_asimdmisc_Z", "CMLT_asimdmisc_Z",
    "CMGT_asisdmisc_Z", "CMGE_asisdmisc_Z", "CMEQ_asisdmisc_Z", "CMLE_asisdmisc_Z", "CMLT_asisdmisc_Z",
)
def compare_zero(U: int, size: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """CMGT/CMGE/CMEQ/CMLE/CMLT (zero): signed comparison of each element with zero."""
    reserved_size_q(size, Q)
    require_scalar_d(size, Q)
    esize, datasize = vector_shape(size, Q)
    test = _COMPARE_ZERO[U, opcode]

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, map1(Vread(s, Rn, datasize), esize, lambda a: all_ones_if(test(a), esize)))

    return execute


@decodes("ABS_asimdmisc_R", "NEG_asimdmisc_R", "ABS_asisdmisc_R", "NEG_asisdmisc_R")
def abs_neg(U: int, size: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """ABS / NEG (vector and scalar): modulo ``Abs(SInt(element))`` or ``-SInt(element)``."""
    reserved_size_q(size, Q)
    require_scalar_d(size, Q)
    esize, datasize = vector_shape(size, Q)
    neg = U == 1

    def execute(s: Machine) -> None:
        op = Vread(s, Rn, datasize)
        if neg:
            Vwrite(s, Rd, map1(op, esize, lambda a: -a))
        else:
            Vwrite(s, Rd, map1(op, esize, lambda a: ite(a.slt(0), -a, a)))

    return execute


@decodes("XTN_asimdmisc_N")
def xtn(Q: int, U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """XTN / XTN2: the low halves of the 2*esize elements of V[n] into ``Vpart[d, Q]``."""
    if size == 3:
        raise Undefined("size == '11' is reserved")
    esize = 8 << size
    part = Q

    def execute(s: Machine) -> None:
        wide = Elems(Vread(s, Rn, 128), 2 * esize)
        VpartSet(s, Rd, part, FromElems([w.extract(esize - 1, 0) for w in wide]))

    return execute


# ------------------------------------------------------------------------------------------------
# Across lanes, scalar pairwise


@decodes("ADDV_asimdall_only", "SMAXV_asimdall_only", "UMAXV_asimdall_only", "SMINV_asimdall_only",
         "UMINV_asimdall_only")
def across_lanes(Q: int, U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """ADDV, SMAXV/UMAXV, SMINV/UMINV: reduce all elements."""
    if size == 2 and Q == 0:
        raise Undefined("size:Q == '100' is reserved")
    if size == 3:
        raise Undefined("size == '11' is reserved")
    esize, datasize = vector_shape(size, Q)
    unsigned = U == 1

    def combine(a: Value, b: Value) -> Value:
        if opcode == 0b11011:  # ADDV
            return a + b
        b_greater = b.ugt(a) if unsigned else b.sgt(a)
        if opcode == 0b01010:  # MAXV
            return ite(b_greater, b, a)
        return ite(b_greater, a, b)  # MINV

    def execute(s: Machine) -> None:
        elements = Elems(Vread(s, Rn, datasize), esize)
        result = elements[0]
        for e in elements[1:]:
            result = combine(result, e)
        Vwrite(s, Rd, result)

    return execute


@decodes("ADDP_asisdpair_only")
def addp_scalar(U: int, size: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """ADDP (scalar): ``V[d] = Elem[V[n], 0, 64] + Elem[V[n], 1, 64]``."""
    if size != 3:
        raise Undefined("size != '11' is reserved")

    def execute(s: Machine) -> None:
        operand = Vread(s, Rn, 128)
        Vwrite(s, Rd, Elem(operand, 0, 64) + Elem(operand, 1, 64))

    return execute


# ------------------------------------------------------------------------------------------------
# Three different


@decodes(
    "SADDL_asimddiff_L", "UADDL_asimddiff_L", "SSUBL_asimddiff_L", "USUBL_asimddiff_L",
    "SADDW_asimddiff_W", "UADDW_asimddiff_W", "SSUBW_asimddiff_W", "USUBW_asimddiff_W",
    "SMLAL_asimddiff_L", "UMLAL_asimddiff_L", "SMLSL_asimddiff_L", "UMLSL_asimddiff_L",
    "SMULL_asimddiff_L", "UMULL_asimddiff_L",
)
def three_different(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """[SU]ADDL[2], [SU]SUBL[2], [SU]ADDW[2], [SU]SUBW[2], [SU]MLAL[2], [SU]MLSL[2], [SU]MULL[2]:
    ``operand1 = Vpart[n, part]`` (``V[n]`` for the wide forms), ``operand2 = Vpart[m, part]``, 2*esize results."""
    if size == 3:
        raise Undefined("size == '11' is reserved")
    esize = 8 << size
    part = Q
    unsigned = U == 1
    wide = opcode in (0b0001, 0b0011)
    kind = {0b0000: "add", 0b0001: "add", 0b0010: "sub", 0b0011: "sub", 0b1000: "mla", 0b1010: "mls",
            0b1100: "mul"}[opcode]
    w = 2 * esize

    def extend(x: Value) -> Value:
        return x.zext(w) if unsigned else x.sext(w)

    def execute(s: Machine) -> None:
        if wide:
            op1 = Elems(Vread(s, Rn, 128), w)
        else:
            op1 = [extend(a) for a in Elems(Vpart(s, Rn, part, 64), esize)]
        op2 = [extend(b) for b in Elems(Vpart(s, Rm, part, 64), esize)]
        if kind == "add":
            result = [a + b for a, b in zip(op1, op2)]
        elif kind == "sub":
            result = [a - b for a, b in zip(op1, op2)]
        else:
            products = [a * b for a, b in zip(op1, op2)]
            if kind == "mul":
                result = products
            else:
                accum = Elems(Vread(s, Rd, 128), w)
                if kind == "mla":
                    result = [d + p for d, p in zip(accum, products)]
                else:
                    result = [d - p for d, p in zip(accum, products)]
        Vwrite(s, Rd, FromElems(result))

    return execute



# ------------------------------------------------------------------------------------------------
# Advanced SIMD vector x indexed element


def _element_index(size: int, L: int, M: int, H: int, Rm: int) -> tuple[int, int]:
    """The ``(index, m)`` of the by-element forms: H:L:M with Vm in V0-V15 for 16-bit elements,
    H:L with M:Rm for 32-bit elements (Arm ARM, decode of the asimdelem class)."""
    if size == 1:
        return (H << 2) | (L << 1) | M, Rm
    if size == 2:
        return (H << 1) | L, (M << 4) | Rm
    raise Undefined("element size reserved for this by-element form")


@decodes("MUL_asimdelem_R", "MLA_asimdelem_R", "MLS_asimdelem_R")
def multiply_by_element(Q: int, U: int, size: int, L: int, M: int, Rm: int, opcode: int, H: int, Rn: int,
                        Rd: int) -> Executor:
    """MUL, MLA, MLS (by element) (C7.2.213, C7.2.196, C7.2.199): each element times ``Vm.T[index]``."""
    index, m = _element_index(size, L, M, H, Rm)
    esize = 8 << size
    datasize = 64 << Q
    kind = {0b1000: "mul", 0b0000: "mla", 0b0100: "mls"}[opcode]

    def execute(s: Machine) -> None:
        element2 = Elem(Vread(s, m, 128), index, esize)
        products = [a * element2 for a in Elems(Vread(s, Rn, datasize), esize)]
        if kind == "mul":
            result = products
        else:
            acc = Elems(Vread(s, Rd, datasize), esize)
            result = [a + p if kind == "mla" else a - p for a, p in zip(acc, products)]
        Vwrite(s, Rd, FromElems(result))

    return execute


@decodes("SMLAL_asimdelem_L", "UMLAL_asimdelem_L", "SMLSL_asimdelem_L", "UMLSL_asimdelem_L",
         "SMULL_asimdelem_L", "UMULL_asimdelem_L")
def long_multiply_by_element(Q: int, U: int, size: int, L: int, M: int, Rm: int, opcode: int, H: int, Rn: int,
                             Rd: int) -> Executor:
    """[SU]MLAL[2], [SU]MLSL[2], [SU]MULL[2] (by element) (C7.2.*): ``Vpart[n, Q]`` times ``Vm.T[index]``,
    extended to 2*esize, accumulated into or written to the double-width elements of Vd."""
    index, m = _element_index(size, L, M, H, Rm)
    esize = 8 << size
    w = 2 * esize
    unsigned = U == 1
    kind = {0b0010: "mla", 0b0110: "mls", 0b1010: "mul"}[opcode]

    def extend(x: Value) -> Value:
        return x.zext(w) if unsigned else x.sext(w)

    def execute(s: Machine) -> None:
        element2 = extend(Elem(Vread(s, m, 128), index, esize))
        products = [extend(a) * element2 for a in Elems(Vpart(s, Rn, Q, 64), esize)]
        if kind == "mul":
            result = products
        else:
            acc = Elems(Vread(s, Rd, 128), w)
            result = [a + p if kind == "mla" else a - p for a, p in zip(acc, products)]
        Vwrite(s, Rd, FromElems(result))

    return execute
