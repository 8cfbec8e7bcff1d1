"""Proof script: sha256_blocks_ce compresses n blocks for *every* n >= 1 (loop induction, lnsym.prove.induction).

The loop at ``.Lblock`` keeps the hash value in V0 (ABCD) and V1 (EFGH), the blocks left in X3 and the next
block's address in X1; the specification is FIPS 180-4 6.2.2 as a fold: H_0 = the state buffer, H_{i+1} =
sha256_compress(H_i, block i), and the routine stores H_n into the state buffer."""

from pathlib import Path

from bitvec import Value, concat
from crypto_specs.sha2 import sha256_compress
from lnsym.contract import Buffer, BufferOut, Contract, Scalar
from lnsym.prove.induction import BlockLoop
from lnsym.prove.script import words
from lnsym.symbolic.state import SymState

OBJECT = str(Path(__file__).resolve().parent.parent / "sha256_blocks_ce.o")


def lanes(state: SymState) -> list[Value]:
    """V0's four 32-bit lanes (A, B, C, D), then V1's (E, F, G, H)."""
    return words(state.V(0), 32, 4) + words(state.V(1), 32, 4)


def compress(h: list[Value], block: list[Value]) -> list[Value]:
    return sha256_compress(h, [concat(*block[4 * k : 4 * k + 4]) for k in range(16)])


CONTRACT = Contract(
    name="sha256_blocks_ce[every n]",
    object=OBJECT,
    symbol="sha256_blocks_ce",
    args=[Buffer("state", 32, writable=True), Buffer("data", 64), Scalar("n", 64)],
    outputs=[BufferOut("state", 4)],
    spec=lambda inputs: {"state": inputs.words("state", 4)},  # not used: the loop's fold is the spec
)

LOOP = BlockLoop(
    head="sha256_blocks_ce+0x8",  # .Lblock
    counter=3,
    pointer=1,
    buffer="data",
    stride=64,
    count="n",
    carried=lanes,
    init=lambda inputs: inputs.words("state", 4),
    step=compress,
    outputs=lambda h: {"state": h},
)
