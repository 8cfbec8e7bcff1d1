"""The crc32c_64 contract applied to a build that uses the wrong CRC polynomial: must be refuted."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from crc32c import crc32c_of_buffer

from lnsym.contract import Buffer, Contract, Return, Scalar

CONTRACT = Contract(
    name="buggy/crc32c_wrong_polynomial",
    object="crc32c_wrong_polynomial.o",
    symbol="crc32c_64",
    args=[Scalar("crc", 32), Buffer("data", 64)],
    outputs=[Return("crc", 32)],
    spec=crc32c_of_buffer,
)
