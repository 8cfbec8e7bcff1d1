"""The chacha20_qround_neon contract on a build that rotates by 8 where RFC 8439 says 7: must be refuted."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from chacha20_qround_neon import contract

CONTRACT = contract("buggy/chacha20_wrong_rotate", "chacha20_wrong_rotate.o")
