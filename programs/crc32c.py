"""Contract: crc32c_64 computes CRC-32C (RFC 3720 / Castagnoli) of 64 bytes, continuing from `crc`."""

from bitvec import BV
from crypto_specs.crc32 import crc32c_update
from lnsym.contract import Buffer, Contract, Inputs, Return, Scalar


def crc32c_of_buffer(inputs: Inputs, buffer: str = "data") -> dict[str, object]:
    """The spec: state = ~crc; one CRC-32C update per byte, in memory order; result = ~state."""
    state = ~inputs["crc"]
    for byte in inputs.bytes(buffer):
        state = crc32c_update(state, byte)
    return {"crc": state ^ BV(32, 0xFFFF_FFFF)}


CONTRACT = Contract(
    name="crc32c_64",
    object="crc32c.o",
    symbol="crc32c_64",
    args=[Scalar("crc", 32), Buffer("data", 64)],
    outputs=[Return("crc", 32)],
    spec=crc32c_of_buffer,
)
