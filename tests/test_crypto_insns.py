"""The cryptographic-extension instructions against independent references.

Instructions are encoded from the table, decoded and executed on a :class:`ConcreteMachine` by a small
Python driver; the algorithms around them (AES-128, SHA-1, SHA-256, SHA-512, SHA3-256, carry-less
multiplication) are compared with ``cryptography``, ``hashlib`` and plain Python.  Constants and the
AES key schedule are computed here, independently of ``isa`` and ``crypto_specs``.
"""

from __future__ import annotations

import hashlib
import math
import random
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

import isa
from bitvec import BV, var
from bitvec.term import Term, evaluate, postorder
from isa.crypto_pseudocode import INV_SBOX, SBOX, sbox_lookup
from isa.decoder import DecodeError
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.fastpath import compile_executor
from lnsym.symbolic.machine import SymbolicMachine

M32, M64, M128 = (1 << 32) - 1, (1 << 64) - 1, (1 << 128) - 1

CRYPTO_FEATURES = ("FEAT_AES", "FEAT_SHA1", "FEAT_SHA256", "FEAT_SHA512", "FEAT_SHA3", "FEAT_PMULL")
CRYPTO_ENCODINGS = sorted(p.name for p in isa.decoder().patterns if p.feature in CRYPTO_FEATURES)


# ------------------------------------------------------------------------------------------------
# driver: encode from the table, decode, execute


def encode(name: str, **fields: int) -> int:
    """The word of encoding ``name`` with the given field values (fixed fields come from the pattern)."""
    pattern = isa.decoder().by_name[name]
    word = pattern.value
    for f in pattern.fields:
        if f.name in fields:
            word |= (fields[f.name] & ((1 << f.width) - 1)) << f.lsb
    assert pattern.matches(word), (name, fields)
    return word


class Driver:
    """Runs single instructions on a concrete machine with operands in fixed, distinct registers."""

    D, N, M, A = 3, 17, 29, 8

    def __init__(self) -> None:
        self.m = ConcreteMachine()
        self._executors: dict[int, object] = {}

    def run(self, name: str, d: int = 0, n: int = 0, m: int = 0, a: int = 0, **imm: int) -> int:
        """Load the operands, execute ``name`` once and return the destination register."""
        word = encode(name, Rd=self.D, Rn=self.N, Rm=self.M, Ra=self.A, **imm)
        execute = self._executors.get(word)
        if execute is None:
            pattern, execute = isa.decoder().decode(word)
            assert pattern.name == name
            self._executors[word] = execute
        v = self.m.v
        v[self.D], v[self.N], v[self.M], v[self.A] = d, n, m, a
        execute(self.m)  # type: ignore[operator]
        return v[self.D]


@pytest.fixture
def drv() -> Driver:
    return Driver()


def lanes32(value: int) -> list[int]:
    return [(value >> (32 * i)) & M32 for i in range(4)]


def from32(words: list[int]) -> int:
    return sum((w & M32) << (32 * i) for i, w in enumerate(words))


def lanes64(value: int) -> tuple[int, int]:
    return value & M64, value >> 64


def from64(lo: int, hi: int) -> int:
    return (lo & M64) | ((hi & M64) << 64)


def add32(x: int, y: int) -> int:
    return from32([a + b for a, b in zip(lanes32(x), lanes32(y))])


# ------------------------------------------------------------------------------------------------
# AES-128 against `cryptography`


def _gf_mul(a: int, b: int) -> int:
    p = 0
    while b:
        if b & 1:
            p ^= a
        a = (a << 1) ^ (0x11B if a & 0x80 else 0)
        b >>= 1
    return p


def _test_sbox() -> list[int]:
    """The AES S-box from exp/log tables of the generator 3 (a different route than isa's)."""
    exp, x = [0] * 255, 1
    for i in range(255):
        exp[i] = x
        x = _gf_mul(x, 3)
    log = {v: i for i, v in enumerate(exp)}
    box = []
    for a in range(256):
        inv = exp[(255 - log[a]) % 255] if a else 0
        s = inv
        for k in range(1, 5):
            s ^= ((inv << k) | (inv >> (8 - k))) & 0xFF
        box.append(s ^ 0x63)
    return box


TEST_SBOX = _test_sbox()


