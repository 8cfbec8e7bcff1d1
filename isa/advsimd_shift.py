"""Advanced SIMD shift by immediate, vector and scalar (Arm ARM C4.1.95; execute sections from C7.2):
SSHR/USHR, SSRA/USRA, SRSHR/URSHR, SRSRA/URSRA, SRI, SHL, SLI, SHRN/RSHRN and SSHLL/USHLL (alias SXTL/UXTL)."""

from __future__ import annotations

from bitvec import BV, Value
from isa.advsimd_common import highest_set_bit, map1, map2, ones
from isa.decoder import Executor, Undefined, decodes
from isa.machine import Machine
from isa.simd_pseudocode import Elems, FromElems, Vpart, VpartSet, Vread, Vwrite


def _shape(immh: int, Q: int | None) -> tuple[int, int]:
    """``(esize, datasize)`` of the same-width shifts: vector ``immh<3>:Q == '10'`` and scalar
    ``immh<3> != '1'`` are UNDEFINED; ``esize = 8 << HighestSetBit(immh)``."""
    if Q is None:
        if not immh & 0b1000:
            raise Undefined("scalar shift requires immh<3> == '1'")
        return 64, 64
    if immh & 0b1000 and Q == 0:
        raise Undefined("immh<3>:Q == '10' is reserved")
    esize = 8 << highest_set_bit(immh)
    return esize, 64 << Q


def shift_right(element: Value, shift: int, unsigned: bool, rounding: bool) -> Value:
    """``(Int(element, unsigned) + round_const) >> shift``, truncated to the element width (``RShr``)."""
    w = element.width
    wide = element.zext(2 * w) if unsigned else element.sext(2 * w)
    if rounding:
        wide = wide + (1 << (shift - 1))
    shifted = wide.lsr(shift) if unsigned else wide.asr(shift)
    return shifted.extract(w - 1, 0)


_RIGHT = (
    "SSHR_asimdshf_R", "USHR_asimdshf_R", "SSRA_asimdshf_R", "USRA_asimdshf_R",
    "SRSHR_asimdshf_R", "URSHR_asimdshf_R", "SRSRA_asimdshf_R", "URSRA_asimdshf_R",
    "SSHR_asisdshf_R", "USHR_asisdshf_R", "SSRA_asisdshf_R", "USRA_asisdshf_R",
    "SRSHR_asisdshf_R", "URSHR_asisdshf_R", "SRSRA_asisdshf_R", "URSRA_asisdshf_R",
)


@decodes(*_RIGHT)
def shift_right_imm(U: int, immh: int, immb: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """SSHR/USHR, SSRA/USRA, SRSHR/URSHR, SRSRA/URSRA: ``shift = 2*esize - UInt(immh:immb)``;
    ``round = opcode<2>``, ``accumulate = opcode<1>``."""
    esize, datasize = _shape(immh, Q)
    shift = 2 * esize - (immh << 3 | immb)
    unsigned = U == 1
    rounding = opcode & 0b100 != 0
    accumulate = opcode & 0b010 != 0

    def execute(s: Machine) -> None:
        operand = Vread(s, Rn, datasize)
        result = map1(operand, esize, lambda a: shift_right(a, shift, unsigned, rounding))
        if accumulate:
            result = map2(Vread(s, Rd, datasize), result, esize, lambda d, r: d + r)
        Vwrite(s, Rd, result)

    return execute


@decodes("SHL_asimdshf_R", "SHL_asisdshf_R")
def shl(U: int, immh: int, immb: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """SHL: ``shift = UInt(immh:immb) - esize``, ``LSL(element, shift)``."""
    esize, datasize = _shape(immh, Q)
    shift = (immh << 3 | immb) - esize

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, map1(Vread(s, Rn, datasize), esize, lambda a: a.lsl(shift)))

    return execute


@decodes("SRI_asimdshf_R", "SRI_asisdshf_R", "SLI_asimdshf_R", "SLI_asisdshf_R")
def shift_insert(U: int, immh: int, immb: int, opcode: int, Rn: int, Rd: int, Q: int | None = None) -> Executor:
    """SRI / SLI: shifted element inserted into V[d] under ``mask = LSR/LSL(Ones, shift)``."""
    esize, datasize = _shape(immh, Q)
    left = opcode == 0b01010
    if left:
        shift = (immh << 3 | immb) - esize
        mask = (ones(esize) << shift) & ones(esize)
    else:
        shift = 2 * esize - (immh << 3 | immb)
        mask = ones(esize) >> shift
    keep = BV(esize, ~mask)

    def insert(d: Value, a: Value) -> Value:
        shifted = a.lsl(shift) if left else a.lsr(shift)
        return (d & keep) | shifted

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, map2(Vread(s, Rd, datasize), Vread(s, Rn, datasize), esize, insert))

    return execute


@decodes("SHRN_asimdshf_N", "RSHRN_asimdshf_N")
def shift_right_narrow(Q: int, U: int, immh: int, immb: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """SHRN[2] / RSHRN[2]: ``(UInt(Elem[V[n], e, 2*esize]) + round_const) >> shift``,
    truncated to esize, into ``Vpart[d, Q]``; ``shift = 2*esize - UInt(immh:immb)``."""
    if immh & 0b1000:
        raise Undefined("immh<3> == '1' is reserved")
    esize = 8 << highest_set_bit(immh)
    shift = 2 * esize - (immh << 3 | immb)
    rounding = opcode & 1 == 1
    part = Q

    def execute(s: Machine) -> None:
        wide = Elems(Vread(s, Rn, 128), 2 * esize)
        narrowed = [shift_right(w, shift, True, rounding).extract(esize - 1, 0) for w in wide]
        VpartSet(s, Rd, part, FromElems(narrowed))

    return execute


@decodes("SSHLL_asimdshf_L", "USHLL_asimdshf_L")
def shift_left_long(Q: int, U: int, immh: int, immb: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """SSHLL[2] / USHLL[2] (alias SXTL/UXTL when the shift is 0):
    ``Extend(Elem[Vpart[n, Q], e, esize], 2*esize) << shift``, ``shift = UInt(immh:immb) - esize``."""
    if immh & 0b1000:
        raise Undefined("immh<3> == '1' is reserved")
    esize = 8 << highest_set_bit(immh)
    shift = (immh << 3 | immb) - esize
    unsigned = U == 1
    part = Q

    def execute(s: Machine) -> None:
        narrow = Elems(Vpart(s, Rn, part, 64), esize)
        wide = [(a.zext(2 * esize) if unsigned else a.sext(2 * esize)).lsl(shift) for a in narrow]
        Vwrite(s, Rd, FromElems(wide))

    return execute
