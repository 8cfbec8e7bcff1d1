"""Contracts for OpenSSL's arm64 routines (Debian libssl-dev:arm64, fetched by ``lnsym fetch openssl``).

OpenSSL keeps the SHA-2 state as native 32/64-bit words (``SHA256_CTX.h`` / ``SHA512_CTX.h``) and
reads the message as big-endian words; ``num`` is the number of 64/128-byte blocks.
"""

from __future__ import annotations

from collections.abc import Callable

from crypto_specs.sha2 import sha256_compress, sha512_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar


def _sha256(inputs: Inputs) -> dict[str, object]:
    return {"state": sha256_compress(inputs.words("state", 4), inputs.words("data", 4, "big"))}


def _sha512(inputs: Inputs) -> dict[str, object]:
    return {"state": sha512_compress(inputs.words("state", 8), inputs.words("data", 8, "big"))}


def _sha_block(symbol: str, member: str, word: int, spec: Callable[[Inputs], dict[str, object]]) -> Contract:
    block = 16 * word
    return Contract(
        name=f"openssl:{symbol}",
        object="",
        member=member,
        symbol=symbol,
        args=[Buffer("state", 8 * word, writable=True), Buffer("data", block), Scalar("num", 64, value=1)],
        outputs=[BufferOut("state", word)],
        spec=spec,
        preconditions=["one block (num = 1)"],
    )


CONTRACTS = {
    "sha256_block_armv8": _sha_block("sha256_block_armv8", "libcrypto-lib-sha256-armv8.o", 4, _sha256),
    "sha512_block_armv8": _sha_block("sha512_block_armv8", "libcrypto-lib-sha512-armv8.o", 8, _sha512),
}


def contract(name: str, libcrypto: str) -> Contract:
    """The contract for ``openssl:<name>`` against the given ``libcrypto.a``."""
    from lnsym.errors import LnsymError

    if name not in CONTRACTS:
        raise LnsymError(f"no built-in contract openssl:{name} (known: {', '.join(sorted(CONTRACTS))})")
    c = CONTRACTS[name]
    c.object = libcrypto
    return c
