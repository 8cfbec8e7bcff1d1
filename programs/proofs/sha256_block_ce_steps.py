"""Interactive proof script (lnsym.prove.script): sha256_block_ce, stepped and checked along the way.

After the two loads (+0x8) the hash value is in V0/V1 and the block in V4-V7; the script asserts both, then
finishes: every output word and frame obligation of the contract, as ``lnsym verify`` would."""

from pathlib import Path

from bitvec import concat
from lnsym.contract import load_contract_file
from lnsym.prove.prover import Result
from lnsym.prove.script import Session

(CONTRACT,) = load_contract_file(Path(__file__).resolve().parent.parent / "sha256_block_ce.py")


def prove() -> Result:
    s = Session(CONTRACT)
    s.run_to("sha256_block_ce+0x8")
    state = s.inputs.words("state", 4)
    s.assert_("V1:V0 hold H7..H0", lambda st, i: (st.V(1).concat(st.V(0)), concat(*reversed(state))))
    s.assert_("V4 holds the first 16 block bytes", lambda st, i: (st.V(4), i.words("block", 16)[0]))
    return s.finish()
