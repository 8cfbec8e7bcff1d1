"""Push-button proofs of OpenSSL's arm64 routines (SHA-256/512 blocks against FIPS 180-4,
aes_v8_encrypt/decrypt for 10/12/14 rounds against FIPS 197), and refutation of a mutated
specification with a counterexample that replays on lnsym and on Unicorn."""

from __future__ import annotations

import dataclasses

import pytest
from openssl_fixture import libcrypto

from crypto_specs import sha2
from lnsym.contracts.openssl import CONTRACTS, contract
from lnsym.prove.prover import verify

# the same code as the 10-round variants with more loop iterations (a few seconds each), and the five-block
# loop of CTR32 (35 blocks, about 25 s); GHASH over two blocks is proved column by column (about 100 s)
CAMPAIGN = frozenset({"aes_v8_ctr32_encrypt_blocks[4,12]", "aes_v8_ctr32_encrypt_blocks[4,14]",
                      "aes_v8_ctr32_encrypt_blocks[35,10]", "gcm_ghash_v8[2]"})


@pytest.mark.parametrize(
    "name", [pytest.param(n, marks=pytest.mark.campaign) if n in CAMPAIGN else n for n in sorted(CONTRACTS)]
)
def test_openssl_routine_is_proved(name: str) -> None:
    c = contract(name, str(libcrypto()))
    result = verify(c, timeout_s=120)
    assert result.verdict == "proved", result.detail
    assert all(p in result.assumptions for p in c.preconditions)
    assert result.steps > 20 and all(o.verdict == "proved" for o in result.obligations)


def test_a_wrong_round_constant_is_refuted_with_replay(monkeypatch: pytest.MonkeyPatch) -> None:
    k = list(sha2.K512)
    k[17] ^= 1 << 40
    monkeypatch.setattr(sha2, "K512", tuple(k))
    c = dataclasses.replace(contract("sha512_block_armv8", str(libcrypto())), name="mutant")
    result = verify(c, timeout_s=60)
    assert result.verdict == "refuted"
    cx = result.counterexample
    assert cx is not None
    for key in ("replay_lnsym", "replay_unicorn"):
        assert isinstance(cx[key], list) and any(cx["expected"][2:] in line for line in cx[key]), cx[key]
