"""SIMD&FP loads and stores (Arm ARM C4.1.94; execute sections from C7.2).

Scalar forms: LDR/STR (immediate: unsigned offset, pre- and post-index; register; literal), LDUR/STUR,
and LDP/STP/LDNP/STNP of the B/H/S/D/Q registers.  Advanced SIMD structure forms: LD1-LD4/ST1-ST4
(multiple structures), LD1-LD4/ST1-ST4 (single structure, one lane) and LD1R-LD4R, each with and
without post-index writeback.

Conventions follow the shared pseudocode: a scalar load writes ``V[t, 128] = ZeroExtend(data)``; a
multiple-structure load writes ``V[tt, datasize]`` (a 64-bit arrangement zeroes the upper half); a
single-lane load keeps the other lanes; a replicating load writes ``V[t, datasize]``.  Register lists
wrap modulo 32.  Memory is accessed element by element in the pseudocode's order, little-endian
(``AArch64.MemSingle``).  A base register of SP is checked by ``CheckSPAlignment`` (``if n == 31 then
CheckSPAlignment()``, via :func:`isa.ldst.base_register`, as in :mod:`isa.ldst`); ``CheckFPAdvSIMDEnabled64``
always passes at EL0 here.
"""

from __future__ import annotations

from bitvec import Value
from isa.decoder import Executor, Undefined, Unpredictable, decodes
from isa.ldst import Offset, base_register, write_base_register
from isa.machine import AccessKind, Machine
from isa.pseudocode import ExtendReg, SInt
from isa.simd_pseudocode import Elem, ElemSet, FromElems, Replicate, Vread, Vwrite

VEC = AccessKind.NORMAL  # AccType_VEC
VECSTREAM = AccessKind.STREAM  # AccType_VECSTREAM (LDNP/STNP)


# ------------------------------------------------------------------------------------------------
# single register


def _single_register(
    size: int, opc: int, Rn: int, Rt: int, offset: int | Offset, wback: bool, postindex: bool
) -> Executor:
    """Shared decode/execute of LDR/STR/LDUR/STUR (SIMD&FP) (C7.2.176, C7.2.177, C7.2.330 ...).

    ``scale = UInt(opc<1>:size)``; stores write ``V[t, datasize]``; loads set ``V[t] = ZeroExtend(data, 128)``.
    No writeback overlap check exists: the base is an X register, the data a V register.
    """
    n, t = Rn, Rt
    scale = ((opc >> 1) << 2) | size
    if scale > 4:
        raise Undefined("SIMD&FP load/store with opc<1>:size > 4")
    load = opc & 1 == 1
    dbytes = 1 << scale
    datasize = 8 * dbytes

    def execute(s: Machine) -> None:
        off = offset if isinstance(offset, int) else offset(s)
        address = base_register(s, n)
        if not postindex:
            address = address + off
        if load:
            Vwrite(s, t, s.mem_read(address, dbytes, VEC))
        else:
            s.mem_write(address, dbytes, Vread(s, t, datasize), VEC)
        if wback:
            if postindex:
                address = address + off
            write_base_register(s, n, address)

    return execute


_SCALAR_NAMES = [(op, r) for r in "BHSDQ" for op in ("ST", "LD")]


