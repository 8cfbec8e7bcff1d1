"""Data processing -- register (Arm ARM C4.1.95; execute sections from C6.2).

Encodings whose table line carries no field telling the operations apart (UDIV/SDIV, the variable
shifts, the 1-source group) get one decode function per operation, built by a small factory.
"""

from __future__ import annotations

from collections.abc import Callable

from bitvec import BV, Value, asr, concat, ite, lsl, lsr, ror, sdiv, udiv
from isa.decoder import Executor, Undefined, decodes
from isa.machine import Machine
from isa.pseudocode import (
    ASR,
    LSL,
    LSR,
    ROR,
    AddWithCarry,
    BitReverse,
    ConditionHolds,
    CountLeadingSignBits,
    CountLeadingZeroBits,
    ExtendReg,
    Reverse,
    ShiftReg,
)


def _logical_flags(result: Value) -> Value:
    """``result<datasize-1> : IsZeroBit(result) : '00'`` -- NZCV after a flag-setting logical op."""
    return concat(result[result.width - 1], result.eq(0), BV(2, 0))


def _replicate_bit(bit: Value, width: int) -> Value:
    """ASL ``Replicate(bit, width)`` for a 1-bit value (all ones when set)."""
    return BV(width, 0) - bit.zext(width)


# ------------------------------------------------------------------------------------------------
# Data-processing (2 source)

def _divide(unsigned: bool) -> Callable[..., Executor]:
    def decode(sf: int, Rm: int, Rn: int, Rd: int) -> Executor:
        """UDIV (C6.2.388) / SDIV (C6.2.280): quotient rounded towards zero; ``x / 0`` is 0."""
        datasize = 64 if sf else 32
        zero = BV(datasize, 0)

        def execute(s: Machine) -> None:
            operand1 = s.X(Rn, datasize)
            operand2 = s.X(Rm, datasize)
            # SMT-LIB division truncates towards zero like RoundTowardsZero, and INT_MIN / -1 wraps
            # to INT_MIN, which is the exact quotient taken modulo 2^datasize; only x / 0 differs.
            quotient = udiv(operand1, operand2) if unsigned else sdiv(operand1, operand2)
            s.set_X(Rd, ite(operand2.eq(0), zero, quotient))

        return execute

    return decode


decodes("UDIV_32_dp_2src", "UDIV_64_dp_2src")(_divide(unsigned=True))
decodes("SDIV_32_dp_2src", "SDIV_64_dp_2src")(_divide(unsigned=False))


def _shift_variable(shift_type: int) -> Callable[..., Executor]:
    def decode(sf: int, Rm: int, Rn: int, Rd: int) -> Executor:
        """LSLV / LSRV / ASRV / RORV (C6.2.199, C6.2.203, C6.2.25, C6.2.265):
        ``Rd = ShiftReg(Rn, shift_type, UInt(Rm) MOD datasize)``."""
        datasize = 64 if sf else 32

        def execute(s: Machine) -> None:
            operand2 = s.X(Rm, datasize)
            amount = operand2 & (datasize - 1)  # UInt(operand2) MOD datasize
            operand1 = s.X(Rn, datasize)
            if shift_type == LSL:
                result = lsl(operand1, amount)
            elif shift_type == LSR:
                result = lsr(operand1, amount)
            elif shift_type == ASR:
                result = asr(operand1, amount)
            else:
                result = ror(operand1, amount)
            s.set_X(Rd, result)

        return execute

    return decode


decodes("LSLV_32_dp_2src", "LSLV_64_dp_2src")(_shift_variable(LSL))
decodes("LSRV_32_dp_2src", "LSRV_64_dp_2src")(_shift_variable(LSR))
decodes("ASRV_32_dp_2src", "ASRV_64_dp_2src")(_shift_variable(ASR))
decodes("RORV_32_dp_2src", "RORV_64_dp_2src")(_shift_variable(ROR))


def Poly32Mod2(data: Value, poly: int) -> Value:
    """ASL ``Poly32Mod2``: ``data`` modulo the degree-32 polynomial ``x^32 + poly`` over GF(2).

    For ``i = N-1 downto 32``: if ``data<i>`` then ``data<i-1:0> ^= poly : Zeros(i-32)``.  Bit ``i`` is
    dead after its step, so the value narrows by one bit per step (same result, smaller terms).
    """
    poly_bv = BV(32, poly)
    for i in range(data.width - 1, 31, -1):
        low = data.extract(i - 1, 0)
        reduce = poly_bv & _replicate_bit(data[i], 32)
        if i > 32:
            reduce = concat(reduce, BV(i - 32, 0))
        data = low ^ reduce
    return data


