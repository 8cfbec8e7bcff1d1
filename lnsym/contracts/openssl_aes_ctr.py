"""Contracts for OpenSSL's ``aes_v8_ctr32_encrypt_blocks(in, out, blocks, key, ivec)`` (aesv8-armx.o).

The routine encrypts ``blocks`` whole 16-byte blocks in CTR mode with a 32-bit counter: counter
block i is ``ivec`` with its last 32 bits, read big-endian, plus i modulo 2^32 (SP 800-38D 6.2
``inc32`` applied i times), and ``out_i = in_i XOR CIPH_K(counter_i)`` -- SP 800-38D 6.5 GCTR on
whole blocks (:func:`crypto_specs.ghash.gctr`), equivalently SP 800-38A 6.5 CTR with a 32-bit
increment.  ``ivec`` is not written back.  ``key`` is an ``AES_KEY`` holding any round keys (the key
schedule is not assumed) with ``rounds`` at byte 240 fixed per contract, and so is ``blocks``
(its loops are unrolled by the symbolic stepper; see ``SHAPES`` for the code paths covered).
"""

from __future__ import annotations

from collections.abc import Callable

from bitvec import Value, concat
from crypto_specs.ghash import gctr
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar

MEMBER = "libcrypto-lib-aesv8-armx.o"


def _to_bytes(block: Value) -> list[Value]:
    """A 128-bit SP 800-38D block as its 16 bytes in memory order (big-endian)."""
    return [block[127 - 8 * j : 120 - 8 * j] for j in range(16)]


def _ctr32_spec(rounds: int) -> Callable[[Inputs], dict[str, object]]:
    def spec(inputs: Inputs) -> dict[str, object]:
        rk = inputs.bytes("key")
        keys = [rk[16 * r : 16 * r + 16] for r in range(rounds + 1)]
        icb = concat(*inputs.bytes("ivec"))
        out = gctr(keys, icb, inputs.words("in", 16, "big"))
        return {"out": [b for block in out for b in _to_bytes(block)]}

    return spec


def ctr32_contract(blocks: int, rounds: int) -> Contract:
    size = 16 * blocks
    return Contract(
        name=f"openssl:aes_v8_ctr32_encrypt_blocks[{blocks},{rounds}]",
        object="",
        member=MEMBER,
        symbol="aes_v8_ctr32_encrypt_blocks",
        args=[Buffer("in", size), Buffer("out", size, writable=True), Scalar("blocks", 64, value=blocks),
              Buffer("key", 244, fixed=((240, rounds.to_bytes(4, "little")),)), Buffer("ivec", 16)],
        outputs=[BufferOut("out", 1)],
        spec=_ctr32_spec(rounds),
        preconditions=[f"key->rounds = {rounds}, any round keys (the key schedule is not assumed)",
                       "in and out are disjoint buffers (no in-place call)"],
    )


# The code paths by block count: 1 -> the two-block tail storing one block; 2 -> that tail storing both;
# 4 -> one pass of the three-block loop, then the tail with one; >= 35 -> the five-block loop first.
SHAPES = [(blocks, rounds) for blocks in (1, 4) for rounds in (10, 12, 14)] + [(2, 10), (35, 10)]
CONTRACTS = {f"aes_v8_ctr32_encrypt_blocks[{b},{r}]": ctr32_contract(b, r) for b, r in SHAPES}
