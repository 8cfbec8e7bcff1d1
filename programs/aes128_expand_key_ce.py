"""Contract: aes128_expand_key_ce is FIPS 197 KeyExpansion (Nk = 4) on any 16-byte key."""

from crypto_specs.aes import key_expansion, round_keys
from lnsym.contract import Buffer, BufferOut, Contract, Inputs


def aes128_expand_key(inputs: Inputs) -> dict[str, object]:
    """The 44 schedule words w[0..43] as 176 bytes, each word in FIPS 197 byte order."""
    keys = round_keys(key_expansion(inputs.bytes("key")))
    return {"round_keys": [b for key in keys for b in key]}


def contract(name: str, obj: str) -> Contract:
    return Contract(
        name=name,
        object=obj,
        symbol="aes128_expand_key_ce",
        args=[Buffer("key", 16), Buffer("round_keys", 176, writable=True)],
        outputs=[BufferOut("round_keys", 1)],
        spec=aes128_expand_key,
    )


CONTRACT = contract("aes128_expand_key_ce", "aes128_expand_key_ce.o")
