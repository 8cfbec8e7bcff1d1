"""SHA-1 (FIPS 180-4): the compression function over 32-bit words and the hash over bytes.

Words are 32-bit bit-vectors (concrete or symbolic).  A message block is 16 words ``M_0..M_15``
(big-endian words of the 64-byte block, 5.2.1); the state is the five words ``H_0..H_4``.
"""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value
from crypto_specs._util import bytes_be, md_pad, rotl, words_be

#: FIPS 180-4 5.3.1: the initial hash value H(0).
H0: tuple[int, ...] = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)

#: FIPS 180-4 4.2.1: K_t, one constant for each group of 20 rounds.
K: tuple[int, ...] = (0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xCA62C1D6)


def Ch(x: Value, y: Value, z: Value) -> Value:
    """FIPS 180-4 4.1.1, f_t for 0 <= t <= 19."""
    return (x & y) ^ (~x & z)


def Parity(x: Value, y: Value, z: Value) -> Value:
    """FIPS 180-4 4.1.1, f_t for 20 <= t <= 39 and 60 <= t <= 79."""
    return x ^ y ^ z


def Maj(x: Value, y: Value, z: Value) -> Value:
    """FIPS 180-4 4.1.1, f_t for 40 <= t <= 59."""
    return (x & y) ^ (x & z) ^ (y & z)


def f(t: int, x: Value, y: Value, z: Value) -> Value:
    """FIPS 180-4 4.1.1: the round function f_t selected by the round number ``t``."""
    if t < 20:
        return Ch(x, y, z)
    if 40 <= t < 60:
        return Maj(x, y, z)
    return Parity(x, y, z)


def schedule(block: Sequence[Value]) -> list[Value]:
    """FIPS 180-4 6.1.2 step 1: the message schedule W_0..W_79 from the 16 block words."""
    if len(block) != 16:
        raise ValueError("a SHA-1 block is 16 words")
    w = list(block)
    for t in range(16, 80):
        w.append(rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1))
    return w


def sha1_round(state: Sequence[Value], w_t: Value, t: int) -> list[Value]:
    """FIPS 180-4 6.1.2 step 3: one round ``t`` on the working variables (a, b, c, d, e)."""
    a, b, c, d, e = state
    temp = rotl(a, 5) + f(t, b, c, d) + e + K[t // 20] + w_t
    return [temp, a, rotl(b, 30), c, d]


def sha1_compress(state: Sequence[Value], block: Sequence[Value]) -> list[Value]:
    """FIPS 180-4 6.1.2: process one 16-word block, returning the new five-word hash value."""
    if len(state) != 5:
        raise ValueError("the SHA-1 state is 5 words")
    w = schedule(block)
    work = list(state)
    for t in range(80):
        work = sha1_round(work, w[t], t)
    return [h + v for h, v in zip(state, work)]


def sha1(message: bytes) -> bytes:
    """SHA-1 of ``message`` (padding 5.1.1, parsing 5.2.1, computation 6.1.2)."""
    padded = md_pad(message, 64)
    state: list[Value] = [BV(32, h) for h in H0]
    for i in range(0, len(padded), 64):
        state = sha1_compress(state, words_be(padded[i : i + 64], 32))
    return bytes_be(state)
