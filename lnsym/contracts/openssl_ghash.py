"""Contracts for OpenSSL's PMULL GHASH (ghashv8-armx.o): ``gcm_init_v8``, ``gcm_gmult_v8``, ``gcm_ghash_v8``.

Data layout (``crypto/modes/gcm128.c`` and the comments of ``ghashv8-armx.pl``):

* ``gcm_init_v8(Htable, H)``: ``H`` is ``u64 H[2]`` in host order, ``H[0]`` the first eight bytes of
  the hash key block read big-endian (``CRYPTO_gcm128_init`` byte-swaps them), so the SP 800-38D block
  is ``H[0] || H[1]``.  The routine writes six 128-bit entries, each stored as a little-endian
  128-bit value: the "twisted" H (H shifted left by one bit, with ``0xc2..01`` folded in when the top
  bit falls out), the Karatsuba halves ``hi ^ lo`` of twisted H and of twisted H^2 packed into one
  entry, twisted H^2, twisted H^3, the halves of H^3 and H^4, twisted H^4 (:func:`htable`).
* ``gcm_gmult_v8(Xi, Htable)``: ``Xi`` is the 16-byte block in GCM byte order; Xi <- Xi * H.
* ``gcm_ghash_v8(Xi, Htable, inp, len)``: Xi <- GHASH update over ``len / 16`` blocks of ``inp``
  (SP 800-38D 6.4: Y_i = (Y_{i-1} ^ X_i) * H, starting from Y_0 = Xi).

The multiplication routines are proved for *every* hash key: ``H`` is a ghost input (not passed in a
register) and ``Htable`` holds :func:`htable` of it, which is exactly what ``openssl:gcm_init_v8`` is
proved to write.  Powers of H are computed with SP 800-38D's Algorithm 1 (:func:`gf128_mul`).
"""

from __future__ import annotations

from bitvec import Value, concat
from crypto_specs.ghash import gf128_mul
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar
from lnsym.prove.field import Field, register

#: SP 800-38D's multiplication with its products recorded, for the field procedure (lnsym.prove.field): x^128 =
#: x^7 + x^2 + x + 1, the lemma that Algorithm 1 is that ring's product proved before any use
GF128 = register(Field("gf128", 128, 0x87, gf128_mul))

MEMBER = "libcrypto-lib-ghashv8-armx.o"
#: ``0xc2....01`` of ghashv8-armx.pl (``vshl.i64 $xC2,$xC2,#57`` and the carry bit): x^128's reduction
#: polynomial in the bit-reflected, shifted-by-one representation.
TWIST = 0xC2 << 120 | 1
ENTRIES = 6  # 128-bit entries gcm_init_v8 writes in this build (H, H^2 and, for the 4x path, H^3, H^4)
LAYOUT = ("Htable[0..5] (96 bytes) hold what gcm_init_v8 writes for the hash key H: twisted H, "
          "Karatsuba halves of H and H^2, twisted H^2, twisted H^3, halves of H^3 and H^4, twisted H^4")


def twist(h: Value) -> Value:
    """ghashv8-armx.pl ``gcm_init_v8``: ``H<<<=1`` then ``twisted H`` -- H shifted left one bit, XORed
    with 0xc2..01 when bit 127 falls out."""
    return h.lsl(1) ^ (h[127].sext(128) & TWIST)


def halves(a: Value, b: Value) -> Value:
    """The Karatsuba pre-processed entry: ``hi ^ lo`` of ``a`` in the low 64 bits, of ``b`` in the high."""
    return concat(b[127:64] ^ b[63:0], a[127:64] ^ a[63:0])


def htable(h: Value) -> list[Value]:
    """The six 128-bit entries gcm_init_v8 writes for the SP 800-38D hash key block ``h``."""
    h2 = GF128.mul(h, h)
    h3 = GF128.mul(h2, h)
    h4 = GF128.mul(h2, h2)
    t1, t2, t3, t4 = twist(h), twist(h2), twist(h3), twist(h4)
    return [t1, halves(t1, t2), t2, t3, halves(t3, t4), t4]


def le_bytes(x: Value) -> list[Value]:
    """A 128-bit value as the 16 bytes a little-endian store writes."""
    return [x[8 * k + 7 : 8 * k] for k in range(x.width // 8)]


def be_bytes(x: Value) -> list[Value]:
    """A block as its 16 bytes in GCM order (SP 800-38D: bit 127 of the value is the first bit)."""
    return le_bytes(x)[::-1]


def _init_spec(inputs: Inputs) -> dict[str, object]:
    h_hi, h_lo = inputs.words("H", 8)
    return {"Htable": htable(concat(h_hi, h_lo))}


def _table_bytes(inputs: Inputs) -> list[Value]:
    return [b for entry in htable(inputs["H"]) for b in le_bytes(entry)]


def _ghash_spec(inputs: Inputs) -> dict[str, object]:
    h: Value = inputs["H"]
    y = inputs.words("Xi", 16, "big")[0]
    if "inp" in inputs:
        for block in inputs.words("inp", 16, "big"):
            y = gf128_mul(y ^ block, h)
    else:
        y = gf128_mul(y, h)
    return {"Xi": be_bytes(y)}


def gcm_init() -> Contract:
    return Contract(
        name="openssl:gcm_init_v8", object="", member=MEMBER, symbol="gcm_init_v8",
        args=[Buffer("Htable", 16 * ENTRIES, writable=True), Buffer("H", 16)],
        outputs=[BufferOut("Htable", 16)], spec=_init_spec,
        preconditions=["H is u64 H[2] in host order, the hash key block = H[0] || H[1] (as gcm128.c stores it)"],
    )


def _table() -> Buffer:
    return Buffer("Htable", 16 * ENTRIES, derived=_table_bytes)


def gcm_gmult() -> Contract:
    return Contract(
        name="openssl:gcm_gmult_v8", object="", member=MEMBER, symbol="gcm_gmult_v8",
        args=[Buffer("Xi", 16, writable=True), _table()], outputs=[BufferOut("Xi", 1)], spec=_ghash_spec,
        ghosts=[Scalar("H", 128)], preconditions=["any hash key H (a ghost input)", LAYOUT],
    )


def gcm_ghash(blocks: int) -> Contract:
    return Contract(
        name=f"openssl:gcm_ghash_v8[{blocks}]", object="", member=MEMBER, symbol="gcm_ghash_v8",
        args=[Buffer("Xi", 16, writable=True), _table(), Buffer("inp", 16 * blocks), Scalar("len", 64, 16 * blocks)],
        outputs=[BufferOut("Xi", 1)], spec=_ghash_spec, ghosts=[Scalar("H", 128)],
        preconditions=["any hash key H (a ghost input)", LAYOUT, f"len = {16 * blocks} ({blocks} block(s))"],
    )


CONTRACTS = {
    "gcm_init_v8": gcm_init(),
    "gcm_gmult_v8": gcm_gmult(),
    "gcm_ghash_v8[1]": gcm_ghash(1),
    # Xi <- ((Xi ^ X1) * H ^ X2) * H, computed as (Xi ^ X1) * H^2 ^ X2 * H: quadratic in H, decided by
    # low-weight evaluation (lnsym.prove.lowdegree) and exported for a second solver by polarization (lnsym.prove.polar)
    "gcm_ghash_v8[2]": gcm_ghash(2),
}
