"""The aes128_encrypt_ce contract on a build whose fifth round swaps AESE and AESMC: must be refuted."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from aes128_encrypt_ce import contract

CONTRACT = contract("buggy/aes128_swapped_aesmc", "aes128_swapped_aesmc.o")
