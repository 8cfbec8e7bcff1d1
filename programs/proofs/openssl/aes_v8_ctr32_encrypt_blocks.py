"""Proof script: OpenSSL's ``aes_v8_ctr32_encrypt_blocks(in, out, blocks, key, ivec)`` (AES-128, the crypto
extension path) encrypts ``blocks`` blocks in CTR mode with a 32-bit counter for *every* block count >= 1.

The routine runs a five-block loop while at least 35 blocks remain at its start, a three-block loop, then a
tail of one or two blocks.  The cuts are the three loop heads, each counted on every edge into it but the
back-edge of the inner loop over the AES rounds that shares it; with ``t`` the counter of the next block (SP
800-38D ``inc32``: the last four bytes of the IV, big-endian, plus the blocks done, modulo 2^32):

* five-block loop (+0xb0, from +0xa4 and its back-edge +0x2a8): X2 = blocks left - 5, X0/X1 the next
  input/output block, W8 = t + 4, and V0, V1, V18, V24, V25 hold the counter blocks for t .. t + 4;
* three-block loop (+0x2d0, from +0x78, +0x2cc and its back-edge +0x408): X2 = blocks left - 3, W8 = t + 2,
  V0, V1, V18 the counter blocks for t .. t + 2;
* tail (+0x420, from +0x64, +0x2c0 and +0x41c; one or two blocks left): X2 = blocks left, X12 = 16 when two
  are left else 0 (the input pointer's step between the two loads), V0, V1 the counter blocks for t, t + 1.

Each run between cuts consumes at most five blocks (the window).  The round keys (V16, V17 reloaded each
pass, V20-V23, V7), the IV (V6), the round count (W5, W6) and the key pointer stay as they are (found and
proved by the induction).  The specification is SP 800-38D 6.5 GCTR over whole blocks, as a transducer: the
counter is the carried value, each block's output is the input XOR CIPH_K(counter block)."""

from collections.abc import Callable

from bitvec import BV, Value, concat, ite
from crypto_specs.ghash import aes_block
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar
from lnsym.load.fetch import openssl_libcrypto
from lnsym.prove.stream import Cut, Progress, StreamLoop

ROUNDS = 10
MEMBER = "libcrypto-lib-aesv8-armx.o"
SYMBOL = "aes_v8_ctr32_encrypt_blocks"


def counter_register(inputs: Inputs, t: Value) -> Value:
    """A counter block as ``ld1 {v.4s}`` loads the IV and ``mov v.s[3], w`` (w = rev(t)) patches it: the first
    twelve IV bytes, then t big-endian, as a little-endian 128-bit register."""
    iv = inputs.bytes("ivec")
    return concat(t[7:0], t[15:8], t[23:16], t[31:24], *reversed(iv[:12]))


def loop_holds(lanes: tuple[int, ...], w8: int, x2: int) -> Callable[[Progress], dict[str, Value]]:
    """A loop head: X2 = blocks left - ``x2``, W8 = t + ``w8``, the counter blocks for t, t + 1, ... in
    ``lanes``."""
    def holds(p: Progress) -> dict[str, Value]:
        t = p.carried[0]
        regs: dict[str, Value] = {"x0": p.source, "x1": p.sink, "x2": p.left - x2, "x8": (t + w8).zext(64)}
        regs.update({f"v{r}": counter_register(p.inputs, t + k) for k, r in enumerate(lanes)})
        return regs

    return holds


def tail_holds(p: Progress) -> dict[str, Value]:
    """The tail: X2 = blocks left (1 or 2), X12 = 16 when two are left else 0, V0/V1 the counter blocks."""
    t = p.carried[0]
    return {"x0": p.source, "x1": p.sink, "x2": p.left, "x12": ite(p.left.eq(2), BV(64, 16), BV(64, 0)),
            "v0": counter_register(p.inputs, t), "v1": counter_register(p.inputs, t + 1)}


def first_counter(inputs: Inputs) -> list[Value]:
    """The counter of block 0: the IV's last four bytes, big-endian."""
    return [concat(*inputs.bytes("ivec")[12:16])]


def gctr_block(carried: list[Value], block: list[Value], inputs: Inputs) -> tuple[list[Value], list[Value]]:
    """SP 800-38D 6.5 on one whole block: Y = X XOR CIPH_K(CB); CB <- inc32(CB)."""
    t = carried[0]
    rk = inputs.bytes("key")
    keys = [rk[16 * r : 16 * r + 16] for r in range(ROUNDS + 1)]
    cb = concat(*inputs.bytes("ivec")[:12], t)
    y = concat(*block) ^ aes_block(keys, cb)
    return [t + 1], [y[127 - 8 * j : 120 - 8 * j] for j in range(16)]


CONTRACT = Contract(
    name=f"openssl:{SYMBOL}[every count,{ROUNDS}]",
    object=str(openssl_libcrypto()),
    member=MEMBER,
    symbol=SYMBOL,
    args=[Buffer("in", 16), Buffer("out", 16, writable=True), Scalar("blocks", 64),
          Buffer("key", 244, fixed=((240, ROUNDS.to_bytes(4, "little")),)), Buffer("ivec", 16)],
    outputs=[BufferOut("out", 1)],
    spec=lambda inputs: {"out": inputs.bytes("out")},  # not used: the loop's transducer is the spec
    preconditions=[f"key->rounds = {ROUNDS}, any round keys (the key schedule is not assumed)",
                   "in and out are disjoint buffers (no in-place call)"],
)

LOOP = StreamLoop(
    count="blocks",
    source="in",
    sink="out",
    block=16,
    window=5,  # one pass of the five-block loop
    cuts=(
        Cut(f"{SYMBOL}+0xb0", via=(f"{SYMBOL}+0xa4", f"{SYMBOL}+0x2a8"), least=5,
            left=lambda s: s.x[2] + 5, holds=loop_holds((0, 1, 18, 24, 25), 4, 5)),
        Cut(f"{SYMBOL}+0x2d0", via=(f"{SYMBOL}+0x78", f"{SYMBOL}+0x2cc", f"{SYMBOL}+0x408"), least=3,
            left=lambda s: s.x[2] + 3, holds=loop_holds((0, 1, 18), 2, 3)),
        Cut(f"{SYMBOL}+0x420", via=(f"{SYMBOL}+0x64", f"{SYMBOL}+0x2c0", f"{SYMBOL}+0x41c"), least=1, most=2,
            left=lambda s: s.x[2], holds=tail_holds),
    ),
    carried=(32,),
    init=first_counter,
    step=gctr_block,
)
