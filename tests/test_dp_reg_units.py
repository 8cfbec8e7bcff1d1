"""Targeted unit tests for the "Data processing -- register" semantics (isa/dp_reg.py).

References are independent of the semantics where possible: Python integer arithmetic, ``zlib.crc32``,
published CRC-32C check values, and ``int.to_bytes`` for byte reversal.
"""

from __future__ import annotations

import random
import zlib

import pytest

import isa
from bitvec import BV, Value, var
from bitvec.term import Term, evaluate
from isa.decoder import DecodeError
from lnsym.machine.concrete import ConcreteMachine

M32 = (1 << 32) - 1
M64 = (1 << 64) - 1


def word(name: str, **fields: int) -> int:
    """Assemble encoding ``name`` with the given (non-fixed) field values; unnamed fields are 0."""
    pattern = isa.decoder().by_name[name]
    w = pattern.value
    for f in pattern.fields:
        if f.name in fields:
            w = (w & ~(((1 << f.width) - 1) << f.lsb)) | ((fields[f.name] & ((1 << f.width) - 1)) << f.lsb)
    assert isa.decoder().lookup(w) is pattern
    return w


def run(name: str, x: dict[int, int] | None = None, nzcv: int = 0, sp: int = 0, **fields: int) -> ConcreteMachine:
    regs = [0] * 31
    for n, v in (x or {}).items():
        regs[n] = v & M64
    m = ConcreteMachine(x=regs, sp=sp, flags=nzcv)
    _, execute = isa.decoder().decode(word(name, **fields))
    execute(m)
    return m


def op2(name: str, a: int, b: int) -> int:
    """``Xd = op(Xn, Xm)`` with Rd=0, Rn=1, Rm=2."""
    return run(name, {1: a, 2: b}, Rd=0, Rn=1, Rm=2).x[0]


def op1(name: str, a: int) -> int:
    return run(name, {1: a}, Rd=0, Rn=1).x[0]


def s64(v: int) -> int:
    v &= M64
    return v - (1 << 64) if v >> 63 else v


# ------------------------------------------------------------------------------------------------
# CRC32 / CRC32C

def crc32_bytes(data: bytes, acc: int, c: bool) -> int:
    """Feed ``data`` through the CRC instructions: 8-byte chunks with CRC32X, the rest byte by byte."""
    prefix = "CRC32C" if c else "CRC32"
    i = 0
    while len(data) - i >= 8:
        acc = op2(f"{prefix}X_64C_dp_2src", acc, int.from_bytes(data[i : i + 8], "little"))
        i += 8
    for b in data[i:]:
        acc = op2(f"{prefix}B_32C_dp_2src", acc, b)
    return acc


def test_crc32x_matches_zlib() -> None:
    rng = random.Random(1)
    for _ in range(20):
        data = rng.randbytes(8)
        init = rng.getrandbits(32)
        # zlib pre- and post-inverts; the instruction does neither
        got = op2("CRC32X_64C_dp_2src", init ^ M32, int.from_bytes(data, "little") | (rng.getrandbits(1) << 64)) ^ M32
        assert got == zlib.crc32(data, init)


@pytest.mark.parametrize("size,name", [(1, "CRC32B_32C_dp_2src"), (2, "CRC32H_32C_dp_2src"), (4, "CRC32W_32C_dp_2src")])
def test_crc32_narrow_matches_zlib_and_ignores_upper_bits(size: int, name: str) -> None:
    rng = random.Random(size)
    for _ in range(20):
        data = rng.randbytes(size)
        init = rng.getrandbits(32)
        noise = rng.getrandbits(64) & ~((1 << (8 * size)) - 1)  # bits above the operand size are ignored
        acc = (init ^ M32) | (rng.getrandbits(32) << 32)  # Wn: the upper half of Xn is ignored
        assert op2(name, acc, int.from_bytes(data, "little") | noise) ^ M32 == zlib.crc32(data, init)


