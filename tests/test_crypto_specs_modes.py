"""AES modes and POLYVAL against the `cryptography` package and RFC 8452; symbolic term sizes."""

from __future__ import annotations

import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from bitvec import var
from bitvec.term import size
from crypto_specs import aes, aes_modes, chacha20, sha1, sha2
from crypto_specs.ghash import gf128_mul, polyval_bytes

KEYS = st.sampled_from([16, 24, 32]).flatmap(lambda n: st.binary(min_size=n, max_size=n))
BLOCKS = st.integers(1, 4).flatmap(lambda n: st.binary(min_size=16 * n, max_size=16 * n))


def _ref(mode: modes.Mode, key: bytes, data: bytes, encrypt: bool = True) -> bytes:
    c = Cipher(algorithms.AES(key), mode)
    ctx = c.encryptor() if encrypt else c.decryptor()
    return ctx.update(data) + ctx.finalize()


@settings(max_examples=15, deadline=None)
@given(KEYS, BLOCKS, st.binary(min_size=16, max_size=16))
def test_ecb_cbc_ctr_match_cryptography(key: bytes, data: bytes, iv: bytes) -> None:
    assert aes_modes.ecb_encrypt(key, data) == _ref(modes.ECB(), key, data)
    assert aes_modes.ecb_decrypt(key, data) == _ref(modes.ECB(), key, data, False)
    assert aes_modes.cbc_encrypt(key, iv, data) == _ref(modes.CBC(iv), key, data)
    assert aes_modes.cbc_decrypt(key, iv, data) == _ref(modes.CBC(iv), key, data, False)
    assert aes_modes.ctr_encrypt(key, iv, data[:-3]) == _ref(modes.CTR(iv), key, data[:-3])


def test_ctr32_wraps_only_the_low_word() -> None:
    key, counter = bytes(range(16)), bytes(12) + b"\xff\xff\xff\xff"
    data = bytes(32)
    out = aes_modes.ctr32_encrypt(key, counter, data)
    assert out[16:] == aes.encrypt_block(key, bytes(16))  # counter wrapped to ...00000000, no carry


@settings(max_examples=15, deadline=None)
@given(st.sampled_from([32, 64]).flatmap(lambda n: st.binary(min_size=n, max_size=n)),
       st.binary(min_size=16, max_size=16), st.integers(16, 70))
def test_xts_matches_cryptography(key: bytes, tweak: bytes, length: int) -> None:
    if key[: len(key) // 2] == key[len(key) // 2 :]:
        key = bytes([key[0] ^ 1]) + key[1:]  # cryptography rejects equal halves
    data = bytes((7 * i + 3) & 0xFF for i in range(length))
    ref = _ref(modes.XTS(tweak), key, data)
    assert aes_modes.xts_encrypt(key, tweak, data) == ref
    assert aes_modes.xts_decrypt(key, tweak, ref) == data


def test_polyval_rfc8452_vectors() -> None:
    # RFC 8452 Appendix A, and Appendix C.1 (second example: record authentication key, POLYVAL input)
    h = bytes.fromhex("25629347589242761d31f826ba4b757b")
    x = bytes.fromhex("4f4f95668c83dfb6401762bb2d01a262d1a24ddd2721d006bbe45f20d3c9f362")
    assert polyval_bytes(h, x).hex() == "f7a3b47b846119fae5b7866cf5e5b77e"
    h = bytes.fromhex("d9b360279694941ac5dbc6987ada7377")
    x = bytes.fromhex("01000000000000000000000000000000" "00000000000000004000000000000000")
    assert polyval_bytes(h, x).hex() == "eb93b7740962c5e49d2a90a7dc5cec74"


def test_symbolic_block_functions_build_fast_and_report_sizes(capsys: object) -> None:
    """Term sizes of whole block functions on fully symbolic inputs (printed with -s)."""
    sizes = {}
    t0 = time.perf_counter()
    out = sha2.sha256_compress([var(f"h{i}", 32) for i in range(8)], [var(f"w{i}", 32) for i in range(16)])
    sha256_seconds = time.perf_counter() - t0
    sizes["sha256_compress"] = size(out)
    out = sha2.sha512_compress([var(f"H{i}", 64) for i in range(8)], [var(f"W{i}", 64) for i in range(16)])
    sizes["sha512_compress"] = size(out)
    sizes["sha1_compress"] = size(sha1.sha1_compress([var(f"a{i}", 32) for i in range(5)],
                                                     [var(f"m{i}", 32) for i in range(16)]))
    chacha_key, chacha_nonce = [var(f"s{i}", 32) for i in range(8)], [var(f"n{i}", 32) for i in range(3)]
    sizes["chacha20_block"] = size(chacha20.chacha20_block(chacha_key, var("ctr", 32), chacha_nonce))
    sizes["gf128_mul"] = size(gf128_mul(var("gx", 128), var("gy", 128)))
    keys = aes.expand_key([var(f"k{i}", 8) for i in range(16)])
    sizes["aes128_encrypt"] = size(aes.cipher([var(f"p{i}", 8) for i in range(16)], keys))
    for name, n in sizes.items():
        print(f"term size {name}: {n} nodes")
    assert sha256_seconds < 1.0
    assert all(n > 100 for n in sizes.values())
