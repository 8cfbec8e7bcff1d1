"""The workloads of ``lnsym bench``: real OpenSSL code (Debian's arm64 ``libcrypto.a``) over a buffer of
``nbytes`` (64 KiB by default), each with the outside reference its output must match before it is timed.

* ``sha256 integer``: ``sha256_block_data_order`` with ``OPENSSL_armcap_P = 0`` (no SHA-2 or NEON bit, so the
  integer path: ROR/EOR/AND/BIC/ADD), against hashlib;
* ``sha256 SHA256H``: ``sha256_block_armv8`` (SHA256H/H2/SU0/SU1), against hashlib;
* ``aes-128-ctr``: ``aes_v8_ctr32_encrypt_blocks`` (AESE/AESMC), against ``cryptography``'s AES-CTR.
"""

from __future__ import annotations

import hashlib
import random
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.simd import Buffers, Outcome, entry_state, run_lnsym
from lnsym.errors import LnsymError
from lnsym.load.image import Image
from lnsym.machine.concrete import ConcreteMachine

WORKLOAD_BYTES = 64 * 1024
SHA256_H0 = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)


@dataclass
class Workload:
    """One call to time: ``state()`` is a fresh entry state (machine, X0..X7, buffers) for a call of ``entry``
    (the routine ``routine``); ``check`` raises unless an outcome is right, by comparing with ``reference``."""

    name: str
    routine: str
    entry: int
    state: Callable[[], tuple[ConcreteMachine, list[int], Buffers]]
    check: Callable[[Outcome], None]
    reference: str


def openssl_call(name: str, image: Image, symbol: str, args: Sequence[int | bytes], check: Callable[[Outcome], None],
                 reference: str) -> Workload:
    """A workload calling ``symbol`` of ``image`` with ``args`` (bytes become buffers, see :func:`entry_state`)."""
    return Workload(name, symbol, image.address(symbol), lambda: entry_state(image, args, {}), check, reference)


def check_size(nbytes: int) -> None:
    """Every workload takes whole 64-byte blocks (SHA-256's block; four AES blocks)."""
    if nbytes < 64 or nbytes % 64:
        raise LnsymError(f"--bytes must be a positive multiple of 64, not {nbytes}")


def _sha256(image: Image, name: str, symbol: str, nbytes: int) -> Workload:
    """A padded message of ``nbytes`` (FIPS 180-4 5.1.1) hashed from H0; the digest compared with hashlib."""
    msg = random.Random(1).randbytes(nbytes - 9)
    padded = msg + b"\x80" + (8 * len(msg)).to_bytes(8, "big")
    expected = hashlib.sha256(msg).digest()

    def check(out: Outcome) -> None:
        if struct.pack(">8I", *struct.unpack("<8I", out.buffers[0])) != expected:
            raise LnsymError(f"{symbol} does not match hashlib")

    return openssl_call(name, image, symbol, [struct.pack("<8I", *SHA256_H0), padded, nbytes // 64], check, "hashlib")


def sha256_integer(libcrypto: Path, nbytes: int = WORKLOAD_BYTES) -> Workload:
    from lnsym.load.loader import load

    image = load(libcrypto, member="libcrypto-lib-sha256-armv8.o", defines={"OPENSSL_armcap_P": 0})
    return _sha256(image, "sha256 integer", "sha256_block_data_order", nbytes)


def sha256_armv8(libcrypto: Path, nbytes: int = WORKLOAD_BYTES) -> Workload:
    from lnsym.load.loader import load

    image = load(libcrypto, member="libcrypto-lib-sha256-armv8.o")
    return _sha256(image, "sha256 SHA256H", "sha256_block_armv8", nbytes)


def aes128_ctr(libcrypto: Path, nbytes: int = WORKLOAD_BYTES) -> Workload:
    """AES-128-CTR over ``nbytes`` (no counter wrap), compared with ``cryptography``; the key schedule is
    OpenSSL's own ``aes_v8_set_encrypt_key`` run on lnsym (a wrong schedule would fail the check)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from lnsym.load.loader import load

    image = load(libcrypto, member="libcrypto-lib-aesv8-armx.o")
    rng = random.Random(2)
    key, iv, text = rng.randbytes(16), rng.randbytes(12) + bytes(4), rng.randbytes(nbytes)
    m, regs, buffers = entry_state(image, [key, 128, bytes(244)], {})
    schedule = run_lnsym(m, image.address("aes_v8_set_encrypt_key"), regs, buffers, 100_000)[0].buffers[1]
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    expected = enc.update(text) + enc.finalize()

    def check(out: Outcome) -> None:
        if out.buffers[1] != expected:
            raise LnsymError("aes_v8_ctr32_encrypt_blocks does not match cryptography's AES-CTR")

    return openssl_call("aes-128-ctr", image, "aes_v8_ctr32_encrypt_blocks",
                        [text, bytes(nbytes), nbytes // 16, schedule, iv], check, "cryptography AES-CTR")


OPENSSL_WORKLOADS = (sha256_integer, sha256_armv8, aes128_ctr)
