"""crypto_specs against independent references: hashlib, `cryptography`, zlib, published test
vectors (FIPS 197 Appendices A-C, RFC 8439), constants re-derived from their definitions, and,
for symbolic inputs, term evaluation and Z3 proofs against independently written expressions."""

from __future__ import annotations

import ast
import hashlib
import random
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import z3
from cryptography.hazmat.primitives import poly1305 as crypto_poly1305
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from bitvec import BV, Value, var
from bitvec.term import evaluate
from bitvec.z3backend import to_z3
from crypto_specs import aes, chacha20, crc32, ghash, keccak, poly1305, sha1, sha2
from crypto_specs._util import bytes_be, md_pad, words_be

PACKAGE = Path(__file__).resolve().parent.parent / "crypto_specs"

# Message lengths at the padding boundaries of 64-byte and 128-byte blocks and of the SHA-3 rates.
MD_EDGES = [0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129]
SHA3_EDGES = sorted({n + d for n in (72, 104, 136, 144, 168) for d in (-1, 0, 1)})


def blobs(sizes: st.SearchStrategy[int]) -> st.SearchStrategy[bytes]:
    """Byte strings whose lengths are drawn from ``sizes``."""
    return sizes.flatmap(lambda n: st.binary(min_size=n, max_size=n))


def messages(edges: Sequence[int], max_size: int = 300) -> st.SearchStrategy[bytes]:
    """Byte strings of an edge length or of any length up to ``max_size``."""
    return blobs(st.one_of(st.sampled_from(edges), st.integers(0, max_size)))


AES_KEYS = blobs(st.sampled_from([16, 24, 32]))


def ev(x: Value, env: dict[str, int]) -> int:
    """The integer value of a concrete value or of a term under ``env``."""
    return x.as_int() if isinstance(x, BV) else evaluate(x, env).as_int()


def prove_equal(pairs: Sequence[tuple[Value, z3.BitVecRef]]) -> None:
    """Z3 proves each symbolic result equal to its independently written Z3 expression."""
    solver = z3.Solver()
    solver.add(z3.Or(*[to_z3(ours) != theirs for ours, theirs in pairs]))
    assert solver.check() == z3.unsat


# ---------------------------------------------------------------------------------------------
# The package depends only on bitvec and the standard library


def test_imports_only_bitvec_and_stdlib() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert {p.stem for p in modules} >= {"sha1", "sha2", "aes", "ghash", "keccak", "chacha20", "poly1305", "crc32"}
    allowed = set(sys.stdlib_module_names) | {"__future__", "bitvec", "crypto_specs"}
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative import inside crypto_specs
                    continue
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            for root in roots:
                assert root not in ("isa", "lnsym"), f"{path.name} imports {root}"
                assert root in allowed, f"{path.name} imports {root}"


# ---------------------------------------------------------------------------------------------
# Constants re-derived from their definitions in the standards


def _primes(n: int) -> list[int]:
    found: list[int] = []
    k = 2
    while len(found) < n:
        if all(k % p for p in found):
            found.append(k)
        k += 1
    return found


