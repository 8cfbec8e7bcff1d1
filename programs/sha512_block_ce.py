"""Contract: sha512_block_ce is the FIPS 180-4 SHA-512 compression function on any state and block."""

from crypto_specs.sha2 import sha512_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs


def sha512_block(inputs: Inputs) -> dict[str, object]:
    """state: 8 native-endian 64-bit words H0..H7; block: 128 message bytes (big-endian words)."""
    return {"state": sha512_compress(inputs.words("state", 8), inputs.words("block", 8, "big"))}


def contract(name: str, obj: str) -> Contract:
    return Contract(
        name=name,
        object=obj,
        symbol="sha512_block_ce",
        args=[Buffer("state", 64, writable=True), Buffer("block", 128)],
        outputs=[BufferOut("state", 8)],
        spec=sha512_block,
    )


CONTRACT = contract("sha512_block_ce", "sha512_block_ce.o")
