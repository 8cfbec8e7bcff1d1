"""AES-128/192/256 (FIPS 197): the cipher, the inverse cipher and their building blocks.

The state is a list of 16 bytes (8-bit bit-vectors, concrete or symbolic) in the order of the
input block: ``state[r + 4*c]`` is the byte s_{r,c} of FIPS 197 3.4 (row ``r``, column ``c``).
Key schedule words are 32-bit values with the first byte a0 of the word [a0, a1, a2, a3] in the
most significant position (the order of FIPS 197 5.2), so a round key's 16 bytes are its four
words written big-endian.  A 128-bit register view is available through :func:`state_from_value`
and :func:`state_to_value`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from bitvec import BV, Value, concat, lookup

# fmt: off
#: FIPS 197 5.1.1, Figure 7: the S-box, indexed by the input byte.
SBOX: tuple[int, ...] = (
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
)
# fmt: on

#: FIPS 197 5.3.2, Figure 14: the inverse S-box (the inverse permutation of :data:`SBOX`).
INV_SBOX: tuple[int, ...] = tuple(SBOX.index(i) for i in range(256))

# fmt: off
#: FIPS 197 5.2: Rcon[j] = [x^(j-1), 00, 00, 00] for j = 1..10, as 32-bit words (index 0 unused).
RCON: tuple[int, ...] = (
    0x00000000, 0x01000000, 0x02000000, 0x04000000, 0x08000000, 0x10000000,
    0x20000000, 0x40000000, 0x80000000, 0x1B000000, 0x36000000,
)
# fmt: on

#: FIPS 197 5, Figure 4: key length Nk (words) -> number of rounds Nr.
ROUNDS: dict[int, int] = {4: 10, 6: 12, 8: 14}


# ---------------------------------------------------------------------------------------------
# Arithmetic in GF(2^8) modulo m(x) = x^8 + x^4 + x^3 + x + 1 (FIPS 197 4.2)


def xtime(b: Value) -> Value:
    """FIPS 197 4.2.1: multiplication by x ({02}): shift left, reduce by {1b} when b7 was set."""
    return b.lsl(1) ^ (b.asr(7) & 0x1B)


def gf_mul_const(b: Value, c: int) -> Value:
    """FIPS 197 4.2.1: ``b • c`` for a constant ``c``, as a sum of repeated xtime products."""
    result: Value = b & 0
    power = b
    while c:
        if c & 1:
            result = result ^ power
        c >>= 1
        if c:
            power = xtime(power)
    return result


# ---------------------------------------------------------------------------------------------
# SubBytes / InvSubBytes (FIPS 197 5.1.1, 5.3.2)


def _lookup(table: Sequence[int], x: Value) -> Value:
    """``table[x]`` for an 8-bit index: one constant-table lookup node (``bitvec.lookup``).

    A symbolic lookup stays a single term, so the S-box of a 10-round cipher does not expand into
    ite trees; the table is this module's own FIPS 197 constant.
    """
    if x.width != 8:
        raise ValueError(f"S-box index must be 8 bits, got {x.width}")
    return lookup(table, x, 8)


def sbox_lookup(x: Value) -> Value:
    """The S-box applied to one 8-bit value (concrete or symbolic)."""
    return _lookup(SBOX, x)


def inv_sbox_lookup(x: Value) -> Value:
    """The inverse S-box applied to one 8-bit value (concrete or symbolic)."""
    return _lookup(INV_SBOX, x)


def sub_bytes(state: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.1.1: SubBytes."""
    return [sbox_lookup(b) for b in state]


