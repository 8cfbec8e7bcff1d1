"""The bundled programs: committed objects are current with their sources, and each routine runs
concretely to the reference answer (independent implementations and published check values)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lnsym.load.loader import load
from lnsym.machine.harness import Buffer, call

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
SOURCES = sorted(PROGRAMS.glob("*.S")) + sorted((PROGRAMS / "buggy").glob("*.S"))


@pytest.mark.skipif(shutil.which("aarch64-linux-gnu-as") is None, reason="aarch64-linux-gnu-as not installed")
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_object_is_current(source: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.o"
    subprocess.run(["aarch64-linux-gnu-as", "-o", str(rebuilt), str(source)], check=True, cwd=source.parent)
    committed = source.with_suffix(".o")
    assert committed.exists(), f"{committed} is not committed; run make -C programs"
    assert _text_bytes(rebuilt) == _text_bytes(committed), f"{committed} is stale; run make -C programs"


def _text_bytes(obj: Path) -> list[tuple[int, bytes]]:
    image = load(obj)
    return [(s.start, bytes(s.data)) for s in image.segments]


def _crc32c_reference(data: bytes, crc: int = 0) -> int:
    """Bitwise CRC-32C written directly from the reflected polynomial 0x82F63B78 (independent of crypto_specs)."""
    crc ^= 0xFFFF_FFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F6_3B78 if crc & 1 else 0)
    return crc ^ 0xFFFF_FFFF


def test_crc32c_reference_check_value() -> None:
    assert _crc32c_reference(b"123456789") == 0xE306_9283  # the published CRC-32C check value


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=64, max_size=64), st.integers(0, 2**32 - 1))
def test_crc32c_64_runs_concretely(data: bytes, crc: int) -> None:
    image = load(PROGRAMS / "crc32c.o")
    report = call(image, "crc32c_64", [crc, Buffer(data)])
    assert report.x0 & 0xFFFF_FFFF == _crc32c_reference(data, crc)
    assert report.stop == "return" and not report.violations


def _sha256_padded_block(message: bytes) -> bytes:
    assert len(message) <= 55
    return message + b"\x80" + bytes(55 - len(message)) + (8 * len(message)).to_bytes(8, "big")


SHA256_IV = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19]


@settings(max_examples=10, deadline=None)
@given(st.binary(max_size=55))
def test_sha256_block_ce_gives_the_hashlib_digest(message: bytes) -> None:
    import hashlib

    image = load(PROGRAMS / "sha256_block_ce.o")
    state = b"".join(h.to_bytes(4, "little") for h in SHA256_IV)
    report = call(image, "sha256_block_ce", [Buffer(state), Buffer(_sha256_padded_block(message))])
    words = [int.from_bytes(report.buffers[0][i : i + 4], "little") for i in range(0, 32, 4)]
    assert b"".join(w.to_bytes(4, "big") for w in words) == hashlib.sha256(message).digest()


@settings(max_examples=10, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16))
def test_aes128_encrypt_ce_matches_cryptography(key: bytes, block: bytes) -> None:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from crypto_specs.aes import expand_key, state_from_bytes

    round_keys = bytes(b.as_int() for rk in expand_key(state_from_bytes(key)) for b in rk)
    image = load(PROGRAMS / "aes128_encrypt_ce.o")
    report = call(image, "aes128_encrypt_ce", [Buffer(round_keys), Buffer(block), Buffer(bytes(16))])
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    assert report.buffers[2] == enc.update(block) + enc.finalize()


def _quarter_round(a: int, b: int, c: int, d: int) -> tuple[int, int, int, int]:
    """RFC 8439 2.1, on Python ints."""
    def rotl(x: int, n: int) -> int:
        return ((x << n) | (x >> (32 - n))) & 0xFFFF_FFFF

    a = (a + b) & 0xFFFF_FFFF
    d = rotl(d ^ a, 16)
    c = (c + d) & 0xFFFF_FFFF
    b = rotl(b ^ c, 12)
    a = (a + b) & 0xFFFF_FFFF
    d = rotl(d ^ a, 8)
    c = (c + d) & 0xFFFF_FFFF
    b = rotl(b ^ c, 7)
    return a, b, c, d


def test_quarter_round_reference_rfc8439_vector() -> None:
    # RFC 8439 2.1.1
    assert _quarter_round(0x11111111, 0x01020304, 0x9B8D6F43, 0x01234567) == (
        0xEA2A92F4, 0xCB1CF8CE, 0x4581472E, 0x5881C4BB)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=16, max_size=16))
def test_chacha20_qround_neon_runs_concretely(words: list[int]) -> None:
    image = load(PROGRAMS / "chacha20_qround_neon.o")
    report = call(image, "chacha20_qround_neon", [Buffer(b"".join(w.to_bytes(4, "little") for w in words))])
    got = [int.from_bytes(report.buffers[0][i : i + 4], "little") for i in range(0, 64, 4)]
    expected = list(words)
    for i in range(4):
        expected[i], expected[4 + i], expected[8 + i], expected[12 + i] = _quarter_round(
            words[i], words[4 + i], words[8 + i], words[12 + i])
    assert got == expected


def _gf128_mul_reference(x: int, y: int) -> int:
    """SP 800-38D Algorithm 1 on Python ints (blocks read big-endian), written independently."""
    r = 0xE1 << 120
    z, v = 0, y
    for i in range(128):
        if x >> (127 - i) & 1:
            z ^= v
        v = (v >> 1) ^ (r if v & 1 else 0)
    return z


def test_gf128_reference_against_aes_gcm() -> None:
    """The reference multiply reproduces GCM's tag for one block of AAD (checked against cryptography)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key, iv, aad = bytes(range(16)), bytes(12), bytes(range(100, 116))
    h = int.from_bytes(Cipher(algorithms.AES(key), modes.ECB()).encryptor().update(bytes(16)), "big")
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    ek_j0 = int.from_bytes(enc.update(iv + b"\x00\x00\x00\x01"), "big")
    s = _gf128_mul_reference(int.from_bytes(aad, "big"), h)
    s = _gf128_mul_reference(s ^ (128 << 64), h)  # lengths block: len(A) = 128 bits, len(C) = 0
    assert (s ^ ek_j0).to_bytes(16, "big") == AESGCM(key).encrypt(iv, b"", aad)


@settings(max_examples=10, deadline=None)
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16))
def test_ghash_mul_pmull_runs_concretely(x: bytes, h: bytes) -> None:
    image = load(PROGRAMS / "ghash_mul_pmull.o")
    report = call(image, "ghash_mul_pmull", [Buffer(x), Buffer(h)])
    expected = _gf128_mul_reference(int.from_bytes(x, "big"), int.from_bytes(h, "big"))
    assert report.buffers[0] == expected.to_bytes(16, "big")
    assert not report.violations


@settings(max_examples=5, deadline=None)
@given(st.binary(min_size=128, max_size=128))
def test_sha256_blocks_ce_two_blocks_match_hashlib(data: bytes) -> None:
    import hashlib

    message = data[:100]
    padded = message + b"\x80" + bytes(119 - len(message)) + (8 * len(message)).to_bytes(8, "big")
    image = load(PROGRAMS / "sha256_blocks_ce.o")
    state = b"".join(h.to_bytes(4, "little") for h in SHA256_IV)
    report = call(image, "sha256_blocks_ce", [Buffer(state), Buffer(padded), 2])
    words = [int.from_bytes(report.buffers[0][i : i + 4], "little") for i in range(0, 32, 4)]
    assert b"".join(w.to_bytes(4, "big") for w in words) == hashlib.sha256(message).digest()
