"""CRC-32 (ISO-HDLC, as zlib.crc32) and CRC-32C (Castagnoli), bitwise over a 32-bit state.

Both CRCs are reflected: data bits enter least significant first and the state holds the
remainder bit-reversed, so the generator polynomials 0x04C11DB7 (ISO 3309 / ITU-T V.42) and
0x1EDC6F41 (Castagnoli, RFC 3720 B.4) appear reversed as 0xEDB88320 and 0x82F63B78.
:func:`crc32_update` / :func:`crc32c_update` are the raw state updates without pre- or
post-inversion, which is what the Arm CRC32B/H/W/X and CRC32CB/CH/CW/CX instructions compute for
8/16/32/64-bit data; the bytes-level functions add the initial value 0xFFFFFFFF and the final
complement of the standard parameterisation (check values 0xCBF43926 and 0xE3069283).
"""

from __future__ import annotations

from bitvec import BV, Value

POLY_CRC32: int = 0x04C11DB7
POLY_CRC32C: int = 0x1EDC6F41


def reflect(value: int, width: int) -> int:
    """The bit reversal of a ``width``-bit integer (used for polynomial constants)."""
    return int(format(value, f"0{width}b")[::-1], 2)


#: The reflected (LSB-first) forms of the polynomials: 0xEDB88320 and 0x82F63B78.
REFLECTED_CRC32: int = reflect(POLY_CRC32, 32)
REFLECTED_CRC32C: int = reflect(POLY_CRC32C, 32)


def crc_update(crc: Value, data: Value, reflected_poly: int) -> Value:
    """Shift the ``data.width`` bits of ``data`` into the 32-bit state, least significant first.

    For each data bit d: feedback = crc_0 XOR d; crc = (crc >> 1) XOR (feedback ? poly : 0)
    (the reflected form of polynomial division by the generator).
    """
    if crc.width != 32:
        raise ValueError("the CRC state is 32 bits")
    for i in range(data.width):
        feedback = crc[0] ^ data[i]
        crc = crc.lsr(1) ^ (feedback.sext(32) & reflected_poly)
    return crc


def crc32_update(crc: Value, data: Value) -> Value:
    """CRC-32 (0x04C11DB7) state update by 8, 16, 32 or 64 data bits (Arm CRC32B/H/W/X)."""
    return crc_update(crc, data, REFLECTED_CRC32)


def crc32c_update(crc: Value, data: Value) -> Value:
    """CRC-32C (0x1EDC6F41) state update by 8, 16, 32 or 64 data bits (Arm CRC32CB/CH/CW/CX)."""
    return crc_update(crc, data, REFLECTED_CRC32C)


def _crc_bytes(data: bytes, crc: int, reflected_poly: int) -> int:
    state: Value = BV(32, ~crc)
    for byte in data:
        state = crc_update(state, BV(8, byte), reflected_poly)
    return (~state).as_int()


def crc32(data: bytes, crc: int = 0) -> int:
    """CRC-32/ISO-HDLC of ``data``, continuing from a previous result ``crc`` like zlib.crc32."""
    return _crc_bytes(data, crc, REFLECTED_CRC32)


def crc32c(data: bytes, crc: int = 0) -> int:
    """CRC-32C (Castagnoli) of ``data``, continuing from a previous result ``crc``."""
    return _crc_bytes(data, crc, REFLECTED_CRC32C)
