"""Loads and stores, general registers (Arm ARM C4.1.94; execute sections from C6.2).

Covers load/store exclusive and ordered (LDXR/STXR/LDAXR/STLXR and pairs, LDAR/STLR), literal loads,
register pairs (LDNP/STNP, LDP/STP/LDPSW with post-index, offset and pre-index), and single registers
with unscaled, post-index, pre-index, unprivileged, unsigned-offset and register-offset addressing.

The decode functions mirror the Arm ARM's shared decode: they derive ``memop``, ``regsize``,
``signed``, the offset and the writeback mode, and raise :class:`Unpredictable` for the
CONSTRAINED UNPREDICTABLE register overlaps instead of picking one of the permitted behaviours.
Prefetches (PRFM, PRFUM) are hints: they compute nothing observable and never access memory.
A base register of SP is checked by ``CheckSPAlignment`` (``if n == 31 then CheckSPAlignment()`` in every
execute section that takes a base register; at EL0 under Linux, ``SCTLR_EL1.SA0`` is set, so a misaligned
SP faults).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from bitvec import Value, concat, ite
from bitvec.term import lift
from isa.decoder import Executor, Undefined, Unpredictable, decodes
from isa.machine import AccessKind, Machine
from isa.pseudocode import ExtendReg, SInt

Offset = Callable[[Machine], Value]


class MemOp(Enum):
    """ASL ``MemOp``."""

    LOAD = "load"
    STORE = "store"
    PREFETCH = "prefetch"


def _no_op(s: Machine) -> None:
    """A hint (Prefetch): no architecturally visible effect."""


def base_register(s: Machine, n: int) -> Value:
    """The base address: ``SP[]`` (after ``CheckSPAlignment``) when ``n == 31``, else ``X[n]``."""
    if n == 31:
        s.check_sp_alignment()
        return s.SP(64)
    return s.X(n, 64)


def write_base_register(s: Machine, n: int, address: Value) -> None:
    """Writeback of the base register (``SP[]`` when ``n == 31``)."""
    if n == 31:
        s.set_SP(address)
    else:
        s.set_X(n, address)


def _decided(bit: Value) -> bool | None:
    """A 1-bit answer about machine state (the exclusive monitor) when it is a constant, else ``None``."""
    if bit.is_const:
        return bool(bit.as_int())
    t = lift(bit, 1)
    return bool(t.params[0]) if t.op == "const" else None


# ------------------------------------------------------------------------------------------------
# exclusive and ordered


@decodes(
    "STXRB_SR32_ldstexcl", "STLXRB_SR32_ldstexcl", "LDXRB_LR32_ldstexcl", "LDAXRB_LR32_ldstexcl",
    "STXRH_SR32_ldstexcl", "STLXRH_SR32_ldstexcl", "LDXRH_LR32_ldstexcl", "LDAXRH_LR32_ldstexcl",
    "STXR_SR32_ldstexcl", "STLXR_SR32_ldstexcl", "LDXR_LR32_ldstexcl", "LDAXR_LR32_ldstexcl",
    "STXR_SR64_ldstexcl", "STLXR_SR64_ldstexcl", "LDXR_LR64_ldstexcl", "LDAXR_LR64_ldstexcl",
    "STXP_SP32_ldstexcl", "STLXP_SP32_ldstexcl", "LDXP_LP32_ldstexcl", "LDAXP_LP32_ldstexcl",
    "STXP_SP64_ldstexcl", "STLXP_SP64_ldstexcl", "LDXP_LP64_ldstexcl", "LDAXP_LP64_ldstexcl",
)
def load_store_exclusive(
    size: int, o2: int, L: int, o1: int, o0: int, Rn: int, Rt: int, Rs: int = 31, Rt2: int = 31
) -> Executor:
    """LDXR/LDAXR/STXR/STLXR (byte, half, word, doubleword) and LDXP/LDAXP/STXP/STLXP (C6.2.159 ...).

    The access must be aligned to its whole size (both registers for a pair); a store writes only
    if ``AArch64.ExclusiveMonitorsPass`` and sets ``W[s]`` to 0 on success, 1 on failure.  One semantics for
    every machine: a constant answer stores or not; an undecided one (a symbolic state's, with a possible
    spurious failure) stores ``ite(passed, data, old)`` and sets ``W[s] = NOT passed``.
    """
    n, t, t2, rs = Rn, Rt, Rt2, Rs
    kind = AccessKind.ORDERED_EXCLUSIVE if o0 else AccessKind.EXCLUSIVE
    pair = o1 == 1
    memop = MemOp.LOAD if L else MemOp.STORE
    elsize = 8 << size
    datasize = 2 * elsize if pair else elsize
    dbytes = datasize // 8

    if memop is MemOp.LOAD and pair and t == t2:
        raise Unpredictable("load exclusive pair with Rt == Rt2 (LDPOVERLAP)")
    if memop is MemOp.STORE:
        if rs == t or (pair and rs == t2):
            raise Unpredictable("store exclusive status register Rs overlaps a data register (DATAOVERLAP)")
        if rs == n and n != 31:
            raise Unpredictable("store exclusive status register Rs == Rn (BASEOVERLAP)")

    if memop is MemOp.STORE:

        def execute_store(s: Machine) -> None:
            address = base_register(s, n)
            data = concat(s.X(t2, elsize), s.X(t, elsize)) if pair else s.X(t, elsize)
            s.check_alignment(address, dbytes, kind)  # inside AArch64.ExclusiveMonitorsPass
            passed = s.exclusive_monitor_pass(address, dbytes)
            decided = _decided(passed)
            if decided is not None:  # a concrete machine (or a symbolic one that can decide it): store or not
                if decided:
                    s.mem_write(address, dbytes, data, kind)
            else:  # undecided (a possible spurious failure): the location keeps its contents when it fails
                old = s.mem_read(address, dbytes, kind)
                s.mem_write(address, dbytes, ite(passed, data, old), kind)
            status = ~passed  # 0 on success, 1 on failure
            s.set_X(rs, status.zext(32))

        return execute_store

    def execute_load(s: Machine) -> None:
        address = base_register(s, n)
        s.check_alignment(address, dbytes, kind)  # inside AArch64.SetExclusiveMonitors
        s.set_exclusive_monitor(address, dbytes)
        if not pair:
            s.set_X(t, s.mem_read(address, dbytes, kind))
        elif elsize == 32:
            data = s.mem_read(address, dbytes, kind)  # single-copy atomic 64-bit access
            s.set_X(t, data.extract(elsize - 1, 0))
            s.set_X(t2, data.extract(datasize - 1, elsize))
        else:
            data1 = s.mem_read(address, 8, kind)  # two doublewords, the pair 16-byte aligned
            data2 = s.mem_read(address + 8, 8, kind)
            s.set_X(t, data1)
            s.set_X(t2, data2)

    return execute_load


@decodes(
    "STLRB_SL32_ldstexcl", "LDARB_LR32_ldstexcl", "STLRH_SL32_ldstexcl", "LDARH_LR32_ldstexcl",
    "STLR_SL32_ldstexcl", "LDAR_LR32_ldstexcl", "STLR_SL64_ldstexcl", "LDAR_LR64_ldstexcl",
)
def load_acquire_store_release(size: int, o2: int, L: int, o1: int, o0: int, Rn: int, Rt: int) -> Executor:
    """LDAR/LDARB/LDARH and STLR/STLRB/STLRH (C6.2.140 ...): ordered accesses, which must be aligned."""
    n, t = Rn, Rt
    kind = AccessKind.ORDERED
    memop = MemOp.LOAD if L else MemOp.STORE
    dbytes = 1 << size
    elsize = 8 * dbytes

    def execute(s: Machine) -> None:
        address = base_register(s, n)
        s.check_alignment(address, dbytes, kind)
        if memop is MemOp.STORE:
            s.mem_write(address, dbytes, s.X(t, elsize), kind)
        else:
            s.set_X(t, s.mem_read(address, dbytes, kind))  # ZeroExtend(data, regsize)

    return execute


# ------------------------------------------------------------------------------------------------
# literal


@decodes("LDR_32_loadlit", "LDR_64_loadlit", "LDRSW_64_loadlit", "PRFM_P_loadlit")
def load_literal(opc: int, V: int, imm19: int, Rt: int) -> Executor:
    """LDR (literal) 32/64, LDRSW (literal), PRFM (literal) (C6.2.167, C6.2.182, C6.2.248)."""
    t = Rt
    if opc == 3:
        return _no_op  # PRFM: Prefetch(address, t<4:0>) is a hint
    size = 8 if opc == 1 else 4
    signed = opc == 2
    offset = SInt(imm19, 19) << 2
    kind = AccessKind.NORMAL

    def execute(s: Machine) -> None:
        data = s.mem_read(s.PC + offset, size, kind)
        s.set_X(t, data.sext(64) if signed else data)

    return execute


# ------------------------------------------------------------------------------------------------
# register pairs


def _load_store_pair(
    opc: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int, wback: bool, postindex: bool, nontemporal: bool
) -> Executor:
    """The shared decode and execute of LDP/STP/LDPSW (C6.2.164, C6.2.321, C6.2.165) and LDNP/STNP."""
    n, t, t2 = Rn, Rt, Rt2
    memop = MemOp.LOAD if L else MemOp.STORE
    kind = AccessKind.STREAM if nontemporal else AccessKind.NORMAL
    if nontemporal:
        if opc & 1:
            raise Undefined("LDNP/STNP with opc<0> == 1")
        signed = False
    else:
        if (L == 0 and opc & 1) or opc == 3:
            raise Undefined("reserved LDP/STP opc")
        signed = opc & 1 == 1
    scale = 2 + (opc >> 1)
    datasize = 8 << scale
    dbytes = datasize // 8
    offset = SInt(imm7, 7) << scale

    if wback and (t == n or t2 == n) and n != 31:
        which = "WBOVERLAPLD" if memop is MemOp.LOAD else "WBOVERLAPST"
        raise Unpredictable(f"writeback base Rn overlaps Rt or Rt2 ({which})")
    if memop is MemOp.LOAD and t == t2:
        raise Unpredictable("load pair with Rt == Rt2 (LDPOVERLAP)")

    def execute(s: Machine) -> None:
        address = base_register(s, n)
        if not postindex:
            address = address + offset
        if memop is MemOp.STORE:
            data1 = s.X(t, datasize)
            data2 = s.X(t2, datasize)
            s.mem_write(address, dbytes, data1, kind)
            s.mem_write(address + dbytes, dbytes, data2, kind)
        else:
            data1 = s.mem_read(address, dbytes, kind)
            data2 = s.mem_read(address + dbytes, dbytes, kind)
            if signed:
                data1, data2 = data1.sext(64), data2.sext(64)
            s.set_X(t, data1)
            s.set_X(t2, data2)
        if wback:
            if postindex:
                address = address + offset
            write_base_register(s, n, address)

    return execute


@decodes("STNP_32_ldstnapair_offs", "LDNP_32_ldstnapair_offs", "STNP_64_ldstnapair_offs", "LDNP_64_ldstnapair_offs")
def load_store_pair_nontemporal(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDNP / STNP (C6.2.163, C6.2.320): signed offset, non-temporal hint, no writeback."""
    return _load_store_pair(opc, L, imm7, Rt2, Rn, Rt, wback=False, postindex=False, nontemporal=True)


