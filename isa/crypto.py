"""Cryptographic extensions (Arm ARM C4.1.96 crypto groups, "Advanced SIMD three different" PMULL; C7.2).

AES (FEAT_AES), SHA-1 (FEAT_SHA1), SHA-256 (FEAT_SHA256), SHA-512 (FEAT_SHA512), EOR3/BCAX/RAX1/XAR
(FEAT_SHA3) and PMULL/PMULL2 (FEAT_PMULL for 64-bit elements), written after the Arm ARM pseudocode with
the shared functions of :mod:`isa.crypto_pseudocode`.
"""

from __future__ import annotations

from bitvec import Value, concat
from isa.crypto_pseudocode import (
    LSR,
    ROL,
    ROR,
    AESInvMixColumns,
    AESInvShiftRows,
    AESInvSubBytes,
    AESMixColumns,
    AESShiftRows,
    AESSubBytes,
    SHA1hash,
    SHA256hash,
)
from isa.decoder import Executor, Undefined, decodes
from isa.machine import Machine
from isa.simd_pseudocode import Elem, FromElems, PolynomialMult, Vpart, Vread, Vwrite

# ------------------------------------------------------------------------------------------------
# Cryptographic AES


@decodes("AESE_B_cryptoaes", "AESD_B_cryptoaes")
def aes_round(D: int, Rn: int, Rd: int) -> Executor:
    """AESE / AESD: ``V[d] = [Inv]SubBytes([Inv]ShiftRows(V[d] EOR V[n]))``."""
    decrypt = D == 1

    def execute(s: Machine) -> None:
        result = Vread(s, Rd, 128) ^ Vread(s, Rn, 128)
        if decrypt:
            result = AESInvSubBytes(AESInvShiftRows(result))
        else:
            result = AESSubBytes(AESShiftRows(result))
        Vwrite(s, Rd, result)

    return execute


@decodes("AESMC_B_cryptoaes", "AESIMC_B_cryptoaes")
def aes_mix(D: int, Rn: int, Rd: int) -> Executor:
    """AESMC / AESIMC: ``V[d] = [Inv]MixColumns(V[n])``."""
    decrypt = D == 1

    def execute(s: Machine) -> None:
        operand = Vread(s, Rn, 128)
        Vwrite(s, Rd, AESInvMixColumns(operand) if decrypt else AESMixColumns(operand))

    return execute


# ------------------------------------------------------------------------------------------------
# Cryptographic three-register / two-register SHA


