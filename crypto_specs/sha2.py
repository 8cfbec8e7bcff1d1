"""SHA-224, SHA-256, SHA-384 and SHA-512 (FIPS 180-4).

SHA-224/256 work on 32-bit words and 64-byte blocks of 16 words, SHA-384/512 on 64-bit words and
128-byte blocks of 16 words (5.2.1, 5.2.2; words big-endian).  Everything below the bytes-level
functions is generic over the bit-vector interface: states, schedules and round inputs may be
concrete or symbolic.  The per-round functions (:func:`sha256_round`, :func:`sha512_round`) take
the eight working variables plus ``W_t`` and ``K_t`` so proofs can be cut at round boundaries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bitvec import BV, Value
from crypto_specs._util import bytes_be, md_pad, words_be

# ---------------------------------------------------------------------------------------------
# Functions (FIPS 180-4 4.1.2 for 32-bit words, 4.1.3 for 64-bit words)


def Ch(x: Value, y: Value, z: Value) -> Value:
    """FIPS 180-4 (4.2)/(4.8): Ch(x, y, z) = (x AND y) XOR (NOT x AND z)."""
    return (x & y) ^ (~x & z)


def Maj(x: Value, y: Value, z: Value) -> Value:
    """FIPS 180-4 (4.3)/(4.9): Maj(x, y, z) = (x AND y) XOR (x AND z) XOR (y AND z)."""
    return (x & y) ^ (x & z) ^ (y & z)


def Sigma0_256(x: Value) -> Value:
    """FIPS 180-4 (4.4): Σ0{256}(x) = ROTR^2(x) XOR ROTR^13(x) XOR ROTR^22(x)."""
    return x.ror(2) ^ x.ror(13) ^ x.ror(22)


def Sigma1_256(x: Value) -> Value:
    """FIPS 180-4 (4.5): Σ1{256}(x) = ROTR^6(x) XOR ROTR^11(x) XOR ROTR^25(x)."""
    return x.ror(6) ^ x.ror(11) ^ x.ror(25)


def sigma0_256(x: Value) -> Value:
    """FIPS 180-4 (4.6): σ0{256}(x) = ROTR^7(x) XOR ROTR^18(x) XOR SHR^3(x)."""
    return x.ror(7) ^ x.ror(18) ^ x.lsr(3)


def sigma1_256(x: Value) -> Value:
    """FIPS 180-4 (4.7): σ1{256}(x) = ROTR^17(x) XOR ROTR^19(x) XOR SHR^10(x)."""
    return x.ror(17) ^ x.ror(19) ^ x.lsr(10)


def Sigma0_512(x: Value) -> Value:
    """FIPS 180-4 (4.10): Σ0{512}(x) = ROTR^28(x) XOR ROTR^34(x) XOR ROTR^39(x)."""
    return x.ror(28) ^ x.ror(34) ^ x.ror(39)


def Sigma1_512(x: Value) -> Value:
    """FIPS 180-4 (4.11): Σ1{512}(x) = ROTR^14(x) XOR ROTR^18(x) XOR ROTR^41(x)."""
    return x.ror(14) ^ x.ror(18) ^ x.ror(41)


def sigma0_512(x: Value) -> Value:
    """FIPS 180-4 (4.12): σ0{512}(x) = ROTR^1(x) XOR ROTR^8(x) XOR SHR^7(x)."""
    return x.ror(1) ^ x.ror(8) ^ x.lsr(7)


def sigma1_512(x: Value) -> Value:
    """FIPS 180-4 (4.13): σ1{512}(x) = ROTR^19(x) XOR ROTR^61(x) XOR SHR^6(x)."""
    return x.ror(19) ^ x.ror(61) ^ x.lsr(6)


# ---------------------------------------------------------------------------------------------
# Constants

# fmt: off
#: FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first
#: 64 primes.
K256: tuple[int, ...] = (
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
)
# fmt: on

# fmt: off
#: FIPS 180-4 4.2.3: the first 64 bits of the fractional parts of the cube roots of the first
#: 80 primes.
K512: tuple[int, ...] = (
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
)
# fmt: on

# fmt: off
#: FIPS 180-4 5.3.2: initial hash value for SHA-224.
H0_224: tuple[int, ...] = (
    0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4,
)
# fmt: on

# fmt: off
#: FIPS 180-4 5.3.3: initial hash value for SHA-256 (square roots of the first 8 primes).
H0_256: tuple[int, ...] = (
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
)
# fmt: on

# fmt: off
#: FIPS 180-4 5.3.4: initial hash value for SHA-384 (square roots of the 9th to 16th primes).
H0_384: tuple[int, ...] = (
    0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
    0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
)
# fmt: on

# fmt: off
#: FIPS 180-4 5.3.5: initial hash value for SHA-512 (square roots of the first 8 primes).
H0_512: tuple[int, ...] = (
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
)
# fmt: on

# ---------------------------------------------------------------------------------------------
# Message schedule, rounds and compression (FIPS 180-4 6.2.2 and 6.4.2)

_Fn = Callable[[Value], Value]


def _schedule(block: Sequence[Value], rounds: int, s0: _Fn, s1: _Fn) -> list[Value]:
    if len(block) != 16:
        raise ValueError("a SHA-2 block is 16 words")
    w = list(block)
    for t in range(16, rounds):
        w.append(s1(w[t - 2]) + w[t - 7] + s0(w[t - 15]) + w[t - 16])
    return w


def sha256_schedule(block: Sequence[Value]) -> list[Value]:
    """FIPS 180-4 6.2.2 step 1: W_0..W_63 from the sixteen 32-bit block words."""
    return _schedule(block, 64, sigma0_256, sigma1_256)


def sha512_schedule(block: Sequence[Value]) -> list[Value]:
    """FIPS 180-4 6.4.2 step 1: W_0..W_79 from the sixteen 64-bit block words."""
    return _schedule(block, 80, sigma0_512, sigma1_512)


def _round(state: Sequence[Value], w_t: Value | int, k_t: Value | int, S0: _Fn, S1: _Fn) -> list[Value]:
    if len(state) != 8:
        raise ValueError("the SHA-2 working state is 8 words")
    a, b, c, d, e, f, g, h = state
    t1 = h + S1(e) + Ch(e, f, g) + k_t + w_t
    t2 = S0(a) + Maj(a, b, c)
    return [t1 + t2, a, b, c, d + t1, e, f, g]


def sha256_round(state: Sequence[Value], w_t: Value | int, k_t: Value | int) -> list[Value]:
    """FIPS 180-4 6.2.2 step 3: one round on the working variables (a, b, c, d, e, f, g, h).

    T1 = h + Σ1(e) + Ch(e, f, g) + K_t + W_t and T2 = Σ0(a) + Maj(a, b, c); the result is
    (T1 + T2, a, b, c, d + T1, e, f, g).
    """
    return _round(state, w_t, k_t, Sigma0_256, Sigma1_256)


def sha512_round(state: Sequence[Value], w_t: Value | int, k_t: Value | int) -> list[Value]:
    """FIPS 180-4 6.4.2 step 3: :func:`sha256_round` with the 64-bit Σ functions."""
    return _round(state, w_t, k_t, Sigma0_512, Sigma1_512)


def sha256_compress(state: Sequence[Value], block: Sequence[Value]) -> list[Value]:
    """FIPS 180-4 6.2.2: one block (16 x 32-bit words) into the 8-word hash value (SHA-224/256)."""
    work = list(state)
    for t, w_t in enumerate(sha256_schedule(block)):
        work = sha256_round(work, w_t, K256[t])
    return [h + v for h, v in zip(state, work)]


def sha512_compress(state: Sequence[Value], block: Sequence[Value]) -> list[Value]:
    """FIPS 180-4 6.4.2: one block (16 x 64-bit words) into the 8-word hash value (SHA-384/512)."""
    work = list(state)
    for t, w_t in enumerate(sha512_schedule(block)):
        work = sha512_round(work, w_t, K512[t])
    return [h + v for h, v in zip(state, work)]


# ---------------------------------------------------------------------------------------------
# Hash functions over bytes (padding 5.1, parsing 5.2, truncation 6.3 and 6.5)


def _hash(message: bytes, h0: Sequence[int], width: int, digest_bytes: int) -> bytes:
    block_bytes = 2 * width
    compress = sha256_compress if width == 32 else sha512_compress
    padded = md_pad(message, block_bytes)
    state: list[Value] = [BV(width, h) for h in h0]
    for i in range(0, len(padded), block_bytes):
        state = compress(state, words_be(padded[i : i + block_bytes], width))
    return bytes_be(state)[:digest_bytes]


def sha224(message: bytes) -> bytes:
    """SHA-224 (FIPS 180-4 6.3): SHA-256 from H0_224, truncated to 224 bits."""
    return _hash(message, H0_224, 32, 28)


def sha256(message: bytes) -> bytes:
    """SHA-256 (FIPS 180-4 6.2)."""
    return _hash(message, H0_256, 32, 32)


def sha384(message: bytes) -> bytes:
    """SHA-384 (FIPS 180-4 6.5): SHA-512 from H0_384, truncated to 384 bits."""
    return _hash(message, H0_384, 64, 48)


def sha512(message: bytes) -> bytes:
    """SHA-512 (FIPS 180-4 6.4)."""
    return _hash(message, H0_512, 64, 64)
