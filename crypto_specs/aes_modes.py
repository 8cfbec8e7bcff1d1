"""Block-cipher modes of operation over the AES spec: ECB, CBC, CTR (NIST SP 800-38A), XTS (IEEE 1619,
NIST SP 800-38E) and GCM (SP 800-38D, in :mod:`crypto_specs.ghash`).

These are bytes-level reference functions; the block operations they call are the generic ones
of :mod:`crypto_specs.aes`.
"""

from __future__ import annotations

from crypto_specs import aes
from crypto_specs.ghash import gcm_decrypt, gcm_encrypt

__all__ = [
    "cbc_decrypt", "cbc_encrypt", "ctr32_encrypt", "ctr_encrypt", "ecb_decrypt", "ecb_encrypt",
    "gcm_decrypt", "gcm_encrypt", "xts_decrypt", "xts_encrypt",
]

BLOCK = 16


def _blocks(data: bytes) -> list[bytes]:
    if len(data) % BLOCK:
        raise ValueError("data must be a whole number of 16-byte blocks")
    return [data[i : i + BLOCK] for i in range(0, len(data), BLOCK)]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


class _Cipher:
    """An expanded key: CIPH_K and CIPH_K^-1 on 16-byte blocks."""

    def __init__(self, key: bytes) -> None:
        if len(key) not in (16, 24, 32):
            raise ValueError("AES keys are 16, 24 or 32 bytes")
        self.keys = aes.expand_key(aes.state_from_bytes(key))

    def encrypt(self, block: bytes) -> bytes:
        return aes.state_to_bytes(aes.cipher(aes.state_from_bytes(block), self.keys))

    def decrypt(self, block: bytes) -> bytes:
        return aes.state_to_bytes(aes.inv_cipher(aes.state_from_bytes(block), self.keys))


def ecb_encrypt(key: bytes, data: bytes) -> bytes:
    """SP 800-38A 6.1: C_j = CIPH_K(P_j)."""
    c = _Cipher(key)
    return b"".join(c.encrypt(p) for p in _blocks(data))


def ecb_decrypt(key: bytes, data: bytes) -> bytes:
    c = _Cipher(key)
    return b"".join(c.decrypt(p) for p in _blocks(data))


def cbc_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    """SP 800-38A 6.2: C_j = CIPH_K(P_j XOR C_{j-1}), C_0 = IV."""
    c, prev, out = _Cipher(key), iv, []
    for p in _blocks(data):
        prev = c.encrypt(_xor(p, prev))
        out.append(prev)
    return b"".join(out)


def cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    """SP 800-38A 6.2: P_j = CIPH_K^-1(C_j) XOR C_{j-1}."""
    c, prev, out = _Cipher(key), iv, []
    for block in _blocks(data):
        out.append(_xor(c.decrypt(block), prev))
        prev = block
    return b"".join(out)


def ctr_encrypt(key: bytes, counter: bytes, data: bytes) -> bytes:
    """SP 800-38A 6.5 with the whole 128-bit block incremented big-endian (any length of data)."""
    return _ctr(key, counter, data, 128)


def ctr32_encrypt(key: bytes, counter: bytes, data: bytes) -> bytes:
    """CTR where only the last 32 bits of the counter block increment, modulo 2^32 (as in GCM and
    OpenSSL's ``*_ctr32_encrypt_blocks``)."""
    return _ctr(key, counter, data, 32)


def _ctr(key: bytes, counter: bytes, data: bytes, bits: int) -> bytes:
    c = _Cipher(key)
    value = int.from_bytes(counter, "big")
    mask = (1 << bits) - 1
    out = []
    for i in range(0, len(data), BLOCK):
        out.append(_xor(data[i : i + BLOCK], c.encrypt(value.to_bytes(BLOCK, "big"))))
        value = (value & ~mask) | ((value + 1) & mask)
    return b"".join(out)


def _mul_alpha(t: bytes) -> bytes:
    """IEEE 1619 5.2: multiply the tweak by the primitive element alpha (little-endian, x^128 + x^7 + x^2 + x + 1)."""
    v = int.from_bytes(t, "little") << 1
    if v >> 128:
        v = (v & ((1 << 128) - 1)) ^ 0x87
    return v.to_bytes(BLOCK, "little")


def _xts(key: bytes, tweak: bytes, data: bytes, encrypt: bool) -> bytes:
    if len(key) not in (32, 64):
        raise ValueError("XTS-AES keys are 32 or 64 bytes (two AES keys)")
    if len(data) < BLOCK:
        raise ValueError("XTS needs at least one whole block")
    half = len(key) // 2
    data_cipher, tweak_cipher = _Cipher(key[:half]), _Cipher(key[half:])
    t = tweak_cipher.encrypt(tweak)

    def block_op(block: bytes, tw: bytes) -> bytes:
        op = data_cipher.encrypt if encrypt else data_cipher.decrypt
        return _xor(op(_xor(block, tw)), tw)

    full, tail = divmod(len(data), BLOCK)
    out: list[bytes] = []
    last_full = full - 1 if tail else full
    for j in range(last_full):
        out.append(block_op(data[j * BLOCK : (j + 1) * BLOCK], t))
        t = _mul_alpha(t)
    if tail:  # ciphertext stealing (IEEE 1619 5.3.2 / 5.4.2)
        t_next = _mul_alpha(t)
        first_tweak, second_tweak = (t, t_next) if encrypt else (t_next, t)
        pm = data[last_full * BLOCK : (last_full + 1) * BLOCK]
        cc = block_op(pm, first_tweak)
        partial = data[(last_full + 1) * BLOCK :]
        out.append(block_op(partial + cc[len(partial) :], second_tweak))
        out.append(cc[: len(partial)])
    return b"".join(out)


def xts_encrypt(key: bytes, tweak: bytes, data: bytes) -> bytes:
    """XTS-AES encryption of a data unit (IEEE 1619-2007 5.3), with ciphertext stealing."""
    return _xts(key, tweak, data, True)


def xts_decrypt(key: bytes, tweak: bytes, data: bytes) -> bytes:
    """XTS-AES decryption (IEEE 1619-2007 5.4)."""
    return _xts(key, tweak, data, False)
