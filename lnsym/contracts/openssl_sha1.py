"""Contracts for OpenSSL's ``sha1_block_data_order(SHA_CTX *c, const void *p, size_t num)`` (sha1-armv8.o).

The routine dispatches on ``OPENSSL_armcap_P``: with ``ARMV8_SHA1`` (bit 3, ``arm_arch.h``) set it
branches to ``sha1_block_armv8`` (SHA1C/SHA1P/SHA1M/SHA1H/SHA1SU0/SHA1SU1), otherwise it runs the
integer code.  ``SHA_CTX`` starts with ``h0..h4`` as native 32-bit words; the block is read as
big-endian words (FIPS 180-4 5.2.1).  Both paths are proved against FIPS 180-4 6.1.2 for one block, each
contract naming its ``OPENSSL_armcap_P`` value.
"""

from __future__ import annotations

from crypto_specs.sha1 import sha1_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar

ARMV8_SHA1 = 1 << 3  # arm_arch.h


def _sha1(inputs: Inputs) -> dict[str, object]:
    return {"state": sha1_compress(inputs.words("state", 4), inputs.words("data", 4, "big"))}


def _sha1_block(name: str, armcap: int, path: str) -> Contract:
    return Contract(
        name=f"openssl:{name}",
        object="",
        member="libcrypto-lib-sha1-armv8.o",
        symbol="sha1_block_data_order",
        args=[Buffer("state", 20, writable=True), Buffer("data", 64), Scalar("num", 64, value=1)],
        outputs=[BufferOut("state", 4)],
        spec=_sha1,
        preconditions=["one block (num = 1)", f"OPENSSL_armcap_P = {armcap:#x}: the {path} path"],
        defines={"OPENSSL_armcap_P": armcap},
    )


CONTRACTS = {
    "sha1_block_armv8": _sha1_block("sha1_block_armv8", ARMV8_SHA1, "SHA-1 extension (sha1_block_armv8)"),
    # the integer path: Ch as BIC/AND/ORR, Parity as EOR chains, Maj as AND/ORR, ROTL 5/30 and the schedule's
    # ROTL 1 as EXTR (ROR) of 32-bit words, W read as 64-bit loads split by REV32 and LSR #32
    "sha1_block_data_order": _sha1_block("sha1_block_data_order", 0, "integer"),
}
