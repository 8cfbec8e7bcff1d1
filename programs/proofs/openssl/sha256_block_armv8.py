"""Proof script: OpenSSL's ``sha256_block_armv8(ctx, in, num)`` (the SHA-256 extension path, libcrypto.a from
Debian's libssl-dev:arm64, fetched and cached by ``lnsym fetch openssl``) compresses ``num`` blocks for
*every* num >= 1.  The loop at +0x10 keeps ABCD/EFGH in V0/V1, the blocks left in X2 (``sub x2, x2, #1`` ...
``cbnz x2``) and the next block's address in X1."""

from bitvec import Value, concat
from crypto_specs.sha2 import sha256_compress
from lnsym.contract import Buffer, BufferOut, Contract, Scalar
from lnsym.load.fetch import openssl_libcrypto
from lnsym.prove.induction import BlockLoop
from lnsym.prove.script import words
from lnsym.symbolic.state import SymState


def lanes(state: SymState) -> list[Value]:
    """V0's four 32-bit lanes (A, B, C, D), then V1's (E, F, G, H)."""
    return words(state.V(0), 32, 4) + words(state.V(1), 32, 4)


def compress(h: list[Value], block: list[Value]) -> list[Value]:
    """FIPS 180-4 6.2.2 on one 64-byte block (big-endian words)."""
    return sha256_compress(h, [concat(*block[4 * k : 4 * k + 4]) for k in range(16)])


CONTRACT = Contract(
    name="openssl:sha256_block_armv8[every num]",
    object=str(openssl_libcrypto()),
    member="libcrypto-lib-sha256-armv8.o",
    symbol="sha256_block_armv8",
    args=[Buffer("state", 32, writable=True), Buffer("data", 64), Scalar("num", 64)],
    outputs=[BufferOut("state", 4)],
    spec=lambda inputs: {"state": inputs.words("state", 4)},  # not used: the loop's fold is the spec
)

LOOP = BlockLoop(
    head="sha256_block_armv8+0x10",
    counter=2,
    pointer=1,
    buffer="data",
    stride=64,
    count="num",
    carried=lanes,
    init=lambda inputs: inputs.words("state", 4),
    step=compress,
    outputs=lambda h: {"state": h},
)
