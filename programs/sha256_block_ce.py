"""Contract: sha256_block_ce is the FIPS 180-4 SHA-256 compression function on any state and block."""

from crypto_specs.sha2 import sha256_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs


def sha256_block(inputs: Inputs) -> dict[str, object]:
    """state: 8 native-endian 32-bit words H0..H7; block: 64 message bytes (big-endian words)."""
    return {"state": sha256_compress(inputs.words("state", 4), inputs.words("block", 4, "big"))}


CONTRACT = Contract(
    name="sha256_block_ce",
    object="sha256_block_ce.o",
    symbol="sha256_block_ce",
    args=[Buffer("state", 32, writable=True), Buffer("block", 64)],
    outputs=[BufferOut("state", 4)],
    spec=sha256_block,
)
