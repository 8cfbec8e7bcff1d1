"""Push-button proofs of OpenSSL's arm64 SHA-2 block functions against FIPS 180-4, and refutation of
a mutated specification with a counterexample that replays on lnsym and on Unicorn."""

from __future__ import annotations

import dataclasses

import pytest
from openssl_fixture import libcrypto

from crypto_specs import sha2
from lnsym.contracts.openssl import CONTRACTS, contract
from lnsym.prover import verify


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_openssl_routine_is_proved(name: str) -> None:
    result = verify(contract(name, str(libcrypto())), timeout_s=120)
    assert result.verdict == "proved", result.detail
    assert "one block (num = 1)" in result.assumptions
    assert result.steps > 100


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
