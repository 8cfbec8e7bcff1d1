"""ChaCha20 (RFC 8439 2.1-2.4): quarter round, block function and encryption.

Words are 32-bit bit-vectors (concrete or symbolic).  The key is eight words and the nonce three
words, each read little-endian from the bytes (RFC 8439 2.3).
"""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value
from crypto_specs._util import bytes_le, rotl, words_le

#: RFC 8439 2.3: the constants "expand 32-byte k" as four little-endian words.
CONSTANTS: tuple[int, ...] = (0x61707865, 0x3320646E, 0x79622D32, 0x6B206574)

#: RFC 8439 2.3: the column rounds then the diagonal rounds of one double round.
COLUMN_ROUNDS: tuple[tuple[int, int, int, int], ...] = ((0, 4, 8, 12), (1, 5, 9, 13), (2, 6, 10, 14), (3, 7, 11, 15))
DIAGONAL_ROUNDS: tuple[tuple[int, int, int, int], ...] = ((0, 5, 10, 15), (1, 6, 11, 12), (2, 7, 8, 13), (3, 4, 9, 14))


def quarter_round(a: Value, b: Value, c: Value, d: Value) -> tuple[Value, Value, Value, Value]:
    """RFC 8439 2.1: the ChaCha quarter round on four 32-bit words."""
    a = a + b
    d = rotl(d ^ a, 16)
    c = c + d
    b = rotl(b ^ c, 12)
    a = a + b
    d = rotl(d ^ a, 8)
    c = c + d
    b = rotl(b ^ c, 7)
    return a, b, c, d


def quarter_round_on_state(state: Sequence[Value], x: int, y: int, z: int, w: int) -> list[Value]:
    """RFC 8439 2.2: QUARTERROUND(x, y, z, w) applied to words of the 16-word state."""
    out = list(state)
    out[x], out[y], out[z], out[w] = quarter_round(state[x], state[y], state[z], state[w])
    return out


def double_round(state: Sequence[Value]) -> list[Value]:
    """RFC 8439 2.3: one column round followed by one diagonal round."""
    out = list(state)
    for idx in COLUMN_ROUNDS + DIAGONAL_ROUNDS:
        out = quarter_round_on_state(out, *idx)
    return out


def initial_state(key: Sequence[Value], counter: Value, nonce: Sequence[Value]) -> list[Value]:
    """RFC 8439 2.3: constants, eight key words, the block counter, three nonce words."""
    if len(key) != 8 or len(nonce) != 3:
        raise ValueError("ChaCha20 takes an 8-word key and a 3-word nonce")
    return [*(BV(32, c) for c in CONSTANTS), *key, counter, *nonce]


def chacha20_block(key: Sequence[Value], counter: Value, nonce: Sequence[Value]) -> list[Value]:
    """RFC 8439 2.3: the block function; 10 double rounds, then add the initial state."""
    init = initial_state(key, counter, nonce)
    state = init
    for _ in range(10):
        state = double_round(state)
    return [s + i for s, i in zip(state, init)]


def chacha20_block_bytes(key: bytes, counter: int, nonce: bytes) -> bytes:
    """RFC 8439 2.3: the 64-byte serialized block (words little-endian) for a 32-byte key and 12-byte nonce."""
    if len(key) != 32 or len(nonce) != 12:
        raise ValueError("ChaCha20 takes a 32-byte key and a 12-byte nonce")
    return bytes_le(chacha20_block(words_le(key, 32), BV(32, counter), words_le(nonce, 32)))


def chacha20_encrypt(key: bytes, counter: int, nonce: bytes, plaintext: bytes) -> bytes:
    """RFC 8439 2.4: XOR the plaintext with the key stream of blocks counter, counter + 1, ...

    Block j uses counter + j modulo 2^32 (the counter is a 32-bit word of the state).
    """
    out = bytearray()
    for j in range(0, len(plaintext), 64):
        stream = chacha20_block_bytes(key, (counter + j // 64) & 0xFFFFFFFF, nonce)
        out += bytes(p ^ s for p, s in zip(plaintext[j : j + 64], stream))
    return bytes(out)