@decodes(
    "STP_32_ldstpair_post", "LDP_32_ldstpair_post", "LDPSW_64_ldstpair_post",
    "STP_64_ldstpair_post", "LDP_64_ldstpair_post",
)
def load_store_pair_post(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDP/STP/LDPSW (post-index): access at ``Rn``, then ``Rn += offset``."""
    return _load_store_pair(opc, L, imm7, Rt2, Rn, Rt, wback=True, postindex=True, nontemporal=False)


@decodes(
    "STP_32_ldstpair_off", "LDP_32_ldstpair_off", "LDPSW_64_ldstpair_off",
    "STP_64_ldstpair_off", "LDP_64_ldstpair_off",
)
def load_store_pair_offset(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDP/STP/LDPSW (signed offset): access at ``Rn + offset``, no writeback."""
    return _load_store_pair(opc, L, imm7, Rt2, Rn, Rt, wback=False, postindex=False, nontemporal=False)


@decodes(
    "STP_32_ldstpair_pre", "LDP_32_ldstpair_pre", "LDPSW_64_ldstpair_pre",
    "STP_64_ldstpair_pre", "LDP_64_ldstpair_pre",
)
def load_store_pair_pre(opc: int, V: int, L: int, imm7: int, Rt2: int, Rn: int, Rt: int) -> Executor:
    """LDP/STP/LDPSW (pre-index): access at ``Rn + offset``, which is written back to ``Rn``."""
    return _load_store_pair(opc, L, imm7, Rt2, Rn, Rt, wback=True, postindex=False, nontemporal=False)


# ------------------------------------------------------------------------------------------------
# single register


def _decode_single(size: int, opc: int) -> tuple[MemOp, int, bool]:
    """The shared decode of single-register loads and stores: ``(memop, regsize, signed)``."""
    if opc & 2 == 0:  # store or zero-extending load
        memop = MemOp.LOAD if opc & 1 else MemOp.STORE
        return memop, 64 if size == 3 else 32, False
    if size == 3:
        if opc & 1:
            raise Undefined("size == 11, opc == 11")
        return MemOp.PREFETCH, 64, False
    if size == 2 and opc & 1:
        raise Undefined("LDRSW to a 32-bit register")
    return MemOp.LOAD, 32 if opc & 1 else 64, True  # sign-extending load


def _load_store_single(
    size: int, opc: int, Rn: int, Rt: int, offset: int | Offset, wback: bool, postindex: bool, kind: AccessKind
) -> Executor:
    """The shared execute of LDR/STR and friends (C6.2.166 ...); ``offset`` a constant or a function of the state."""
    n, t = Rn, Rt
    memop, regsize, signed = _decode_single(size, opc)
    if memop is MemOp.PREFETCH:
        return _no_op  # Prefetch(address, t<4:0>) is a hint
    dbytes = 1 << size
    datasize = 8 * dbytes
    if wback and n == t and n != 31:
        which = "WBOVERLAPLD" if memop is MemOp.LOAD else "WBOVERLAPST"
        raise Unpredictable(f"writeback base Rn == Rt ({which})")

    def execute(s: Machine) -> None:
        off = offset if isinstance(offset, int) else offset(s)
        address = base_register(s, n)
        if not postindex:
            address = address + off
        if memop is MemOp.STORE:
            s.mem_write(address, dbytes, s.X(t, datasize), kind)
        else:
            data = s.mem_read(address, dbytes, kind)
            s.set_X(t, data.sext(regsize) if signed else data)  # set_X zero-extends to 64
        if wback:
            if postindex:
                address = address + off
            write_base_register(s, n, address)

    return execute


@decodes(
    "STURB_32_ldst_unscaled", "LDURB_32_ldst_unscaled", "LDURSB_64_ldst_unscaled", "LDURSB_32_ldst_unscaled",
    "STURH_32_ldst_unscaled", "LDURH_32_ldst_unscaled", "LDURSH_64_ldst_unscaled", "LDURSH_32_ldst_unscaled",
    "STUR_32_ldst_unscaled", "LDUR_32_ldst_unscaled", "LDURSW_64_ldst_unscaled",
    "STUR_64_ldst_unscaled", "LDUR_64_ldst_unscaled", "PRFUM_P_ldst_unscaled",
)
def load_store_unscaled(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDUR*/STUR*/PRFUM (C6.2.200 ...): ``Rn + SignExtend(imm9)``, no writeback."""
    return _load_store_single(size, opc, Rn, Rt, SInt(imm9, 9), False, False, AccessKind.NORMAL)


@decodes(
    "STRB_32_ldst_immpost", "LDRB_32_ldst_immpost", "LDRSB_64_ldst_immpost", "LDRSB_32_ldst_immpost",
    "STRH_32_ldst_immpost", "LDRH_32_ldst_immpost", "LDRSH_64_ldst_immpost", "LDRSH_32_ldst_immpost",
    "STR_32_ldst_immpost", "LDR_32_ldst_immpost", "LDRSW_64_ldst_immpost",
    "STR_64_ldst_immpost", "LDR_64_ldst_immpost",
)
def load_store_post(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDR*/STR* (immediate, post-index): access at ``Rn``, then ``Rn += SignExtend(imm9)``."""
    return _load_store_single(size, opc, Rn, Rt, SInt(imm9, 9), True, True, AccessKind.NORMAL)


@decodes(
    "STRB_32_ldst_immpre", "LDRB_32_ldst_immpre", "LDRSB_64_ldst_immpre", "LDRSB_32_ldst_immpre",
    "STRH_32_ldst_immpre", "LDRH_32_ldst_immpre", "LDRSH_64_ldst_immpre", "LDRSH_32_ldst_immpre",
    "STR_32_ldst_immpre", "LDR_32_ldst_immpre", "LDRSW_64_ldst_immpre",
    "STR_64_ldst_immpre", "LDR_64_ldst_immpre",
)
def load_store_pre(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDR*/STR* (immediate, pre-index): access at ``Rn + SignExtend(imm9)``, written back to ``Rn``."""
    return _load_store_single(size, opc, Rn, Rt, SInt(imm9, 9), True, False, AccessKind.NORMAL)


@decodes(
    "STTRB_32_ldst_unpriv", "LDTRB_32_ldst_unpriv", "LDTRSB_64_ldst_unpriv", "LDTRSB_32_ldst_unpriv",
    "STTRH_32_ldst_unpriv", "LDTRH_32_ldst_unpriv", "LDTRSH_64_ldst_unpriv", "LDTRSH_32_ldst_unpriv",
    "STTR_32_ldst_unpriv", "LDTR_32_ldst_unpriv", "LDTRSW_64_ldst_unpriv",
    "STTR_64_ldst_unpriv", "LDTR_64_ldst_unpriv",
)
def load_store_unpriv(size: int, V: int, opc: int, imm9: int, Rn: int, Rt: int) -> Executor:
    """LDTR*/STTR* (C6.2.187 ...): unprivileged access at ``Rn + SignExtend(imm9)`` (normal at EL0)."""
    return _load_store_single(size, opc, Rn, Rt, SInt(imm9, 9), False, False, AccessKind.UNPRIV)


@decodes(
    "STRB_32_ldst_pos", "LDRB_32_ldst_pos", "LDRSB_64_ldst_pos", "LDRSB_32_ldst_pos",
    "STRH_32_ldst_pos", "LDRH_32_ldst_pos", "LDRSH_64_ldst_pos", "LDRSH_32_ldst_pos",
    "STR_32_ldst_pos", "LDR_32_ldst_pos", "LDRSW_64_ldst_pos",
    "STR_64_ldst_pos", "LDR_64_ldst_pos", "PRFM_P_ldst_pos",
)
def load_store_unsigned_offset(size: int, V: int, opc: int, imm12: int, Rn: int, Rt: int) -> Executor:
    """LDR*/STR*/PRFM (immediate, unsigned offset): ``Rn + LSL(ZeroExtend(imm12), size)``."""
    return _load_store_single(size, opc, Rn, Rt, imm12 << size, False, False, AccessKind.NORMAL)


@decodes(
    "STRB_32B_ldst_regoff", "STRB_32BL_ldst_regoff", "LDRB_32B_ldst_regoff", "LDRB_32BL_ldst_regoff",
    "LDRSB_64B_ldst_regoff", "LDRSB_64BL_ldst_regoff", "LDRSB_32B_ldst_regoff", "LDRSB_32BL_ldst_regoff",
    "STRH_32_ldst_regoff", "LDRH_32_ldst_regoff", "LDRSH_64_ldst_regoff", "LDRSH_32_ldst_regoff",
    "STR_32_ldst_regoff", "LDR_32_ldst_regoff", "LDRSW_64_ldst_regoff",
    "STR_64_ldst_regoff", "LDR_64_ldst_regoff", "PRFM_P_ldst_regoff",
)
def load_store_register_offset(
    size: int, V: int, opc: int, Rm: int, option: int, S: int, Rn: int, Rt: int
) -> Executor:
    """LDR*/STR*/PRFM (register): ``Rn + ExtendReg(Rm, DecodeRegExtend(option), S ? size : 0)``.

    For the byte forms ``size == 0``, so the shift is 0 whichever ``S`` is (``LSL #0`` when option is LSL).
    """
    if option & 2 == 0:
        raise Undefined("sub-word index register (option<1> == 0)")
    extend_type = option  # DecodeRegExtend
    shift = size if S else 0
    m = Rm

    def offset(s: Machine) -> Value:
        return ExtendReg(s, m, extend_type, shift, 64)

    return _load_store_single(size, opc, Rn, Rt, offset, False, False, AccessKind.NORMAL)
