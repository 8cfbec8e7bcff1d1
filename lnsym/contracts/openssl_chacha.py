"""Contracts for OpenSSL's ``ChaCha20_ctr32(out, inp, len, key, counter)`` (chacha-armv8.o).

``void ChaCha20_ctr32(unsigned char *out, const unsigned char *inp, size_t len, const unsigned int key[8],
const unsigned int counter[4])``: ``key`` is eight native (little-endian) words, ``counter[0]`` the 32-bit
block counter and ``counter[1..3]`` the nonce, exactly RFC 8439 2.3's state words 4..15; the routine writes
``out = inp XOR keystream`` (RFC 8439 2.4), block ``j`` with the counter stepped ``j`` times, and does not write
``counter`` back.  How the counter steps depends on the code computing the block (seen in the disassembly and
checked by running it with ``counter[0]`` about to wrap): the integer code steps ``counter[0..1]`` as one 64-bit
word (``add x28, x28, #1``: a wrap of ``counter[0]`` carries into ``counter[1]``), NEON lanes step ``counter[0]``
alone modulo 2^32 (``add v.4s``).  OpenSSL's callers never let ``counter[0]`` wrap within a call; each contract
states which rule its blocks follow, so it holds for every counter.

The entry point dispatches (chacha-armv8.pl, checked in the disassembly): ``len == 0`` returns; ``len < 192``
or ``OPENSSL_armcap_P`` without ``ARMV7_NEON`` (bit 0, ``arm_arch.h``) runs the integer code, 64 bytes per
loop pass; otherwise ``ChaCha20_neon`` (one integer block and four NEON lanes per 320-byte pass, the part
short of 320 bytes by a tail: one integer block, then NEON blocks), which moves on to ``ChaCha20_512_neon``
from 512 bytes on (two integer blocks and six NEON blocks per 512 bytes).  Each contract fixes ``len`` and
``OPENSSL_armcap_P`` and names both in its preconditions.
"""

from __future__ import annotations

from collections.abc import Callable

from bitvec import Value, concat
from crypto_specs.chacha20 import chacha20_block
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Scalar

MEMBER = "libcrypto-lib-chacha-armv8.o"
ARMV7_NEON = 1 << 0  # arm_arch.h
NEON_FROM = 192  # ``cmp x2, #0xc0; b.lo`` at the entry: shorter calls take the integer path whatever armcap says
WIDE_FROM = 512  # ChaCha20_neon goes on to ChaCha20_512_neon from here (``cmp x2, #0x200; b.hs``)


def _spec(carrying: frozenset[int]) -> Callable[[Inputs], dict[str, object]]:
    """RFC 8439 2.4 on whole blocks: word ``i`` of block ``j`` is ``inp XOR chacha20_block(key, ctr + j, nonce)``.

    For the blocks ``j`` in ``carrying`` (those an integer lane computes: it steps the counter with
    ``add x28, x28, #n``) the block counter is ``counter[0..1]`` read as one 64-bit little-endian word: RFC 8439's
    32-bit counter, except that a wrap of ``counter[0]`` carries into ``counter[1]`` (Bernstein's original ChaCha,
    64-bit block counter).  For the others (NEON lanes, ``add v.4s``) ``counter[0] + j`` wraps modulo 2^32 as
    RFC 8439 says.  The two agree unless ``counter[0] + j`` wraps."""

    def spec(inputs: Inputs) -> dict[str, object]:
        key = inputs.words("key", 4)
        counter, *nonce = inputs.words("counter", 4)
        wide = concat(nonce[0], counter)
        data = inputs.words("inp", 4)
        out: list[Value] = []
        for j in range(len(data) // 16):
            if j in carrying and j:
                step = wide + j
                stream = chacha20_block(key, step[31:0], [step[63:32], *nonce[1:]])
            else:
                stream = chacha20_block(key, counter + j, nonce)
            out += [d ^ s for d, s in zip(data[16 * j : 16 * j + 16], stream, strict=True)]
        return {"out": out}

    return spec


def _span(blocks: frozenset[int]) -> str:
    return ", ".join(str(j) for j in sorted(blocks))


def _ctr32(path: str, blocks: int, armcap: int, integer: frozenset[int]) -> Contract:
    """``len = 64 * blocks`` with ``OPENSSL_armcap_P = armcap``; ``integer``: the blocks an integer lane computes
    (found by running the code with ``counter[0]`` about to wrap; the rest are NEON lanes)."""
    size = 64 * blocks
    wrapping = frozenset(range(blocks)) - integer
    counter = []
    if blocks > 1 and integer - {0}:
        counter.append(f"blocks {_span(integer)} (integer code): block j's counter is counter[0..1] + j as one "
                       "64-bit word (a wrap of counter[0] carries into counter[1])")
    if wrapping:
        counter.append(f"blocks {_span(wrapping)} (NEON lanes): block j's counter is counter[0] + j modulo 2^32 "
                       "(RFC 8439)")
    return Contract(
        name=f"openssl:ChaCha20_ctr32[{path},{blocks}]",
        object="",
        member=MEMBER,
        symbol="ChaCha20_ctr32",
        args=[Buffer("out", size, writable=True), Buffer("inp", size), Scalar("len", 64, value=size),
              Buffer("key", 32), Buffer("counter", 16)],
        outputs=[BufferOut("out", 4)],
        spec=_spec(integer),
        preconditions=[f"len = {size} ({blocks} block{'s' * (blocks > 1)})",
                       f"OPENSSL_armcap_P = {armcap:#x}: the {_PATHS[path]} path",
                       "out and inp are disjoint buffers (no in-place call)", *counter],
        defines={"OPENSSL_armcap_P": armcap},
    )


_PATHS = {"int": "integer", "neon": "NEON (ChaCha20_neon)", "neon512": "NEON 512-byte (ChaCha20_512_neon)"}

# (path, blocks, armcap, integer-lane blocks): the integer code once and four times round its loop;
# ChaCha20_neon at its smallest length (192 bytes: its 320-byte pass is skipped, the tail runs one integer
# block then NEON lanes) and at 256; ChaCha20_512_neon's one 512-byte pass (two integer and six NEON blocks).
SHAPES = [("int", 1, 0, frozenset({0})), ("int", 4, 0, frozenset(range(4))),
          ("neon", 3, ARMV7_NEON, frozenset({0})), ("neon", 4, ARMV7_NEON, frozenset({0})),
          ("neon512", 8, ARMV7_NEON, frozenset({0, 1}))]
CONTRACTS = {f"ChaCha20_ctr32[{p},{b}]": _ctr32(p, b, a, i) for p, b, a, i in SHAPES}
