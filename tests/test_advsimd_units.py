"""Targeted tests of the Advanced SIMD integer semantics (isa/advsimd*.py) against independent Python models.

Words were assembled with ``aarch64-linux-gnu-as -march=armv8.2-a+fp16``; the disassembly is given next to each.
Reserved encodings the assembler refuses were built by hand from the encoding table.  Every concrete test runs
both the interpreted executors and the compiled fast path; the last test runs a sample of instructions on the
symbolic machine and evaluates the resulting terms at the concrete inputs.
"""

from __future__ import annotations

import random
import struct

import pytest

import isa
from bitvec import BV, Value
from bitvec.term import evaluate
from isa.decoder import DecodeError
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.stepper import Stepper
from lnsym.symbolic.machine import SymbolicMachine

CODE = 0x1_0000
MASK64 = (1 << 64) - 1
ONES128 = (1 << 128) - 1
QC = 1 << 27

both_paths = pytest.mark.parametrize("compiled", [False, True], ids=["interpreted", "compiled"])


def _exec(word: int, compiled: bool, v: dict[int, int] | None = None, x: dict[int, int] | None = None,
          fpsr: int = 0) -> ConcreteMachine:
    """Run one instruction on a fresh concrete machine with the given registers."""
    m = ConcreteMachine()
    m.memory.map(CODE, 0x1000, "rx", "code", word.to_bytes(4, "little"))
    m.pc = CODE
    for n, value in (v or {}).items():
        m.v[n] = value
    for n, value in (x or {}).items():
        m.x[n] = value
    m.sysregs["FPSR"] = fpsr
    Stepper(m, compiled=compiled).step()
    return m


def _elems(value: int, esize: int, count: int) -> list[int]:
    return [(value >> (esize * e)) & ((1 << esize) - 1) for e in range(count)]


def _pack(elements: list[int], esize: int) -> int:
    return sum((e & ((1 << esize) - 1)) << (esize * i) for i, e in enumerate(elements))


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def _random128(rng: random.Random) -> int:
    return rng.getrandbits(128)


# ------------------------------------------------------------------------------------------------
# table lookup


@both_paths
def test_tbl_out_of_range_indices_give_zero(compiled: bool) -> None:
    table = bytes(range(0xA0, 0xB0))
    indices = bytes([0, 15, 16, 255, 3, 0x80, 7, 17, 1, 2, 14, 64, 5, 6, 9, 10])
    m = _exec(0x4E020020, compiled, v={0: ONES128, 1: int.from_bytes(table, "little"),  # tbl v0.16b, {v1.16b}, v2.16b
                                       2: int.from_bytes(indices, "little")})
    expected = bytes(table[i] if i < 16 else 0 for i in indices)
    assert m.v[0] == int.from_bytes(expected, "little")


@both_paths
def test_tbl_two_registers_wrap_from_v31_to_v0_and_zero_upper_half(compiled: bool) -> None:
    t31, t0 = bytes(range(0x10, 0x20)), bytes(range(0x60, 0x70))
    indices = bytes([31, 0, 16, 32, 15, 200, 17, 1]) + bytes(8)  # upper half of the index register ignored
    m = _exec(0x0E0223E0, compiled, v={31: int.from_bytes(t31, "little"), 0: int.from_bytes(t0, "little"),
                                       2: int.from_bytes(indices, "little")})  # tbl v0.8b, {v31.16b, v0.16b}, v2.8b
    table = t31 + t0
    expected = bytes(table[i] if i < 32 else 0 for i in indices[:8])
    assert m.v[0] == int.from_bytes(expected, "little")


@both_paths
def test_tbx_keeps_destination_bytes_for_out_of_range_indices(compiled: bool) -> None:
    rng = random.Random(5)
    tables = [rng.randbytes(16) for _ in range(3)]
    indices = bytes(rng.choice([rng.randrange(48), rng.randrange(48, 256)]) for _ in range(16))
    dest = rng.randbytes(16)
    v = {1 + i: int.from_bytes(t, "little") for i, t in enumerate(tables)}
    v |= {0: int.from_bytes(dest, "little"), 4: int.from_bytes(indices, "little")}
    m = _exec(0x4E045020, compiled, v=v)  # tbx v0.16b, {v1.16b-v3.16b}, v4.16b
    table = b"".join(tables)
    expected = bytes(table[i] if i < 48 else dest[k] for k, i in enumerate(indices))
    assert m.v[0] == int.from_bytes(expected, "little")


