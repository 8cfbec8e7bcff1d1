"""OpenSSL 3.0's AArch64 SIMD and Crypto Extension code (Debian's libcrypto.a) run by lnsym on random
inputs and lengths against independent references: hashlib, the ``cryptography`` package (AES modes,
AES-GCM, ChaCha20, Poly1305) and Python integers.

``OPENSSL_armcap_P`` selects each path a dispatcher has (crypto extension, NEON; the integer paths are
in ``test_openssl_base.py``), and :func:`run_dispatched` checks that the path was really taken.
Every call goes through the AAPCS64 checks of :mod:`lnsym.machine.harness`.  Each property has a
``*_campaign`` twin with more examples (``pytest --campaign``).
"""

from __future__ import annotations

import hashlib
import itertools
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.poly1305 import Poly1305
from hypothesis import strategies as st
from openssl_simd_support import (
    AES_KEY_BYTES,
    AES_KEY_SIZES,
    ARMV7_NEON,
    ARMV8_SHA1,
    ARMV8_SHA256,
    ARMV8_SHA512,
    aes_ecb,
    aes_mode,
    cases,
    ctr32_reference,
    functions_visited,
    gcm_h_words,
    gcm_length_block,
    obj,
    pad16,
    run,
    run_dispatched,
)
from test_openssl_base import IV, KECCAK, _keccak_pad, _md_pad, _reference

from benchmarks.simd import call_on_both
from lnsym.load.image import Image
from lnsym.machine.harness import Buffer

KEYS = st.sampled_from(AES_KEY_SIZES).flatmap(lambda n: st.binary(min_size=n, max_size=n))
BLOCK = st.binary(min_size=16, max_size=16)

# -- SHA-1, SHA-2: Crypto Extension and NEON paths -----------------------------------------------------

# (name, object, dispatcher, routine, armcap, block bytes, length bytes, word format, digest bytes)
ShaPath = tuple[str, str, str, str, int, int, int, str, int]
SHA_PATHS: list[ShaPath] = [
    ("sha1", "sha1-armv8", "sha1_block_data_order", "sha1_block_armv8", ARMV8_SHA1, 64, 8, "I", 20),
    ("sha224", "sha256-armv8", "sha256_block_data_order", "sha256_block_armv8", ARMV8_SHA256, 64, 8, "I", 28),
    ("sha256", "sha256-armv8", "sha256_block_data_order", "sha256_block_armv8", ARMV8_SHA256, 64, 8, "I", 32),
    ("sha256", "sha256-armv8", "sha256_block_data_order", "sha256_block_neon", ARMV7_NEON, 64, 8, "I", 32),
    ("sha384", "sha512-armv8", "sha512_block_data_order", "sha512_block_armv8", ARMV8_SHA512, 128, 16, "Q", 48),
    ("sha512", "sha512-armv8", "sha512_block_data_order", "sha512_block_armv8", ARMV8_SHA512, 128, 16, "Q", 64),
]