def inv_sub_bytes(state: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.3.2: InvSubBytes."""
    return [inv_sbox_lookup(b) for b in state]


# ---------------------------------------------------------------------------------------------
# ShiftRows, MixColumns, AddRoundKey and their inverses (FIPS 197 5.1.2-5.1.4, 5.3.1, 5.3.3)


def shift_rows(state: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.1.2: s'_{r,c} = s_{r,(c + r) mod 4}."""
    return [state[r + 4 * ((c + r) % 4)] for c in range(4) for r in range(4)]


def inv_shift_rows(state: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.3.1: s'_{r,(c + r) mod 4} = s_{r,c}, i.e. s'_{r,c} = s_{r,(c - r) mod 4}."""
    return [state[r + 4 * ((c - r) % 4)] for c in range(4) for r in range(4)]


def _mix(state: Sequence[Value], row: tuple[int, int, int, int]) -> list[Value]:
    """Multiply each column by the circulant matrix whose first row is ``row``."""
    out: list[Value] = []
    for c in range(4):
        col = state[4 * c : 4 * c + 4]
        for r in range(4):
            terms = [gf_mul_const(col[j], row[(j - r) % 4]) for j in range(4)]
            out.append(terms[0] ^ terms[1] ^ terms[2] ^ terms[3])
    return out


def mix_columns(state: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.1.3: each column times a(x) = {03}x^3 + {01}x^2 + {01}x + {02}."""
    return _mix(state, (0x02, 0x03, 0x01, 0x01))


def inv_mix_columns(state: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.3.3: each column times a^-1(x) = {0b}x^3 + {0d}x^2 + {09}x + {0e}."""
    return _mix(state, (0x0E, 0x0B, 0x0D, 0x09))


def add_round_key(state: Sequence[Value], round_key: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.1.4: XOR the 16 round-key bytes into the state."""
    return [s ^ k for s, k in zip(state, round_key, strict=True)]


# ---------------------------------------------------------------------------------------------
# Key expansion (FIPS 197 5.2)


def sub_word(w: Value) -> Value:
    """FIPS 197 5.2: SubWord, the S-box on each byte of a 32-bit word."""
    return concat(*(sbox_lookup(w[hi : hi - 7]) for hi in (31, 23, 15, 7)))


def rot_word(w: Value) -> Value:
    """FIPS 197 5.2: RotWord([a0, a1, a2, a3]) = [a1, a2, a3, a0] (a0 most significant)."""
    return w.ror(24)


def key_expansion(key: Sequence[Value]) -> list[Value]:
    """FIPS 197 5.2, Figure 11: expand a 16/24/32-byte key into 4*(Nr+1) 32-bit words w[i]."""
    nk = len(key) // 4
    if len(key) % 4 or nk not in ROUNDS:
        raise ValueError("an AES key is 16, 24 or 32 bytes")
    nr = ROUNDS[nk]
    w: list[Value] = [concat(*key[4 * i : 4 * i + 4]) for i in range(nk)]
    for i in range(nk, 4 * (nr + 1)):
        temp = w[i - 1]
        if i % nk == 0:
            temp = sub_word(rot_word(temp)) ^ RCON[i // nk]
        elif nk > 6 and i % nk == 4:
            temp = sub_word(temp)
        w.append(w[i - nk] ^ temp)
    return w


def round_keys(w: Sequence[Value]) -> list[list[Value]]:
    """Group the key schedule into Nr+1 round keys of 16 bytes (words w[4r..4r+3], big-endian)."""
    return [[w[i][hi : hi - 7] for i in range(r, r + 4) for hi in (31, 23, 15, 7)] for r in range(0, len(w), 4)]


def expand_key(key: Sequence[Value]) -> list[list[Value]]:
    """:func:`key_expansion` followed by :func:`round_keys`."""
    return round_keys(key_expansion(key))


# ---------------------------------------------------------------------------------------------
# Rounds and ciphers (FIPS 197 5.1 Figure 5, 5.3 Figure 12, 5.3.5 Figure 15)


def aes_round(state: Sequence[Value], round_key: Sequence[Value]) -> list[Value]:
    """One middle round of Cipher: SubBytes, ShiftRows, MixColumns, AddRoundKey."""
    return add_round_key(mix_columns(shift_rows(sub_bytes(state))), round_key)


def aes_final_round(state: Sequence[Value], round_key: Sequence[Value]) -> list[Value]:
    """The last round of Cipher: SubBytes, ShiftRows, AddRoundKey (no MixColumns)."""
    return add_round_key(shift_rows(sub_bytes(state)), round_key)


def cipher(block: Sequence[Value], keys: Sequence[Sequence[Value]]) -> list[Value]:
    """FIPS 197 5.1, Figure 5: encrypt a 16-byte block with the Nr+1 round keys ``keys``."""
    if len(block) != 16:
        raise ValueError("an AES block is 16 bytes")
    nr = len(keys) - 1
    state = add_round_key(block, keys[0])
    for rnd in range(1, nr):
        state = aes_round(state, keys[rnd])
    return aes_final_round(state, keys[nr])


def inv_cipher(block: Sequence[Value], keys: Sequence[Sequence[Value]]) -> list[Value]:
    """FIPS 197 5.3, Figure 12: decrypt a 16-byte block with the (encryption) round keys."""
    if len(block) != 16:
        raise ValueError("an AES block is 16 bytes")
    nr = len(keys) - 1
    state = add_round_key(block, keys[nr])
    for rnd in range(nr - 1, 0, -1):
        state = inv_mix_columns(add_round_key(inv_sub_bytes(inv_shift_rows(state)), keys[rnd]))
    return add_round_key(inv_sub_bytes(inv_shift_rows(state)), keys[0])


def eq_inv_round_keys(keys: Sequence[Sequence[Value]]) -> list[list[Value]]:
    """FIPS 197 5.3.5: the decryption schedule dw, InvMixColumns applied to round keys 1..Nr-1."""
    nr = len(keys) - 1
    return [list(k) if rnd in (0, nr) else inv_mix_columns(k) for rnd, k in enumerate(keys)]


def eq_inv_cipher(block: Sequence[Value], dkeys: Sequence[Sequence[Value]]) -> list[Value]:
    """FIPS 197 5.3.5, Figure 15: the equivalent inverse cipher with :func:`eq_inv_round_keys`."""
    if len(block) != 16:
        raise ValueError("an AES block is 16 bytes")
    nr = len(dkeys) - 1
    state = add_round_key(block, dkeys[nr])
    for rnd in range(nr - 1, 0, -1):
        state = add_round_key(inv_mix_columns(inv_shift_rows(inv_sub_bytes(state))), dkeys[rnd])
    return add_round_key(inv_shift_rows(inv_sub_bytes(state)), dkeys[0])


# ---------------------------------------------------------------------------------------------
# Conversions and bytes-level functions


def state_from_bytes(data: bytes) -> list[BV]:
    """The state (or key) of the byte string ``data``, one concrete byte per element."""
    return [BV(8, b) for b in data]


def state_to_bytes(state: Sequence[Value]) -> bytes:
    """The bytes of a concrete state."""
    return bytes(b.as_int() for b in state)


def state_from_value(x: Value, byteorder: Literal["little", "big"] = "little") -> list[Value]:
    """Split a 128-bit value into the 16-byte state.

    ``"little"``: byte i is bits [8i+7:8i] (a 128-bit register loaded from the block in memory on
    a little-endian machine); ``"big"``: byte 0 is the most significant (the bit-string order of
    SP 800-38D).
    """
    if x.width != 128:
        raise ValueError("an AES block is 128 bits")
    parts = [x[8 * i + 7 : 8 * i] for i in range(16)]
    return parts if byteorder == "little" else parts[::-1]


def state_to_value(state: Sequence[Value], byteorder: Literal["little", "big"] = "little") -> Value:
    """Inverse of :func:`state_from_value`."""
    parts = list(state)
    return concat(*parts[::-1]) if byteorder == "little" else concat(*parts)


def encrypt_block(key: bytes, block: bytes) -> bytes:
    """AES encryption of one 16-byte block under a 16/24/32-byte key."""
    return state_to_bytes(cipher(state_from_bytes(block), expand_key(state_from_bytes(key))))


def decrypt_block(key: bytes, block: bytes) -> bytes:
    """AES decryption of one 16-byte block under a 16/24/32-byte key."""
    return state_to_bytes(inv_cipher(state_from_bytes(block), expand_key(state_from_bytes(key))))
