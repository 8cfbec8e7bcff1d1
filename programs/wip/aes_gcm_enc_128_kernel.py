"""Work in progress (issue 16): OpenSSL's ``aes_gcm_enc_128_kernel`` on a 64-byte call, the ciphertext only.

``aes_gcm_enc_128_kernel(in, bit_length, out, Xi, ivec, key)`` (aes-gcm-armv8_64.o) encrypts ``bit_length / 8``
bytes in CTR mode -- block i uses ``ivec`` with its last four bytes, big-endian, plus i (SP 800-38D ``inc32``
applied i times; block 0 uses ``ivec`` itself) -- and folds the ciphertext into the GHASH value ``Xi``, whose
context holds the hash key's table (what ``gcm_init_v8`` writes) 32 bytes further on.  This contract states the
ciphertext, for any key schedule, IV, table and plaintext.

Status, measured (``lnsym verify programs/wip/aes_gcm_enc_128_kernel.py --budget 600``): the first block's 16
bytes are proved (GF(2) normal form); the second block's bytes end unknown (the solver's 60 s each, then the
budget): the kernel builds the counter blocks with 64-bit ``ORR``/``FMOV`` lane moves, which the normal form
does not yet match with ``inc32``.  The tag (GHASH over four blocks, a degree-4 identity in the hash key) is
not stated: see docs/proof-scripts.md, "What is not covered yet"."""

from bitvec import BV, concat
from crypto_specs.ghash import gctr
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar
from lnsym.contracts.openssl_ghash import htable, le_bytes
from lnsym.load.fetch import openssl_libcrypto

BLOCKS = 4


def context(inputs: Inputs) -> list[object]:
    """Xi (16 bytes, the ghost ``Xi0`` in GCM byte order), 16 bytes the kernel does not read, then the table."""
    xi = inputs["Xi0"]
    return [xi[127 - 8 * j : 120 - 8 * j] for j in range(16)] + [BV(8, 0)] * 16 + \
        [b for entry in htable(inputs["H"]) for b in le_bytes(entry)]


def ciphertext(inputs: Inputs) -> dict[str, object]:
    """SP 800-38D 6.5 GCTR from the IV itself, on whole blocks."""
    rk = inputs.bytes("key")
    keys = [rk[16 * r : 16 * r + 16] for r in range(11)]
    blocks = gctr(keys, concat(*inputs.bytes("ivec")), inputs.words("in", 16, "big"))
    return {"out": [c[127 - 8 * j : 120 - 8 * j] for c in blocks for j in range(16)]}


CONTRACT = Contract(
    name=f"openssl:aes_gcm_enc_128_kernel[{BLOCKS} blocks, ciphertext]",
    object=str(openssl_libcrypto()),
    member="libcrypto-lib-aes-gcm-armv8_64.o",
    symbol="aes_gcm_enc_128_kernel",
    args=[Buffer("in", 16 * BLOCKS), Scalar("bits", 64, 128 * BLOCKS), Buffer("out", 16 * BLOCKS, writable=True),
          Buffer("ctx", 32 + 96, writable=True, derived=context), Buffer("ivec", 16, writable=True),
          Buffer("key", 244)],
    outputs=[BufferOut("out", 1)],
    spec=ciphertext,
    ghosts=[Scalar("H", 128), Scalar("Xi0", 128)],
    preconditions=["the key schedule's 11 round keys (AES-128), any values", "Xi's context holds gcm_init_v8's table "
                   "for the hash key H 32 bytes on", "in and out are disjoint"],
)
