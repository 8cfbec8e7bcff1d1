"""Contracts for OpenSSL's AES key schedules (aesv8-armx.o), against FIPS 197 5.2 and 5.3.5.

``int aes_v8_set_encrypt_key(const unsigned char *userKey, const int bits, AES_KEY *key)`` writes
``key->rd_key`` (u32[60]) and ``key->rounds`` (the u32 at byte 240) and returns 0.  The round keys
are stored as the vector registers that hold them (``st1 {v.4s}``), so the bytes of ``rd_key`` are
the FIPS 197 round keys one after another: byte 4i+j is byte j of the word w[i] (a0 first).
``aes_v8_set_decrypt_key`` first runs the encryption schedule and then stores the schedule of the
equivalent inverse cipher (FIPS 197 5.3.5, ``eq_inv_round_keys``) in reverse order, so that stored
round key r is dw[Nr - r] (the order ``aes_v8_decrypt`` consumes).

Every word of ``key`` is an obligation: the 4(Nr+1) round-key words, the words past them (which the
routine must leave as they were: the spec gives their initial contents) and ``rounds``.
"""

from __future__ import annotations

from collections.abc import Callable

from bitvec import BV, Value, concat
from crypto_specs.aes import eq_inv_round_keys, expand_key
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Return, Scalar

MEMBER = "libcrypto-lib-aesv8-armx.o"
AES_KEY_BYTES = 244  # u32 rd_key[4 * (AES_MAXNR + 1)]; int rounds (aes.h)


def _le_words(data: list[Value]) -> list[Value]:
    """Bytes as little-endian 32-bit words (how ``BufferOut(element=4)`` reads memory)."""
    return [concat(*reversed(data[i : i + 4])) for i in range(0, len(data), 4)]


def _schedule_spec(decrypt: bool) -> Callable[[Inputs], dict[str, object]]:
    def spec(inputs: Inputs) -> dict[str, object]:
        keys = expand_key(inputs.bytes("userKey"))
        if decrypt:
            keys = eq_inv_round_keys(keys)[::-1]
        stored = [b for k in keys for b in k]
        untouched = inputs.bytes("key")[len(stored) : 240]
        rounds = [BV(8, b) for b in (len(keys) - 1).to_bytes(4, "little")]
        return {"key": _le_words([*stored, *untouched, *rounds]), "ret": BV(32, 0)}

    return spec


def _set_key(bits: int, decrypt: bool) -> Contract:
    symbol = "aes_v8_set_decrypt_key" if decrypt else "aes_v8_set_encrypt_key"
    return Contract(
        name=f"openssl:{symbol}[{bits}]",
        object="",
        member=MEMBER,
        symbol=symbol,
        args=[Buffer("userKey", bits // 8), Scalar("bits", 32, value=bits),
              Buffer("key", AES_KEY_BYTES, writable=True)],
        outputs=[Return("ret", 32), BufferOut("key", 4)],
        spec=_schedule_spec(decrypt),
    )


CONTRACTS = {
    f"{symbol}[{bits}]": _set_key(bits, symbol.endswith("decrypt_key"))
    for symbol in ("aes_v8_set_encrypt_key", "aes_v8_set_decrypt_key")
    for bits in (128, 192, 256)
}