def _iroot(x: int, k: int) -> int:
    lo, hi = 0, 1 << (x.bit_length() // k + 1)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if mid**k <= x else (lo, mid - 1)
    return lo


def _frac_root(p: int, k: int, bits: int) -> int:
    """The first ``bits`` bits of the fractional part of the k-th root of p."""
    return _iroot(p << (k * bits), k) & ((1 << bits) - 1)


def test_sha2_constants_from_prime_roots() -> None:
    primes = _primes(80)
    assert sha2.K256 == tuple(_frac_root(p, 3, 32) for p in primes[:64])
    assert sha2.K512 == tuple(_frac_root(p, 3, 64) for p in primes)
    assert sha2.H0_256 == tuple(_frac_root(p, 2, 32) for p in primes[:8])
    assert sha2.H0_512 == tuple(_frac_root(p, 2, 64) for p in primes[:8])
    assert sha2.H0_384 == tuple(_frac_root(p, 2, 64) for p in primes[8:16])
    assert sha2.H0_224 == tuple(_frac_root(p, 2, 64) & 0xFFFFFFFF for p in primes[8:16])


def _gf256_mul(a: int, b: int) -> int:
    r = 0
    while b:
        if b & 1:
            r ^= a
        a = (a << 1) ^ (0x11B if a & 0x80 else 0)
        b >>= 1
    return r


def test_aes_sbox_from_inverse_and_affine_map() -> None:
    """FIPS 197 5.1.1: S(b) = affine(b^-1) with b'_i = b_i ^ b_{i+4} ^ b_{i+5} ^ b_{i+6} ^ b_{i+7} ^ c_i."""
    inverse = [0] + [next(y for y in range(1, 256) if _gf256_mul(x, y) == 1) for x in range(1, 256)]
    table = []
    for x in range(256):
        b = inverse[x]
        out = 0
        for i in range(8):
            bit = (b >> i) ^ (b >> ((i + 4) % 8)) ^ (b >> ((i + 5) % 8)) ^ (b >> ((i + 6) % 8)) ^ (b >> ((i + 7) % 8))
            out |= ((bit ^ (0x63 >> i)) & 1) << i
        table.append(out)
    assert tuple(table) == aes.SBOX
    assert all(aes.INV_SBOX[aes.SBOX[x]] == x for x in range(256))
    powers = [1]
    for _ in range(9):
        powers.append(_gf256_mul(powers[-1], 2))
    assert aes.RCON[1:] == tuple(p << 24 for p in powers)


def test_gf256_constant_multiplication() -> None:
    for c in (1, 2, 3, 9, 11, 13, 14):
        assert [aes.gf_mul_const(BV(8, x), c).as_int() for x in range(256)] == [_gf256_mul(x, c) for x in range(256)]


def test_keccak_constants() -> None:
    # FIPS 202 Table 2 (rho offsets) for a few lanes and the first/last round constants
    offsets = keccak.RHO_OFFSETS
    assert (offsets[0], offsets[1], offsets[2], offsets[5], offsets[10], offsets[24]) == (0, 1, 62, 36, 3, 14)
    assert sorted(offsets[1:]) == sorted(((t + 1) * (t + 2) // 2) % 64 for t in range(24))
    assert keccak.ROUND_CONSTANTS[:3] == (0x1, 0x8082, 0x800000000000808A)
    assert keccak.ROUND_CONSTANTS[-1] == 0x8000000080008008


def test_crc_reflected_polynomials() -> None:
    assert crc32.REFLECTED_CRC32 == 0xEDB88320
    assert crc32.REFLECTED_CRC32C == 0x82F63B78


# ---------------------------------------------------------------------------------------------
# Hashes against hashlib


@settings(max_examples=60, deadline=None)
@given(messages(MD_EDGES))
def test_sha1_and_sha256_family(message: bytes) -> None:
    assert sha1.sha1(message) == hashlib.sha1(message).digest()
    assert sha2.sha224(message) == hashlib.sha224(message).digest()
    assert sha2.sha256(message) == hashlib.sha256(message).digest()


@settings(max_examples=50, deadline=None)
@given(messages([*MD_EDGES, 239, 240, 255, 256]))
def test_sha512_family(message: bytes) -> None:
    assert sha2.sha384(message) == hashlib.sha384(message).digest()
    assert sha2.sha512(message) == hashlib.sha512(message).digest()


@settings(max_examples=40, deadline=None)
@given(messages(SHA3_EDGES))
def test_sha3(message: bytes) -> None:
    assert keccak.sha3_224(message) == hashlib.sha3_224(message).digest()
    assert keccak.sha3_256(message) == hashlib.sha3_256(message).digest()
    assert keccak.sha3_384(message) == hashlib.sha3_384(message).digest()
    assert keccak.sha3_512(message) == hashlib.sha3_512(message).digest()


@settings(max_examples=20, deadline=None)
@given(messages(SHA3_EDGES), st.sampled_from([0, 1, 32, 167, 168, 169, 400]))
def test_shake(message: bytes, length: int) -> None:
    assert keccak.shake128(message, length) == hashlib.shake_128(message).digest(length)
    assert keccak.shake256(message, length) == hashlib.shake_256(message).digest(length)


def test_sha256_compress_on_abc_block() -> None:
    block = md_pad(b"abc", 64)
    assert len(block) == 64
    state = sha2.sha256_compress([BV(32, h) for h in sha2.H0_256], words_be(block, 32))
    assert bytes_be(state) == hashlib.sha256(b"abc").digest()


# ---------------------------------------------------------------------------------------------
# AES


FIPS197_APPENDIX_C = [
    ("000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"),
    ("000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"),
    ("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"),
]


@pytest.mark.parametrize(("key", "ciphertext"), FIPS197_APPENDIX_C)
def test_aes_fips197_appendix_c(key: str, ciphertext: str) -> None:
    plaintext = bytes.fromhex("00112233445566778899aabbccddeeff")
    k = bytes.fromhex(key)
    assert aes.encrypt_block(k, plaintext).hex() == ciphertext
    assert aes.decrypt_block(k, bytes.fromhex(ciphertext)) == plaintext
    keys = aes.expand_key(aes.state_from_bytes(k))
    dkeys = aes.eq_inv_round_keys(keys)
    assert aes.state_to_bytes(aes.eq_inv_cipher(aes.state_from_bytes(bytes.fromhex(ciphertext)), dkeys)) == plaintext


def test_aes_fips197_appendix_a_and_b() -> None:
    key = bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")
    w = [x.as_int() for x in aes.key_expansion(aes.state_from_bytes(key))]
    assert len(w) == 44
    assert w[4:8] == [0xA0FAFE17, 0x88542CB1, 0x23A33939, 0x2A6C7605]
    assert w[40:44] == [0xD014F9A8, 0xC9EE2589, 0xE13F0CC8, 0xB6630CA6]
    plaintext = bytes.fromhex("3243f6a8885a308d313198a2e0370734")
    assert aes.encrypt_block(key, plaintext).hex() == "3925841d02dc09fbdc118597196a0b32"


@settings(max_examples=50, deadline=None)
@given(AES_KEYS, st.binary(min_size=16, max_size=16))
def test_aes_against_cryptography(key: bytes, block: bytes) -> None:
    cipher = Cipher(algorithms.AES(key), modes.ECB())
    expected = cipher.encryptor().update(block)
    assert aes.encrypt_block(key, block) == expected
    assert aes.decrypt_block(key, block) == cipher.decryptor().update(block)
    keys = aes.expand_key(aes.state_from_bytes(key))
    state = aes.state_from_bytes(expected)
    assert aes.state_to_bytes(aes.eq_inv_cipher(state, aes.eq_inv_round_keys(keys))) == block


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=16, max_size=16))
def test_aes_layer_inverses(data: bytes) -> None:
    s = aes.state_from_bytes(data)
    assert aes.inv_shift_rows(aes.shift_rows(s)) == s
    assert aes.inv_mix_columns(aes.mix_columns(s)) == s
    assert aes.inv_sub_bytes(aes.sub_bytes(s)) == s
    value = aes.state_to_value(s)
    assert value.as_int() == int.from_bytes(data, "little")
    assert aes.state_from_value(value) == s
    assert aes.state_to_value(s, "big").as_int() == int.from_bytes(data, "big")
    assert aes.state_from_value(aes.state_to_value(s, "big"), "big") == s


def test_aes_shift_rows_layout() -> None:
    """FIPS 197 Figure 8: row r is rotated left by r columns."""
    s = [BV(8, i) for i in range(16)]  # byte i is s_{i mod 4, i div 4}
    out = [b.as_int() for b in aes.shift_rows(s)]
    assert out == [0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11]


# ---------------------------------------------------------------------------------------------
# GHASH and GCM


def _gf128_reference(x: int, y: int) -> int:
    """Independent GF(2^128) product: reverse the bit strings to polynomials, carry-less multiply,
    reduce modulo x^128 + x^7 + x^2 + x + 1, reverse back."""

    def rev(v: int) -> int:
        return int(format(v, "0128b")[::-1], 2)

    a, b = rev(x), rev(y)
    prod = 0
    for i in range(128):
        if (b >> i) & 1:
            prod ^= a << i
    modulus = (1 << 128) | 0x87
    for i in range(254, 127, -1):
        if (prod >> i) & 1:
            prod ^= modulus << (i - 128)
    return rev(prod)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**128 - 1), st.integers(0, 2**128 - 1), st.integers(0, 2**128 - 1))