def test_crc32_check_value() -> None:
    assert crc32_bytes(b"123456789", M32, c=False) ^ M32 == 0xCBF43926


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"123456789", 0xE3069283),  # CRC-32C (Castagnoli) catalogue check value
        (bytes(32), 0x8A9136AA),  # RFC 3720 B.4 test vectors
        (b"\xff" * 32, 0x62A8AB43),
        (bytes(range(32)), 0x46DD794E),
        (bytes(range(31, -1, -1)), 0x113FDB5C),
    ],
)
def test_crc32c_known_values(data: bytes, expected: int) -> None:
    assert crc32_bytes(data, M32, c=True) ^ M32 == expected


def test_crc32c_halfword_and_word_agree_with_bytes() -> None:
    rng = random.Random(7)
    for _ in range(10):
        data = rng.randbytes(4)
        acc = rng.getrandbits(32)
        by_bytes = crc32_bytes(data, acc, c=True)
        h = op2("CRC32CH_32C_dp_2src", op2("CRC32CH_32C_dp_2src", acc, int.from_bytes(data[:2], "little")),
                int.from_bytes(data[2:], "little"))
        w = op2("CRC32CW_32C_dp_2src", acc, int.from_bytes(data, "little"))
        assert by_bytes == h == w


# ------------------------------------------------------------------------------------------------
# Division

def test_division_by_zero_gives_zero() -> None:
    for name in ("UDIV_32_dp_2src", "UDIV_64_dp_2src", "SDIV_32_dp_2src", "SDIV_64_dp_2src"):
        assert op2(name, 12345, 0) == 0
        assert op2(name, M64, 0) == 0
    for name in ("UDIV_32_dp_2src", "SDIV_32_dp_2src"):
        assert op2(name, 1 << 63 | 5, 1 << 32) == 0  # Wm is the low half of 1<<32: zero


def test_sdiv_overflow_and_rounding() -> None:
    assert op2("SDIV_64_dp_2src", 1 << 63, M64) == 1 << 63  # INT64_MIN / -1
    assert op2("SDIV_32_dp_2src", 0x8000_0000, M32) == 0x8000_0000  # INT32_MIN / -1, upper half zero
    assert op2("SDIV_64_dp_2src", -7, 2) == (-3) & M64  # rounds towards zero
    assert op2("SDIV_64_dp_2src", 7, -2) == (-3) & M64
    assert op2("SDIV_32_dp_2src", -7, -2) == 3
    rng = random.Random(3)
    for _ in range(100):
        a, b = rng.getrandbits(64), rng.getrandbits(rng.choice((3, 17, 64)))
        if b == 0:
            continue
        q = abs(s64(a)) // abs(s64(b)) * (1 if (s64(a) < 0) == (s64(b) < 0) else -1)
        assert op2("SDIV_64_dp_2src", a, b) == q & M64
        assert op2("UDIV_64_dp_2src", a, b) == a // b


# ------------------------------------------------------------------------------------------------
# Multiplication

def test_mulh_against_python_ints() -> None:
    rng = random.Random(5)
    values = [0, 1, M64, 1 << 63, (1 << 63) - 1] + [rng.getrandbits(64) for _ in range(40)]
    for a in values:
        for b in [*values[:8], rng.getrandbits(64)]:
            assert op2("UMULH_64_dp_3src", a, b) == (a * b) >> 64
            assert op2("SMULH_64_dp_3src", a, b) == ((s64(a) * s64(b)) >> 64) & M64


def test_multiply_add_long_and_madd() -> None:
    rng = random.Random(6)
    for _ in range(50):
        a, b, c = rng.getrandbits(64), rng.getrandbits(64), rng.getrandbits(64)
        sa, sb = a & M32, b & M32
        sa -= (sa >> 31) << 32
        sb -= (sb >> 31) << 32
        x = {1: a, 2: b, 3: c}

        def mac(name: str, x: dict[int, int] = x) -> int:
            return run(name, x, Rd=0, Rn=1, Rm=2, Ra=3).x[0]

        assert mac("SMADDL_64WA_dp_3src") == (c + sa * sb) & M64
        assert mac("SMSUBL_64WA_dp_3src") == (c - sa * sb) & M64
        assert mac("UMADDL_64WA_dp_3src") == (c + (a & M32) * (b & M32)) & M64
        assert mac("UMSUBL_64WA_dp_3src") == (c - (a & M32) * (b & M32)) & M64
        assert mac("MADD_64A_dp_3src") == (c + a * b) & M64
        assert mac("MSUB_32A_dp_3src") == (c - a * b) & M32


