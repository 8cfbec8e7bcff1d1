"""Contract: aes128_encrypt_ce is FIPS 197 AES encryption (Nr = 10) under any 11 round keys."""

from crypto_specs.aes import cipher
from lnsym.contract import Buffer, BufferOut, Contract, Inputs


def aes128_encrypt(inputs: Inputs) -> dict[str, object]:
    """Any round-key bytes (the key schedule is not assumed), any plaintext block."""
    rk = inputs.bytes("round_keys")
    keys = [rk[16 * r : 16 * r + 16] for r in range(11)]
    return {"out": cipher(inputs.bytes("in"), keys)}


def contract(name: str, obj: str) -> Contract:
    return Contract(
        name=name,
        object=obj,
        symbol="aes128_encrypt_ce",
        args=[Buffer("round_keys", 176), Buffer("in", 16), Buffer("out", 16, writable=True)],
        outputs=[BufferOut("out", 1)],
        spec=aes128_encrypt,
    )


CONTRACT = contract("aes128_encrypt_ce", "aes128_encrypt_ce.o")