def test_gf128_mul(x: int, y: int, z: int) -> None:
    X, Y, Z = BV(128, x), BV(128, y), BV(128, z)
    assert ghash.gf128_mul(X, Y).as_int() == _gf128_reference(x, y)
    assert ghash.gf128_mul(X, Y) == ghash.gf128_mul(Y, X)
    assert ghash.gf128_mul(X, Y ^ Z) == ghash.gf128_mul(X, Y) ^ ghash.gf128_mul(X, Z)
    one = BV(128, 1 << 127)  # the string 10...0 is the field's 1
    assert ghash.gf128_mul(X, one) == X


def test_inc32_wraps_in_low_word() -> None:
    x = BV(128, (0xABCDEF << 32) | 0xFFFFFFFF)
    assert ghash.inc32(x).as_int() == 0xABCDEF << 32


@settings(max_examples=25, deadline=None)
@given(
    AES_KEYS,
    blobs(st.one_of(st.just(12), st.integers(8, 40))),
    messages([0, 15, 16, 17, 32, 48], max_size=70),
    st.binary(max_size=40),
)
def test_gcm_against_cryptography(key: bytes, iv: bytes, plaintext: bytes, aad: bytes) -> None:
    expected = AESGCM(key).encrypt(iv, plaintext, aad)
    assert ghash.gcm_encrypt(key, iv, plaintext, aad) == expected
    assert ghash.gcm_decrypt(key, iv, expected, aad) == plaintext
    tampered = bytes([expected[0] ^ 1]) + expected[1:]
    with pytest.raises(ValueError, match="tag"):
        ghash.gcm_decrypt(key, iv, tampered, aad)