@cases(6, msg=st.binary(max_size=400))
@pytest.mark.parametrize("path", SHA_PATHS, ids=lambda p: f"{p[0]}-{p[3]}")
def test_sha_simd(path: ShaPath, msg: bytes) -> None:
    name, member, public, local, armcap, block, length_bytes, fmt, digest_size = path
    iv = IV[name]
    padded = _md_pad(msg, block, length_bytes)
    state = Buffer(struct.pack(f"<{len(iv)}{fmt}", *iv))
    image = obj(member, OPENSSL_armcap_P=armcap)
    report = run_dispatched(image, public, local, [state, Buffer(padded), len(padded) // block])
    words = struct.unpack(f"<{len(iv)}{fmt}", report.buffers[0])
    assert struct.pack(f">{len(iv)}{fmt}", *words)[:digest_size] == hashlib.new(name, msg).digest()


test_sha_simd_campaign = test_sha_simd.more_examples


# -- AES with the Crypto Extension (aesv8-armx) -------------------------------------------------------


def _aesv8() -> Image:
    return obj("aesv8-armx")


def _key_schedule(image: Image, prefix: str, key: bytes, decrypt: bool) -> bytes:
    """An AES_KEY built by lnsym running ``<prefix>_set_{en,de}crypt_key``."""
    name = f"{prefix}_set_decrypt_key" if decrypt else f"{prefix}_set_encrypt_key"
    report = run(image, name, [Buffer(key), 8 * len(key), Buffer.zeros(AES_KEY_BYTES)])
    assert report.x0 == 0
    return report.buffers[1]


def aes_v8_key(key: bytes, decrypt: bool = False) -> bytes:
    return _key_schedule(_aesv8(), "aes_v8", key, decrypt)


@cases(3, block=BLOCK, data=st.data())
@pytest.mark.parametrize("size", AES_KEY_SIZES, ids=lambda n: str(8 * n))
def test_aes_v8_key_schedule_and_single_block(size: int, block: bytes, data: st.DataObject) -> None:
    image = _aesv8()
    key = data.draw(st.binary(min_size=size, max_size=size))
    enc_key, dec_key = aes_v8_key(key), aes_v8_key(key, decrypt=True)
    rounds = {16: 10, 24: 12, 32: 14}[len(key)]
    assert struct.unpack_from("<i", enc_key, 240)[0] == rounds == struct.unpack_from("<i", dec_key, 240)[0]
    assert enc_key[: len(key)] == key  # FIPS 197 5.2: the first Nk words of the schedule are the key
    enc = run(image, "aes_v8_encrypt", [Buffer(block), Buffer.zeros(16), Buffer(enc_key)])
    assert enc.buffers[1] == aes_ecb(key, block)
    dec = run(image, "aes_v8_decrypt", [Buffer(block), Buffer.zeros(16), Buffer(dec_key)])
    assert dec.buffers[1] == aes_ecb(key, block, decrypt=True)


test_aes_v8_key_schedule_and_single_block_campaign = test_aes_v8_key_schedule_and_single_block.more_examples


def test_aes_v8_bad_key_sizes() -> None:
    """Key lengths other than 128/192/256 bits are refused with -2, a null key with -1."""
    image = _aesv8()
    assert run(image, "aes_v8_set_encrypt_key", [Buffer(bytes(20)), 160, Buffer.zeros(AES_KEY_BYTES)]).x0 == 2**64 - 2
    assert run(image, "aes_v8_set_encrypt_key", [0, 128, Buffer.zeros(AES_KEY_BYTES)]).x0 == 2**64 - 1


@cases(8, key=KEYS, blocks=st.integers(1, 12), decrypt=st.booleans(), data=st.data())
def test_aes_v8_ecb(key: bytes, blocks: int, decrypt: bool, data: st.DataObject) -> None:
    text = data.draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    report = run(_aesv8(), "aes_v8_ecb_encrypt",
                 [Buffer(text), Buffer.zeros(len(text)), len(text), Buffer(aes_v8_key(key, decrypt)), int(not decrypt)])
    assert report.buffers[1] == aes_ecb(key, text, decrypt)


test_aes_v8_ecb_campaign = test_aes_v8_ecb.more_examples


@cases(8, key=KEYS, iv=BLOCK, blocks=st.integers(1, 12), decrypt=st.booleans(), data=st.data())
def test_aes_v8_cbc(key: bytes, iv: bytes, blocks: int, decrypt: bool, data: st.DataObject) -> None:
    text = data.draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    args = [Buffer(text), Buffer.zeros(len(text)), len(text), Buffer(aes_v8_key(key, decrypt)), Buffer(iv),
            int(not decrypt)]
    report = run(_aesv8(), "aes_v8_cbc_encrypt", args)
    assert report.buffers[1] == aes_mode(key, modes.CBC(iv), text, decrypt)
    assert report.buffers[3] == (text if decrypt else report.buffers[1])[-16:]  # the IV for the next call


test_aes_v8_cbc_campaign = test_aes_v8_cbc.more_examples


@cases(8, key=KEYS, nonce=st.binary(min_size=12, max_size=12),
       counter=st.one_of(st.integers(0, 2**32 - 1), st.integers(2**32 - 4, 2**32 - 1)),
       blocks=st.integers(1, 13), data=st.data())
def test_aes_v8_ctr32(key: bytes, nonce: bytes, counter: int, blocks: int, data: st.DataObject) -> None:
    text = data.draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    iv = nonce + counter.to_bytes(4, "big")
    report = run(_aesv8(), "aes_v8_ctr32_encrypt_blocks",
                 [Buffer(text), Buffer.zeros(len(text)), blocks, Buffer(aes_v8_key(key)), Buffer(iv)])
    assert report.buffers[1] == ctr32_reference(key, iv, text)
    if counter + blocks < 2**32:  # no wrap: plain CTR mode agrees too
        assert report.buffers[1] == aes_mode(key, modes.CTR(iv), text)


test_aes_v8_ctr32_campaign = test_aes_v8_ctr32.more_examples


@cases(8, size=st.sampled_from([16, 32]), length=st.integers(16, 200), decrypt=st.booleans(), data=st.data())
def test_aes_v8_xts(size: int, length: int, decrypt: bool, data: st.DataObject) -> None:
    """IEEE 1619 XTS-AES-128/256 (the two key sizes it defines), ciphertext stealing for partial tails."""
    key1, key2 = (data.draw(st.binary(min_size=size, max_size=size)) for _ in range(2))
    if key1 == key2:  # cryptography refuses equal halves (FIPS 140 IG A.9)
        key2 = bytes(b ^ 1 for b in key2)
    tweak, text = data.draw(BLOCK), data.draw(st.binary(min_size=length, max_size=length))
    name = "aes_v8_xts_decrypt" if decrypt else "aes_v8_xts_encrypt"
    args = [Buffer(text), Buffer.zeros(length), length, Buffer(aes_v8_key(key1, decrypt)), Buffer(aes_v8_key(key2)),
            Buffer(tweak)]
    report = run(_aesv8(), name, args)
    assert report.buffers[1] == aes_mode(key1 + key2, modes.XTS(tweak), text, decrypt)


test_aes_v8_xts_campaign = test_aes_v8_xts.more_examples


# -- AES with NEON vector permutes (vpaes-armv8) --------------------------------------------------------


def _vpaes() -> Image:
    return obj("vpaes-armv8")


def vpaes_key(key: bytes, decrypt: bool = False) -> bytes:
    return _key_schedule(_vpaes(), "vpaes", key, decrypt)


@cases(3, block=BLOCK, data=st.data())
@pytest.mark.parametrize("size", AES_KEY_SIZES, ids=lambda n: str(8 * n))
def test_vpaes_single_block(size: int, block: bytes, data: st.DataObject) -> None:
    """vpaes_set_{en,de}crypt_key (vpaes's own schedule layout) and one block each way."""
    image = _vpaes()
    key = data.draw(st.binary(min_size=size, max_size=size))
    enc = run(image, "vpaes_encrypt", [Buffer(block), Buffer.zeros(16), Buffer(vpaes_key(key))])
    assert enc.buffers[1] == aes_ecb(key, block)
    dec = run(image, "vpaes_decrypt", [Buffer(block), Buffer.zeros(16), Buffer(vpaes_key(key, decrypt=True))])
    assert dec.buffers[1] == aes_ecb(key, block, decrypt=True)


test_vpaes_single_block_campaign = test_vpaes_single_block.more_examples


@cases(8, key=KEYS, iv=BLOCK, blocks=st.integers(1, 9), decrypt=st.booleans(), data=st.data())
def test_vpaes_cbc(key: bytes, iv: bytes, blocks: int, decrypt: bool, data: st.DataObject) -> None:
    """vpaes_cbc_encrypt; enc = 0 branches to the local vpaes_cbc_decrypt (two blocks at a time)."""
    text = data.draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    args = [Buffer(text), Buffer.zeros(len(text)), len(text), Buffer(vpaes_key(key, decrypt)), Buffer(iv),
            int(not decrypt)]
    report = run(_vpaes(), "vpaes_cbc_encrypt", args)
    assert report.buffers[1] == aes_mode(key, modes.CBC(iv), text, decrypt)
    assert report.buffers[3] == (text if decrypt else report.buffers[1])[-16:]


test_vpaes_cbc_campaign = test_vpaes_cbc.more_examples


@cases(8, key=KEYS, blocks=st.integers(1, 9), data=st.data())
def test_vpaes_ecb_encrypt(key: bytes, blocks: int, data: st.DataObject) -> None:
    text = data.draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    report = run(_vpaes(), "vpaes_ecb_encrypt", [Buffer(text), Buffer.zeros(len(text)), len(text),
                                                 Buffer(vpaes_key(key))])
    assert report.buffers[1] == aes_ecb(key, text)


test_vpaes_ecb_encrypt_campaign = test_vpaes_ecb_encrypt.more_examples


@cases(8, key=KEYS, pairs=st.integers(1, 4), data=st.data())
def test_vpaes_ecb_decrypt(key: bytes, pairs: int, data: st.DataObject) -> None:
    """An even number of blocks (decrypted two at a time by _vpaes_decrypt_2x); odd counts: see below."""
    text = data.draw(st.binary(min_size=32 * pairs, max_size=32 * pairs))
    report = run(_vpaes(), "vpaes_ecb_decrypt", [Buffer(text), Buffer.zeros(len(text)), len(text),
                                                 Buffer(vpaes_key(key, decrypt=True))])
    assert report.buffers[1] == aes_ecb(key, text, decrypt=True)


test_vpaes_ecb_decrypt_campaign = test_vpaes_ecb_decrypt.more_examples


def test_vpaes_ecb_decrypt_odd_block_is_encrypt_core() -> None:
    """OpenSSL 3.0's vpaes_ecb_decrypt handles an odd leading block with ``bl _vpaes_encrypt_core``
    (after ``_vpaes_decrypt_preheat``), so that block is not AES-decrypted; the later pairs are.  No
    OpenSSL caller uses this entry point for AES.  lnsym must reproduce exactly what Unicorn does."""
    image = _vpaes()
    key = bytes(range(16))
    text = bytes(range(48))
    ours, ref, _ = call_on_both(image, "vpaes_ecb_decrypt", [text, bytes(48), 48, vpaes_key(key, decrypt=True)])
    assert ours.buffers == ref.buffers
    expected = aes_ecb(key, text, decrypt=True)
    assert ours.buffers[1][16:] == expected[16:]
    assert ours.buffers[1][:16] != expected[:16]


# -- GHASH with PMULL (ghashv8-armx) ----------------------------------------------------------------------


def _ghash_image() -> Image:
    return obj("ghashv8-armx")


def htable(key: bytes) -> bytes:
    """gcm_init_v8(Htable, H): H, H^2... in the layout the other ghashv8 routines and the GCM kernels read."""
    return run(_ghash_image(), "gcm_init_v8", [Buffer.zeros(256), Buffer(gcm_h_words(key))]).buffers[0]


def ghash_target(key: bytes, nonce: bytes, aad: bytes) -> bytes:
    """GHASH_H(pad(A) || len block) from AES-GCM's tag of an empty message (SP 800-38D 7.1):
    T = GHASH xor E_K(J0), J0 = IV || 0^31 || 1."""
    tag = AESGCM(key).encrypt(nonce, b"", aad)
    return bytes(a ^ b for a, b in zip(tag, aes_ecb(key, nonce + b"\0\0\0\1")))


@cases(8, key=KEYS, nonce=st.binary(min_size=12, max_size=12), aad=st.binary(max_size=160),
       split=st.integers(0, 12))
def test_gcm_ghash_v8(key: bytes, nonce: bytes, aad: bytes, split: int) -> None:
    """gcm_ghash_v8 over pad(A) || lengths in two calls (the second starting from a non-zero Xi);
    a call of 64 bytes or more takes the local gcm_ghash_v8_4x."""
    image = _ghash_image()
    table = htable(key)
    data = pad16(aad) + gcm_length_block(len(aad), 0)
    cut = 16 * min(split, len(data) // 16)
    xi = bytes(16)
    for part in (data[:cut], data[cut:]):
        if part:
            xi = run(image, "gcm_ghash_v8", [Buffer(xi), Buffer(table), Buffer(part), len(part)]).buffers[0]
    assert xi == ghash_target(key, nonce, aad)


test_gcm_ghash_v8_campaign = test_gcm_ghash_v8.more_examples


@cases(6, key=KEYS, nonce=st.binary(min_size=12, max_size=12), aad=st.binary(max_size=64))
def test_gcm_gmult_v8(key: bytes, nonce: bytes, aad: bytes) -> None:
    """Xi = (Xi xor block) * H for each block, one gcm_gmult_v8 call per block."""
    image = _ghash_image()
    table = htable(key)
    data = pad16(aad) + gcm_length_block(len(aad), 0)
    xi = bytes(16)
    for k in range(0, len(data), 16):
        xi = bytes(a ^ b for a, b in zip(xi, data[k : k + 16]))
        xi = run(image, "gcm_gmult_v8", [Buffer(xi), Buffer(table)]).buffers[0]
    assert xi == ghash_target(key, nonce, aad)


test_gcm_gmult_v8_campaign = test_gcm_gmult_v8.more_examples


def test_gcm_ghash_v8_4x_is_taken() -> None:
    image = _ghash_image()
    table = htable(bytes(16))
    data = bytes(range(128))
    args = [Buffer(bytes(range(16))), Buffer(table), Buffer(data), len(data)]
    via = run(image, "gcm_ghash_v8", args)
    direct = run(image, "gcm_ghash_v8_4x", args)
    assert via.buffers == direct.buffers and via.steps == direct.steps + 2


# -- AES-GCM kernels (aes-gcm-armv8_64) ------------------------------------------------------------------

# GCM128_CONTEXT from Xi on (crypto/modes/gcm128.c, OpenSSL 3.0): u128 Xi, H; u128 Htable[16].  The
# kernels take (in, bit length, out, Xi, ivec, key) and read Htable at Xi + 32.


@cases(3, nonce=st.binary(min_size=12, max_size=12), aad=st.binary(max_size=40), blocks=st.integers(1, 14),
       data=st.data())
@pytest.mark.parametrize("decrypt", [False, True], ids=["enc", "dec"])
@pytest.mark.parametrize("size", AES_KEY_SIZES, ids=lambda n: str(8 * n))
def test_aes_gcm_kernels(size: int, decrypt: bool, nonce: bytes, aad: bytes, blocks: int,
                         data: st.DataObject) -> None:
    """Whole blocks (OpenSSL's caller passes len rounded down to 16 bytes): the output, the counter
    block written back, and the GHASH accumulator, finished with the length block into the tag."""
    key = data.draw(st.binary(min_size=size, max_size=size))
    text = data.draw(st.binary(min_size=16 * blocks, max_size=16 * blocks))
    sealed = AESGCM(key).encrypt(nonce, text, aad)
    ciphertext, tag = sealed[:-16], sealed[-16:]
    ghash = _ghash_image()
    table = htable(key)
    xi = bytes(16)
    if aad:
        xi = run(ghash, "gcm_ghash_v8", [Buffer(xi), Buffer(table), Buffer(pad16(aad)), len(pad16(aad))]).buffers[0]
    ctx = xi + gcm_h_words(key) + table
    ivec = nonce + (2).to_bytes(4, "big")  # J0 + 1, the first data counter block
    name = f"aes_gcm_{'dec' if decrypt else 'enc'}_{8 * len(key)}_kernel"
    source = ciphertext if decrypt else text
    report = run(obj("aes-gcm-armv8_64"), name, [Buffer(source), 8 * len(source), Buffer.zeros(len(source)),
                                                  Buffer(ctx), Buffer(ivec), Buffer(aes_v8_key(key))])
    out, ctx_after, ivec_after = report.buffers[1:4]
    assert report.x0 == len(source)
    assert out == (text if decrypt else ciphertext)
    assert ivec_after == nonce + (2 + blocks).to_bytes(4, "big")
    assert ctx_after[16:] == ctx[16:]  # H and Htable are read-only
    xi = bytes(a ^ b for a, b in zip(ctx_after[:16], gcm_length_block(len(aad), len(text))))
    xi = run(ghash, "gcm_gmult_v8", [Buffer(xi), Buffer(table)]).buffers[0]
    assert bytes(a ^ b for a, b in zip(xi, aes_ecb(key, nonce + b"\0\0\0\1"))) == tag


test_aes_gcm_kernels_campaign = test_aes_gcm_kernels.more_examples


# -- Keccak with the SHA-3 extension: EOR3, RAX1, XAR, BCAX (keccak1600-armv8) --------------------------


@cases(6, name=st.sampled_from(sorted(KECCAK)), data=st.data())
def test_keccak_f1600_ce(name: str, data: st.DataObject) -> None:
    """KeccakF1600_ce (state in V0..V24) through its local AAPCS64 wrapper KeccakF1600_cext(A)."""
    rate, ds, size = KECCAK[name]
    msg = data.draw(st.binary(max_size=rate - 1))
    n = size or 32
    state = _keccak_pad(msg, rate, ds) + bytes(200 - rate)
    report = run(obj("keccak1600-armv8"), "KeccakF1600_cext", [Buffer(state)])
    assert report.buffers[0][:n] == _reference(name, msg, n)


test_keccak_f1600_ce_campaign = test_keccak_f1600_ce.more_examples


@cases(8, name=st.sampled_from(sorted(KECCAK)), msg=st.binary(max_size=500), out_len=st.integers(1, 500))
def test_sha3_absorb_squeeze_cext(name: str, msg: bytes, out_len: int) -> None:
    rate, ds, size = KECCAK[name]
    n = size or out_len
    image = obj("keccak1600-armv8")
    padded = _keccak_pad(msg, rate, ds)
    absorbed = run(image, "SHA3_absorb_cext", [Buffer.zeros(200), Buffer(padded + b"tail"), len(padded) + 4, rate])
    assert absorbed.x0 == 4  # the bytes short of a whole block are left for the caller
    squeezed = run(image, "SHA3_squeeze_cext", [Buffer(absorbed.buffers[0]), Buffer.zeros(n), n, rate])
    assert squeezed.buffers[1] == _reference(name, msg, n)


test_sha3_absorb_squeeze_cext_campaign = test_sha3_absorb_squeeze_cext.more_examples


# -- ChaCha20 with NEON (chacha-armv8) -------------------------------------------------------------------


@cases(4, key=st.binary(min_size=32, max_size=32), nonce=st.binary(min_size=12, max_size=12),
       counter=st.integers(0, 2**32 - 32), data=st.data())
@pytest.mark.parametrize("lengths", [(192, 511), (512, 1100)], ids=["ChaCha20_neon", "ChaCha20_512_neon"])
def test_chacha20_neon(lengths: tuple[int, int], key: bytes, nonce: bytes, counter: int,
                       data: st.DataObject) -> None:
    """ChaCha20_ctr32 with NEON goes to ChaCha20_neon from 192 bytes on, which goes on to the
    512-byte-wide ChaCha20_512_neon from 512 bytes on (RFC 8439 2.4, 32-bit block counter)."""
    text = data.draw(st.binary(min_size=lengths[0], max_size=lengths[1]))
    iv = counter.to_bytes(4, "little") + nonce
    expected = Cipher(algorithms.ChaCha20(key, iv), mode=None).encryptor().update(text)
    args = [Buffer.zeros(len(text)), Buffer(text), len(text), Buffer(key), Buffer(iv)]
    image = obj("chacha-armv8", OPENSSL_armcap_P=ARMV7_NEON)
    report = run_dispatched(image, "ChaCha20_ctr32", "ChaCha20_neon", args)
    assert report.buffers[0] == expected


def test_chacha20_512_neon_is_reached() -> None:
    image = obj("chacha-armv8", OPENSSL_armcap_P=ARMV7_NEON)
    for n, wide in ((511, False), (512, True)):
        seen = functions_visited(image, "ChaCha20_ctr32", [bytes(n), bytes(n), n, bytes(32), bytes(16)],
                                 OPENSSL_armcap_P=ARMV7_NEON)
        assert ("ChaCha20_512_neon" in seen) == wide and "ChaCha20_neon" in seen


test_chacha20_neon_campaign = test_chacha20_neon.more_examples


# -- Poly1305 with NEON (poly1305-armv8) -----------------------------------------------------------------


@cases(8, key=st.binary(min_size=32, max_size=32), msg=st.binary(min_size=128, max_size=700),
       chunks=st.lists(st.integers(1, 12), max_size=4))
def test_poly1305_neon(key: bytes, msg: bytes, chunks: list[int]) -> None:
    """poly1305_init with NEON hands back poly1305_blocks_neon / poly1305_emit_neon.  The message goes
    in calls of ``chunks`` blocks each, then the rest, the partial last block padded as RFC 8439
    2.5.1 says; emit adds s.  poly1305_blocks_neon runs its vector loop on calls of 128 bytes or
    more, which leave the state in base 2^26 (flag at ctx + 24); shorter calls convert it back to
    base 2^64 and run scalar code, or go to the integer poly1305_blocks if it is in base 2^64."""
    image = obj("poly1305-armv8", OPENSSL_armcap_P=ARMV7_NEON)
    init = run(image, "poly1305_init", [Buffer.zeros(192), Buffer(key), Buffer.zeros(16)])
    blocks, emit = struct.unpack("<2Q", init.buffers[2])
    assert (blocks, emit) == (image.address("poly1305_blocks_neon"), image.address("poly1305_emit_neon"))
    full = len(msg) // 16 * 16
    bounds = [0]
    for c in chunks:
        bounds.append(min(full, bounds[-1] + 16 * c))
    bounds.append(full)
    if len(msg) > full:
        bounds.append(len(msg))
    ctx = init.buffers[0]
    for lo, hi in itertools.pairwise(bounds):
        chunk, pad_bit = msg[lo:hi], 1
        if not chunk:
            continue
        if len(chunk) % 16:
            chunk, pad_bit = chunk + b"\x01" + bytes(15 - len(chunk) % 16), 0
        ctx = run(image, blocks, [Buffer(ctx), Buffer(chunk), len(chunk), pad_bit]).buffers[0]
        if len(chunk) >= 128:  # the vector loop ran and left the state in base 2^26
            assert struct.unpack_from("<Q", ctx, 24)[0] == 1
    tag = run(image, emit, [Buffer(ctx), Buffer.zeros(16), Buffer(key[16:])]).buffers[1]
    assert tag == Poly1305.generate_tag(key, msg)


test_poly1305_neon_campaign = test_poly1305_neon.more_examples


# -- Montgomery multiplication with NEON (armv8-mont) -----------------------------------------------------


@cases(3, num=st.sampled_from([36, 40, 48]), data=st.data())
def test_bn_mul8x_mont_neon(num: int, data: st.DataObject) -> None:
    """bn_mul_mont goes to bn_mul8x_mont_neon when OPENSSL_armv8_rsa_neonized is set and num is a
    multiple of 4 above 32: rp = ap * bp * 2^(-64 num) mod np."""
    bits = 64 * num
    n = data.draw(st.integers(2 ** (bits - 1), 2**bits - 1)) | 1
    a, b = data.draw(st.integers(0, n - 1)), data.draw(st.integers(0, n - 1))
    n0 = -pow(n, -1, 2**64) % 2**64
    args = [Buffer.zeros(8 * num), Buffer(a.to_bytes(8 * num, "little")), Buffer(b.to_bytes(8 * num, "little")),
            Buffer(n.to_bytes(8 * num, "little")), Buffer(n0.to_bytes(8, "little")), num]
    image = obj("armv8-mont", OPENSSL_armv8_rsa_neonized=1)
    report = run_dispatched(image, "bn_mul_mont", "bn_mul8x_mont_neon", args)
    assert report.x0 != 0  # success; unlike the integer paths this one returns a pointer, not 1
    assert int.from_bytes(report.buffers[0], "little") == a * b * pow(2, -bits, n) % n


test_bn_mul8x_mont_neon_campaign = test_bn_mul8x_mont_neon.more_examples