def aes128_round_keys(key: bytes) -> list[int]:
    """FIPS 197 key expansion; round keys as 128-bit register values (byte 0 least significant)."""
    words = [list(key[4 * i: 4 * i + 4]) for i in range(4)]
    rcon = 1
    for i in range(4, 44):
        t = list(words[i - 1])
        if i % 4 == 0:
            t = [TEST_SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _gf_mul(rcon, 2)
        words.append([a ^ b for a, b in zip(words[i - 4], t)])
    flat = [b for w in words for b in w]
    return [int.from_bytes(bytes(flat[16 * r: 16 * r + 16]), "little") for r in range(11)]


def test_test_sbox_is_fips197() -> None:
    assert TEST_SBOX[:4] == [0x63, 0x7C, 0x77, 0x7B] and TEST_SBOX[0x53] == 0xED
    assert list(SBOX) == TEST_SBOX
    assert all(INV_SBOX[SBOX[i]] == i for i in range(256))


@pytest.mark.parametrize("seed", range(4))
def test_aes128_encrypt_decrypt(drv: Driver, seed: int) -> None:
    rng = random.Random(seed)
    key = rng.randbytes(16)
    blocks = [rng.randbytes(16) for _ in range(3)]
    rk = aes128_round_keys(key)
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    # the equivalent inverse cipher's keys: reversed, InvMixColumns on the middle ones (by AESIMC)
    dk = [rk[10]] + [drv.run("AESIMC_B_cryptoaes", n=rk[r]) for r in range(9, 0, -1)] + [rk[0]]
    for block in blocks:
        enc = cipher.encryptor()
        expected = enc.update(block) + enc.finalize()
        state = int.from_bytes(block, "little")
        for r in range(9):
            state = drv.run("AESE_B_cryptoaes", d=state, n=rk[r])
            state = drv.run("AESMC_B_cryptoaes", n=state)
        state = drv.run("AESE_B_cryptoaes", d=state, n=rk[9]) ^ rk[10]
        assert state.to_bytes(16, "little") == expected

        for r in range(9):
            state = drv.run("AESD_B_cryptoaes", d=state, n=dk[r])
            state = drv.run("AESIMC_B_cryptoaes", n=state)
        state = drv.run("AESD_B_cryptoaes", d=state, n=dk[9]) ^ dk[10]
        assert state.to_bytes(16, "little") == block


def test_aesmc_aesimc_inverse(drv: Driver) -> None:
    rng = random.Random(5)
    for _ in range(50):
        x = rng.getrandbits(128)
        assert drv.run("AESIMC_B_cryptoaes", n=drv.run("AESMC_B_cryptoaes", n=x)) == x
        # AESE then AESD with the same key is not identity, but AESD(AESE(x, k), 0) == x ^ k
        k = rng.getrandbits(128)
        assert drv.run("AESD_B_cryptoaes", d=drv.run("AESE_B_cryptoaes", d=x, n=k), n=0) == x ^ k


# ------------------------------------------------------------------------------------------------
# SHA-1 / SHA-256 / SHA-512 against hashlib


def _icbrt(n: int) -> int:
    x = 1 << ((n.bit_length() + 2) // 3)
    while True:
        y = (2 * x + n // (x * x)) // 3
        if y >= x:
            break
        x = y
    while x * x * x > n:
        x -= 1
    while (x + 1) ** 3 <= n:
        x += 1
    return x


def _primes(count: int) -> list[int]:
    out, k = [], 2
    while len(out) < count:
        if all(k % p for p in out):
            out.append(k)
        k += 1
    return out


K256 = [_icbrt(p << 96) & M32 for p in _primes(64)]
H256 = [math.isqrt(p << 64) & M32 for p in _primes(8)]
K512 = [_icbrt(p << 192) & M64 for p in _primes(80)]
H512 = [math.isqrt(p << 128) & M64 for p in _primes(8)]


def md_pad(msg: bytes, block: int, length_bytes: int) -> bytes:
    padded = msg + b"\x80" + b"\0" * ((block - length_bytes - 1 - len(msg)) % block)
    return padded + (8 * len(msg)).to_bytes(length_bytes, "big")


def test_constants() -> None:
    assert K256[0] == 0x428A2F98 and K256[63] == 0xC67178F2 and H256[0] == 0x6A09E667
    assert K512[0] == 0x428A2F98D728AE22 and K512[79] == 0x6C44198C4A475817 and H512[7] == 0x5BE0CD19137E2179


def sha256_blocks(drv: Driver, msg: bytes) -> bytes:
    data = md_pad(msg, 64, 8)
    abcd, efgh = from32(H256[:4]), from32(H256[4:])
    for off in range(0, len(data), 64):
        w = [from32(list(struct.unpack(">4I", data[off + 16 * i: off + 16 * i + 16]))) for i in range(4)]
        for i in range(12):  # W[i+4] = SU1(SU0(W[i], W[i+1]), W[i+2], W[i+3])
            t = drv.run("SHA256SU0_VV_cryptosha2", d=w[i], n=w[i + 1])
            w.append(drv.run("SHA256SU1_VVV_cryptosha3", d=t, n=w[i + 2], m=w[i + 3]))
        a0, e0 = abcd, efgh
        for i in range(16):
            wk = add32(w[i], from32(K256[4 * i: 4 * i + 4]))
            old = abcd
            abcd = drv.run("SHA256H_QQV_cryptosha3", d=abcd, n=efgh, m=wk)
            efgh = drv.run("SHA256H2_QQV_cryptosha3", d=efgh, n=old, m=wk)
        abcd, efgh = add32(abcd, a0), add32(efgh, e0)
    return struct.pack(">8I", *lanes32(abcd), *lanes32(efgh))


def sha1_blocks(drv: Driver, msg: bytes) -> bytes:
    data = md_pad(msg, 64, 8)
    k = [0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6]
    abcd, e = from32([0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]), 0xC3D2E1F0
    rng = random.Random(len(msg))
    for off in range(0, len(data), 64):
        w = [from32(list(struct.unpack(">4I", data[off + 16 * i: off + 16 * i + 16]))) for i in range(4)]
        for i in range(16):  # W[i+4] = SU1(SU0(W[i], W[i+1], W[i+2]), W[i+3])
            t = drv.run("SHA1SU0_VVV_cryptosha3", d=w[i], n=w[i + 1], m=w[i + 2])
            w.append(drv.run("SHA1SU1_VV_cryptosha2", d=t, n=w[i + 3]))
        a0, e0 = abcd, e
        for i in range(20):
            wk = add32(w[i], from32([k[i // 5]] * 4))
            e_next = drv.run("SHA1H_SS_cryptosha2", n=abcd)
            assert e_next >> 32 == 0
            op = ("SHA1C_QSV_cryptosha3", "SHA1P_QSV_cryptosha3", "SHA1M_QSV_cryptosha3", "SHA1P_QSV_cryptosha3")
            # the upper 96 bits of the Sn operand are ignored
            abcd = drv.run(op[i // 5], d=abcd, n=e | (rng.getrandbits(96) << 32), m=wk)
            e = e_next
        abcd, e = add32(abcd, a0), (e + e0) & M32
    return struct.pack(">5I", *lanes32(abcd), e)


def sha512_blocks(drv: Driver, msg: bytes) -> bytes:
    """Two rounds per SHA512H/SHA512H2 pair; the two new ``e`` values are added in Python."""
    data = md_pad(msg, 128, 16)
    h = list(H512)
    for off in range(0, len(data), 128):
        ws = list(struct.unpack(">16Q", data[off: off + 128]))
        w = [from64(ws[2 * i], ws[2 * i + 1]) for i in range(8)]  # w[i] = {W[2i], W[2i+1]}
        for i in range(32):  # {W[t+16], W[t+17]} for t = 2i
            t = drv.run("SHA512SU0_VV2_cryptosha512_2", d=w[i], n=w[i + 1])
            mid = from64(lanes64(w[i + 4])[1], lanes64(w[i + 5])[0])  # {W[t+9], W[t+10]}
            w.append(drv.run("SHA512SU1_VVV2_cryptosha512_3", d=t, n=w[i + 7], m=mid))
        sched = [x for v in w for x in lanes64(v)]
        a, b, c, d, e, f, g, hh = h
        for t in range(0, 80, 2):
            wk = from64(g + K512[t + 1] + sched[t + 1], hh + K512[t] + sched[t])
            t1 = drv.run("SHA512H_QQV_cryptosha512_3", d=wk, n=from64(f, g), m=from64(d, e))
            t1_lo, t1_hi = lanes64(t1)  # {T1(t+1), T1(t)}
            a2 = drv.run("SHA512H2_QQV_cryptosha512_3", d=t1, n=from64(c, 0), m=from64(a, b))
            a_new, a_old = lanes64(a2)
            e1 = (d + t1_hi) & M64
            e2 = (c + t1_lo) & M64
            a, b, c, d, e, f, g, hh = a_new, a_old, a, b, e2, e1, e, f
        h = [(x + y) & M64 for x, y in zip(h, (a, b, c, d, e, f, g, hh))]
    return struct.pack(">8Q", *h)


MESSAGES = [b"", b"abc", bytes(range(55)), bytes(range(56)), bytes(range(64)), bytes(range(200))]


@pytest.mark.parametrize("msg", MESSAGES, ids=lambda m: f"len{len(m)}")
def test_sha256_compression(drv: Driver, msg: bytes) -> None:
    assert sha256_blocks(drv, msg) == hashlib.sha256(msg).digest()


@pytest.mark.parametrize("msg", MESSAGES, ids=lambda m: f"len{len(m)}")
def test_sha1_compression(drv: Driver, msg: bytes) -> None:
    assert sha1_blocks(drv, msg) == hashlib.sha1(msg).digest()


@pytest.mark.parametrize("msg", [b"", b"abc", bytes(range(111)), bytes(range(112)), bytes(range(250))],
                         ids=lambda m: f"len{len(m)}")
def test_sha512_compression(drv: Driver, msg: bytes) -> None:
    assert sha512_blocks(drv, msg) == hashlib.sha512(msg).digest()


# ------------------------------------------------------------------------------------------------
# SHA3-256 (Keccak-f[1600]) with EOR3 / RAX1 / XAR / BCAX: two messages at once, one per 64-bit lane


def _keccak_constants() -> tuple[list[list[int]], list[int]]:
    rot = [[0] * 5 for _ in range(5)]
    x, y = 1, 0
    for t in range(24):
        rot[x][y] = ((t + 1) * (t + 2) // 2) % 64
        x, y = y, (2 * x + 3 * y) % 5
    rc, r = [], 1
    for _ in range(24):
        c = 0
        for j in range(7):
            if r & 1:
                c |= 1 << ((1 << j) - 1)
            r = ((r << 1) ^ (0x71 if r & 0x80 else 0)) & 0xFF
        rc.append(c)
    return rot, rc


KECCAK_ROT, KECCAK_RC = _keccak_constants()


def keccak_f(drv: Driver, a: list[list[int]]) -> list[list[int]]:
    """Keccak-f[1600] on ``a[x][y]`` 128-bit vectors (two independent states, one per 64-bit lane)."""
    for rnd in range(24):
        c = [drv.run("EOR3_VVV16_crypto4", n=drv.run("EOR3_VVV16_crypto4", n=a[x][0], m=a[x][1], a=a[x][2]),
                     m=a[x][3], a=a[x][4]) for x in range(5)]
        d = [drv.run("RAX1_VVV2_cryptosha512_3", n=c[(x - 1) % 5], m=c[(x + 1) % 5]) for x in range(5)]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):  # rho and pi, with theta's D folded in: ROR by 64 - r
                b[y][(2 * x + 3 * y) % 5] = drv.run("XAR_VVV2_crypto3_imm6", n=a[x][y], m=d[x],
                                                    imm6=(64 - KECCAK_ROT[x][y]) % 64)
        a = [[drv.run("BCAX_VVV16_crypto4", n=b[x][y], m=b[(x + 2) % 5][y], a=b[(x + 1) % 5][y])
              for y in range(5)] for x in range(5)]
        rc = from64(KECCAK_RC[rnd], KECCAK_RC[rnd])
        a[0][0] = drv.run("EOR3_VVV16_crypto4", n=a[0][0], m=rc, a=0)
    return a


def sha3_256_pair(drv: Driver, msg0: bytes, msg1: bytes) -> tuple[bytes, bytes]:
    rate = 136

    def pad(msg: bytes) -> bytes:
        padded = bytearray(msg + b"\x06" + b"\0" * ((rate - len(msg) - 1) % rate))
        padded[-1] |= 0x80
        return bytes(padded)

    p0, p1 = pad(msg0), pad(msg1)
    assert len(p0) == len(p1)
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(p0), rate):
        for i in range(rate // 8):
            lane0 = int.from_bytes(p0[off + 8 * i: off + 8 * i + 8], "little")
            lane1 = int.from_bytes(p1[off + 8 * i: off + 8 * i + 8], "little")
            a[i % 5][i // 5] ^= from64(lane0, lane1)
        a = keccak_f(drv, a)
    out0 = b"".join(lanes64(a[i % 5][i // 5])[0].to_bytes(8, "little") for i in range(4))
    out1 = b"".join(lanes64(a[i % 5][i // 5])[1].to_bytes(8, "little") for i in range(4))
    return out0, out1


def test_sha3_256_keccak(drv: Driver) -> None:
    msgs = [(b"", b"abc"), (bytes(range(100)), bytes(range(200, 100, -1))), (bytes(150), b"x" * 150)]
    for m0, m1 in msgs:
        assert sha3_256_pair(drv, m0, m1) == (hashlib.sha3_256(m0).digest(), hashlib.sha3_256(m1).digest())


def test_eor3_bcax_rax1_xar_direct(drv: Driver) -> None:
    rng = random.Random(9)
    for _ in range(50):
        n, m, a = rng.getrandbits(128), rng.getrandbits(128), rng.getrandbits(128)
        assert drv.run("EOR3_VVV16_crypto4", n=n, m=m, a=a) == n ^ m ^ a
        assert drv.run("BCAX_VVV16_crypto4", n=n, m=m, a=a) == n ^ (m & ~a & M128)
        rol1 = from64(*[((x << 1) | (x >> 63)) & M64 for x in lanes64(m)])
        assert drv.run("RAX1_VVV2_cryptosha512_3", n=n, m=m) == n ^ rol1
        k = rng.randrange(64)
        t = n ^ m
        assert drv.run("XAR_VVV2_crypto3_imm6", n=n, m=m, imm6=k) == from64(
            *[((x >> k) | (x << (64 - k))) & M64 for x in lanes64(t)])


# ------------------------------------------------------------------------------------------------
# PMULL / PMULL2 against a Python carry-less multiply


def clmul(a: int, b: int) -> int:
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        b >>= 1
    return r


def test_pmull(drv: Driver) -> None:
    rng = random.Random(11)
    for _ in range(40):
        n, m = rng.getrandbits(128), rng.getrandbits(128)
        assert drv.run("PMULL_asimddiff_L", n=n, m=m, Q=0, size=3) == clmul(n & M64, m & M64)
        assert drv.run("PMULL_asimddiff_L", n=n, m=m, Q=1, size=3) == clmul(n >> 64, m >> 64)
        for q in (0, 1):
            nb = (n >> (64 * q)).to_bytes(16, "little")[:8]
            mb = (m >> (64 * q)).to_bytes(16, "little")[:8]
            expected = sum(clmul(x, y) << (16 * i) for i, (x, y) in enumerate(zip(nb, mb)))
            assert drv.run("PMULL_asimddiff_L", n=n, m=m, Q=q, size=0) == expected
    assert drv.run("PMULL_asimddiff_L", n=M64, m=M64, Q=0, size=3) == clmul(M64, M64)


@pytest.mark.parametrize("size", [1, 2])
def test_pmull_reserved_sizes(size: int) -> None:
    with pytest.raises(DecodeError, match="UNDEFINED"):
        isa.decoder().decode(encode("PMULL_asimddiff_L", Q=0, size=size, Rd=0, Rn=1, Rm=2))


# ------------------------------------------------------------------------------------------------
# symbolic: one semantics, evaluated at points, equals the concrete run


def test_sbox_lookup_symbolic() -> None:
    x = var("idx", 8)
    for table in (SBOX, INV_SBOX):
        t = sbox_lookup(x, table)
        assert isinstance(t, Term)
        assert t.op == "lut" and len(postorder(t)) == 2  # one lookup node over the index
        assert all(evaluate(t, {"idx": i}).val == table[i] for i in range(256))
        assert sbox_lookup(BV(8, 0x53), table) == BV(8, table[0x53])


@pytest.mark.parametrize("name", ["AESE_B_cryptoaes", "AESD_B_cryptoaes", "AESMC_B_cryptoaes",
                                  "SHA256H_QQV_cryptosha3", "SHA512H_QQV_cryptosha512_3"])
def test_symbolic_matches_concrete(name: str) -> None:
    rng = random.Random(name)
    _, execute = isa.decoder().decode(encode(name, Rd=1, Rn=2, Rm=3))
    sym = SymbolicMachine()
    execute(sym)
    result = sym.v[1]
    assert isinstance(result, Term)
    for _ in range(20):
        vals = [rng.getrandbits(128) for _ in range(32)]
        conc = ConcreteMachine(v=list(vals))
        execute(conc)
        env = {f"v{i}": vals[i] for i in range(32)}
        assert evaluate(result, env).val == conc.v[1]


@pytest.mark.parametrize("name", CRYPTO_ENCODINGS)
def test_semantics_trace_without_python_branches(name: str) -> None:
    """Every executor traces on symbolic registers (so the compiled fast path applies)."""
    fields = {"Rd": 4, "Rn": 5, "Rm": 6, "Ra": 7, "imm6": 13, "size": 3}
    _, execute = isa.decoder().decode(encode(name, **fields))
    assert compile_executor(execute) is not None
