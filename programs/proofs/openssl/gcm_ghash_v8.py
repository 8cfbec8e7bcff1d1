"""Proof script: OpenSSL's ``gcm_ghash_v8(Xi, Htable, inp, len)`` (ghashv8-armx.o) updates Xi by SP 800-38D's GHASH
over ``len / 16`` blocks, for *every* ``len`` that is a positive multiple of 16, and every hash key H.

``Htable`` holds what ``gcm_init_v8`` writes for H (:func:`lnsym.contracts.openssl_ghash.htable`: twisted H,
H^2, H^3, H^4 and Karatsuba halves; H is a ghost input).  ``len = 0`` is excluded: the routine then still
reads and hashes one block (its ``len < 64`` path hashes the first block before testing the count), and
``gcm128.c`` never calls it so.  With fewer than four blocks it runs a two-block pass and a one-block tail;
with four or more, ``gcm_ghash_v8_4x``: a loop hashing four blocks per iteration as ``(Y ^ I0) H^4 ^ I1 H^3
^ I2 H^2 ^ I3 H`` with the next group's three products computed in the same iteration (software
pipelining), then the last group and a remainder of one to three blocks.

Cuts (blocks left counted *before* the group the registers hold; ``swap`` exchanges 64-bit halves, the
register form ``rev64`` of a loaded block gives; the Karatsuba products are PMULL's, of the table entries):

* ``+0x1f0`` (the four-block loop head, from ``+0x1e8`` and the back-edge ``+0x2b4``), >= 8 left, and
  ``+0x2b8`` (after the loop, from ``+0x1e4`` and ``+0x2b4``), 4..7 left: X2 past the current group,
  X3 = 16 left - 128, V0 = swap(Y), V4 = swap(I0), V29/V31/V30 = the low/high/middle products of I1 H^3
  ^ I2 H^2 ^ I3 H (of the current group I0..I3, read ahead);
* ``+0x354``, ``+0x3d4``, ``+0x44c`` (a remainder of 3, 2, 1 blocks, once the group's sum is reduced): X2 at
  the remainder, X3 = 16 left, V0 = swap(Y), V4 = swap(I0), and the products already formed;
* ``+0x100`` (the one-block tail of the short path, from ``+0x3c`` and ``+0xfc``): V0 = Y, V16 = swap(I0),
  V3 = I0.

Every run between cuts then multiplies the hash by the key at most once (one reduction), so each obligation
is of degree 1 in the table's products once they are generalized; the field procedure
(:mod:`lnsym.prove.field`) rewrites the specification's chain of up to four products into that form, in the
ring GF(2)[x]/(x^128 + x^7 + x^2 + x + 1), whose product SP 800-38D's Algorithm 1 is proved to be."""

from collections.abc import Callable

from bitvec import BV, Value, concat
from isa.simd_pseudocode import PolynomialMult
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar
from lnsym.contracts.openssl_ghash import ENTRIES, GF128, LAYOUT, MEMBER, be_bytes, htable, le_bytes
from lnsym.load.fetch import openssl_libcrypto
from lnsym.prove.stream import Cut, Progress, StreamLoop
from lnsym.symbolic.state import SymState

SYMBOL = "gcm_ghash_v8"


def at(offset: int) -> str:
    """A program point: gcm_ghash_v8_4x follows gcm_ghash_v8 (at +0x160) in the object."""
    return f"{SYMBOL}+{offset:#x}"


def swap(v: Value) -> Value:
    """The 64-bit halves exchanged (``ext v, v, v, #8``): what ``ld1 {.2d}`` + ``rev64`` make of a block."""
    return concat(v[63:0], v[127:64])


def lo(v: Value) -> Value:
    return v[63:0]


def hi(v: Value) -> Value:
    return v[127:64]


def mid(v: Value) -> Value:
    return v[127:64] ^ v[63:0]


def pmull(a: Value, b: Value) -> Value:
    """PMULL of one 64-bit element of each operand (the ASL ``PolynomialMult``)."""
    return PolynomialMult(a, b)


def block(p: Progress, j: int) -> Value:
    """The j-th block still to consume, as an SP 800-38D block (its first byte the top)."""
    return concat(*p.ahead(j))


def table(inputs: Inputs) -> list[Value]:
    return htable(inputs["H"])


def group_products(t: list[Value], i1: Value, i2: Value, i3: Value) -> dict[str, Value]:
    """V29/V31/V30 of the four-block loop: low, high, middle products of I3 H, I2 H^2, I1 H^3 (summed)."""
    t1, t12, t2, t3, t34 = t[0], t[1], t[2], t[3], t[4]
    return {"v29": pmull(lo(t1), lo(i3)) ^ pmull(lo(t2), lo(i2)) ^ pmull(lo(t3), lo(i1)),
            "v31": pmull(hi(t1), hi(i3)) ^ pmull(hi(t2), hi(i2)) ^ pmull(hi(t3), hi(i1)),
            "v30": pmull(lo(t12), mid(i3)) ^ pmull(hi(t12), mid(i2)) ^ pmull(lo(t34), mid(i1))}


