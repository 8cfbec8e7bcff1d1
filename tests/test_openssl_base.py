"""OpenSSL 3.0's AArch64 assembly (Debian's libcrypto.a), base-ISA paths, run by lnsym on random inputs
against independent references (hashlib, cryptography, Python integers).

The capability word ``OPENSSL_armcap_P`` is 0, so every routine takes its integer path (no NEON, no
Crypto Extension).  Every call also goes through the AAPCS64 checks of :mod:`lnsym.machine.harness`.
"""

from __future__ import annotations

import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.poly1305 import Poly1305
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from openssl_fixture import openssl_object

from lnsym.load.image import Image
from lnsym.machine.harness import Buffer, CallReport, call

FEW = settings(max_examples=8, deadline=None)


def _obj(member: str, **defines: int) -> Image:
    return openssl_object(f"libcrypto-lib-{member}.o", **defines)


def _run(image: Image, name: str, args: list[object], max_steps: int = 2_000_000) -> CallReport:
    report = call(image, name, args, max_steps=max_steps)  # type: ignore[arg-type]
    assert report.ok, report.describe()
    return report


def _md_pad(msg: bytes, block: int, length_bytes: int) -> bytes:
    """Merkle–Damgård padding of FIPS 180-4 5.1: 0x80, zeros, the bit length big-endian."""
    padded = msg + b"\x80"
    padded += bytes((-len(padded) - length_bytes) % block)
    return padded + (8 * len(msg)).to_bytes(length_bytes, "big")


# -- SHA-1, SHA-2 (sha1-armv8, sha256-armv8, sha512-armv8) -------------------------------------------

IV = {
    "sha1": (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0),
    "sha224": (0xC1059ED8, 0x367CD507, 0x3070DD17, 0xF70E5939, 0xFFC00B31, 0x68581511, 0x64F98FA7, 0xBEFA4FA4),
    "sha256": (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19),
    "sha384": (0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17, 0x152FECD8F70E5939,
               0x67332667FFC00B31, 0x8EB44A8768581511, 0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4),
    "sha512": (0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
               0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179),
}
# name -> (object, function, block bytes, length bytes, word format, digest bytes)
SHA = {
    "sha1": ("sha1-armv8", "sha1_block_data_order", 64, 8, "I", 20),
    "sha224": ("sha256-armv8", "sha256_block_data_order", 64, 8, "I", 28),
    "sha256": ("sha256-armv8", "sha256_block_data_order", 64, 8, "I", 32),
    "sha384": ("sha512-armv8", "sha512_block_data_order", 128, 16, "Q", 48),
    "sha512": ("sha512-armv8", "sha512_block_data_order", 128, 16, "Q", 64),
}