# ------------------------------------------------------------------------------------------------
# 1-source, variable shifts

def test_one_source() -> None:
    v = 0x0123_4567_89AB_CDEF
    b = v.to_bytes(8, "little")
    assert op1("REV_64_dp_1src", v) == int.from_bytes(b, "big")
    assert op1("REV_32_dp_1src", v) == int.from_bytes(b[:4], "big")
    assert op1("REV32_64_dp_1src", v) == int.from_bytes(b[:4], "big") | int.from_bytes(b[4:], "big") << 32
    assert op1("REV16_64_dp_1src", v) == 0x2301_6745_AB89_EFCD
    assert op1("REV16_32_dp_1src", v) == 0xAB89_EFCD
    assert op1("RBIT_64_dp_1src", v) == int(f"{v:064b}"[::-1], 2)
    assert op1("RBIT_32_dp_1src", v) == int(f"{v & M32:032b}"[::-1], 2)
    for val, clz32, cls32, clz64, cls64 in [
        (0, 32, 31, 64, 63), (M64, 0, 31, 0, 63), (1, 31, 30, 63, 62), (0x8000_0000, 0, 0, 32, 31),
        (0xFFFF_FFFF_C000_0000, 0, 1, 0, 33), (0x7FFF_FFFF_FFFF_FFFF, 0, 31, 1, 0),
    ]:
        assert op1("CLZ_32_dp_1src", val) == clz32
        assert op1("CLS_32_dp_1src", val) == cls32
        assert op1("CLZ_64_dp_1src", val) == clz64
        assert op1("CLS_64_dp_1src", val) == cls64


def test_variable_shifts_use_amount_modulo_datasize() -> None:
    v = 0x8000_0000_0000_0001
    assert op2("LSLV_64_dp_2src", v, 64 + 4) == (v << 4) & M64
    assert op2("LSRV_64_dp_2src", v, 63) == 1
    assert op2("ASRV_64_dp_2src", v, 127) == M64
    assert op2("RORV_64_dp_2src", v, 1) == 0xC000_0000_0000_0000
    assert op2("RORV_32_dp_2src", 0x1, 32 + 1) == 0x8000_0000
    assert op2("ASRV_32_dp_2src", 0x8000_0000, 0xFFFF_FFE0 + 31) == M32


# ------------------------------------------------------------------------------------------------
# Logical / add-sub / carry / conditional

def test_logical_shifted_register() -> None:
    a, b = 0xF0F0_0000_1234_5678, 0x8000_0000_0000_00FF
    ror4 = ((b >> 4) | (b << 60)) & M64
    assert run("BICS_64_log_shift", {1: a, 2: b}, Rd=0, Rn=1, Rm=2, shift=3, imm6=4).x[0] == a & ~ror4 & M64
    m = run("ANDS_32_log_shift", {1: 0x8000_0000, 2: 0x4000_0000}, Rd=0, Rn=1, Rm=2, shift=0, imm6=1)
    assert (m.x[0], m.flags) == (0x8000_0000, 0b1000)
    m = run("ANDS_64_log_shift", {1: a, 2: 0}, nzcv=0b0111, Rd=0, Rn=1, Rm=2)
    assert (m.x[0], m.flags) == (0, 0b0100)
    eon = run("EON_32_log_shift", {1: 0x1234, 2: 0x80}, Rd=0, Rn=1, Rm=2, shift=2, imm6=3)  # ASR #3
    assert eon.x[0] == 0x1234 ^ (~0x10 & M32)