# ---------------------------------------------------------------------------------------------
# ChaCha20 and Poly1305


def test_chacha20_rfc8439_vectors() -> None:
    # 2.1.1: quarter round
    out = chacha20.quarter_round(BV(32, 0x11111111), BV(32, 0x01020304), BV(32, 0x9B8D6F43), BV(32, 0x01234567))
    assert [x.as_int() for x in out] == [0xEA2A92F4, 0xCB1CF8CE, 0x4581472E, 0x5881C4BB]
    # 2.3.2: block function
    block = chacha20.chacha20_block_bytes(bytes(range(32)), 1, bytes.fromhex("000000090000004a00000000"))
    assert block.hex() == (
        "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
        "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"
    )


@settings(max_examples=25, deadline=None)
@given(
    st.binary(min_size=32, max_size=32),
    st.binary(min_size=12, max_size=12),
    st.integers(0, 2**32 - 8),
    messages([0, 1, 63, 64, 65, 128]),
)
def test_chacha20_against_cryptography(key: bytes, nonce: bytes, counter: int, plaintext: bytes) -> None:
    full_nonce = counter.to_bytes(4, "little") + nonce
    expected = Cipher(algorithms.ChaCha20(key, full_nonce), mode=None).encryptor().update(plaintext)
    assert chacha20.chacha20_encrypt(key, counter, nonce, plaintext) == expected


def test_poly1305_rfc8439_vector() -> None:
    key = bytes.fromhex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b")
    tag = poly1305.poly1305_mac(b"Cryptographic Forum Research Group", key)
    assert tag.hex() == "a8061dc1305136c6c22b8baf0c0127a9"


def _mac_with_block_steps(message: bytes, key: bytes, step: Callable[[Value, Value, Value], Value]) -> bytes:
    r = BV(130, poly1305.clamp(int.from_bytes(key[:16], "little")))
    acc: Value = BV(130, 0)
    for i in range(0, len(message), 16):
        acc = step(acc, poly1305.block_value(message[i : i + 16]), r)
    tag = poly1305.finish(acc, BV(128, int.from_bytes(key[16:], "little")))
    return tag.as_int().to_bytes(16, "little")


@settings(max_examples=40, deadline=None)
@given(
    st.binary(min_size=32, max_size=32),
    messages([0, 1, 15, 16, 17, 32], max_size=200),
)
def test_poly1305_against_cryptography(key: bytes, message: bytes) -> None:
    expected = crypto_poly1305.Poly1305.generate_tag(key, message)
    assert poly1305.poly1305_mac(message, key) == expected
    assert _mac_with_block_steps(message, key, poly1305.block_step) == expected
    assert _mac_with_block_steps(message, key, poly1305.block_step_fold) == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**130 - 1), st.integers(0, 2**129 - 1), st.integers(0, 2**128 - 1))
def test_poly1305_block_step_extremes(acc: int, n: int, r: int) -> None:
    """The fold and urem forms agree with integer arithmetic, including accumulators >= P."""
    r = poly1305.clamp(r)
    expected = ((acc + n) * r) % poly1305.P
    assert poly1305.block_step(BV(130, acc), BV(130, n), BV(130, r)).as_int() == expected
    assert poly1305.block_step_fold(BV(130, acc), BV(130, n), BV(130, r)).as_int() == expected


