"""Contracts for OpenSSL's arm64 routines (Debian libssl-dev:arm64, fetched by ``lnsym fetch openssl``).

OpenSSL keeps the SHA-2 state as native 32/64-bit words (``SHA256_CTX.h`` / ``SHA512_CTX.h``) and
reads the message as big-endian words; ``num`` is the number of 64/128-byte blocks.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable

from crypto_specs.aes import cipher, eq_inv_cipher
from crypto_specs.sha2 import sha256_compress, sha512_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar

ARMV7_NEON = 1 << 0  # arm_arch.h: OPENSSL_armcap_P bit selecting sha256_block_neon (without ARMV8_SHA256)


def _sha256(inputs: Inputs) -> dict[str, object]:
    return {"state": sha256_compress(inputs.words("state", 4), inputs.words("data", 4, "big"))}


def _sha512(inputs: Inputs) -> dict[str, object]:
    return {"state": sha512_compress(inputs.words("state", 8), inputs.words("data", 8, "big"))}


def _sha_block(symbol: str, member: str, word: int, spec: Callable[[Inputs], dict[str, object]],
               armcap: int | None = None, path: str = "", name: str = "") -> Contract:
    """One block; ``armcap`` (with ``path`` naming it) fixes OPENSSL_armcap_P for the dispatching entry points."""
    block = 16 * word
    return Contract(
        name=f"openssl:{name or symbol}",
        object="",
        member=member,
        symbol=symbol,
        args=[Buffer("state", 8 * word, writable=True), Buffer("data", block), Scalar("num", 64, value=1)],
        outputs=[BufferOut("state", word)],
        spec=spec,
        preconditions=["one block (num = 1)", *([f"OPENSSL_armcap_P = {armcap:#x}: the {path} path"]
                                               if armcap is not None else [])],
        defines={"OPENSSL_armcap_P": armcap} if armcap is not None else {},
    )


def _aes_encrypt(rounds: int) -> Contract:
    """``aes_v8_encrypt(in, out, key)``: AES_KEY is rd_key[60] (u32) then ``rounds`` at byte 240."""

    def spec(inputs: Inputs) -> dict[str, object]:
        rk = inputs.bytes("key")
        keys = [rk[16 * r : 16 * r + 16] for r in range(rounds + 1)]
        return {"out": cipher(inputs.bytes("in"), keys)}

    return Contract(
        name=f"openssl:aes_v8_encrypt[{rounds}]",
        object="",
        member="libcrypto-lib-aesv8-armx.o",
        symbol="aes_v8_encrypt",
        args=[Buffer("in", 16), Buffer("out", 16, writable=True),
              Buffer("key", 244, fixed=((240, rounds.to_bytes(4, "little")),))],
        outputs=[BufferOut("out", 1)],
        spec=spec,
        preconditions=["any round keys (the key schedule is not assumed)"],
    )


def _aes_decrypt(rounds: int) -> Contract:
    """``aes_v8_decrypt(in, out, key)`` is FIPS 197's equivalent inverse cipher (5.3.5) under the stored
    decryption schedule: the stored key r is dw[Nr - r]."""

    def spec(inputs: Inputs) -> dict[str, object]:
        rk = inputs.bytes("key")
        stored = [rk[16 * r : 16 * r + 16] for r in range(rounds + 1)]
        return {"out": eq_inv_cipher(inputs.bytes("in"), stored[::-1])}

    c = _aes_encrypt(rounds)
    return Contract(
        name=f"openssl:aes_v8_decrypt[{rounds}]", object="", member=c.member, symbol="aes_v8_decrypt",
        args=c.args, outputs=c.outputs, spec=spec, preconditions=["any round keys (the key schedule is not assumed)"],
    )


CONTRACTS = {
    "sha256_block_armv8": _sha_block("sha256_block_armv8", "libcrypto-lib-sha256-armv8.o", 4, _sha256),
    "sha512_block_armv8": _sha_block("sha512_block_armv8", "libcrypto-lib-sha512-armv8.o", 8, _sha512),
    # the integer paths (no SHA-2 or NEON bit in OPENSSL_armcap_P): Sigma as ROR/EOR chains, Ch as AND/BIC/ORR,
    # Maj as ((a ^ b) & (b ^ c)) ^ b with b ^ c kept from the round before
    "sha256_block_data_order": _sha_block("sha256_block_data_order", "libcrypto-lib-sha256-armv8.o", 4, _sha256,
                                          0, "integer"),
    # the NEON path (ARMV7_NEON, bit 0, without ARMV8_SHA256): sha256_block_neon computes the schedule four words
    # at a time in vector lanes (sigma0/sigma1 as USHR+SLI rotations, EXT for W[t-15]/W[t-7]) and adds K_t there;
    # the rounds stay in integer registers
    "sha256_block_data_order[neon]": _sha_block("sha256_block_data_order", "libcrypto-lib-sha256-armv8.o", 4,
                                                _sha256, ARMV7_NEON, "NEON (sha256_block_neon)",
                                                "sha256_block_data_order[neon]"),
    "sha512_block_data_order": _sha_block("sha512_block_data_order", "libcrypto-lib-sha512-armv8.o", 8, _sha512,
                                          0, "integer"),
    "aes_v8_encrypt[10]": _aes_encrypt(10),
    "aes_v8_encrypt[12]": _aes_encrypt(12),
    "aes_v8_encrypt[14]": _aes_encrypt(14),
    "aes_v8_decrypt[10]": _aes_decrypt(10),
    "aes_v8_decrypt[12]": _aes_decrypt(12),
    "aes_v8_decrypt[14]": _aes_decrypt(14),
}

# Further routines live one topic per module, each exporting ``CONTRACTS: dict[str, Contract]``.
TOPIC_MODULES: tuple[str, ...] = ("openssl_aes_keys", "openssl_aes_ctr", "openssl_ghash", "openssl_sha1",
                                  "openssl_keccak", "openssl_chacha")
for _topic in TOPIC_MODULES:
    CONTRACTS.update(importlib.import_module(f"lnsym.contracts.{_topic}").CONTRACTS)


def _parameters(key: str) -> tuple[int | str, ...]:
    """``aes_v8_ctr32_encrypt_blocks[4,10]`` -> (4, 10): variants sort by their numbers, not as text."""
    inside = key.partition("[")[2].rstrip("]")
    return tuple(int(p) if p.isdigit() else p for p in inside.split(",")) if inside else ()


def _normal(name: str) -> str:
    """``name`` without spaces inside its brackets (``[4, 10]`` is ``[4,10]``)."""
    base, bracket, rest = name.strip().partition("[")
    return base.strip() + bracket + rest.replace(" ", "")


def names(name: str) -> list[str]:
    """The built-in contract names ``openssl:<name>`` stands for: itself when it is one, every variant when it is
    a bare routine name (``aes_v8_encrypt`` -> ``aes_v8_encrypt[10]``, ``[12]``, ``[14]``), in numeric order;
    a bare name that is itself a contract comes first, then its variants.
    Anything else raises :class:`LnsymError` naming the close matches, on one line."""
    from lnsym.errors import LnsymError

    name = _normal(name)
    variants = sorted((k for k in CONTRACTS if k.partition("[")[0] == name and "[" in k), key=_parameters)
    if name in CONTRACTS:  # a bare name that is a contract too (sha256_block_data_order and its [neon] path)
        return [name, *variants]
    if variants:
        return variants
    routines = sorted({k.partition("[")[0] for k in CONTRACTS})
    lowered = {k.lower(): k for k in (CONTRACTS if "[" in name else routines)}
    close = difflib.get_close_matches(name.lower(), lowered, n=4, cutoff=0.6)
    base = name.partition("[")[0]
    if base in routines:  # a known routine with parameters it has no contract for
        hint = "its variants: " + ", ".join(f"openssl:{k}" for k in CONTRACTS if k.partition("[")[0] == base)
    elif close:
        hint = "did you mean " + ", ".join(f"openssl:{lowered[k]}" for k in close) + "?"
    else:
        hint = "built-in routines: " + ", ".join(routines)
    raise LnsymError(f"no built-in contract openssl:{name}; {hint}")


def contract(name: str, libcrypto: str) -> Contract:
    """The contract for ``openssl:<name>`` (one exact registry name) against the given ``libcrypto.a``."""
    found = names(name)
    if len(found) > 1 and found[0] == _normal(name):  # a contract that also has variants: the exact one
        found = found[:1]
    if len(found) != 1:
        from lnsym.errors import LnsymError

        raise LnsymError(f"openssl:{name} names {len(found)} contracts ({', '.join(found)}): choose one")
    c = CONTRACTS[found[0]]
    c.object = libcrypto
    return c
