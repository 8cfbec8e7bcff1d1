"""Proof script: OpenSSL's ``sha512_block_armv8(ctx, in, num)`` (the SHA-512 extension path) compresses ``num``
blocks for *every* num >= 1.  The loop is software-pipelined: at its head (+0x40) V16-V23 already hold the
current block (loaded and byte-swapped by the previous iteration, or before the loop for the first), X1
points one block ahead, X2 counts the blocks left; each iteration loads the next block while it hashes this
one, and on the last it rewinds X1 to re-read the current block rather than read past the end.  The hash
value H0..H7 stays in V0-V3."""

from bitvec import Value, concat
from crypto_specs.sha2 import sha512_compress
from lnsym.contract import Buffer, BufferOut, Contract, Scalar
from lnsym.load.fetch import openssl_libcrypto
from lnsym.prove.induction import BlockLoop
from lnsym.prove.script import words
from lnsym.symbolic.state import SymState


def hash_value(state: SymState) -> list[Value]:
    """H0..H7: the 64-bit lanes of V0-V3 in order."""
    return [w for r in range(4) for w in words(state.V(r), 64, 2)]


def current_block(state: SymState) -> list[Value]:
    """The block's 128 bytes as V16-V23 hold them: each 64-bit lane is one big-endian message word."""
    lanes = [w for r in range(16, 24) for w in words(state.V(r), 64, 2)]
    return [b for w in lanes for b in reversed(words(w, 8, 8))]


def compress(h: list[Value], block: list[Value]) -> list[Value]:
    """FIPS 180-4 6.4.2 on one 128-byte block (big-endian words)."""
    return sha512_compress(h, [concat(*block[8 * k : 8 * k + 8]) for k in range(16)])


CONTRACT = Contract(
    name="openssl:sha512_block_armv8[every num]",
    object=str(openssl_libcrypto()),
    member="libcrypto-lib-sha512-armv8.o",
    symbol="sha512_block_armv8",
    args=[Buffer("state", 64, writable=True), Buffer("data", 128), Scalar("num", 64)],
    outputs=[BufferOut("state", 8)],
    spec=lambda inputs: {"state": inputs.words("state", 8)},  # not used: the loop's fold is the spec
)

LOOP = BlockLoop(
    head="sha512_block_armv8+0x40",
    counter=2,
    pointer=1,
    buffer="data",
    stride=128,
    count="num",
    carried=hash_value,
    init=lambda inputs: inputs.words("state", 8),
    step=compress,
    outputs=lambda h: {"state": h},
    lookahead=current_block,
)