# ---------------------------------------------------------------------------------------------
# CRC-32 / CRC-32C


def _bitreverse(v: int, width: int) -> int:
    return int(format(v, f"0{width}b")[::-1], 2)


def _arm_crc32(acc: int, val: int, size: int, poly: int) -> int:
    """The Arm ARM CRC32* pseudocode, written independently: BitReverse and Poly32Mod2."""
    data = (_bitreverse(acc, 32) << size) ^ (_bitreverse(val, size) << 32)
    for i in range(size + 31, 31, -1):
        if (data >> i) & 1:
            data ^= poly << (i - 32)
    return _bitreverse(data & 0xFFFFFFFF, 32)


def test_crc_check_values() -> None:
    assert crc32.crc32(b"123456789") == 0xCBF43926 == zlib.crc32(b"123456789")
    assert crc32.crc32c(b"123456789") == 0xE3069283


@settings(max_examples=40, deadline=None)
@given(messages([0, 1, 2, 3, 4, 7, 8, 9], max_size=100), st.integers(0, 2**32 - 1))
def test_crc32_against_zlib(data: bytes, start: int) -> None:
    assert crc32.crc32(data) == zlib.crc32(data)
    assert crc32.crc32(data, start) == zlib.crc32(data, start)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([8, 16, 32, 64]), st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1))
