"""Contract: sha256_blocks_ce compresses n consecutive blocks (here n = 2, the loop unrolled)."""

from crypto_specs.sha2 import sha256_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar

BLOCKS = 2


def sha256_blocks(inputs: Inputs) -> dict[str, object]:
    """FIPS 180-4 6.2.2 applied to each block in turn."""
    state = inputs.words("state", 4)
    words = inputs.words("data", 4, "big")
    for b in range(BLOCKS):
        state = sha256_compress(state, words[16 * b : 16 * b + 16])
    return {"state": state}


CONTRACT = Contract(
    name="sha256_blocks_ce[n=2]",
    object="sha256_blocks_ce.o",
    symbol="sha256_blocks_ce",
    args=[Buffer("state", 32, writable=True), Buffer("data", 64 * BLOCKS), Scalar("n", 64, value=BLOCKS)],
    outputs=[BufferOut("state", 4)],
    spec=sha256_blocks,
)