def test_add_sub_extended_uses_sp() -> None:
    m = run("ADD_64_addsub_ext", {2: 0xFFFF_FFFF_FFFF_FFFE}, sp=0x1000, Rd=31, Rn=31, Rm=2, option=0b110, imm3=4)
    assert m.sp == 0x1000 + (-2 * 16)  # SXTW #4 of -2, into SP
    m = run("SUBS_64S_addsub_ext", {2: 0x1000}, sp=0x1000, Rd=31, Rn=31, Rm=2, option=0b011)
    assert m.sp == 0x1000 and m.flags == 0b0110  # CMP SP, X2: result zero, no borrow; Rd is XZR
    m = run("ADD_32_addsub_ext", {2: 0x1FF}, sp=0xFFFF_FFFF_0000_0010, Rd=31, Rn=31, Rm=2, option=0b000, imm3=1)
    assert m.sp == 0x10 + 0x1FE  # 32-bit result zero-extended into SP


def test_add_sub_shifted_and_carry() -> None:
    m = run("SUBS_64_addsub_shift", {1: 5, 2: 3}, Rd=0, Rn=1, Rm=2, shift=0, imm6=1)
    assert (m.x[0], m.flags) == (M64, 0b1000)  # 5 - 6 = -1: N, borrow (C clear)
    m = run("ADDS_32_addsub_shift", {1: 0x7FFF_FFFF, 2: 2}, Rd=0, Rn=1, Rm=2, shift=1, imm6=1)
    assert (m.x[0], m.flags) == (0x8000_0000, 0b1001)
    m = run("ADCS_64_addsub_carry", {1: M64, 2: 0}, nzcv=0b0010, Rd=0, Rn=1, Rm=2)
    assert (m.x[0], m.flags) == (0, 0b0110)
    m = run("SBC_32_addsub_carry", {1: 10, 2: 3}, nzcv=0, Rd=0, Rn=1, Rm=2)
    assert m.x[0] == 6 and m.flags == 0
    m = run("SBCS_64_addsub_carry", {1: 10, 2: 3}, nzcv=0b0010, Rd=0, Rn=1, Rm=2)
    assert (m.x[0], m.flags) == (7, 0b0010)


def test_conditional_compare_and_select() -> None:
    # cond EQ (0000) with Z clear: flags come from #nzcv
    m = ConcreteMachine(x=[0] * 31, flags=0b0000)
    isa.decoder().decode(word("CCMP_64_condcmp_reg", Rn=1, Rm=2, cond=0b0000, nzcv=0b1011))[1](m)
    assert m.flags == 0b1011
    m = ConcreteMachine(x=[0, 7] + [0] * 29, flags=0b0100)
    isa.decoder().decode(word("CCMP_32_condcmp_imm", Rn=1, imm5=7, cond=0b0000, nzcv=0b1011))[1](m)
    assert m.flags == 0b0110  # 7 - 7: Z and C
    m = ConcreteMachine(x=[0, M64] + [0] * 29, flags=0b0000)
    isa.decoder().decode(word("CCMN_64_condcmp_imm", Rn=1, imm5=1, cond=0b1111, nzcv=0))[1](m)  # NV holds
    assert m.flags == 0b0110
    x = {1: 10, 2: 20}
    assert run("CSEL_64_condsel", x, nzcv=0b0100, Rd=0, Rn=1, Rm=2, cond=0).x[0] == 10
    assert run("CSINC_64_condsel", x, nzcv=0, Rd=0, Rn=1, Rm=2, cond=0).x[0] == 21
    assert run("CSINV_32_condsel", x, nzcv=0, Rd=0, Rn=1, Rm=2, cond=0).x[0] == ~20 & M32
    assert run("CSNEG_64_condsel", x, nzcv=0, Rd=0, Rn=1, Rm=2, cond=0).x[0] == -20 & M64
    assert run("CSINC_32_condsel", {}, nzcv=0b0100, Rd=0, Rn=31, Rm=31, cond=1).x[0] == 1  # CSET W0, EQ (Z set)
    assert run("CSINC_32_condsel", {}, nzcv=0b0000, Rd=0, Rn=31, Rm=31, cond=1).x[0] == 0  # CSET W0, EQ (Z clear)


