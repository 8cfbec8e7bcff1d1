"""sha512_block_ce and aes128_expand_key_ce run concretely to the answers of hashlib, `cryptography`
and FIPS 197's published key-expansion vector (independent of crypto_specs where it matters)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lnsym.load.loader import load
from lnsym.machine.harness import Buffer, CallReport, call

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"

# FIPS 180-4 5.3.4 / 5.3.5, typed here rather than imported so crypto_specs is not the reference.
SHA384_IV = (0xCBBB9D5DC1059ED8, 0x629A292A367CD507, 0x9159015A3070DD17, 0x152FECD8F70E5939,
             0x67332667FFC00B31, 0x8EB44A8768581511, 0xDB0C2E0D64F98FA7, 0x47B5481DBEFA4FA4)
SHA512_IV = (0x6A09E667F3BCC908, 0xBB67AE8584CAA73B, 0x3C6EF372FE94F82B, 0xA54FF53A5F1D36F1,
             0x510E527FADE682D1, 0x9B05688C2B3E6C1F, 0x1F83D9ABFB41BD6B, 0x5BE0CD19137E2179)


def _sha512_pad(message: bytes) -> bytes:
    """FIPS 180-4 5.1.2: 0x80, zeros, then the 128-bit big-endian bit length, to a multiple of 128 bytes."""
    zeros = (111 - len(message)) % 128
    return message + b"\x80" + bytes(zeros) + (8 * len(message)).to_bytes(16, "big")


def _sha512_blocks(iv: tuple[int, ...], padded: bytes) -> bytes:
    """Run sha512_block_ce once per block, feeding the state through, and return the state big-endian."""
    image = load(PROGRAMS / "sha512_block_ce.o")
    state = b"".join(h.to_bytes(8, "little") for h in iv)
    for i in range(0, len(padded), 128):
        report = call(image, "sha512_block_ce", [Buffer(state), Buffer(padded[i : i + 128])])
        assert report.ok, report.violations
        state = report.buffers[0]
    return b"".join(state[i : i + 8][::-1] for i in range(0, 64, 8))


@settings(max_examples=8, deadline=None)
@given(st.binary(max_size=111))
def test_sha512_block_ce_gives_the_hashlib_digest(message: bytes) -> None:
    padded = _sha512_pad(message)
    assert len(padded) == 128
    assert _sha512_blocks(SHA512_IV, padded) == hashlib.sha512(message).digest()
    assert _sha512_blocks(SHA384_IV, padded)[:48] == hashlib.sha384(message).digest()


@settings(max_examples=4, deadline=None)
@given(st.binary(min_size=112, max_size=239))
def test_sha512_block_ce_chains_two_blocks(message: bytes) -> None:
    """The second block starts from a state that is not an IV (the first block's output)."""
    padded = _sha512_pad(message)
    assert len(padded) == 256
    assert _sha512_blocks(SHA512_IV, padded) == hashlib.sha512(message).digest()


def _expand(key: bytes) -> CallReport:
    report = call(load(PROGRAMS / "aes128_expand_key_ce.o"), "aes128_expand_key_ce",
                  [Buffer(key), Buffer(bytes(176))])
    assert report.ok, report.violations
    return report


def test_aes128_expand_key_ce_fips197_appendix_a1() -> None:
    """FIPS 197 A.1: the expansion of 2b7e1516 28aed2a6 abf71588 09cf4f3c (first and last words)."""
    round_keys = _expand(bytes.fromhex("2b7e151628aed2a6abf7158809cf4f3c")).buffers[1]
    assert round_keys[16:20] == bytes.fromhex("a0fafe17")  # w[4]
    assert round_keys[160:] == bytes.fromhex("d014f9a8c9ee2589e13f0cc8b6630ca6")  # w[40..43]


@settings(max_examples=10, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16))
def test_aes128_expand_key_ce_encrypts_like_cryptography(key: bytes, block: bytes) -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from crypto_specs.aes import cipher, state_from_bytes, state_to_bytes

    round_keys = _expand(key).buffers[1]
    keys = [state_from_bytes(round_keys[16 * r : 16 * r + 16]) for r in range(11)]
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    assert state_to_bytes(cipher(state_from_bytes(block), keys)) == enc.update(block) + enc.finalize()
