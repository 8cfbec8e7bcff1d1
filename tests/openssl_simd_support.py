"""Helpers for ``test_openssl_simd.py``: running OpenSSL objects under the AAPCS64 harness, checking
which code path a dispatcher took, and the external references (``cryptography``) the tests compare
against.  Nothing here computes an expected value itself except the byte shuffling that OpenSSL's
structures need (AES_KEY, GCM128_CONTEXT, the big-endian H words of ``gcm_init_v8``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given, settings
from openssl_fixture import openssl_object

from benchmarks.simd import SENTINEL, entry_state
from lnsym.load.image import Image
from lnsym.machine.harness import Arg, CallReport, call
from lnsym.machine.stepper import Stepper

CAMPAIGN_FACTOR = 25  # the campaign variant of each property runs this many times more examples

# OPENSSL_armcap_P bits (crypto/arm_arch.h) that the dispatchers below test
ARMV7_NEON, ARMV8_AES, ARMV8_SHA1, ARMV8_SHA256, ARMV8_PMULL, ARMV8_SHA512 = 1, 4, 8, 16, 32, 64

AES_KEY_BYTES = 244  # u32 rd_key[60] then int rounds at byte 240
AES_KEY_SIZES = (16, 24, 32)


def cases(examples: int, **strategies: Any) -> Callable[[Callable[..., None]], Any]:
    """``@given(**strategies)`` with ``examples`` examples; the returned test also carries a
    ``more_examples`` attribute, the same property with CAMPAIGN_FACTOR times more examples, marked
    ``campaign`` (bind it to a ``test_*_campaign`` name for pytest to collect it).  The attribute is
    not called ``campaign``: pytest counts function attributes as keywords, and that would skip both."""

    def decorate(body: Callable[..., None]) -> Any:
        fast = settings(max_examples=examples, deadline=None)(given(**strategies)(body))
        slow = settings(max_examples=examples * CAMPAIGN_FACTOR, deadline=None)(given(**strategies)(body))
        fast.more_examples = pytest.mark.campaign(slow)
        return fast

    return decorate


def obj(member: str, **defines: int) -> Image:
    return openssl_object(f"libcrypto-lib-{member}.o", **defines)


def run(image: Image, target: str | int, args: list[Arg], max_steps: int = 5_000_000) -> CallReport:
    """Call ``target`` and insist that it returned and kept the AAPCS64 rules."""
    report = call(image, target, args, max_steps=max_steps)
    assert report.ok, report.describe()
    return report


def run_dispatched(image: Image, public: str, local: str, args: list[Arg], max_steps: int = 5_000_000) -> CallReport:
    """Call the dispatcher ``public`` and check that it went to ``local``: calling ``local`` directly
    gives the same buffers and X0, in a few instructions less (the dispatch itself)."""
    via = run(image, public, args, max_steps)
    direct = run(image, local, args, max_steps)
    assert (via.buffers, via.x0) == (direct.buffers, direct.x0)
    assert 0 < via.steps - direct.steps <= 8, (public, local, via.steps, direct.steps)
    return via


def functions_visited(image: Image, symbol: str, args: list[int | bytes], **defines: int) -> set[str]:
    """The functions (symbols of ``image``) whose code runs during the call, stepping interpreted."""
    state, regs, _ = entry_state(image, args, defines)
    stepper = Stepper(state)
    seen: set[str] = set()
    stepper.on_step = lambda pc, _word, _pattern: seen.add(image.function_at(pc) or hex(pc))
    event = stepper.call(image.address(symbol), regs, sentinel=SENTINEL)
    assert event.reason == "sentinel", event
    return seen


# -- references from the `cryptography` package ----------------------------------------------------


def aes_ecb(key: bytes, data: bytes, decrypt: bool = False) -> bytes:
    c = Cipher(algorithms.AES(key), modes.ECB())
    ctx = c.decryptor() if decrypt else c.encryptor()
    return ctx.update(data) + ctx.finalize()


def aes_mode(key: bytes, mode: modes.Mode, data: bytes, decrypt: bool = False) -> bytes:
    c = Cipher(algorithms.AES(key), mode)
    ctx = c.decryptor() if decrypt else c.encryptor()
    return ctx.update(data) + ctx.finalize()


def ctr32_reference(key: bytes, iv: bytes, data: bytes) -> bytes:
    """CTR with a 32-bit big-endian counter in the last word that wraps without carrying into the
    rest (OpenSSL's ctr32 contract), keystream from AES-ECB of each counter block."""
    prefix, counter = iv[:12], int.from_bytes(iv[12:], "big")
    blocks = b"".join(prefix + ((counter + i) % 2**32).to_bytes(4, "big") for i in range(len(data) // 16))
    stream = aes_ecb(key, blocks)
    return bytes(a ^ b for a, b in zip(data, stream))


# -- OpenSSL structures ------------------------------------------------------------------------------


def gcm_h_words(key: bytes) -> bytes:
    """``ctx->H`` as ``gcm_init_v8`` reads it: H = E_K(0^128) as two u64, each byte-swapped to a
    big-endian number (CRYPTO_gcm128_init), stored little-endian."""
    h = aes_ecb(key, bytes(16))
    return int.from_bytes(h[:8], "big").to_bytes(8, "little") + int.from_bytes(h[8:], "big").to_bytes(8, "little")


def gcm_length_block(aad_len: int, text_len: int) -> bytes:
    """NIST SP 800-38D 7.1 step 5: len(A) || len(C) in bits, 64 bits each, big-endian."""
    return (8 * aad_len).to_bytes(8, "big") + (8 * text_len).to_bytes(8, "big")


def pad16(data: bytes) -> bytes:
    return data + bytes(-len(data) % 16)
