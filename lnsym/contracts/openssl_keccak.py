"""Contracts for OpenSSL's Keccak-f[1600] on arm64 (``keccak1600-armv8.o``), against FIPS 202 3.4.

The state is ``uint64_t A[5][5]``: lane (x, y) is ``A[y][x]``, the native little-endian word at byte
``8 * (x + 5y)`` -- the lane order of :mod:`crypto_specs.keccak`.  Two permutation bodies are checked,
each through the small routine that loads the state from memory, runs the body and stores it back:

* ``KeccakF1600`` calls ``KeccakF1600_int``: 25 lanes in X0-X28, chi with BIC (``a ^ (~b & c)``
  as the spec writes it; this file has no lane complementing), the round constants read from ``iotas``;
* ``KeccakF1600_cext`` calls ``KeccakF1600_ce``: lanes in the low halves of V0-V24, theta with EOR3
  and RAX1, rho with XAR, chi with BCAX (FEAT_SHA3).

Both are local symbols; the public sponge entry points ``SHA3_absorb`` / ``SHA3_absorb_cext(A, inp,
len, r)`` are checked for one block (``len = r``): the block is XORed into the first ``r / 8`` lanes,
the permutation applied, and the unprocessed length (0) returned (FIPS 202 4, Algorithm 8 step 6).
The proofs go through :mod:`lnsym.prove.sweep` (each round's lanes are cut points).
"""

from __future__ import annotations

from crypto_specs.keccak import keccak_f1600
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Return, Scalar

MEMBER = "libcrypto-lib-keccak1600-armv8.o"
# KeccakF1600_int ends its round loop when the low byte of its pointer into ``iotas`` (.text + 0x40) is
# 0: the proof holds for .text placed at its 2**8 section alignment, as any conforming link places it.
TEXT_ALIGNMENT = ".text at its 256-byte section alignment (the integer round loop ends on the iotas pointer's low byte)"


def _permute(inputs: Inputs) -> dict[str, object]:
    return {"state": keccak_f1600(inputs.words("state", 8))}


def _permutation(symbol: str, body: str, *extra: str) -> Contract:
    return Contract(
        name=f"openssl:{symbol}",
        object="",
        member=MEMBER,
        symbol=symbol,
        args=[Buffer("state", 200, writable=True)],
        outputs=[BufferOut("state", 8)],
        spec=_permute,
        preconditions=[f"the local routine {symbol} (state at X0) running {body}", *extra],
    )


def _absorb(symbol: str, rate: int, *extra: str) -> Contract:
    def spec(inputs: Inputs) -> dict[str, object]:
        lanes = inputs.words("state", 8)
        block = inputs.words("inp", 8)
        mixed = [a ^ b for a, b in zip(lanes, block)] + lanes[len(block) :]
        return {"state": keccak_f1600(mixed), "remaining": 0}

    return Contract(
        name=f"openssl:{symbol}[{rate}]",
        object="",
        member=MEMBER,
        symbol=symbol,
        args=[Buffer("state", 200, writable=True), Buffer("inp", rate), Scalar("len", 64, value=rate),
              Scalar("r", 64, value=rate)],
        outputs=[BufferOut("state", 8), Return("remaining", 64)],
        spec=spec,
        preconditions=[f"one block: len = {rate}, r = {rate} (bytes)", *extra],
    )


CONTRACTS = {
    "KeccakF1600": _permutation("KeccakF1600", "KeccakF1600_int (integer registers, BIC chi)", TEXT_ALIGNMENT),
    "KeccakF1600_cext": _permutation("KeccakF1600_cext", "KeccakF1600_ce (EOR3/RAX1/XAR/BCAX)"),
    "SHA3_absorb[136]": _absorb("SHA3_absorb", 136, TEXT_ALIGNMENT),
    "SHA3_absorb_cext[136]": _absorb("SHA3_absorb_cext", 136),
}