@decodes(
    "CRC32B_32C_dp_2src", "CRC32H_32C_dp_2src", "CRC32W_32C_dp_2src", "CRC32X_64C_dp_2src",
    "CRC32CB_32C_dp_2src", "CRC32CH_32C_dp_2src", "CRC32CW_32C_dp_2src", "CRC32CX_64C_dp_2src",
)
def crc32(sf: int, Rm: int, C: int, sz: int, Rn: int, Rd: int) -> Executor:
    """CRC32B/H/W/X (C6.2.88), CRC32CB/CH/CW/CX (C6.2.89): one CRC step of the bit-reflected CRC-32
    (polynomial 0x04C11DB7) or CRC-32C (0x1EDC6F41), without pre- or post-inversion."""
    size = 8 << sz
    poly = 0x1EDC6F41 if C else 0x04C11DB7

    def execute(s: Machine) -> None:
        acc = s.X(Rn, 32)  # accumulator
        val = s.X(Rm, size)  # input value
        tempacc = concat(BitReverse(acc), BV(size, 0))
        tempval = concat(BitReverse(val), BV(32, 0))
        s.set_X(Rd, BitReverse(Poly32Mod2(tempacc ^ tempval, poly)))

    return execute


# ------------------------------------------------------------------------------------------------
# Data-processing (1 source)

def _one_source(operation: Callable[[Value], Value]) -> Callable[..., Executor]:
    def decode(sf: int, Rn: int, Rd: int) -> Executor:
        """RBIT (C6.2.264), REV16 (C6.2.268), REV32 (C6.2.269), REV (C6.2.267), CLZ (C6.2.91), CLS (C6.2.90)."""
        datasize = 64 if sf else 32

        def execute(s: Machine) -> None:
            s.set_X(Rd, operation(s.X(Rn, datasize)))

        return execute

    return decode


decodes("RBIT_32_dp_1src", "RBIT_64_dp_1src")(_one_source(BitReverse))
decodes("REV16_32_dp_1src", "REV16_64_dp_1src")(_one_source(lambda x: Reverse(x, 8, 16)))
decodes("REV32_64_dp_1src")(_one_source(lambda x: Reverse(x, 8, 32)))
decodes("REV_32_dp_1src", "REV_64_dp_1src")(_one_source(lambda x: Reverse(x, 8, x.width)))
decodes("CLZ_32_dp_1src", "CLZ_64_dp_1src")(_one_source(CountLeadingZeroBits))
decodes("CLS_32_dp_1src", "CLS_64_dp_1src")(_one_source(CountLeadingSignBits))


# ------------------------------------------------------------------------------------------------
# Logical (shifted register)

@decodes(
    "AND_32_log_shift", "BIC_32_log_shift", "ORR_32_log_shift", "ORN_32_log_shift",
    "EOR_32_log_shift", "EON_32_log_shift", "ANDS_32_log_shift", "BICS_32_log_shift",
    "AND_64_log_shift", "BIC_64_log_shift", "ORR_64_log_shift", "ORN_64_log_shift",
    "EOR_64_log_shift", "EON_64_log_shift", "ANDS_64_log_shift", "BICS_64_log_shift",
)
def logical_shift(sf: int, opc: int, shift: int, N: int, Rm: int, imm6: int, Rn: int, Rd: int) -> Executor:
    """AND/BIC/ORR/ORN/EOR/EON/ANDS/BICS (shifted register) (C6.2.13 ...): ``Rd = Rn op [NOT] shift(Rm)``."""
    datasize = 64 if sf else 32
    if sf == 0 and imm6 & 0x20:
        raise Undefined("imm6<5> must be 0 for 32-bit")
    invert = N == 1
    setflags = opc == 3

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        operand2 = ShiftReg(s.X(Rm, datasize), shift, imm6)
        if invert:
            operand2 = ~operand2
        if opc == 0 or opc == 3:
            result = operand1 & operand2
        elif opc == 1:
            result = operand1 | operand2
        else:
            result = operand1 ^ operand2
        if setflags:
            s.set_nzcv(_logical_flags(result))
        s.set_X(Rd, result)

    return execute


# ------------------------------------------------------------------------------------------------
# Add/subtract (shifted register, extended register, with carry)

