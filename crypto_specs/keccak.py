"""Keccak-f[1600], SHA-3 and SHAKE (FIPS 202).

The state A is a list of 25 lanes (64-bit bit-vectors, concrete or symbolic); lane (x, y) is
``A[x + 5*y]`` and bit z of a lane is A[x, y, z] (FIPS 202 3.1.2).  Converting the state string
S to lanes reads eight bytes little-endian per lane, because bit 8i+j of S is bit j of byte i
(B.1), and lane (x, y) holds S[w(5y + x) .. w(5y + x) + w - 1].
"""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value
from crypto_specs._util import bytes_le, rotl, words_le

W = 64  # lane size w for b = 1600
ROUNDS = 24  # n_r for Keccak-f[1600] (l = 6: 12 + 2l)


def _rho_offsets() -> tuple[int, ...]:
    """FIPS 202 3.2.2, Algorithm 2: the rotation offset of each lane (x, y), index x + 5y."""
    offsets = [0] * 25
    x, y = 1, 0
    for t in range(24):
        offsets[x + 5 * y] = ((t + 1) * (t + 2) // 2) % W
        x, y = y, (2 * x + 3 * y) % 5
    return tuple(offsets)


def _rc(t: int) -> int:
    """FIPS 202 3.2.5, Algorithm 5: the bit rc(t) of the 8-bit LFSR x^8 + x^6 + x^5 + x^4 + 1."""
    if t % 255 == 0:
        return 1
    r = [1, 0, 0, 0, 0, 0, 0, 0]
    for _ in range(t % 255):
        r = [0, *r]
        for i in (0, 4, 5, 6):
            r[i] ^= r[8]
        r = r[:8]
    return r[0]


def _round_constant(ir: int) -> int:
    """FIPS 202 3.2.5, Algorithm 6 steps 2-3: RC[2^j - 1] = rc(j + 7 i_r) for j = 0..6."""
    rc = 0
    for j in range(7):
        rc |= _rc(j + 7 * ir) << ((1 << j) - 1)
    return rc


#: FIPS 202 3.2.2: rotation offsets of ρ, indexed x + 5y.
RHO_OFFSETS: tuple[int, ...] = _rho_offsets()

#: FIPS 202 3.2.5: the round constants RC of ι for i_r = 0..23.
ROUND_CONSTANTS: tuple[int, ...] = tuple(_round_constant(ir) for ir in range(ROUNDS))


def theta(a: Sequence[Value]) -> list[Value]:
    """FIPS 202 3.2.1: XOR each lane with the parities of two neighbouring columns."""
    c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
    d = [c[(x - 1) % 5] ^ rotl(c[(x + 1) % 5], 1) for x in range(5)]
    return [a[i] ^ d[i % 5] for i in range(25)]


def rho(a: Sequence[Value]) -> list[Value]:
    """FIPS 202 3.2.2: rotate each lane by its offset (A'[x, y, z] = A[x, y, z - offset])."""
    return [rotl(a[i], RHO_OFFSETS[i]) for i in range(25)]


def pi(a: Sequence[Value]) -> list[Value]:
    """FIPS 202 3.2.3: A'[x, y] = A[(x + 3y) mod 5, x]."""
    return [a[(x + 3 * y) % 5 + 5 * x] for y in range(5) for x in range(5)]


def chi(a: Sequence[Value]) -> list[Value]:
    """FIPS 202 3.2.4: A'[x, y] = A[x, y] XOR ((NOT A[x+1, y]) AND A[x+2, y])."""
    return [a[x + 5 * y] ^ (~a[(x + 1) % 5 + 5 * y] & a[(x + 2) % 5 + 5 * y]) for y in range(5) for x in range(5)]


def iota(a: Sequence[Value], ir: int) -> list[Value]:
    """FIPS 202 3.2.5: XOR the round constant RC(i_r) into lane (0, 0)."""
    return [a[0] ^ ROUND_CONSTANTS[ir], *a[1:]]


def keccak_round(a: Sequence[Value], ir: int) -> list[Value]:
    """FIPS 202 3.3: Rnd(A, i_r) = ι(χ(π(ρ(θ(A)))), i_r)."""
    return iota(chi(pi(rho(theta(a)))), ir)


def keccak_f1600(a: Sequence[Value]) -> list[Value]:
    """FIPS 202 3.4: Keccak-f[1600] = Keccak-p[1600, 24], rounds i_r = 0..23."""
    if len(a) != 25:
        raise ValueError("the Keccak-f[1600] state is 25 lanes")
    state = list(a)
    for ir in range(ROUNDS):
        state = keccak_round(state, ir)
    return state


# ---------------------------------------------------------------------------------------------
# Sponge construction over bytes (FIPS 202 4, 5.1, 6, B.2)


def _pad(message: bytes, rate: int, suffix: int) -> bytes:
    """Append the domain suffix bits and pad10*1 on bytes (B.2): ``suffix`` already holds the
    suffix bits followed by the first 1 of pad10*1 (0x06 for SHA-3, 0x1F for SHAKE); the final
    1 is the top bit of the last byte."""
    q = rate - len(message) % rate
    if q == 1:
        return message + bytes([suffix | 0x80])
    return message + bytes([suffix]) + b"\x00" * (q - 2) + b"\x80"


def sponge(message: bytes, rate: int, suffix: int, out_len: int) -> bytes:
    """FIPS 202 4, Algorithm 8: SPONGE[Keccak-f[1600], pad10*1, r] with ``rate`` in bytes."""
    padded = _pad(message, rate, suffix)
    state: list[Value] = [BV(W, 0)] * 25
    for i in range(0, len(padded), rate):
        block = words_le(padded[i : i + rate], W)
        state = keccak_f1600([s ^ b for s, b in zip(state, block)] + state[len(block) :])
    out = b""
    while True:
        out += bytes_le(state[: rate // 8])
        if len(out) >= out_len:
            return out[:out_len]
        state = keccak_f1600(state)


def sha3_224(message: bytes) -> bytes:
    """FIPS 202 6.1: SHA3-224(M) = KECCAK[448](M || 01, 224)."""
    return sponge(message, 144, 0x06, 28)


def sha3_256(message: bytes) -> bytes:
    """FIPS 202 6.1: SHA3-256(M) = KECCAK[512](M || 01, 256)."""
    return sponge(message, 136, 0x06, 32)


def sha3_384(message: bytes) -> bytes:
    """FIPS 202 6.1: SHA3-384(M) = KECCAK[768](M || 01, 384)."""
    return sponge(message, 104, 0x06, 48)


def sha3_512(message: bytes) -> bytes:
    """FIPS 202 6.1: SHA3-512(M) = KECCAK[1024](M || 01, 512)."""
    return sponge(message, 72, 0x06, 64)


def shake128(message: bytes, length: int) -> bytes:
    """FIPS 202 6.2: SHAKE128(M, d) = KECCAK[256](M || 1111, d), ``length`` = d/8 bytes."""
    return sponge(message, 168, 0x1F, length)


def shake256(message: bytes, length: int) -> bytes:
    """FIPS 202 6.2: SHAKE256(M, d) = KECCAK[512](M || 1111, d), ``length`` = d/8 bytes."""
    return sponge(message, 136, 0x1F, length)
