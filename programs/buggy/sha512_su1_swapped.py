"""The sha512_block_ce contract on a build that swaps SHA512SU1's X and Y operands: must be refuted."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sha512_block_ce import contract

CONTRACT = contract("buggy/sha512_su1_swapped", "sha512_su1_swapped.o")
