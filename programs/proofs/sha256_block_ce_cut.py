"""Interactive proof script (lnsym.prove.script): sha256_block_ce with a **cut** after 32 of its 64 rounds.

At +0x104 (eight SHA256H/SHA256H2 steps done) the script claims the working state and the message schedule
the FIPS 180-4 way: V0/V1 hold (a, b, c, d) and (e, f, g, h) after rounds 0-31, V4-V7 hold W[32..47].  The
claims are proved there; the proof then goes on from the summary -- those registers as claimed, the saved
hash value (V2, V3), the K pointer (X2) and the state pointer (X0) kept, every other register any value --
and finishes the remaining 32 rounds.  A lemma (the Arm ARM's SHAchoose is FIPS 180-4's Ch, for every
32-bit x, y, z) is proved once and its instances at the cut's (e, f, g) added to the path."""

from dataclasses import replace
from pathlib import Path

from bitvec import Value, concat
from crypto_specs.sha2 import K256, Ch, sha256_round, sha256_schedule
from lnsym.contract import Inputs, load_contract_file
from lnsym.prove.prover import Result
from lnsym.prove.script import Session, words
from lnsym.symbolic.state import SymState

CONTRACT = replace(load_contract_file(Path(__file__).resolve().parent.parent / "sha256_block_ce.py")[0],
                   name="sha256_block_ce[cut after 32 rounds]")
ROUNDS_BEFORE_CUT = 32


def lanes(values: list[Value]) -> Value:
    """Four 32-bit words as a V register holds them, the first in lane 0."""
    return concat(*reversed(values))


def after_32_rounds(state: SymState, inputs: Inputs) -> dict[str, Value]:
    """FIPS 180-4 6.2.2 after 32 rounds: the working variables and the next 16 schedule words."""
    w = sha256_schedule(inputs.words("block", 4, "big"))
    work = inputs.words("state", 4)
    for t in range(ROUNDS_BEFORE_CUT):
        work = sha256_round(work, w[t], K256[t])
    return {"v0": lanes(work[0:4]), "v1": lanes(work[4:8]),
            **{f"v{4 + k}": lanes(w[32 + 4 * k : 36 + 4 * k]) for k in range(4)}}


def lane_of_v1(k: int) -> object:
    """Lane k of V1 on a live path (e, f, g at the cut: lanes 0, 1, 2)."""
    return lambda state, inputs: words(state.V(1), 32, 4)[k]


def prove() -> Result:
    s = Session(CONTRACT)
    s.cut("sha256_block_ce+0x104", after_32_rounds, keep=("x0", "x2", "v2", "v3"))
    s.lemma("SHAchoose is Ch", lambda x, y, z: (((y ^ z) & x) ^ z, Ch(x, y, z)), (32, 32, 32))
    s.use("SHAchoose is Ch", *[lane_of_v1(k) for k in range(3)])  # at (e, f, g)
    return s.finish()