@decodes("SHA1C_QSV_cryptosha3", "SHA1P_QSV_cryptosha3", "SHA1M_QSV_cryptosha3")
def sha1_hash(opcode: int, Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA1C / SHA1P / SHA1M: four rounds, choose/parity/majority."""
    f = {0: "choose", 1: "parity", 2: "majority"}[opcode]

    def execute(s: Machine) -> None:
        x = Vread(s, Rd, 128)
        y = Vread(s, Rn, 32)
        w = Vread(s, Rm, 128)
        Vwrite(s, Rd, SHA1hash(x, y, w, f))

    return execute


@decodes("SHA1H_SS_cryptosha2")
def sha1h(Rn: int, Rd: int) -> Executor:
    """SHA1H: ``V[d] = ROL(V[n]<31:0>, 30)``."""

    def execute(s: Machine) -> None:
        Vwrite(s, Rd, ROL(Vread(s, Rn, 32), 30))

    return execute


@decodes("SHA1SU0_VVV_cryptosha3")
def sha1su0(opcode: int, Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA1SU0: ``(V[n]<63:0> : V[d]<127:64>) EOR V[d] EOR V[m]``."""

    def execute(s: Machine) -> None:
        operand1, operand2, operand3 = Vread(s, Rd, 128), Vread(s, Rn, 128), Vread(s, Rm, 128)
        result = concat(operand2.extract(63, 0), operand1.extract(127, 64))
        Vwrite(s, Rd, result ^ operand1 ^ operand3)

    return execute


@decodes("SHA1SU1_VV_cryptosha2")
def sha1su1(Rn: int, Rd: int) -> Executor:
    """SHA1SU1: ``T = V[d] EOR LSR(V[n], 32)``, each word rotated left by one, plus fix-up."""

    def execute(s: Machine) -> None:
        t = Vread(s, Rd, 128) ^ LSR(Vread(s, Rn, 128), 32)
        words = [ROL(Elem(t, e, 32), 1) for e in range(4)]
        words[3] = words[3] ^ ROL(Elem(t, 0, 32), 2)
        Vwrite(s, Rd, FromElems(words))

    return execute


@decodes("SHA256H_QQV_cryptosha3", "SHA256H2_QQV_cryptosha3")
def sha256_hash(opcode: int, Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA256H / SHA256H2: ``SHA256hash`` returning the first or second half."""
    part1 = opcode == 0b100

    def execute(s: Machine) -> None:
        d, n, w = Vread(s, Rd, 128), Vread(s, Rn, 128), Vread(s, Rm, 128)
        Vwrite(s, Rd, SHA256hash(d, n, w, True) if part1 else SHA256hash(n, d, w, False))

    return execute


@decodes("SHA256SU0_VV_cryptosha2")
def sha256su0(Rn: int, Rd: int) -> Executor:
    """SHA256SU0: ``W[i] + sigma0(W[i+1])`` for four words."""

    def execute(s: Machine) -> None:
        operand1, operand2 = Vread(s, Rd, 128), Vread(s, Rn, 128)
        t = concat(operand2.extract(31, 0), operand1.extract(127, 32))
        result = []
        for e in range(4):
            elt = Elem(t, e, 32)
            elt = ROR(elt, 7) ^ ROR(elt, 18) ^ LSR(elt, 3)
            result.append(elt + Elem(operand1, e, 32))
        Vwrite(s, Rd, FromElems(result))

    return execute


@decodes("SHA256SU1_VVV_cryptosha3")
def sha256su1(opcode: int, Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA256SU1: the second half of the SHA-256 schedule update (sigma1 terms)."""

    def execute(s: Machine) -> None:
        operand1, operand2, operand3 = Vread(s, Rd, 128), Vread(s, Rn, 128), Vread(s, Rm, 128)
        t0 = concat(operand3.extract(31, 0), operand2.extract(127, 32))
        t1 = operand3.extract(127, 64)
        result = []
        for e in range(4):
            if e == 2:
                t1 = FromElems(result)  # T1 = result<63:0>
            elt = Elem(t1, e % 2, 32)
            elt = ROR(elt, 17) ^ ROR(elt, 19) ^ LSR(elt, 10)
            result.append(elt + Elem(operand1, e, 32) + Elem(t0, e, 32))
        Vwrite(s, Rd, FromElems(result))

    return execute


# ------------------------------------------------------------------------------------------------
# Cryptographic three-register / two-register SHA 512 (and RAX1)


def _sigma512(x: Value, a: int, b: int, c: int, shift: bool = False) -> Value:
    """``ROR(x, a) EOR ROR(x, b) EOR (ROR|LSR)(x, c)`` on 64 bits."""
    return ROR(x, a) ^ ROR(x, b) ^ (LSR(x, c) if shift else ROR(x, c))


@decodes("SHA512H_QQV_cryptosha512_3")
def sha512h(Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA512H: two rounds' ``T1`` computations (Ch + Sigma1)."""

    def execute(s: Machine) -> None:
        x, y, w = Vread(s, Rn, 128), Vread(s, Rm, 128), Vread(s, Rd, 128)
        y_hi, y_lo, x_hi, x_lo = y.extract(127, 64), y.extract(63, 0), x.extract(127, 64), x.extract(63, 0)
        msigma1 = _sigma512(y_hi, 14, 18, 41)
        hi = (y_hi & x_lo) ^ (~y_hi & x_hi)
        hi = hi + msigma1 + w.extract(127, 64)
        tmp = hi + y_lo
        msigma1 = _sigma512(tmp, 14, 18, 41)
        lo = (tmp & y_hi) ^ (~tmp & x_lo)
        lo = lo + msigma1 + w.extract(63, 0)
        Vwrite(s, Rd, concat(hi, lo))

    return execute


@decodes("SHA512H2_QQV_cryptosha512_3")
def sha512h2(Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA512H2: two rounds' ``T2`` computations (Maj + Sigma0)."""

    def execute(s: Machine) -> None:
        x, y, w = Vread(s, Rn, 128), Vread(s, Rm, 128), Vread(s, Rd, 128)
        y_hi, y_lo, x_lo = y.extract(127, 64), y.extract(63, 0), x.extract(63, 0)
        nsigma0 = _sigma512(y_lo, 28, 34, 39)
        hi = (x_lo & y_hi) ^ (x_lo & y_lo) ^ (y_hi & y_lo)
        hi = hi + nsigma0 + w.extract(127, 64)
        nsigma0 = _sigma512(hi, 28, 34, 39)
        lo = (hi & y_lo) ^ (hi & y_hi) ^ (y_hi & y_lo)
        lo = lo + nsigma0 + w.extract(63, 0)
        Vwrite(s, Rd, concat(hi, lo))

    return execute


@decodes("SHA512SU0_VV2_cryptosha512_2")
def sha512su0(Rn: int, Rd: int) -> Executor:
    """SHA512SU0: ``W + sigma0`` for the two schedule words."""

    def execute(s: Machine) -> None:
        x, w = Vread(s, Rn, 128), Vread(s, Rd, 128)
        w_hi, w_lo = w.extract(127, 64), w.extract(63, 0)
        lo = w_lo + _sigma512(w_hi, 1, 8, 7, shift=True)
        hi = w_hi + _sigma512(x.extract(63, 0), 1, 8, 7, shift=True)
        Vwrite(s, Rd, concat(hi, lo))

    return execute


@decodes("SHA512SU1_VVV2_cryptosha512_3")
def sha512su1(Rm: int, Rn: int, Rd: int) -> Executor:
    """SHA512SU1: ``W + sigma1(X) + Y`` for the two schedule words."""

    def execute(s: Machine) -> None:
        x, y, w = Vread(s, Rn, 128), Vread(s, Rm, 128), Vread(s, Rd, 128)
        hi = w.extract(127, 64) + _sigma512(x.extract(127, 64), 19, 61, 6, shift=True) + y.extract(127, 64)
        lo = w.extract(63, 0) + _sigma512(x.extract(63, 0), 19, 61, 6, shift=True) + y.extract(63, 0)
        Vwrite(s, Rd, concat(hi, lo))

    return execute


@decodes("RAX1_VVV2_cryptosha512_3")
def rax1(Rm: int, Rn: int, Rd: int) -> Executor:
    """RAX1: ``V[n] EOR ROL(V[m], 1)`` per 64-bit element."""

    def execute(s: Machine) -> None:
        n, m = Vread(s, Rn, 128), Vread(s, Rm, 128)
        Vwrite(s, Rd, FromElems([Elem(n, e, 64) ^ ROL(Elem(m, e, 64), 1) for e in range(2)]))

    return execute


# ------------------------------------------------------------------------------------------------
# Cryptographic four-register, XAR


@decodes("EOR3_VVV16_crypto4", "BCAX_VVV16_crypto4")
def crypto4(Op0: int, Rm: int, Ra: int, Rn: int, Rd: int) -> Executor:
    """EOR3: ``Vn EOR Vm EOR Va``; BCAX: ``Vn EOR (Vm AND NOT Va)``."""
    bcax = Op0 == 0b01

    def execute(s: Machine) -> None:
        n, m, a = Vread(s, Rn, 128), Vread(s, Rm, 128), Vread(s, Ra, 128)
        Vwrite(s, Rd, n ^ (m & ~a) if bcax else n ^ m ^ a)

    return execute


@decodes("XAR_VVV2_crypto3_imm6")
def xar(Rm: int, imm6: int, Rn: int, Rd: int) -> Executor:
    """XAR: ``ROR(V[n] EOR V[m], imm6)`` per 64-bit element."""

    def execute(s: Machine) -> None:
        tmp = Vread(s, Rn, 128) ^ Vread(s, Rm, 128)
        Vwrite(s, Rd, FromElems([ROR(Elem(tmp, e, 64), imm6) for e in range(2)]))

    return execute


# ------------------------------------------------------------------------------------------------
# Advanced SIMD three different: PMULL, PMULL2


@decodes("PMULL_asimddiff_L")
def pmull(Q: int, U: int, size: int, Rm: int, opcode: int, Rn: int, Rd: int) -> Executor:
    """PMULL / PMULL2: polynomial multiply long of the low (Q=0) or high (Q=1) halves.

    8-bit elements (size 00), or one 64-bit element (size 11, FEAT_PMULL); sizes 01 and 10 are reserved.
    """
    if size in (0b01, 0b10):
        raise Undefined("PMULL: reserved element size")
    esize = 8 << size
    part = Q
    elements = 64 // esize

    def execute(s: Machine) -> None:
        operand1, operand2 = Vpart(s, Rn, part, 64), Vpart(s, Rm, part, 64)
        Vwrite(s, Rd, FromElems([
            PolynomialMult(Elem(operand1, e, esize), Elem(operand2, e, esize)) for e in range(elements)
        ]))

    return execute