@both_paths
def test_tbl_four_registers(compiled: bool) -> None:
    rng = random.Random(6)
    tables = [rng.randbytes(16) for _ in range(4)]
    indices = bytes(rng.randrange(80) for _ in range(16))
    v = {1 + i: int.from_bytes(t, "little") for i, t in enumerate(tables)} | {5: int.from_bytes(indices, "little")}
    m = _exec(0x4E056020, compiled, v=v)  # tbl v0.16b, {v1.16b-v4.16b}, v5.16b
    table = b"".join(tables)
    assert m.v[0] == int.from_bytes(bytes(table[i] if i < 64 else 0 for i in indices), "little")


# ------------------------------------------------------------------------------------------------
# three different


@both_paths
def test_umull2_and_umull_match_python_products(compiled: bool) -> None:
    rng = random.Random(7)
    a, b = _random128(rng), _random128(rng)
    m = _exec(0x6E62C020, compiled, v={1: a, 2: b})  # umull2 v0.4s, v1.8h, v2.8h
    products = [p * q for p, q in zip(_elems(a, 16, 8)[4:], _elems(b, 16, 8)[4:])]
    assert m.v[0] == _pack(products, 32)
    m = _exec(0x2EA2C020, compiled, v={1: a, 2: b})  # umull v0.2d, v1.2s, v2.2s
    products = [p * q for p, q in zip(_elems(a, 32, 2), _elems(b, 32, 2))]
    assert m.v[0] == _pack(products, 64)


@both_paths
def test_smull2_and_umlal2(compiled: bool) -> None:
    a = _pack([5, 7, -3, 0x7FFF_FFFF], 32)
    b = _pack([9, 9, 0x8000_0000, -2], 32)
    m = _exec(0x4EA2C020, compiled, v={1: a, 2: b})  # smull2 v0.2d, v1.4s, v2.4s
    assert m.v[0] == _pack([-3 * -(1 << 31), 0x7FFF_FFFF * -2], 64)
    acc = _pack([MASK64, 10], 64)
    m = _exec(0x6EA28020, compiled, v={0: acc, 1: a, 2: b})  # umlal2 v0.2d, v1.4s, v2.4s
    ua, ub = _elems(a, 32, 4), _elems(b, 32, 4)
    assert m.v[0] == _pack([MASK64 + ua[2] * ub[2], 10 + ua[3] * ub[3]], 64)


# ------------------------------------------------------------------------------------------------
# saturation and FPSR.QC


@both_paths
def test_sqadd_saturates_and_sets_qc(compiled: bool) -> None:
    a = _pack([0x7FFF, -0x8000, 100, -5, 0x4000, 0, 1, -1], 16)
    b = _pack([1, -1, 200, -7, 0x4000, 0, -1, 1], 16)
    m = _exec(0x4E620C20, compiled, v={1: a, 2: b}, fpsr=0x10)  # sqadd v0.8h, v1.8h, v2.8h
    assert m.v[0] == _pack([0x7FFF, -0x8000, 300, -12, 0x7FFF, 0, 0, 0], 16)
    assert m.sysregs["FPSR"] == 0x10 | QC


@both_paths
def test_saturating_ops_without_saturation_keep_qc(compiled: bool) -> None:
    a, b = _pack([1, 2, 3, 4, 5, 6, 7, 8], 16), _pack([1] * 8, 16)
    m = _exec(0x4E620C20, compiled, v={1: a, 2: b})  # sqadd v0.8h, v1.8h, v2.8h
    assert m.v[0] == _pack([2, 3, 4, 5, 6, 7, 8, 9], 16) and m.sysregs["FPSR"] == 0
    m = _exec(0x4E620C20, compiled, v={1: a, 2: b}, fpsr=QC)  # QC is cumulative: never cleared
    assert m.sysregs["FPSR"] == QC


