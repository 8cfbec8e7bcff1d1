"""OpenSSL's AES key schedules and CTR32 (aesv8-armx.o): the layouts the contracts of
``lnsym.contracts.openssl_aes_keys`` / ``openssl_aes_ctr`` state, checked concretely against
``cryptography``, and one-instruction mutants of the routines refuted with a replayed counterexample.
(The proofs themselves run in ``test_openssl_verify.py``.)"""

from __future__ import annotations

import dataclasses
import os

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from openssl_fixture import libcrypto, openssl_object

import lnsym
from crypto_specs import aes_modes
from lnsym.contracts.openssl import contract
from lnsym.machine.harness import Buffer, call
from lnsym.prove.prover import verify

MEMBER = "libcrypto-lib-aesv8-armx.o"


def _ecb(key: bytes, block: bytes, decrypt: bool = False) -> bytes:
    c = Cipher(algorithms.AES(key), modes.ECB())
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(block) + op.finalize()


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_schedules_drive_aes_v8_encrypt_and_decrypt_like_cryptography(bits: int) -> None:
    image = openssl_object(MEMBER)
    key, block = os.urandom(bits // 8), os.urandom(16)
    enc = call(image, "aes_v8_set_encrypt_key", [Buffer(key), bits, Buffer.zeros(244)])
    dec = call(image, "aes_v8_set_decrypt_key", [Buffer(key), bits, Buffer.zeros(244)])
    assert enc.ok and dec.ok and enc.x0 == 0 and dec.x0 == 0
    for schedule in (enc.buffers[1], dec.buffers[1]):
        assert int.from_bytes(schedule[240:], "little") == {128: 10, 192: 12, 256: 14}[bits]
    ct = call(image, "aes_v8_encrypt", [Buffer(block), Buffer.zeros(16), Buffer(enc.buffers[1])]).buffers[1]
    assert ct == _ecb(key, block)
    pt = call(image, "aes_v8_decrypt", [Buffer(ct), Buffer.zeros(16), Buffer(dec.buffers[1])]).buffers[1]
    assert pt == block
    # round key 0 is the user key itself, stored byte for byte (st1 {v.4s} of an ld1 {v.16b} load)
    assert enc.buffers[1][:16] == key[:16] and dec.buffers[1][16 * (bits // 32 + 6) :][:16] == key[:16]


@pytest.mark.parametrize(("blocks", "tail"), [(1, 7), (4, 0xFFFF_FFFE), (5, 0x1234)])
def test_ctr32_matches_cryptography_with_a_32_bit_counter(blocks: int, tail: int) -> None:
    image = openssl_object(MEMBER)
    key = os.urandom(16)
    schedule = call(image, "aes_v8_set_encrypt_key", [Buffer(key), 128, Buffer.zeros(244)]).buffers[1]
    iv = os.urandom(12) + tail.to_bytes(4, "big")
    data = os.urandom(16 * blocks)
    run = call(image, "aes_v8_ctr32_encrypt_blocks",
               [Buffer(data), Buffer.zeros(len(data)), blocks, Buffer(schedule), Buffer(iv)])
    assert run.ok and run.buffers[3] == iv  # ivec is not written back
    counters = b"".join(iv[:12] + ((tail + i) % 2**32).to_bytes(4, "big") for i in range(blocks))
    keystream = _ecb(key, counters)
    assert run.buffers[1] == bytes(a ^ b for a, b in zip(data, keystream))
    assert run.buffers[1] == aes_modes.ctr32_encrypt(key, iv, data)


def _mutant(name: str, offset: int, word: int) -> tuple[object, object]:
    """The contract and a fresh image of aesv8-armx.o with the word at ``symbol + offset`` replaced."""
    c = contract(name, str(libcrypto()))
    image = lnsym.load.load(libcrypto(), member=MEMBER)
    address = image.address(c.symbol) + offset
    seg = next(s for s in image.segments if s.start <= address < s.end)
    at = address - seg.start
    assert int.from_bytes(seg.data[at : at + 4], "little") != word
    seg.data[at : at + 4] = word.to_bytes(4, "little")
    return dataclasses.replace(c, name=f"mutant of {name}"), image


@pytest.mark.parametrize(
    ("name", "offset", "word"),
    [
        ("aes_v8_set_encrypt_key[128]", 0x8C, 0x4F0A5421),  # Rcon update: shl v1.16b, v1.16b, #1 -> #2
        ("aes_v8_set_decrypt_key[256]", 0x40, 0x4E286821),  # aesimc v1 -> aesmc v1
        ("aes_v8_ctr32_encrypt_blocks[1,10]", 0x498, 0xD503201F),  # drop the last round key (eor v2, v7)
    ],
)
def test_a_mutated_instruction_is_refuted_with_replay(name: str, offset: int, word: int) -> None:
    c, image = _mutant(name, offset, word)
    result = verify(c, image=image, timeout_s=60)  # type: ignore[arg-type]
    assert result.verdict == "refuted"
    cx = result.counterexample
    assert cx is not None and cx["replays"] is True, cx
