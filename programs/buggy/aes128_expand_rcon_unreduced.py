"""The aes128_expand_key_ce contract on a build whose Rcon is not reduced modulo m(x): must be refuted."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from aes128_expand_key_ce import contract

CONTRACT = contract("buggy/aes128_expand_rcon_unreduced", "aes128_expand_rcon_unreduced.o")