def group_holds(p: Progress) -> dict[str, Value]:
    """The four-block loop head and the block after the loop: the current group read ahead."""
    i = [block(p, j) for j in range(4)]
    return {"x2": p.source + 64, "x3": p.left * 16 - 128, "v0": swap(p.carried[0]), "v4": swap(i[0]),
            **group_products(table(p.inputs), i[1], i[2], i[3])}


def remainder_holds(r: int) -> Callable[[Progress], dict[str, Value]]:
    """A remainder of ``r`` blocks, once the last group is reduced into V0."""
    def holds(p: Progress) -> dict[str, Value]:
        i = [block(p, j) for j in range(r)]
        regs = {"x2": p.source, "x3": p.left * 16, "v0": swap(p.carried[0]), "v4": swap(i[0])}
        t = table(p.inputs)
        if r == 2:
            regs |= {"v5": swap(i[1]), "v23": i[1]}
        if r == 3:
            regs |= {"v23": i[1], "v5": swap(i[1]) ^ i[1], "v7": pmull(lo(t[2]), lo(i[1])),
                     "v29": pmull(lo(t[0]), lo(i[2])), "v31": pmull(hi(t[0]), hi(i[2])),
                     "v30": pmull(lo(t[1]), mid(i[2]))}
        return regs

    return holds


def tail_holds(p: Progress) -> dict[str, Value]:
    """The short path's one-block tail: V0 = Y, V16 = swap(I0), V3 = I0."""
    i0 = block(p, 0)
    return {"v0": p.carried[0], "v16": swap(i0), "v3": i0}


def group_left(s: SymState) -> Value:
    return (s.x[3] + 128).lsr(4)


def remainder_left(s: SymState) -> Value:
    return s.x[3].lsr(4)


def one_left(s: SymState) -> Value:
    return BV(64, 1)


def first_hash(inputs: Inputs) -> list[Value]:
    """Y_0: the Xi block."""
    return [inputs.words("Xi", 16, "big")[0]]


def ghash_block(carried: list[Value], data: list[Value], inputs: Inputs) -> tuple[list[Value], list[Value]]:
    """SP 800-38D 6.4 (Algorithm 2), one block: Y_i = (Y_{i-1} XOR X_i) * H (Algorithm 1); no output bytes."""
    return [GF128.mul(carried[0] ^ concat(*data), inputs["H"])], []


def xi_out(carried: list[Value]) -> dict[str, list[Value]]:
    return {"Xi": be_bytes(carried[0])}


def _table_bytes(inputs: Inputs) -> list[Value]:
    return [b for entry in table(inputs) for b in le_bytes(entry)]


CONTRACT = Contract(
    name=f"openssl:{SYMBOL}[every len]",
    object=str(openssl_libcrypto()),
    member=MEMBER,
    symbol=SYMBOL,
    args=[Buffer("Xi", 16, writable=True), Buffer("Htable", 16 * ENTRIES, derived=_table_bytes),
          Buffer("inp", 16), Scalar("len", 64)],
    outputs=[BufferOut("Xi", 1)],
    spec=lambda inputs: {"Xi": inputs.bytes("Xi")},  # not used: the loop's transducer is the spec
    ghosts=[Scalar("H", 128)],
    preconditions=["any hash key H (a ghost input)", LAYOUT,
                   "len a multiple of 16, at least 16 (len = 0 hashes one block: gcm128.c never calls it so)"],
)

LOOP = StreamLoop(
    count="len",
    count_in_bytes=True,
    source="inp",
    block=16,
    window=8,  # one iteration of the four-block loop: the group it hashes and the next, read ahead
    discovery=2,  # the remainder cuts are reached only from the one after the loop
    cuts=(
        Cut(at(0x1F0), via=(at(0x1E8), at(0x2B4)), least=8, ahead=4, left=group_left, holds=group_holds),
        Cut(at(0x2B8), via=(at(0x1E4), at(0x2B4)), least=4, most=7, ahead=4, left=group_left, holds=group_holds),
        Cut(at(0x354), least=3, most=3, ahead=3, left=remainder_left, holds=remainder_holds(3)),
        Cut(at(0x3D4), least=2, most=2, ahead=2, left=remainder_left, holds=remainder_holds(2)),
        Cut(at(0x44C), least=1, most=1, ahead=1, left=remainder_left, holds=remainder_holds(1)),
        Cut(at(0x100), via=(at(0x3C), at(0xFC)), least=1, most=1, ahead=1, left=one_left, holds=tail_holds),
    ),
    carried=(128,),
    init=first_hash,
    step=ghash_block,
    outputs=xi_out,
)
