"""The crc32c_64 contract applied to a build whose loop reads one byte past the 64-byte buffer: must be
refuted as an out-of-bounds read (lnsym.prove.oob), with a replay that faults on lnsym and on Unicorn."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from crc32c import crc32c_of_buffer

from lnsym.contract import Buffer, Contract, Return, Scalar

CONTRACT = Contract(
    name="buggy/crc32c_read_past_end",
    object="crc32c_read_past_end.o",
    symbol="crc32c_64",
    args=[Scalar("crc", 32), Buffer("data", 64)],
    outputs=[Return("crc", 32)],
    spec=crc32c_of_buffer,
)