@both_paths
def test_uqsub_clamps_at_zero_and_sqsub_scalar(compiled: bool) -> None:
    rng = random.Random(9)
    a, b = _random128(rng), _random128(rng)
    m = _exec(0x6E222C20, compiled, v={1: a, 2: b})  # uqsub v0.16b, v1.16b, v2.16b
    diffs = [p - q for p, q in zip(_elems(a, 8, 16), _elems(b, 8, 16))]
    assert m.v[0] == _pack([max(d, 0) for d in diffs], 8)
    assert m.sysregs["FPSR"] == (QC if min(diffs) < 0 else 0)
    m = _exec(0x5EE22C20, compiled, v={1: 1 << 127 | (1 << 63), 2: 1})  # sqsub d0, d1, d2
    assert m.v[0] == 1 << 63 and m.sysregs["FPSR"] == QC  # INT64_MIN - 1 saturates; upper half zeroed


# ------------------------------------------------------------------------------------------------
# modified immediate: every cmode, from the Arm ARM's table of immediate forms


def _expected_modimm(op: int, cmode: int, imm8: int) -> tuple[str, int]:
    """(operation, 64-bit immediate) written from the Arm ARM table, as little-endian byte patterns."""
    i = imm8
    layouts = {  # element bytes, least significant first
        0b000: [i, 0, 0, 0], 0b001: [0, i, 0, 0], 0b010: [0, 0, i, 0], 0b011: [0, 0, 0, i],
        0b100: [i, 0], 0b101: [0, i],
    }
    if cmode >> 1 in layouts:
        element = bytes(layouts[cmode >> 1])
        imm = int.from_bytes(element * (8 // len(element)), "little")
        operation = ("ORR", "BIC")[op] if cmode & 1 else ("MOVI", "MVNI")[op]
        return operation, imm
    if cmode >> 1 == 0b110:  # MSL: ones shifted in
        element = bytes([0xFF, i, 0, 0]) if cmode == 0b1100 else bytes([0xFF, 0xFF, i, 0])
        return ("MOVI", "MVNI")[op], int.from_bytes(element * 2, "little")
    if cmode == 0b1110 and op == 0:
        return "MOVI", int.from_bytes(bytes([i]) * 8, "little")
    if cmode == 0b1110:
        return "MOVI", int.from_bytes(bytes(0xFF if i >> k & 1 else 0 for k in range(8)), "little")
    # FMOV: value = (-1)^a * (16 + efgh)/16 * 2^(UInt(NOT(b):c:d) - 3)
    value = (-1) ** (i >> 7) * (16 + (i & 0xF)) / 16 * 2.0 ** (((i >> 4) & 7 ^ 4) - 3)
    if op == 0:
        return "MOVI", int.from_bytes(struct.pack("<f", value) * 2, "little")
    return "MOVI", int.from_bytes(struct.pack("<d", value), "little")


@both_paths
@pytest.mark.parametrize("op", [0, 1])
@pytest.mark.parametrize("cmode", range(16))
def test_modified_immediate_every_cmode(compiled: bool, op: int, cmode: int) -> None:
    rng = random.Random(cmode * 2 + op)
    for q in (0, 1):
        for imm8 in (0x00, 0xFF, 0x81, rng.getrandbits(8)):
            word = 0x0F000400 | q << 30 | op << 29 | (imm8 >> 5) << 16 | cmode << 12 | (imm8 & 0x1F) << 5 | 3
            if cmode == 0b1111 and op == 1 and q == 0:
                with pytest.raises(DecodeError, match="UNDEFINED"):
                    isa.decoder().decode(word)
                continue
            old = _random128(rng)
            m = _exec(word, compiled, v={3: old})
            operation, imm64 = _expected_modimm(op, cmode, imm8)
            imm = imm64 | imm64 << 64 if q else imm64
            mask = ONES128 if q else MASK64
            expected = {"MOVI": imm, "MVNI": ~imm, "ORR": old | imm, "BIC": old & ~imm}[operation] & mask
            assert m.v[3] == expected, f"{word:#010x}"


@both_paths
def test_fmov_vector_immediate_half_single_double(compiled: bool) -> None:
    assert _exec(0x4F07F680, compiled).v[0] == int.from_bytes(struct.pack("<f", -1.25) * 4, "little")
    assert _exec(0x6F03F400, compiled).v[0] == int.from_bytes(struct.pack("<d", 0.5) * 2, "little")
    assert _exec(0x4F00FC00, compiled).v[0] == int.from_bytes(struct.pack("<e", 2.0) * 8, "little")
    assert _exec(0x6F05E4C0, compiled).v[0] == 0xFF00FF0000FFFF00 * (1 + (1 << 64))  # movi v0.2d, #0xff00ff...


# ------------------------------------------------------------------------------------------------
# shifts


@both_paths
def test_long_and_narrow_shifts(compiled: bool) -> None:
    rng = random.Random(11)
    a, d = _random128(rng), _random128(rng)
    m = _exec(0x0F10A420, compiled, v={1: a})  # sxtl v0.4s, v1.4h
    assert m.v[0] == _pack([_signed(e, 16) for e in _elems(a, 16, 4)], 32)
    m = _exec(0x6F27A420, compiled, v={1: a})  # ushll2 v0.2d, v1.4s, #7
    assert m.v[0] == _pack([e << 7 for e in _elems(a, 32, 4)[2:]], 64)
    m = _exec(0x4F0D8420, compiled, v={0: d, 1: a})  # shrn2 v0.16b, v1.8h, #3
    assert m.v[0] == (d & MASK64) | _pack([e >> 3 for e in _elems(a, 16, 8)], 8) << 64
    m = _exec(0x0F108C20, compiled, v={0: d, 1: a})  # rshrn v0.4h, v1.4s, #16
    assert m.v[0] == _pack([(e + (1 << 15)) >> 16 for e in _elems(a, 32, 4)], 16)


@both_paths
def test_shift_right_rounding_accumulate_and_insert(compiled: bool) -> None:
    rng = random.Random(12)
    a, d = _random128(rng), _random128(rng)
    m = _exec(0x4F3B2420, compiled, v={1: a})  # srshr v0.4s, v1.4s, #5
    assert m.v[0] == _pack([(_signed(e, 32) + 16) >> 5 for e in _elems(a, 32, 4)], 32)
    m = _exec(0x6F401420, compiled, v={0: d, 1: a})  # usra v0.2d, v1.2d, #64 (shifted value is 0)
    assert m.v[0] == d
    m = _exec(0x6F104420, compiled, v={0: d, 1: a})  # sri v0.8h, v1.8h, #16 (mask is empty)
    assert m.v[0] == d
    m = _exec(0x7F7F5420, compiled, v={0: d, 1: a})  # sli d0, d1, #63
    assert m.v[0] == (d & ((1 << 63) - 1)) | (a & 1) << 63


# ------------------------------------------------------------------------------------------------
# copy, permute, extract, reductions


@both_paths
def test_copy_instructions(compiled: bool) -> None:
    rng = random.Random(13)
    a, d = _random128(rng), _random128(rng)
    x1 = rng.getrandbits(64)
    assert _exec(0x0E1B3C20, compiled, v={1: a}).x[0] == _elems(a, 8, 16)[13]  # umov w0, v1.b[13]
    h5 = _elems(a, 16, 8)[5]
    assert _exec(0x4E162C20, compiled, v={1: a}).x[0] == _signed(h5, 16) & MASK64  # smov x0, v1.h[5]
    m = _exec(0x4E141C20, compiled, v={0: d}, x={1: x1})  # mov v0.s[2], w1
    assert m.v[0] == (d & ~(0xFFFFFFFF << 64)) | (x1 & 0xFFFFFFFF) << 64
    m = _exec(0x6E1E0420, compiled, v={0: d, 1: a})  # mov v0.h[7], v1.h[0]
    assert m.v[0] == (d & ((1 << 112) - 1)) | (a & 0xFFFF) << 112
    assert _exec(0x4E1A0420, compiled, v={1: a}).v[0] == _pack([_elems(a, 16, 8)[6]] * 8, 16)  # dup v0.8h, v1.h[6]
    assert _exec(0x4E080C20, compiled, x={1: x1}).v[0] == x1 | x1 << 64  # dup v0.2d, x1
    assert _exec(0x5E130420, compiled, v={0: d, 1: a}).v[0] == _elems(a, 8, 16)[9]  # mov b0, v1.b[9]
    m = _exec(0x9EAF0020, compiled, v={0: d}, x={1: x1})  # fmov v0.d[1], x1
    assert m.v[0] == (d & MASK64) | x1 << 64
    assert _exec(0x9EAE0020, compiled, v={1: a}).x[0] == a >> 64  # fmov x0, v1.d[1]


@both_paths
def test_permutes_and_ext(compiled: bool) -> None:
    rng = random.Random(14)
    a, b = _random128(rng), _random128(rng)
    ea, eb = _elems(a, 16, 8), _elems(b, 16, 8)
    zipped = [v for pair in zip(ea[:4], eb[:4]) for v in pair]
    assert _exec(0x4E423820, compiled, v={1: a, 2: b}).v[0] == _pack(zipped, 16)  # zip1 v0.8h, v1.8h, v2.8h
    sa, sb = _elems(a, 32, 4), _elems(b, 32, 4)
    assert _exec(0x4E825820, compiled, v={1: a, 2: b}).v[0] == _pack((sa + sb)[1::2], 32)  # uzp2 v0.4s
    ba, bb = _elems(a, 8, 8), _elems(b, 8, 8)
    trn = [v for k in range(0, 8, 2) for v in (ba[k], bb[k])]
    assert _exec(0x0E022820, compiled, v={1: a, 2: b}).v[0] == _pack(trn, 8)  # trn1 v0.8b, v1.8b, v2.8b
    both = a.to_bytes(16, "little") + b.to_bytes(16, "little")
    m = _exec(0x6E021820, compiled, v={1: a, 2: b})  # ext v0.16b, v1.16b, v2.16b, #3
    assert m.v[0] == int.from_bytes(both[3:19], "little")


@both_paths
def test_reductions_and_pairwise(compiled: bool) -> None:
    rng = random.Random(15)
    a, b = _random128(rng), _random128(rng)
    assert _exec(0x4E71B820, compiled, v={1: a}).v[0] == sum(_elems(a, 16, 8)) & 0xFFFF  # addv h0, v1.8h
    assert _exec(0x6E30A820, compiled, v={1: a}).v[0] == max(_elems(a, 8, 16))  # umaxv b0, v1.16b
    smallest = min(_signed(e, 32) for e in _elems(a, 32, 4))
    assert _exec(0x4EB1A820, compiled, v={1: a}).v[0] == smallest & 0xFFFFFFFF  # sminv s0, v1.4s
    assert _exec(0x5EF1B820, compiled, v={1: a}).v[0] == (a + (a >> 64)) & MASK64  # addp d0, v1.2d
    both = _elems(a, 32, 4) + _elems(b, 32, 4)
    pairs = [both[2 * k] + both[2 * k + 1] for k in range(4)]
    assert _exec(0x4EA2BC20, compiled, v={1: a, 2: b}).v[0] == _pack(pairs, 32)  # addp v0.4s, v1.4s, v2.4s


@both_paths
def test_misc_and_compare(compiled: bool) -> None:
    rng = random.Random(16)
    a, b, d = _random128(rng), _random128(rng), _random128(rng)
    m = _exec(0x4E612820, compiled, v={0: d, 1: a})  # xtn2 v0.8h, v1.4s
    assert m.v[0] == (d & MASK64) | _pack(_elems(a, 32, 4), 16) << 64
    assert _exec(0x0E205820, compiled, v={1: a}).v[0] == _pack([bin(e).count("1") for e in _elems(a, 8, 8)], 8)
    rev = a.to_bytes(16, "little")
    swapped = b"".join(rev[k : k + 2][::-1] for k in range(0, 16, 2))
    assert _exec(0x4E201820, compiled, v={1: a}).v[0] == int.from_bytes(swapped, "little")  # rev16 v0.16b
    m = _exec(0x6E621C20, compiled, v={0: d, 1: a, 2: b})  # bsl v0.16b, v1.16b, v2.16b
    assert m.v[0] == (d & a) | (~d & b)
    cmge = [0xFFFFFFFF if _signed(e, 32) >= 0 else 0 for e in _elems(a, 32, 4)]
    assert _exec(0x6EA08820, compiled, v={1: a}).v[0] == _pack(cmge, 32)  # cmge v0.4s, v1.4s, #0
    hi = MASK64 if (a & MASK64) > (b & MASK64) else 0
    assert _exec(0x7EE23420, compiled, v={1: a, 2: b}).v[0] == hi  # cmhi d0, d1, d2
    mla = [dd + p * q for dd, p, q in zip(_elems(d, 16, 8), _elems(a, 16, 8), _elems(b, 16, 8))]
    assert _exec(0x4E629420, compiled, v={0: d, 1: a, 2: b}).v[0] == _pack(mla, 16)  # mla v0.8h, v1.8h, v2.8h
    assert _exec(0x7EE0B820, compiled, v={1: a}).v[0] == -a & MASK64  # neg d0, d1


def test_reserved_arrangements_are_undefined() -> None:
    dec = isa.decoder()
    reserved = {
        0x0EE08400: "ADD_asimdsame_only",  # add with size:Q == '110' (v.1d)
        0x5E208400: "ADD_asisdsame_only",  # scalar add with size != '11'
        0x0EE09C00: "MUL_asimdsame_only",  # mul with size == '11'
        0x4E601800: "REV16_asimdmisc_R",  # rev16 with 16-bit elements
        0x0F480400: "SSHR_asimdshf_R",  # sshr with immh<3>:Q == '10'
        0x4F488400: "SHRN_asimdshf_N",  # shrn with immh<3> == '1'
        0x2E004000: "EXT_asimdext_only",  # ext v0.8b with imm4 == 8
        0x0EB1B800: "ADDV_asimdall_only",  # addv with size:Q == '100'
        0x0E083C00: "UMOV_asimdins_W_w",  # umov w, v.d[0]: needs Q == 1
        0x0E100400: "DUP_asimdins_DV_v",  # imm5 == x0000
    }
    for word, name in reserved.items():
        assert dec.lookup(word).name == name, f"{word:#010x}"
        with pytest.raises(DecodeError, match="UNDEFINED"):
            dec.decode(word)


# ------------------------------------------------------------------------------------------------
# symbolic smoke check

SYMBOLIC_SAMPLE = [
    0x4E020020, 0x4E045020, 0x6E62C020, 0x6EA28020, 0x4E620C20, 0x6E222C20, 0x5EE22C20, 0x0F10A420, 0x4F0D8420,
    0x0F108C20, 0x6F104420, 0x7F7F5420, 0x4F3B2420, 0x0E1B3C20, 0x4E162C20, 0x4E141C20, 0x6E1E0420, 0x4E080C20,
    0x4E423820, 0x4E825820, 0x6E021820, 0x4E71B820, 0x4EB1A820, 0x4E612820, 0x0E205820, 0x6E621C20, 0x6EA08820,
    0x7EE23420, 0x4E629420, 0x9EAF0020, 0x6F05E4C0, 0x4F07F680,
]


def _value(t: Value, env: dict[str, int]) -> int:
    return t.val if isinstance(t, BV) else evaluate(t, env).val


@pytest.mark.parametrize("word", SYMBOLIC_SAMPLE, ids=lambda w: f"{w:#010x}")
def test_symbolic_execution_evaluates_to_concrete(word: int) -> None:
    _, execute = isa.decoder().decode(word)
    sym = SymbolicMachine()
    execute(sym)
    rng = random.Random(word)
    for _ in range(5):
        v = [rng.choice([_random128(rng), 0, ONES128, 1 << 127 | 1 << 63 | 1 << 31 | 1 << 15 | 1 << 7])
             for _ in range(32)]
        x = [rng.getrandbits(64) for _ in range(31)]
        fpsr = rng.choice([0, QC])
        env = {f"v{i}": v[i] for i in range(32)} | {f"x{i}": x[i] for i in range(31)}
        env |= {"fpsr": fpsr, "fpcr": 0, "tpidr_el0": 0, "sp": 0, "nzcv": 0}
        conc = ConcreteMachine(x=list(x), v=list(v))
        conc.sysregs["FPSR"] = fpsr
        execute(conc)
        assert [_value(t, env) for t in sym.v] == conc.v
        assert [_value(t, env) for t in sym.x] == conc.x
        assert _value(sym.sysregs["FPSR"], env) == conc.sysregs["FPSR"]