@decodes(
    "ADD_32_addsub_shift", "ADDS_32_addsub_shift", "SUB_32_addsub_shift", "SUBS_32_addsub_shift",
    "ADD_64_addsub_shift", "ADDS_64_addsub_shift", "SUB_64_addsub_shift", "SUBS_64_addsub_shift",
)
def add_sub_shift(sf: int, op: int, S: int, shift: int, Rm: int, imm6: int, Rn: int, Rd: int) -> Executor:
    """ADD/ADDS/SUB/SUBS (shifted register) (C6.2.5 ...): ``Rd = Rn +/- shift(Rm, imm6)``; R31 is XZR."""
    datasize = 64 if sf else 32
    if shift == 3:
        raise Undefined("shift type ROR is reserved for add/subtract")
    if sf == 0 and imm6 & 0x20:
        raise Undefined("imm6<5> must be 0 for 32-bit")
    sub_op = op == 1
    setflags = S == 1
    carry_in = BV(1, 1 if sub_op else 0)

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        operand2 = ShiftReg(s.X(Rm, datasize), shift, imm6)
        if sub_op:
            operand2 = ~operand2
        result, nzcv = AddWithCarry(operand1, operand2, carry_in)
        if setflags:
            s.set_nzcv(nzcv)
        s.set_X(Rd, result)

    return execute


@decodes(
    "ADD_32_addsub_ext", "ADDS_32S_addsub_ext", "SUB_32_addsub_ext", "SUBS_32S_addsub_ext",
    "ADD_64_addsub_ext", "ADDS_64S_addsub_ext", "SUB_64_addsub_ext", "SUBS_64S_addsub_ext",
)
def add_sub_ext(sf: int, op: int, S: int, Rm: int, option: int, imm3: int, Rn: int, Rd: int) -> Executor:
    """ADD/ADDS/SUB/SUBS (extended register) (C6.2.3 ...): ``Rd = Rn +/- (ExtendReg(Rm, option) << imm3)``.

    Rn is SP when 31; Rd is SP when 31 unless flags are set (then XZR).
    """
    datasize = 64 if sf else 32
    if imm3 > 4:
        raise Undefined("extended-register shift amount above 4")
    sub_op = op == 1
    setflags = S == 1
    carry_in = BV(1, 1 if sub_op else 0)

    def execute(s: Machine) -> None:
        operand1 = s.SP(datasize) if Rn == 31 else s.X(Rn, datasize)
        operand2 = ExtendReg(s, Rm, option, imm3, datasize)
        if sub_op:
            operand2 = ~operand2
        result, nzcv = AddWithCarry(operand1, operand2, carry_in)
        if setflags:
            s.set_nzcv(nzcv)
        if Rd == 31 and not setflags:
            s.set_SP(result.zext(64))
        else:
            s.set_X(Rd, result)

    return execute


@decodes(
    "ADC_32_addsub_carry", "ADCS_32_addsub_carry", "SBC_32_addsub_carry", "SBCS_32_addsub_carry",
    "ADC_64_addsub_carry", "ADCS_64_addsub_carry", "SBC_64_addsub_carry", "SBCS_64_addsub_carry",
)
def add_sub_carry(sf: int, op: int, S: int, Rm: int, Rn: int, Rd: int) -> Executor:
    """ADC/ADCS (C6.2.1, C6.2.2), SBC/SBCS (C6.2.275, C6.2.276): ``Rd = Rn + [NOT] Rm + PSTATE.C``."""
    datasize = 64 if sf else 32
    sub_op = op == 1
    setflags = S == 1

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        operand2 = s.X(Rm, datasize)
        if sub_op:
            operand2 = ~operand2
        result, nzcv = AddWithCarry(operand1, operand2, s.nzcv()[1])
        if setflags:
            s.set_nzcv(nzcv)
        s.set_X(Rd, result)

    return execute


# ------------------------------------------------------------------------------------------------
# Conditional compare and conditional select

def _conditional_compare(sf: int, op: int, cond: int, Rn: int, nzcv: int, operand2_of: Callable[[Machine], Value]
                         ) -> Executor:
    datasize = 64 if sf else 32
    sub_op = op == 1
    carry_in = BV(1, 1 if sub_op else 0)
    flags_if_false = BV(4, nzcv)

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        operand2 = operand2_of(s)
        if sub_op:
            operand2 = ~operand2
        _, compared = AddWithCarry(operand1, operand2, carry_in)
        s.set_nzcv(ite(ConditionHolds(cond, s.nzcv()), compared, flags_if_false))

    return execute


