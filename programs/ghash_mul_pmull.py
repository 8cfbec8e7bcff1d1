"""Contract: ghash_mul_pmull computes X * H in GF(2^128), GCM bit order (NIST SP 800-38D 6.3)."""

from bitvec import Value
from crypto_specs.ghash import gf128_mul
from lnsym.contract import Buffer, BufferOut, Contract, Inputs


def ghash_multiply(inputs: Inputs) -> dict[str, object]:
    """The product of the two 16-byte blocks, as the 16 bytes written back over x."""
    product: Value = gf128_mul(inputs.words("x", 16, "big")[0], inputs.words("h", 16, "big")[0])
    return {"x": [product[127 - 8 * k : 120 - 8 * k] for k in range(16)]}


def contract(name: str, obj: str) -> Contract:
    return Contract(
        name=name,
        object=obj,
        symbol="ghash_mul_pmull",
        args=[Buffer("x", 16, writable=True), Buffer("h", 16)],
        outputs=[BufferOut("x", 1)],
        spec=ghash_multiply,
    )


CONTRACT = contract("ghash_mul_pmull", "ghash_mul_pmull.o")
