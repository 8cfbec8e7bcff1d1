"""Contract: chacha20_qround_neon applies the RFC 8439 quarter round to the four columns of the state."""

from crypto_specs.chacha20 import quarter_round_on_state
from lnsym.contract import Buffer, BufferOut, Contract, Inputs


def column_round(inputs: Inputs) -> dict[str, object]:
    """QUARTERROUND(0,4,8,12), (1,5,9,13), (2,6,10,14), (3,7,11,15) on the 16 native-endian words."""
    state = inputs.words("x", 4)
    for i in range(4):
        state = quarter_round_on_state(state, i, 4 + i, 8 + i, 12 + i)
    return {"x": state}


def contract(name: str, obj: str) -> Contract:
    return Contract(
        name=name,
        object=obj,
        symbol="chacha20_qround_neon",
        args=[Buffer("x", 64, writable=True)],
        outputs=[BufferOut("x", 4)],
        spec=column_round,
    )


CONTRACT = contract("chacha20_qround_neon", "chacha20_qround_neon.o")