@decodes("CCMN_32_condcmp_reg", "CCMP_32_condcmp_reg", "CCMN_64_condcmp_reg", "CCMP_64_condcmp_reg")
def cond_compare_reg(sf: int, op: int, Rm: int, cond: int, Rn: int, nzcv: int) -> Executor:
    """CCMN/CCMP (register) (C6.2.51, C6.2.53): flags of ``Rn +/- Rm`` if ``cond`` holds, else ``#nzcv``."""
    datasize = 64 if sf else 32
    return _conditional_compare(sf, op, cond, Rn, nzcv, lambda s: s.X(Rm, datasize))


@decodes("CCMN_32_condcmp_imm", "CCMP_32_condcmp_imm", "CCMN_64_condcmp_imm", "CCMP_64_condcmp_imm")
def cond_compare_imm(sf: int, op: int, imm5: int, cond: int, Rn: int, nzcv: int) -> Executor:
    """CCMN/CCMP (immediate) (C6.2.50, C6.2.52): flags of ``Rn +/- #imm5`` if ``cond`` holds, else ``#nzcv``."""
    imm = BV(64 if sf else 32, imm5)
    return _conditional_compare(sf, op, cond, Rn, nzcv, lambda s: imm)


@decodes(
    "CSEL_32_condsel", "CSINC_32_condsel", "CSINV_32_condsel", "CSNEG_32_condsel",
    "CSEL_64_condsel", "CSINC_64_condsel", "CSINV_64_condsel", "CSNEG_64_condsel",
)
def cond_select(sf: int, op: int, Rm: int, cond: int, op2: int, Rn: int, Rd: int) -> Executor:
    """CSEL (C6.2.79), CSINC (C6.2.80), CSINV (C6.2.81), CSNEG (C6.2.82):
    ``Rd = cond ? Rn : f(Rm)`` with ``f`` the identity, ``+1``, ``NOT`` or negation."""
    datasize = 64 if sf else 32
    else_inv = op == 1
    else_inc = op2 & 1 == 1

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        operand2 = s.X(Rm, datasize)
        if else_inv:
            operand2 = ~operand2
        if else_inc:
            operand2 = operand2 + 1
        s.set_X(Rd, ite(ConditionHolds(cond, s.nzcv()), operand1, operand2))

    return execute


# ------------------------------------------------------------------------------------------------
# Data-processing (3 source)

@decodes("MADD_32A_dp_3src", "MSUB_32A_dp_3src", "MADD_64A_dp_3src", "MSUB_64A_dp_3src")
def multiply_add(sf: int, op31: int, Rm: int, o0: int, Ra: int, Rn: int, Rd: int) -> Executor:
    """MADD (C6.2.218) / MSUB (C6.2.236): ``Rd = Ra +/- Rn * Rm`` (low datasize bits)."""
    datasize = 64 if sf else 32
    sub_op = o0 == 1

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, datasize)
        operand2 = s.X(Rm, datasize)
        operand3 = s.X(Ra, datasize)
        product = operand1 * operand2
        s.set_X(Rd, operand3 - product if sub_op else operand3 + product)

    return execute


@decodes("SMADDL_64WA_dp_3src", "SMSUBL_64WA_dp_3src", "UMADDL_64WA_dp_3src", "UMSUBL_64WA_dp_3src")
def multiply_add_long(sf: int, op31: int, Rm: int, o0: int, Ra: int, Rn: int, Rd: int) -> Executor:
    """SMADDL (C6.2.284), SMSUBL (C6.2.291), UMADDL (C6.2.393), UMSUBL (C6.2.398):
    ``Xd = Xa +/- Wn * Wm`` with the 32-bit operands sign- or zero-extended."""
    unsigned = op31 & 0b100 != 0  # U bit
    sub_op = o0 == 1

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, 32)
        operand2 = s.X(Rm, 32)
        operand3 = s.X(Ra, 64)
        if unsigned:
            product = operand1.zext(64) * operand2.zext(64)
        else:
            product = operand1.sext(64) * operand2.sext(64)
        s.set_X(Rd, operand3 - product if sub_op else operand3 + product)

    return execute


@decodes("SMULH_64_dp_3src", "UMULH_64_dp_3src")
def multiply_high(sf: int, op31: int, Rm: int, o0: int, Rn: int, Rd: int) -> Executor:
    """SMULH (C6.2.293) / UMULH (C6.2.400): ``Xd = (Xn * Xm)<127:64>`` of the exact 128-bit product."""
    unsigned = op31 & 0b100 != 0  # U bit

    def execute(s: Machine) -> None:
        operand1 = s.X(Rn, 64)
        operand2 = s.X(Rm, 64)
        if unsigned:
            product = operand1.zext(128) * operand2.zext(128)
        else:
            product = operand1.sext(128) * operand2.sext(128)
        s.set_X(Rd, product[127:64])

    return execute
