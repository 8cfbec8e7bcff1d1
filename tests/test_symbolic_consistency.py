"""The symbolic engine against concrete execution on OpenSSL's arm64 routines (Debian libcrypto.a).

Each routine runs once with every input symbolic (registers, vectors, flags, buffer contents,
buffer addresses); every output term (X0..X30, SP, NZCV, V0..V31, writable buffers, other written
bytes), compiled to Python by :mod:`bitvec.pycompile`, is evaluated at 50 points and must equal
lnsym's concrete machine started from the same state, the AAPCS64 harness's call (its PCS checks
pass, its final buffers match) and Unicorn on the first points.

Lengths, counts, key sizes and table indices are concrete (one value each); everything else is
symbolic.  Not included: ``ecp_nistz256_point_add`` and ``point_add_affine``, which branch on the
equality of two Montgomery products -- Z3 times out deciding that branch's feasibility (60 s);
``ecp_nistz256_gather_w5/w7`` with a *symbolic* index (the table address then depends on it and
no precondition bounds it: the memory model refuses the access); ``aes_v8_xts_*`` and
``gcm_ghash_v8_4x`` (not tried); ``bn_mul8x_mont_neon`` (bn_mul_mont takes it only for num > 32 multiples
of 4; called directly at num = 8, Z3 times out on the feasibility of a branch on a carry, after 86 s).
"""

from __future__ import annotations

from functools import cache

import pytest
from openssl_fixture import libcrypto, openssl_object

from bitvec.term import lift
from lnsym.check.consistency import Routine, SymbolicRun, check_points, compile_terms, run_symbolic
from lnsym.contract import Buffer, Scalar

NEON, AES, SHA1, SHA256, PMULL, SHA512 = 1, 4, 8, 16, 32, 64  # OPENSSL_armcap_P bits (arm_arch.h)
POINTS = 50


def _in(name: str, size: int) -> Buffer:
    return Buffer(name, size)


def _out(name: str, size: int) -> Buffer:
    return Buffer(name, size, writable=True)


def _sha(name: str, member: str, symbol: str, word: int, n_state: int, cap: int) -> Routine:
    args = (_out("state", n_state * word), _in("data", 16 * word), Scalar("num", 64, 1))
    return Routine(name, f"libcrypto-lib-{member}.o", symbol, args, (("OPENSSL_armcap_P", cap),))


def _aes_key(rounds: int, name: str = "key") -> Buffer:
    return Buffer(name, 244, fixed=((240, rounds.to_bytes(4, "little")),))


def _mont(num: int) -> Routine:
    n = 8 * num
    args = (_out("rp", n), _in("ap", n), _in("bp", n), _in("np", n), _in("n0", 8), Scalar("num", 32, num))
    return Routine(f"bn_mul_mont[num={num}]", "libcrypto-lib-armv8-mont.o", "bn_mul_mont", args,
                   (("OPENSSL_armv8_rsa_neonized", 0),))


