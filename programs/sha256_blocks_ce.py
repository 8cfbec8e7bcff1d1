"""Contract: sha256_blocks_ce compresses n consecutive blocks (here n = 2, the loop unrolled)."""

from crypto_specs.sha2 import sha256_compress
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar

BLOCKS = 2


def sha256_blocks(inputs: Inputs, blocks: int | None = None) -> dict[str, object]:
    """FIPS 180-4 6.2.2 applied to each block in turn (``blocks``: BLOCKS when not given)."""
    state = inputs.words("state", 4)
    words = inputs.words("data", 4, "big")
    for b in range(BLOCKS if blocks is None else blocks):
        state = sha256_compress(state, words[16 * b : 16 * b + 16])
    return {"state": state}


def blocks_contract(n: int, object_path: str = "sha256_blocks_ce.o") -> Contract:
    """The contract with the loop unrolled ``n`` times (``lnsym bench --growth`` builds its sizes with it)."""
    return Contract(
        name=f"sha256_blocks_ce[n={n}]",
        object=object_path,
        symbol="sha256_blocks_ce",
        args=[Buffer("state", 32, writable=True), Buffer("data", 64 * n), Scalar("n", 64, value=n)],
        outputs=[BufferOut("state", 4)],
        spec=lambda inputs: sha256_blocks(inputs, n),
    )


CONTRACT = blocks_contract(BLOCKS)