def _sha(name: str, msg: bytes) -> tuple[bytes, CallReport]:
    member, func, block, length_bytes, fmt, digest_size = SHA[name]
    padded = _md_pad(msg, block, length_bytes)
    iv = IV[name]
    state = Buffer(struct.pack(f"<{len(iv)}{fmt}", *iv))
    report = _run(_obj(member, OPENSSL_armcap_P=0), func, [state, Buffer(padded), len(padded) // block])
    words = struct.unpack(f"<{len(iv)}{fmt}", report.buffers[0])
    return struct.pack(f">{len(iv)}{fmt}", *words)[:digest_size], report


@pytest.mark.parametrize("name", list(SHA))
@FEW
@given(msg=st.binary(max_size=300))
def test_sha_block_data_order(name: str, msg: bytes) -> None:
    digest, _ = _sha(name, msg)
    assert digest == hashlib.new(name, msg).digest()


@pytest.mark.parametrize("name", list(SHA))
def test_sha_known_answers(name: str) -> None:
    for msg in (b"", b"abc", bytes(range(256)) * 3):  # 0, 1 and several blocks
        digest, report = _sha(name, msg)
        assert digest == hashlib.new(name, msg).digest(), (name, len(msg))
    assert report.steps > 1000


# -- Keccak / SHA-3 (keccak1600-armv8) --------------------------------------------------------------

KECCAK = {  # name -> (rate in bytes, domain separation byte, digest bytes or None for XOFs)
    "sha3_224": (144, 0x06, 28), "sha3_256": (136, 0x06, 32), "sha3_384": (104, 0x06, 48),
    "sha3_512": (72, 0x06, 64), "shake_128": (168, 0x1F, None), "shake_256": (136, 0x1F, None),
}


def _keccak_pad(msg: bytes, rate: int, ds: int) -> bytes:
    """FIPS 202 pad10*1 after the domain bits (SHA-3: 01, SHAKE: 1111), as bytes."""
    padded = bytearray(msg + bytes([ds]))
    padded += bytes(-len(padded) % rate)
    padded[-1] |= 0x80
    return bytes(padded)


def _reference(name: str, msg: bytes, n: int) -> bytes:
    h = hashlib.new(name, msg)
    return h.digest(n) if KECCAK[name][2] is None else h.digest()  # type: ignore[call-arg]


@FEW
@given(name=st.sampled_from(sorted(KECCAK)), data=st.data())
def test_keccak_f1600_one_block(name: str, data: st.DataObject) -> None:
    """The permutation alone: state = padded one-block message, permute once, read the digest."""
    rate, ds, size = KECCAK[name]
    msg = data.draw(st.binary(max_size=rate - 1))
    n = size or 32
    state = _keccak_pad(msg, rate, ds) + bytes(200 - rate)
    report = _run(_obj("keccak1600-armv8"), "KeccakF1600", [Buffer(state)])
    assert report.buffers[0][:n] == _reference(name, msg, n)


@FEW
@given(name=st.sampled_from(sorted(KECCAK)), msg=st.binary(max_size=400), out_len=st.integers(1, 400))
def test_sha3_absorb_squeeze(name: str, msg: bytes, out_len: int) -> None:
    rate, ds, size = KECCAK[name]
    n = size or out_len
    image = _obj("keccak1600-armv8")
    padded = _keccak_pad(msg, rate, ds)
    absorbed = _run(image, "SHA3_absorb", [Buffer.zeros(200), Buffer(padded), len(padded), rate])
    assert absorbed.x0 == 0
    squeezed = _run(image, "SHA3_squeeze", [Buffer(absorbed.buffers[0]), Buffer.zeros(n), n, rate])
    assert squeezed.buffers[1] == _reference(name, msg, n)


@FEW
@given(msg=st.binary(max_size=300), rate=st.sampled_from([72, 104, 136, 144, 168]))
def test_sha3_absorb_returns_the_unabsorbed_tail(msg: bytes, rate: int) -> None:
    report = _run(_obj("keccak1600-armv8"), "SHA3_absorb", [Buffer.zeros(200), Buffer(msg or b"\0"), len(msg), rate])
    assert report.x0 == len(msg) % rate


# -- ChaCha20 (chacha-armv8) ------------------------------------------------------------------------


@FEW
@given(key=st.binary(min_size=32, max_size=32), nonce=st.binary(min_size=12, max_size=12),
       counter=st.integers(0, 2**32 - 16), data=st.binary(min_size=1, max_size=400))
def test_chacha20_ctr32(key: bytes, nonce: bytes, counter: int, data: bytes) -> None:
    iv = counter.to_bytes(4, "little") + nonce
    expected = Cipher(algorithms.ChaCha20(key, iv), mode=None).encryptor().update(data)
    report = _run(_obj("chacha-armv8", OPENSSL_armcap_P=0), "ChaCha20_ctr32",
                  [Buffer.zeros(len(data)), Buffer(data), len(data), Buffer(key), Buffer(iv)])
    assert report.buffers[0] == expected


# -- Poly1305 (poly1305-armv8) ----------------------------------------------------------------------


def _poly1305(key: bytes, msg: bytes) -> bytes:
    image = _obj("poly1305-armv8", OPENSSL_armcap_P=0)
    init = _run(image, "poly1305_init", [Buffer.zeros(192), Buffer(key), Buffer.zeros(16)])
    assert init.x0 == 1
    funcs = struct.unpack("<2Q", init.buffers[2])
    assert funcs == (image.address("poly1305_blocks"), image.address("poly1305_emit")), "integer code chosen"
    ctx = init.buffers[0]
    full = len(msg) // 16 * 16
    if full:
        ctx = _run(image, "poly1305_blocks", [Buffer(ctx), Buffer(msg[:full]), full, 1]).buffers[0]
    if len(msg) > full:  # RFC 8439 2.5.1: the last partial block gets its 0x01 byte here, pad bit 0
        last = msg[full:] + b"\x01" + bytes(15 - (len(msg) - full))
        ctx = _run(image, "poly1305_blocks", [Buffer(ctx), Buffer(last), 16, 0]).buffers[0]
    return _run(image, "poly1305_emit", [Buffer(ctx), Buffer.zeros(16), Buffer(key[16:])]).buffers[1]


@FEW
@given(key=st.binary(min_size=32, max_size=32), msg=st.binary(max_size=300))
def test_poly1305(key: bytes, msg: bytes) -> None:
    assert _poly1305(key, msg) == Poly1305.generate_tag(key, msg)


def test_poly1305_edge_keys() -> None:
    for key in (bytes(32), b"\xff" * 32, bytes(16) + b"\xff" * 16):
        for msg in (b"", b"\xff" * 16, b"\xff" * 33):
            assert _poly1305(key, msg) == Poly1305.generate_tag(key, msg)


# -- Montgomery multiplication (armv8-mont) ----------------------------------------------------------


def _limbs(x: int, n: int) -> bytes:
    return x.to_bytes(8 * n, "little")


@settings(max_examples=12, deadline=None)
@given(num=st.sampled_from([2, 3, 4, 5, 7, 8, 12, 16]), square=st.booleans(), data=st.data())
def test_bn_mul_mont(num: int, square: bool, data: st.DataObject) -> None:
    """rp = ap * bp * 2^(-64 num) mod np; num % 8 == 0 squarings take __bn_sqr8x_mont, num % 4 == 0
    __bn_mul4x_mont, the rest the generic loop."""
    bits = 64 * num
    n = data.draw(st.integers(2 ** (bits - 1), 2**bits - 1)) | 1
    a = data.draw(st.integers(0, n - 1))
    b = a if square else data.draw(st.integers(0, n - 1))
    n0 = -pow(n, -1, 2**64) % 2**64
    image = _obj("armv8-mont", OPENSSL_armv8_rsa_neonized=0)
    ap = Buffer(_limbs(a, num))
    bp = ap if square else Buffer(_limbs(b, num))
    args = [Buffer.zeros(8 * num), ap, bp, Buffer(_limbs(n, num)), Buffer(_limbs(n0, 1)), num]
    report = _run(image, "bn_mul_mont", args)
    assert report.x0 == 1
    assert int.from_bytes(report.buffers[0], "little") == a * b * pow(2, -bits, n) % n


# -- P-256 field and group arithmetic (ecp_nistz256-armv8) -------------------------------------------

P = 2**256 - 2**224 + 2**192 + 2**96 - 1
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
R = 2**256
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5

FIELD = {  # name -> (number of field inputs, reference)
    "ecp_nistz256_mul_mont": (2, lambda a, b: a * b * pow(R, -1, P) % P),
    "ecp_nistz256_sqr_mont": (1, lambda a: a * a * pow(R, -1, P) % P),
    "ecp_nistz256_add": (2, lambda a, b: (a + b) % P),
    "ecp_nistz256_sub": (2, lambda a, b: (a - b) % P),
    "ecp_nistz256_neg": (1, lambda a: -a % P),
    "ecp_nistz256_div_by_2": (1, lambda a: a * pow(2, -1, P) % P),
    "ecp_nistz256_mul_by_2": (1, lambda a: 2 * a % P),
    "ecp_nistz256_mul_by_3": (1, lambda a: 3 * a % P),
    "ecp_nistz256_to_mont": (1, lambda a: a * R % P),
    "ecp_nistz256_from_mont": (1, lambda a: a * pow(R, -1, P) % P),
    "ecp_nistz256_ord_mul_mont": (2, lambda a, b: a * b * pow(R, -1, N) % N),
}


def _u256(x: int) -> Buffer:
    return Buffer(x.to_bytes(32, "little"))


def _edge(modulus: int) -> st.SearchStrategy[int]:
    return st.one_of(st.integers(0, modulus - 1), st.sampled_from([0, 1, 2, modulus - 1, modulus - 2, 2**255]))


@pytest.mark.parametrize("name", list(FIELD))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_nistz256_field(name: str, data: st.DataObject) -> None:
    arity, reference = FIELD[name]
    modulus = N if "ord" in name else P
    xs = [data.draw(_edge(modulus)) % modulus for _ in range(arity)]
    report = _run(_obj("ecp_nistz256-armv8"), name, [Buffer.zeros(32), *map(_u256, xs)])
    assert int.from_bytes(report.buffers[0], "little") == reference(*xs)


@settings(max_examples=6, deadline=None)
@given(a=st.integers(0, N - 1), rep=st.integers(1, 6))
def test_nistz256_ord_sqr_mont(a: int, rep: int) -> None:
    expected = a
    for _ in range(rep):
        expected = expected * expected * pow(R, -1, N) % N
    report = _run(_obj("ecp_nistz256-armv8"), "ecp_nistz256_ord_sqr_mont", [Buffer.zeros(32), _u256(a), rep])
    assert int.from_bytes(report.buffers[0], "little") == expected


def _affine_add(p: tuple[int, int] | None, q: tuple[int, int] | None) -> tuple[int, int] | None:
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        lam = (3 * p[0] * p[0] - 3) * pow(2 * p[1], -1, P) % P
    else:
        lam = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (lam * lam - p[0] - q[0]) % P
    return x, (lam * (p[0] - x) - p[1]) % P


def _mul(k: int) -> tuple[int, int]:
    acc, base = None, (GX, GY)
    while k:
        if k & 1:
            acc = _affine_add(acc, base)
        base = _affine_add(base, base)  # type: ignore[assignment]
        k >>= 1
    assert acc is not None
    return acc


def _jacobian(pt: tuple[int, int], z: int) -> bytes:
    """(X, Y, Z) = (x z^2, y z^3, z), each in Montgomery form, as OpenSSL's P256_POINT."""
    x, y = pt[0] * z * z % P, pt[1] * z**3 % P
    return b"".join((v * R % P).to_bytes(32, "little") for v in (x, y, z))


def _affine(point: bytes) -> tuple[int, int]:
    x, y, z = (int.from_bytes(point[i : i + 32], "little") * pow(R, -1, P) % P for i in (0, 32, 64))
    zi = pow(z, -1, P)
    return x * zi * zi % P, y * zi**3 % P


@settings(max_examples=4, deadline=None)
@given(k1=st.integers(1, N - 1), k2=st.integers(1, N - 1), z1=st.integers(1, P - 1), z2=st.integers(1, P - 1))
@example(k1=5, k2=5, z1=7, z2=9)  # P + P: point_add doubles
def test_nistz256_point_arithmetic(k1: int, k2: int, z1: int, z2: int) -> None:
    """Jacobian points in Montgomery form (X, Y, Z) = (x z^2, y z^3, z) * 2^256 against affine arithmetic."""
    assume((k1 + k2) % N != 0)
    image = _obj("ecp_nistz256-armv8")
    p1, p2 = _mul(k1), _mul(k2)
    double = _run(image, "ecp_nistz256_point_double", [Buffer.zeros(96), Buffer(_jacobian(p1, z1))])
    assert _affine(double.buffers[0]) == _affine_add(p1, p1)
    add = _run(image, "ecp_nistz256_point_add", [Buffer.zeros(96), Buffer(_jacobian(p1, z1)),
                                                  Buffer(_jacobian(p2, z2))])
    assert _affine(add.buffers[0]) == _affine_add(p1, p2)
    if p1 == p2:  # point_add_affine does not double (OpenSSL calls it where P == Q is negligible)
        return
    affine2 = _jacobian(p2, 1)[:64]
    mixed = _run(image, "ecp_nistz256_point_add_affine", [Buffer.zeros(96), Buffer(_jacobian(p1, z1)),
                                                          Buffer(affine2)])
    assert _affine(mixed.buffers[0]) == _affine_add(p1, p2)
