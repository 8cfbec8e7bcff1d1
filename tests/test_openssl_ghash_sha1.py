"""OpenSSL's PMULL GHASH and SHA-1 routines: their contracts' layout assumptions checked concretely against
independent references (AES-GCM tags from ``cryptography``, ``hashlib.sha1``), and a one-word mutant of
``gcm_gmult_v8`` refuted by the prover.  The proofs themselves run in ``test_openssl_verify.py``."""

from __future__ import annotations

import hashlib
import random

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from openssl_fixture import libcrypto, openssl_object

from bitvec import BV
from lnsym.check.mutants import Mutant, patched
from lnsym.contracts.openssl import contract
from lnsym.contracts.openssl_ghash import MEMBER, htable, le_bytes
from lnsym.contracts.openssl_sha1 import ARMV8_SHA1
from lnsym.machine.harness import Buffer, call
from lnsym.prove.prover import verify


def _aes_ecb(key: bytes, block: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def _init(h: bytes) -> bytes:
    """gcm_init_v8 on H as gcm128.c passes it (u64 H[2], host order: each half byte-swapped)."""
    hu = h[7::-1] + h[15:7:-1]
    report = call(openssl_object(MEMBER), "gcm_init_v8", [Buffer(bytes(256)), Buffer(hu)])
    assert report.stop == "return" and not report.violations
    return report.buffers[0]


@pytest.mark.parametrize("aad_blocks", [1, 2, 3, 5])
def test_gcm_tag_from_init_and_ghash_matches_cryptography(aad_blocks: int) -> None:
    """Tag of AES-GCM with empty plaintext: E_K(J0) ^ GHASH_H(A || len(A) || len(C)) (SP 800-38D 7.1)."""
    rng = random.Random(aad_blocks)
    key, iv = rng.randbytes(16), rng.randbytes(12)
    aad = rng.randbytes(16 * aad_blocks)
    table = _init(_aes_ecb(key, bytes(16)))
    lengths = (8 * len(aad)).to_bytes(8, "big") + bytes(8)
    image = openssl_object(MEMBER)
    xi = call(image, "gcm_ghash_v8", [Buffer(bytes(16)), Buffer(table), Buffer(aad), len(aad)]).buffers[0]
    # the lengths block through gcm_gmult_v8: Xi <- (Xi ^ L) * H
    xi = call(image, "gcm_gmult_v8", [Buffer(bytes(a ^ b for a, b in zip(xi, lengths))), Buffer(table)]).buffers[0]
    tag = bytes(a ^ b for a, b in zip(xi, _aes_ecb(key, iv + b"\x00\x00\x00\x01")))
    assert tag == AESGCM(key).encrypt(iv, b"", aad)[-16:]


def test_htable_spec_is_what_gcm_init_v8_writes() -> None:
    rng = random.Random(7)
    for _ in range(4):
        h = rng.randbytes(16)
        table = _init(h)
        want = bytes(b.as_int() for entry in htable(BV(128, int.from_bytes(h, "big"))) for b in le_bytes(entry))
        assert table[:96] == want and table[96:] == bytes(160)


@pytest.mark.parametrize("armcap", [ARMV8_SHA1, 0])
def test_sha1_block_data_order_matches_hashlib(armcap: int) -> None:
    message = b"lnsym sha1"
    block = message + b"\x80" + bytes(55 - len(message)) + (8 * len(message)).to_bytes(8, "big")
    state = b"".join(h.to_bytes(4, "little") for h in (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0))
    image = openssl_object("libcrypto-lib-sha1-armv8.o", OPENSSL_armcap_P=armcap)
    report = call(image, "sha1_block_data_order", [Buffer(state), Buffer(block), 1])
    digest = b"".join(report.buffers[0][k : k + 4][::-1] for k in range(0, 20, 4))
    assert digest == hashlib.sha1(message).digest()


def test_a_one_word_mutant_of_gcm_gmult_v8_is_refuted() -> None:
    """``eor v0.16b, v0.16b, v18.16b`` (the last reduction step) turned into ``orr``: refuted, replayed."""
    c = contract("gcm_gmult_v8", str(libcrypto()))
    image = openssl_object(MEMBER)
    address = image.address("gcm_gmult_v8") + 0x54
    mutant = Mutant(address, 0x6E321C00, 0x4EB21C00, "opcode", "EOR -> ORR")
    result = verify(c, timeout_s=60, image=patched(image, mutant))
    assert result.verdict == "refuted"
    assert result.counterexample is not None and "replay_lnsym" in result.counterexample