def test_crc_update_against_arm_pseudocode(size: int, acc: int, val: int) -> None:
    val &= (1 << size) - 1
    got = crc32.crc32_update(BV(32, acc), BV(size, val)).as_int()
    assert got == _arm_crc32(acc, val, size, 0x04C11DB7)
    got_c = crc32.crc32c_update(BV(32, acc), BV(size, val)).as_int()
    assert got_c == _arm_crc32(acc, val, size, 0x1EDC6F41)
    # a wide update is the byte updates in little-endian byte order
    state: Value = BV(32, acc)
    for i in range(size // 8):
        state = crc32.crc32c_update(state, BV(8, val >> (8 * i)))
    assert state.as_int() == got_c


def test_crc32c_via_bytes_matches_wide_updates() -> None:
    data = b"123456789abcdefg"
    state: Value = BV(32, 0xFFFFFFFF)
    state = crc32.crc32c_update(state, BV(64, int.from_bytes(data[:8], "little")))
    state = crc32.crc32c_update(state, BV(32, int.from_bytes(data[8:12], "little")))
    state = crc32.crc32c_update(state, BV(16, int.from_bytes(data[12:14], "little")))
    state = crc32.crc32c_update(state, BV(8, data[14]))
    state = crc32.crc32c_update(state, BV(8, data[15]))
    assert (~state).as_int() == crc32.crc32c(data)


# ---------------------------------------------------------------------------------------------
# Symbolic inputs: evaluation of the terms agrees with the concrete computation


def _rand_env(names: dict[str, int], rng: random.Random) -> dict[str, int]:
    return {n: rng.getrandbits(w) for n, w in names.items()}


def test_symbolic_sha256_round_and_compress() -> None:
    rng = random.Random(256)
    state = [var(f"h{i}", 32) for i in range(8)]
    w_t = var("w", 32)
    round_out = sha2.sha256_round(state, w_t, sha2.K256[5])
    block = [var(f"m{i}", 32) for i in range(16)]
    compressed = sha2.sha256_compress(state, block)
    names = {**{f"h{i}": 32 for i in range(8)}, **{f"m{i}": 32 for i in range(16)}, "w": 32}
    for _ in range(4):
        env = _rand_env(names, rng)
        cs = [BV(32, env[f"h{i}"]) for i in range(8)]
        expect = sha2.sha256_round(cs, BV(32, env["w"]), sha2.K256[5])
        assert [ev(x, env) for x in round_out] == [x.as_int() for x in expect]
        cb = [BV(32, env[f"m{i}"]) for i in range(16)]
        assert [ev(x, env) for x in compressed] == [x.as_int() for x in sha2.sha256_compress(cs, cb)]


def test_symbolic_sha512_and_sha1_rounds() -> None:
    rng = random.Random(512)
    state = [var(f"h{i}", 64) for i in range(8)]
    out = sha2.sha512_round(state, var("w", 64), var("k", 64))
    s1 = sha1.sha1_round([var(f"g{i}", 32) for i in range(5)], var("v", 32), 45)
    names = {**{f"h{i}": 64 for i in range(8)}, "w": 64, "k": 64, **{f"g{i}": 32 for i in range(5)}, "v": 32}
    for _ in range(4):
        env = _rand_env(names, rng)
        expect = sha2.sha512_round([BV(64, env[f"h{i}"]) for i in range(8)], BV(64, env["w"]), BV(64, env["k"]))
        assert [ev(x, env) for x in out] == [x.as_int() for x in expect]
        expect1 = sha1.sha1_round([BV(32, env[f"g{i}"]) for i in range(5)], BV(32, env["v"]), 45)
        assert [ev(x, env) for x in s1] == [x.as_int() for x in expect1]


def test_symbolic_sbox_lookup_is_exhaustively_correct() -> None:
    b = var("b", 8)
    forward, backward = aes.sbox_lookup(b), aes.inv_sbox_lookup(b)
    for x in range(256):
        env = {"b": x}
        assert ev(forward, env) == aes.SBOX[x]
        assert ev(backward, env) == aes.INV_SBOX[x]


def test_symbolic_aes_round_and_key_expansion() -> None:
    rng = random.Random(197)
    state = [var(f"s{i}", 8) for i in range(16)]
    key = [var(f"k{i}", 8) for i in range(16)]
    rnd = aes.aes_round(state, key)
    inv = aes.inv_mix_columns(aes.mix_columns(state))
    schedule = aes.key_expansion(key)[4:8]  # the first round key: one SubWord/RotWord/Rcon step
    names = {**{f"s{i}": 8 for i in range(16)}, **{f"k{i}": 8 for i in range(16)}}
    for _ in range(5):
        env = _rand_env(names, rng)
        cs = [BV(8, env[f"s{i}"]) for i in range(16)]
        ck = [BV(8, env[f"k{i}"]) for i in range(16)]
        assert [ev(x, env) for x in rnd] == [x.as_int() for x in aes.aes_round(cs, ck)]
        assert [ev(x, env) for x in inv] == [x.as_int() for x in cs]
        assert [ev(x, env) for x in schedule] == [x.as_int() for x in aes.key_expansion(ck)[4:8]]


def test_symbolic_crc_updates() -> None:
    rng = random.Random(32)
    crc = var("crc", 32)
    for size in (8, 16, 32, 64):
        data = var(f"d{size}", size)
        terms = (crc32.crc32_update(crc, data), crc32.crc32c_update(crc, data))
        for _ in range(5):
            env = {"crc": rng.getrandbits(32), f"d{size}": rng.getrandbits(size)}
            concrete = (
                crc32.crc32_update(BV(32, env["crc"]), BV(size, env[f"d{size}"])),
                crc32.crc32c_update(BV(32, env["crc"]), BV(size, env[f"d{size}"])),
            )
            assert [ev(t, env) for t in terms] == [c.as_int() for c in concrete]


def test_symbolic_gf128_mul_and_ghash() -> None:
    rng = random.Random(128)
    x, y = var("x", 128), var("y", 128)
    h = BV(128, rng.getrandbits(128))
    one_symbolic = ghash.gf128_mul(x, h)
    both_symbolic = ghash.gf128_mul(x, y)
    two_blocks = ghash.ghash(h, [x, y])
    for _ in range(5):
        env = {"x": rng.getrandbits(128), "y": rng.getrandbits(128)}
        assert ev(one_symbolic, env) == _gf128_reference(env["x"], h.as_int())
        assert ev(both_symbolic, env) == _gf128_reference(env["x"], env["y"])
        expect = ghash.ghash(h, [BV(128, env["x"]), BV(128, env["y"])])
        assert ev(two_blocks, env) == expect.as_int()


def test_symbolic_chacha20_block_and_keccak_round() -> None:
    rng = random.Random(8439)
    key = [var(f"k{i}", 32) for i in range(8)]
    nonce = [var(f"n{i}", 32) for i in range(3)]
    block = chacha20.chacha20_block(key, var("ctr", 32), nonce)
    lanes = [var(f"a{i}", 64) for i in range(25)]
    kround = keccak.keccak_round(lanes, 7)
    names = {**{f"k{i}": 32 for i in range(8)}, **{f"n{i}": 32 for i in range(3)}, "ctr": 32}
    names |= {f"a{i}": 64 for i in range(25)}
    for _ in range(3):
        env = _rand_env(names, rng)
        ck = [BV(32, env[f"k{i}"]) for i in range(8)]
        cn = [BV(32, env[f"n{i}"]) for i in range(3)]
        expect = chacha20.chacha20_block(ck, BV(32, env["ctr"]), cn)
        assert [ev(t, env) for t in block] == [c.as_int() for c in expect]
        ca = [BV(64, env[f"a{i}"]) for i in range(25)]
        assert [ev(t, env) for t in kround] == [c.as_int() for c in keccak.keccak_round(ca, 7)]


def test_symbolic_poly1305_steps() -> None:
    rng = random.Random(1305)
    acc, n, r = var("acc", 130), var("n", 130), var("r", 130)
    urem_form = poly1305.block_step(acc, n, r)
    fold_form = poly1305.block_step_fold(acc, n, r)
    for _ in range(10):
        env = {"acc": rng.getrandbits(130), "n": rng.getrandbits(129), "r": poly1305.clamp(rng.getrandbits(128))}
        expected = ((env["acc"] + env["n"]) * env["r"]) % poly1305.P
        assert ev(urem_form, env) == expected
        assert ev(fold_form, env) == expected


# ---------------------------------------------------------------------------------------------
# Z3 proofs against independently written Z3 expressions


def test_z3_chacha_quarter_round() -> None:
    a, b, c, d = (z3.BitVec(n, 32) for n in "abcd")
    ours = chacha20.quarter_round(var("a", 32), var("b", 32), var("c", 32), var("d", 32))
    # RFC 8439 2.1, step by step with Z3's own rotate
    a = a + b
    d = z3.RotateLeft(d ^ a, 16)
    c = c + d
    b = z3.RotateLeft(b ^ c, 12)
    a = a + b
    d = z3.RotateLeft(d ^ a, 8)
    c = c + d
    b = z3.RotateLeft(b ^ c, 7)
    prove_equal(list(zip(ours, (a, b, c, d))))


def test_z3_sha256_functions() -> None:
    x, y, z = z3.BitVec("x", 32), z3.BitVec("y", 32), z3.BitVec("z", 32)
    X, Y, Z = var("x", 32), var("y", 32), var("z", 32)
    rr = z3.RotateRight
    prove_equal(
        [
            (sha2.Sigma0_256(X), rr(x, 2) ^ rr(x, 13) ^ rr(x, 22)),
            (sha2.Sigma1_256(X), rr(x, 6) ^ rr(x, 11) ^ rr(x, 25)),
            (sha2.sigma0_256(X), rr(x, 7) ^ rr(x, 18) ^ z3.LShR(x, 3)),
            (sha2.sigma1_256(X), rr(x, 17) ^ rr(x, 19) ^ z3.LShR(x, 10)),
            # Ch/Maj as bitwise selection and majority, written differently from the spec
            (sha2.Ch(X, Y, Z), z ^ (x & (y ^ z))),
            (sha2.Maj(X, Y, Z), (x & y) | (z & (x | y))),
        ]
    )


def test_z3_xtime_and_crc32b() -> None:
    b = z3.BitVec("b", 8)
    xt = z3.If(z3.Extract(7, 7, b) == 1, (b << 1) ^ 0x1B, b << 1)
    # CRC32B as the Arm pseudocode: BitReverse(Poly32Mod2(BitReverse(acc):0^8 EOR BitReverse(val):0^32, poly))
    acc, val = z3.BitVec("acc", 32), z3.BitVec("val", 8)

    def bitreverse(e: z3.BitVecRef, width: int) -> z3.BitVecRef:
        return z3.Concat(*[z3.Extract(i, i, e) for i in range(width)])

    data = z3.Concat(bitreverse(acc, 32), z3.BitVecVal(0, 8)) ^ z3.Concat(bitreverse(val, 8), z3.BitVecVal(0, 32))
    for i in range(39, 31, -1):
        data = z3.If(z3.Extract(i, i, data) == 1, data ^ z3.BitVecVal(0x04C11DB7 << (i - 32), 40), data)
    crc32b = bitreverse(z3.Extract(31, 0, data), 32)
    prove_equal([(aes.xtime(var("b", 8)), xt), (crc32.crc32_update(var("acc", 32), var("val", 8)), crc32b)])
