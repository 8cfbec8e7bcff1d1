"""Helpers shared by the specifications: word/byte conversions and Merkle-Damgard padding."""

from __future__ import annotations

from collections.abc import Sequence

from bitvec import BV, Value


def rotl(x: Value, n: int) -> Value:
    """``ROTL^n(x)``: rotate left by ``n`` (FIPS 180-4 3.2), written as a right rotation."""
    return x.ror((x.width - n) % x.width)


def words_be(data: bytes, width: int) -> list[BV]:
    """Split ``data`` into big-endian ``width``-bit words (``len(data)`` a multiple of width/8)."""
    size = width // 8
    return [BV(width, int.from_bytes(data[i : i + size], "big")) for i in range(0, len(data), size)]


def words_le(data: bytes, width: int) -> list[BV]:
    """Split ``data`` into little-endian ``width``-bit words."""
    size = width // 8
    return [BV(width, int.from_bytes(data[i : i + size], "little")) for i in range(0, len(data), size)]


def bytes_be(words: Sequence[Value]) -> bytes:
    """Concatenate concrete words, each written big-endian."""
    return b"".join(w.as_int().to_bytes(w.width // 8, "big") for w in words)


def bytes_le(words: Sequence[Value]) -> bytes:
    """Concatenate concrete words, each written little-endian."""
    return b"".join(w.as_int().to_bytes(w.width // 8, "little") for w in words)


def md_pad(message: bytes, block_bytes: int) -> bytes:
    """FIPS 180-4 5.1.1 / 5.1.2: append bit 1, zeros, and the bit length.

    The length field is 64 bits for 64-byte blocks (SHA-1, SHA-224/256) and 128 bits for
    128-byte blocks (SHA-384/512); the result is a whole number of blocks.
    """
    length_bytes = block_bytes // 8
    bit_length = 8 * len(message)
    zeros = (-(len(message) + 1 + length_bytes)) % block_bytes
    return message + b"\x80" + b"\x00" * zeros + bit_length.to_bytes(length_bytes, "big")