@pytest.mark.parametrize(
    "name,fields",
    [
        ("AND_32_log_shift", {"imm6": 0x20}),
        ("ORN_32_log_shift", {"imm6": 0x3F, "shift": 3}),
        ("ADD_64_addsub_shift", {"shift": 3}),
        ("SUBS_32_addsub_shift", {"imm6": 0x20}),
        ("ADD_64_addsub_ext", {"imm3": 5}),
        ("SUBS_32S_addsub_ext", {"imm3": 7}),
    ],
)
def test_undefined(name: str, fields: dict[str, int]) -> None:
    with pytest.raises(DecodeError, match="UNDEFINED"):
        isa.decoder().decode(word(name, **fields))


# ------------------------------------------------------------------------------------------------
# Symbolic smoke test

class DictMachine:
    """A minimal :class:`isa.machine.Machine` holding arbitrary values (terms) in a dict."""

    def __init__(self, regs: dict[str, Value]) -> None:
        self.regs = dict(regs)

    def X(self, n: int, width: int) -> Value:
        if n == 31:
            return BV(width, 0)
        r = self.regs[f"x{n}"]
        return r if width == 64 else r.extract(width - 1, 0)

    def set_X(self, n: int, value: Value) -> None:
        if n != 31:
            self.regs[f"x{n}"] = value.zext(64)

    def SP(self, width: int) -> Value:
        r = self.regs["sp"]
        return r if width == 64 else r.extract(width - 1, 0)

    def set_SP(self, value: Value) -> None:
        self.regs["sp"] = value.zext(64)

    def nzcv(self) -> Value:
        return self.regs["nzcv"]

    def set_nzcv(self, value: Value) -> None:
        self.regs["nzcv"] = value


SYMBOLIC_CASES = [
    ("CRC32CX_64C_dp_2src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("CRC32H_32C_dp_2src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("SDIV_64_dp_2src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("UDIV_32_dp_2src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("RORV_32_dp_2src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("ASRV_64_dp_2src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("CLS_64_dp_1src", {"Rd": 0, "Rn": 1}),
    ("REV16_32_dp_1src", {"Rd": 0, "Rn": 1}),
    ("BICS_64_log_shift", {"Rd": 0, "Rn": 1, "Rm": 2, "shift": 3, "imm6": 13}),
    ("SUBS_32_addsub_shift", {"Rd": 0, "Rn": 1, "Rm": 2, "shift": 2, "imm6": 7}),
    ("ADD_64_addsub_ext", {"Rd": 31, "Rn": 31, "Rm": 2, "option": 6, "imm3": 2}),
    ("ADCS_64_addsub_carry", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("CCMP_64_condcmp_reg", {"Rn": 1, "Rm": 2, "cond": 0b1100, "nzcv": 0b0101}),
    ("CSNEG_32_condsel", {"Rd": 0, "Rn": 1, "Rm": 2, "cond": 0b1011}),
    ("SMULH_64_dp_3src", {"Rd": 0, "Rn": 1, "Rm": 2}),
    ("SMSUBL_64WA_dp_3src", {"Rd": 0, "Rn": 1, "Rm": 2, "Ra": 3}),
]


@pytest.mark.parametrize("name,fields", SYMBOLIC_CASES, ids=[c[0] for c in SYMBOLIC_CASES])
def test_symbolic_matches_concrete(name: str, fields: dict[str, int]) -> None:
    _, execute = isa.decoder().decode(word(name, **fields))
    widths = {"x0": 64, "x1": 64, "x2": 64, "x3": 64, "sp": 64, "nzcv": 4}
    sym = DictMachine({n: var(n, w) for n, w in widths.items()})
    execute(sym)
    assert any(isinstance(v, Term) and v.op != "var" for v in sym.regs.values())  # something was computed
    rng = random.Random(name)
    specials = [0, 1, M64, 1 << 63, 0xFFFF_FFFF_8000_0000]
    for _ in range(30):
        env = {n: rng.choice(specials) if rng.random() < 0.3 else rng.getrandbits(w) for n, w in widths.items()}
        env = {n: v & ((1 << widths[n]) - 1) for n, v in env.items()}
        conc = DictMachine({n: BV(w, env[n]) for n, w in widths.items()})
        execute(conc)
        for reg, value in sym.regs.items():
            got = value.val if isinstance(value, BV) else evaluate(value, env).val
            assert got == conc.regs[reg].val, f"{name}: {reg}"