@decodes(*[f"{op}UR_{r}_ldst_unscaled" for op, r in _SCALAR_NAMES])
def simd_unscaled(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDUR/STUR (SIMD&FP) (C7.2.196, C7.2.342): ``Rn + SignExtend(imm9)``, no writeback."""
    return _single_register(size, opc, Rn, Rt, SInt(imm9, 9), False, False)


@decodes(*[f"{op}R_{r}_ldst_immpost" for op, r in _SCALAR_NAMES])
def simd_post(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDR/STR (immediate, SIMD&FP), post-index: access at ``Rn``, then ``Rn += SignExtend(imm9)``."""
    return _single_register(size, opc, Rn, Rt, SInt(imm9, 9), True, True)


@decodes(*[f"{op}R_{r}_ldst_immpre" for op, r in _SCALAR_NAMES])
def simd_pre(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDR/STR (immediate, SIMD&FP), pre-index: access at ``Rn + SignExtend(imm9)``, written back."""
    return _single_register(size, opc, Rn, Rt, SInt(imm9, 9), True, False)


@decodes(*[f"{op}R_{r}_ldst_pos" for op, r in _SCALAR_NAMES])
def simd_unsigned_offset(size: int, V: int, opc: int, imm12: int, Rn: int, Rt: int) -> Executor:
    """LDR/STR (immediate, SIMD&FP), unsigned offset: ``Rn + LSL(ZeroExtend(imm12), scale)``."""
    scale = ((opc >> 1) << 2) | size
    return _single_register(size, opc, Rn, Rt, imm12 << scale, False, False)


@decodes(*[f"{op}R_{r}_ldst_regoff" for op, r in _SCALAR_NAMES], "STR_BL_ldst_regoff", "LDR_BL_ldst_regoff")
def simd_register_offset(size: int, V: int, opc: int, Rm: int, option: int, S: int, Rn: int, Rt: int) -> Executor:
    """LDR/STR (register, SIMD&FP) (C7.2.178, C7.2.331): ``Rn + ExtendReg(Rm, option, S ? scale : 0)``."""
    if option & 2 == 0:
        raise Undefined("sub-word index register (option<1> == 0)")
    scale = ((opc >> 1) << 2) | size
    shift = scale if S else 0
    extend_type = option  # DecodeRegExtend
    m = Rm

    def offset(s: Machine) -> Value:
        return ExtendReg(s, m, extend_type, shift, 64)

    return _single_register(size, opc, Rn, Rt, offset, False, False)


@decodes("LDR_S_loadlit", "LDR_D_loadlit", "LDR_Q_loadlit")
def simd_literal(opc: int, V: int, imm19: int, Rt: int) -> Executor:
    """LDR (literal, SIMD&FP) (C7.2.177): ``V[t] = ZeroExtend(Mem[PC + imm19 * 4, 4 << opc])``."""
    if opc == 3:
        raise Undefined("LDR (literal, SIMD&FP) with opc == 11")
    t = Rt
    size = 4 << opc
    offset = SInt(imm19, 19) << 2

    def execute(s: Machine) -> None:
        Vwrite(s, t, s.mem_read(s.PC + offset, size, VEC))

    return execute


# ------------------------------------------------------------------------------------------------
# register pairs


def _pair(
    opc: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int, wback: bool, postindex: bool, nontemporal: bool
) -> Executor:
    """Shared decode/execute of LDP/STP/LDNP/STNP (SIMD&FP) (C7.2.190, C7.2.191, C7.2.337, C7.2.338)."""
    n, t, t2 = Rn, Rt, Rt2
    if opc == 3:
        raise Undefined("SIMD&FP register pair with opc == 11")
    load = L == 1
    kind = VECSTREAM if nontemporal else VEC
    scale = 2 + opc
    dbytes = 1 << scale
    datasize = 8 * dbytes
    offset = SInt(imm7, 7) << scale
    if load and t == t2:
        raise Unpredictable("load pair with Rt == Rt2 (LDPOVERLAP)")

    def execute(s: Machine) -> None:
        address = base_register(s, n)
        if not postindex:
            address = address + offset
        if load:
            data1 = s.mem_read(address, dbytes, kind)
            data2 = s.mem_read(address + dbytes, dbytes, kind)
            Vwrite(s, t, data1)
            Vwrite(s, t2, data2)
        else:
            data1 = Vread(s, t, datasize)
            data2 = Vread(s, t2, datasize)
            s.mem_write(address, dbytes, data1, kind)
            s.mem_write(address + dbytes, dbytes, data2, kind)
        if wback:
            if postindex:
                address = address + offset
            write_base_register(s, n, address)

    return execute


_PAIR_NAMES = [(op, r) for r in "SDQ" for op in ("ST", "LD")]


@decodes(*[f"{op}NP_{r}_ldstnapair_offs" for op, r in _PAIR_NAMES])
def simd_pair_nontemporal(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDNP/STNP (SIMD&FP): signed offset, non-temporal hint, no writeback."""
    return _pair(opc, L, imm7, Rt2, Rn, Rt, wback=False, postindex=False, nontemporal=True)


@decodes(*[f"{op}P_{r}_ldstpair_post" for op, r in _PAIR_NAMES])
def simd_pair_post(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDP/STP (SIMD&FP), post-index: access at ``Rn``, then ``Rn += offset``."""
    return _pair(opc, L, imm7, Rt2, Rn, Rt, wback=True, postindex=True, nontemporal=False)


@decodes(*[f"{op}P_{r}_ldstpair_off" for op, r in _PAIR_NAMES])
def simd_pair_offset(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDP/STP (SIMD&FP), signed offset: access at ``Rn + offset``, no writeback."""
    return _pair(opc, L, imm7, Rt2, Rn, Rt, wback=False, postindex=False, nontemporal=False)


@decodes(*[f"{op}P_{r}_ldstpair_pre" for op, r in _PAIR_NAMES])
def simd_pair_pre(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDP/STP (SIMD&FP), pre-index: access at ``Rn + offset``, written back to ``Rn``."""
    return _pair(opc, L, imm7, Rt2, Rn, Rt, wback=True, postindex=False, nontemporal=False)


# ------------------------------------------------------------------------------------------------
# Advanced SIMD structures


def _writeback(s: Machine, n: int, m: int, address: Value, offs: int) -> None:
    """Post-index writeback: ``Rn = address + (m == 31 ? transfer size : X[m])``."""
    step: Value | int = offs if m == 31 else s.X(m, 64)
    write_base_register(s, n, address + step)


# opcode -> (rpt, selem) (shared decode of the multiple-structure class)
_MULTIPLE = {
    0b0000: (1, 4), 0b0010: (4, 1), 0b0100: (1, 3), 0b0110: (3, 1), 0b0111: (1, 1), 0b1000: (1, 2), 0b1010: (2, 1),
}


def _multiple(Q: int, L: int, opcode: int, size: int, Rn: int, Rt: int, Rm: int, wback: bool) -> Executor:
    """LD1-LD4/ST1-ST4 (multiple structures) (C7.2.167 ...): ``rpt`` registers of ``selem``-element structures.

    Structure ``e``'s element ``s`` goes to lane ``e`` of register ``t + s`` (de-interleaving); loads
    write ``V[tt, datasize]``, so 64-bit arrangements zero the upper half of each register.
    """
    if opcode not in _MULTIPLE:
        raise Undefined("reserved multiple-structure opcode")
    rpt, selem = _MULTIPLE[opcode]
    if size == 3 and Q == 0 and selem != 1:
        raise Undefined(".1D arrangement with LD2-LD4/ST2-ST4")
    n, t, m = Rn, Rt, Rm
    load = L == 1
    datasize = 128 if Q else 64
    esize = 8 << size
    ebytes = esize // 8
    elements = datasize // esize
    regs = [(t + i) % 32 for i in range(rpt * selem)]  # the register list, wrapping modulo 32

    def execute(s: Machine) -> None:
        address = base_register(s, n)
        offs = 0
        if load:
            lanes: dict[int, list[Value]] = {tt: [] for tt in regs}
            for r in range(rpt):
                for _e in range(elements):
                    for k in range(selem):
                        tt = (t + r + k) % 32
                        lanes[tt].append(s.mem_read(address + offs, ebytes, VEC))  # lane _e of V[tt]
                        offs += ebytes
            for tt in regs:  # every lane of every listed register is loaded: V[tt, datasize] = rval
                Vwrite(s, tt, FromElems(lanes[tt]))
        else:
            rvals = {tt: Vread(s, tt, datasize) for tt in regs}
            for r in range(rpt):
                for e in range(elements):
                    for k in range(selem):
                        tt = (t + r + k) % 32
                        s.mem_write(address + offs, ebytes, Elem(rvals[tt], e, esize), VEC)
                        offs += ebytes
        if wback:
            _writeback(s, n, m, address, offs)

    return execute


_MULT_FORMS = [  # (structure size, register-count tag, LD1/ST1 register-count suffix)
    ("4", "R4", ""), ("1", "R4", "4"), ("3", "R3", ""), ("1", "R3", "3"),
    ("1", "R1", "1"), ("2", "R2", ""), ("1", "R2", "2"),
]


@decodes(*[f"{op}{k}_asisdlse_{rr}" + (f"_{v}v" if v else "") for op in ("ST", "LD") for k, rr, v in _MULT_FORMS])
def simd_multiple(Q: int, L: int, opcode: int, size: int, Rn: int, Rt: int) -> Executor:
    """LD1-LD4/ST1-ST4 (multiple structures), no offset."""
    return _multiple(Q, L, opcode, size, Rn, Rt, 31, wback=False)


@decodes(
    *[
        f"{op}{k}_asisdlsep_{form}{rr[1]}_{form.lower()}{v}"
        for op in ("ST", "LD")
        for k, rr, v in _MULT_FORMS
        for form in ("I", "R")
    ]
)
def simd_multiple_post(Q: int, L: int, Rm: int, opcode: int, size: int, Rn: int, Rt: int) -> Executor:
    """LD1-LD4/ST1-ST4 (multiple structures), post-index by the transfer size (``Rm == 11111``) or ``X[m]``."""
    return _multiple(Q, L, opcode, size, Rn, Rt, Rm, wback=True)


def _single_structure(
    Q: int, L: int, R: int, opcode: int, S: int, size: int, Rn: int, Rt: int, Rm: int, wback: bool
) -> Executor:
    """LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R (C7.2.168 ...): one lane, or all lanes replicated."""
    n, t0, m = Rn, Rt, Rm
    load = L == 1
    scale = opcode >> 1
    selem = (((opcode & 1) << 1) | R) + 1
    replicate = False
    index = 0
    if scale == 3:  # load and replicate
        if not load or S == 1:
            raise Undefined("LDnR store form or S == 1")
        scale = size
        replicate = True
    elif scale == 0:
        index = (Q << 3) | (S << 2) | size  # B[0-15]
    elif scale == 1:
        if size & 1:
            raise Undefined("16-bit lane with size<0> == 1")
        index = (Q << 2) | (S << 1) | (size >> 1)  # H[0-7]
    else:
        if size & 2:
            raise Undefined("32/64-bit lane with size<1> == 1")
        if size & 1 == 0:
            index = (Q << 1) | S  # S[0-3]
        else:
            if S:
                raise Undefined("64-bit lane with S == 1")
            index = Q  # D[0-1]
            scale = 3
    datasize = 128 if Q else 64
    esize = 8 << scale
    ebytes = esize // 8
    regs = [(t0 + k) % 32 for k in range(selem)]

    def execute(s: Machine) -> None:
        address = base_register(s, n)
        offs = 0
        loaded: list[Value] = []
        for t in regs:
            if load:
                loaded.append(s.mem_read(address + offs, ebytes, VEC))
            else:
                s.mem_write(address + offs, ebytes, Elem(s.V(t), index, esize), VEC)
            offs += ebytes
        # registers are written once every element is read, so a fault leaves them unchanged on both the
        # interpreted and the compiled path (the Arm ARM makes them UNKNOWN after a synchronous abort)
        for t, element in zip(regs, loaded):
            if replicate:
                Vwrite(s, t, Replicate(element, datasize // esize))  # V[t, datasize]
            else:
                s.set_V(t, ElemSet(s.V(t), index, esize, element))  # the other lanes are kept
        if wback:
            _writeback(s, n, m, address, offs)

    return execute


_LANES = [("B", "b"), ("H", "h"), ("S", "s"), ("D", "d")]


@decodes(
    *[f"{op}{k}_asisdlso_{lane}{k}_{k}{lo}" for op in ("ST", "LD") for k in range(1, 5) for lane, lo in _LANES],
    *[f"LD{k}R_asisdlso_R{k}" for k in range(1, 5)],
)
def simd_single(Q: int, L: int, R: int, opcode: int, S: int, size: int, Rn: int, Rt: int) -> Executor:
    """LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R, no offset."""
    return _single_structure(Q, L, R, opcode, S, size, Rn, Rt, 31, wback=False)


@decodes(
    *[f"{op}{k}_asisdlsop_{lane}{k}_i{k}{lo}" for op in ("ST", "LD") for k in range(1, 5) for lane, lo in _LANES],
    *[f"{op}{k}_asisdlsop_{lane}X{k}_r{k}{lo}" for op in ("ST", "LD") for k in range(1, 5) for lane, lo in _LANES],
    *[f"LD{k}R_asisdlsop_R{k}_i" for k in range(1, 5)],
    *[f"LD{k}R_asisdlsop_RX{k}_r" for k in range(1, 5)],
)
def simd_single_post(
    Q: int, L: int, R: int, Rm: int, opcode: int, S: int, size: int, Rn: int, Rt: int
) -> Executor:
    """LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R, post-index by the transfer size or ``X[m]``."""
    return _single_structure(Q, L, R, opcode, S, size, Rn, Rt, Rm, wback=True)