AESM, GHASH, POLY = "libcrypto-lib-aesv8-armx.o", "libcrypto-lib-ghashv8-armx.o", "libcrypto-lib-poly1305-armv8.o"
NISTZ, KECCAK = "libcrypto-lib-ecp_nistz256-armv8.o", "libcrypto-lib-keccak1600-armv8.o"
AES_GCM = "libcrypto-lib-aes-gcm-armv8_64.o"
NO_CAPS = (("OPENSSL_armcap_P", 0),)
ROUTINES = [
    _sha("sha1[int]", "sha1-armv8", "sha1_block_data_order", 4, 5, 0),
    _sha("sha1[ce]", "sha1-armv8", "sha1_block_data_order", 4, 5, NEON | SHA1),
    _sha("sha256[int]", "sha256-armv8", "sha256_block_data_order", 4, 8, 0),
    _sha("sha256[neon]", "sha256-armv8", "sha256_block_data_order", 4, 8, NEON),
    _sha("sha256[ce]", "sha256-armv8", "sha256_block_data_order", 4, 8, NEON | SHA256),
    _sha("sha512[int]", "sha512-armv8", "sha512_block_data_order", 8, 8, 0),
    _sha("sha512[ce]", "sha512-armv8", "sha512_block_data_order", 8, 8, NEON | SHA512),
    Routine("aes_v8_encrypt[10]", AESM, "aes_v8_encrypt", (_in("in", 16), _out("out", 16), _aes_key(10))),
    Routine("aes_v8_decrypt[14]", AESM, "aes_v8_decrypt", (_in("in", 16), _out("out", 16), _aes_key(14))),
    *[Routine(f"aes_v8_set_{d}_key[{bits}]", AESM, f"aes_v8_set_{d}_key",
              (_in("user", bits // 8), Scalar("bits", 32, bits), _out("key", 244)))
      for d in ("encrypt", "decrypt") for bits in (128, 192, 256)],
    Routine("gcm_init_v8", GHASH, "gcm_init_v8", (_out("Htable", 256), _in("H", 16))),
    Routine("gcm_gmult_v8", GHASH, "gcm_gmult_v8", (_out("Xi", 16), _in("Htable", 256))),
    Routine("gcm_ghash_v8[1 block]", GHASH, "gcm_ghash_v8",
            (_out("Xi", 16), _in("Htable", 256), _in("inp", 16), Scalar("len", 64, 16))),
    Routine("KeccakF1600", KECCAK, "KeccakF1600", (_out("A", 200),)),
    Routine("ChaCha20_ctr32[1 block]", "libcrypto-lib-chacha-armv8.o", "ChaCha20_ctr32",
            (_out("out", 64), _in("inp", 64), Scalar("len", 64, 64), _in("key", 32), _in("counter", 16)), NO_CAPS),
    Routine("poly1305_init", POLY, "poly1305_init",
            (_out("ctx", 64), _in("key", 32), _out("func", 16)), NO_CAPS),
    Routine("poly1305_blocks[1 block]", POLY, "poly1305_blocks",
            (_out("ctx", 64), _in("inp", 16), Scalar("len", 64, 16), Scalar("padbit", 32, 1)), NO_CAPS),
    Routine("poly1305_emit", POLY, "poly1305_emit", (_in("ctx", 64), _out("mac", 16), _in("nonce", 16)),
            NO_CAPS),
    _mont(2), _mont(3), _mont(4), _mont(8),
    *[Routine(f"ecp_nistz256_{f}", NISTZ, f"ecp_nistz256_{f}",
              (_out("res", 32), *[_in(c, 32) for c in "ab"[:n]]))
      for f, n in (("mul_mont", 2), ("sqr_mont", 1), ("add", 2), ("sub", 2), ("neg", 1), ("div_by_2", 1),
                   ("mul_by_2", 1), ("mul_by_3", 1), ("to_mont", 1), ("from_mont", 1), ("ord_mul_mont", 2))],
    Routine("ecp_nistz256_ord_sqr_mont[rep=2]", NISTZ, "ecp_nistz256_ord_sqr_mont",
            (_out("res", 32), _in("a", 32), Scalar("rep", 64, 2))),
    Routine("ecp_nistz256_point_double", NISTZ, "ecp_nistz256_point_double", (_out("r", 96), _in("a", 96))),
    Routine("ecp_nistz256_gather_w5[idx=5]", NISTZ, "ecp_nistz256_gather_w5",
            (_out("val", 96), _in("tbl", 96 * 16), Scalar("idx", 32, 5))),
    Routine("ecp_nistz256_gather_w7[idx=9]", NISTZ, "ecp_nistz256_gather_w7",
            (_out("val", 64), _in("tbl", 64 * 64), Scalar("idx", 32, 9))),
    Routine("ecp_nistz256_scatter_w5[idx=5]", NISTZ, "ecp_nistz256_scatter_w5",
            (_out("tbl", 96 * 16), _in("val", 96), Scalar("idx", 32, 5))),
    Routine("SHA3_absorb[1 block]", KECCAK, "SHA3_absorb",
            (_out("A", 200), _in("inp", 136), Scalar("len", 64, 136), Scalar("bsz", 64, 136))),
    Routine("SHA3_absorb_cext[1 block]", KECCAK, "SHA3_absorb_cext",
            (_out("A", 200), _in("inp", 136), Scalar("len", 64, 136), Scalar("bsz", 64, 136))),
    Routine("SHA3_squeeze[64 bytes]", KECCAK, "SHA3_squeeze",
            (_out("A", 200), _out("out", 64), Scalar("len", 64, 64), Scalar("bsz", 64, 136))),
    Routine("ChaCha20_ctr32[neon, 4 blocks]", "libcrypto-lib-chacha-armv8.o", "ChaCha20_ctr32",
            (_out("out", 256), _in("inp", 256), Scalar("len", 64, 256), _in("key", 32), _in("counter", 16)),
            (("OPENSSL_armcap_P", NEON),)),
    Routine("poly1305_blocks_neon[4 blocks]", POLY, "poly1305_blocks_neon",
            (_out("ctx", 192), _in("inp", 64), Scalar("len", 64, 64), Scalar("padbit", 32, 1)), NO_CAPS),
    Routine("poly1305_blocks_neon[16 blocks]", POLY, "poly1305_blocks_neon",
            (_out("ctx", 192), _in("inp", 256), Scalar("len", 64, 256), Scalar("padbit", 32, 1)), NO_CAPS),
    Routine("aes_v8_cbc_encrypt[2 blocks]", AESM, "aes_v8_cbc_encrypt",
            (_in("in", 32), _out("out", 32), Scalar("len", 64, 32), _aes_key(10), _out("ivec", 16),
             Scalar("enc", 32, 1))),
    Routine("aes_v8_ctr32_encrypt_blocks[3]", AESM, "aes_v8_ctr32_encrypt_blocks",
            (_in("in", 48), _out("out", 48), Scalar("blocks", 64, 3), _aes_key(10), _in("ivec", 16))),
    Routine("gcm_ghash_v8[4 blocks]", GHASH, "gcm_ghash_v8",
            (_out("Xi", 16), _in("Htable", 256), _in("inp", 64), Scalar("len", 64, 64))),
    Routine("gcm_ghash_v8_4x[4 blocks]", GHASH, "gcm_ghash_v8_4x",
            (_out("Xi", 16), _in("Htable", 256), _in("inp", 64), Scalar("len", 64, 64))),
    Routine("aes_v8_ecb_encrypt[2 blocks, decrypt]", AESM, "aes_v8_ecb_encrypt",
            (_in("in", 32), _out("out", 32), Scalar("len", 64, 32), _aes_key(10), Scalar("enc", 32, 0))),
    Routine("aes_v8_cbc_encrypt[2 blocks, decrypt]", AESM, "aes_v8_cbc_encrypt",
            (_in("in", 32), _out("out", 32), Scalar("len", 64, 32), _aes_key(12), _out("ivec", 16),
             Scalar("enc", 32, 0))),
    *[Routine(f"aes_v8_xts_{d}[40 bytes]", AESM, f"aes_v8_xts_{d}",
              (_in("in", 40), _out("out", 40), Scalar("len", 64, 40), _aes_key(10, "key1"), _aes_key(10, "key2"),
               _in("iv", 16)))
      for d in ("encrypt", "decrypt")],
    *[Routine(f"aes_gcm_{d}_{bits}_kernel[{n} blocks]", AES_GCM, f"aes_gcm_{d}_{bits}_kernel",
              (_in("in", 16 * n), Scalar("bits", 64, 128 * n), _out("out", 16 * n), _out("Xi", 288),
               _out("ivec", 16), _aes_key(rounds)))
      for d, bits, rounds, n in (("enc", 128, 10, 4), ("dec", 256, 14, 5))],
    Routine("vpaes_encrypt", "libcrypto-lib-vpaes-armv8.o", "vpaes_encrypt", (_in("in", 16), _out("out", 16),
            _aes_key(10))),
    Routine("vpaes_decrypt", "libcrypto-lib-vpaes-armv8.o", "vpaes_decrypt", (_in("in", 16), _out("out", 16),
            _aes_key(12))),
]
BY_NAME = {r.name: r for r in ROUTINES}
DEFAULT = ["sha256[ce]", "sha512[ce]", "sha1[int]", "aes_v8_encrypt[10]", "aes_v8_set_encrypt_key[128]",
           "gcm_gmult_v8", "KeccakF1600", "ChaCha20_ctr32[1 block]", "poly1305_blocks[1 block]",
           "poly1305_blocks_neon[4 blocks]",
           "ecp_nistz256_mul_mont", "bn_mul_mont[num=3]", "aes_v8_xts_encrypt[40 bytes]",
           "aes_gcm_enc_128_kernel[4 blocks]"]


@cache
def _run(name: str, merge: bool = False) -> SymbolicRun:
    r = BY_NAME[name]
    return run_symbolic(r, openssl_object(r.member, **dict(r.defines)), str(libcrypto()), merge=merge)


def _check(name: str, unicorn_points: int, merge: bool = False) -> None:
    run = _run(name, merge)
    assert run.paths, f"{name}: no path returned: {run.ended[:3]}"
    assert all(e.startswith(("returned", "infeasible")) for e in run.ended), run.ended
    checked, problems = check_points(run, POINTS, seed=len(name), unicorn_points=unicorn_points)
    assert checked == POINTS and not problems, "\n".join(problems[:10])


@pytest.mark.parametrize("name", DEFAULT)
def test_symbolic_outputs_equal_concrete_runs(name: str) -> None:
    _check(name, unicorn_points=1)


@pytest.mark.campaign
@pytest.mark.parametrize("name", [r.name for r in ROUTINES if r.name not in DEFAULT])
def test_symbolic_outputs_equal_concrete_runs_campaign(name: str) -> None:
    _check(name, unicorn_points=3)


@pytest.mark.campaign
@pytest.mark.parametrize("name", [r.name for r in ROUTINES])
def test_merged_symbolic_outputs_equal_concrete_runs_campaign(name: str) -> None:
    """The same with path merging on: one returned path each (poly1305_blocks_neon branches on the
    context's base 2^26 flag: two paths unmerged)."""
    _check(name, unicorn_points=1, merge=True)
    assert len(_run(name, True).paths) == 1


def test_a_wrong_output_term_is_caught() -> None:
    """The check is not vacuous: one output byte of one path flipped in a single bit is reported."""
    run = _run("poly1305_blocks[1 block]")
    path = run.paths[0]
    k = path.labels.index("ctx[3]")
    outputs = list(path.outputs)
    outputs[k] = lift(outputs[k], 8) ^ 0x10
    broken = type(path)(path.steps, path.condition, path.labels, outputs)
    broken.compiled, broken.inputs = compile_terms([path.condition, *outputs])
    run = type(run)(run.routine, run.image, [broken], run.ended, run.steps, run.seconds, run.buffers)
    _, problems = check_points(run, 3, unicorn_points=1)
    assert len(problems) == 7 and all("ctx[3]" in p for p in problems), problems  # 3 lnsym, 3 harness, 1 Unicorn
    assert {p.split(": ")[1] for p in problems} == {"lnsym", "harness", "unicorn"}
