"""Cut-point sweeping (lnsym.prove.sweep): bit-parallel simulation agrees with evaluation, narrowing is an
identity, deep bitwise equivalences (also through complemented intermediates) are proved, a difference
that random simulation misses is never proved, and OpenSSL's Keccak-f[1600] mutants are refuted."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import z3
from openssl_fixture import libcrypto

from bitvec import BV, concat, var
from bitvec.term import Term, evaluate, postorder
from crypto_specs.keccak import RHO_OFFSETS
from crypto_specs.sha2 import K256, Ch, Maj, Sigma0_256, Sigma1_256
from lnsym.check.mutants import Mutant, patched
from lnsym.contracts.openssl import contract
from lnsym.load.loader import load
from lnsym.prove.chain import export_chain
from lnsym.prove.packsim import PackedSimulator
from lnsym.prove.prover import verify
from lnsym.prove.sweep import Narrower, Sweeper


def _lanes(n: int) -> list[Term]:
    return [var(f"a{i}", 64) for i in range(n)]


def _rounds(lanes: list[Term], rounds: int, complemented: bool) -> list[Term]:
    """A Keccak-like nonlinear mixing of 5 lanes; ``complemented`` keeps every second lane as its
    complement and computes chi in the matching complemented form (as lane-complementing code does)."""
    a = [~x if complemented and i % 2 else x for i, x in enumerate(lanes)]
    for r in range(rounds):
        real = [~x if complemented and i % 2 else x for i, x in enumerate(a)]
        parity = real[0] ^ real[1] ^ real[2] ^ real[3] ^ real[4] if not complemented else \
            ((real[4] ^ real[3]) ^ (real[2] ^ real[1])) ^ real[0]
        b = [(x ^ parity).ror(RHO_OFFSETS[i + 1]) for i, x in enumerate(real)]
        if complemented:
            chi = [b[i] ^ ~(b[(i + 1) % 5] | ~b[(i + 2) % 5]) for i in range(5)]  # ~b & c == ~(b | ~c)
            chi[0] = chi[0] ^ (0x8000_0000_0000_8000 + r)
            a = [~x if i % 2 else x for i, x in enumerate(chi)]
        else:
            a = [b[i] ^ (~b[(i + 1) % 5] & b[(i + 2) % 5]) for i in range(5)]
            a[0] = a[0] ^ (0x8000_0000_0000_8000 + r)
    return [~x if complemented and i % 2 else x for i, x in enumerate(a)]


def test_packed_simulation_agrees_with_evaluation() -> None:
    x, y, z = var("x", 64), var("y", 64), var("z", 8)
    terms = [x.ror(13) ^ ~y, x.lsl(7) | y.lsr(60), (x + y) * 3, x.extract(40, 9), concat(z, x.extract(15, 0), z),
             (x.ult(y)).zext(64) ^ x.asr(5), x.sext(128).extract(127, 60) & ~y.zext(68)]
    rng = random.Random(3)
    values = {n: [rng.getrandbits(w) for _ in range(16)] for n, w in (("x", 64), ("y", 64), ("z", 8))}
    sim = PackedSimulator(16, values)
    sim.run(terms)
    for t in terms:
        for node in postorder(t):
            got = sim.unpack(node.width, sim.signature(node))  # type: ignore[arg-type]
            want = [evaluate(node, {n: v[j] for n, v in values.items()}).val for j in range(16)]
            assert got == want, node


def test_narrowing_is_an_identity_and_splits_vector_values() -> None:
    a, b, c = var("a", 64), var("b", 64), var("c", 64)
    wide = concat(BV(64, 0), a) ^ (concat(b, c) & ~concat(c, b))
    low, high = Narrower()(wide.extract(63, 0)), Narrower()(wide.extract(127, 64))
    assert low is (a ^ (c & ~b)) and high is (b & ~c)
    rng = random.Random(5)
    for _ in range(20):
        env = {n: rng.getrandbits(64) for n in "abc"}
        assert evaluate(wide, env).val == evaluate(concat(high, low), env).val


@pytest.mark.parametrize("complemented", [False, True])
def test_deep_bitwise_equivalence_is_proved_by_cut_points(complemented: bool) -> None:
    lanes = _lanes(5)
    spec, impl = _rounds(lanes, 24, False), _rounds(lanes, 24, complemented)
    sweeper = Sweeper()
    assert sweeper.deep(impl[0], spec[0])
    assert all(sweeper.prove(i, s, []) for i, s in zip(impl, spec))
    assert sweeper.stats.classes >= 24 * 5 and sweeper.stats.failed == 0
    assert sum(sweeper.stats.merged.values()) >= 24 * 5


def _sha256_rounds(state: list[Term], words: list[Term], arm: bool, sigma1_rotation: int = 6) -> list[Term]:
    """SHA-256 rounds (FIPS 180-4 6.2.2 step 3), or as the Arm ARM's SHA256hash computes them: SHAchoose
    ``((y EOR z) AND x) EOR z``, SHAmajority ``(x AND y) OR ((x OR y) AND z)``, T1 summed in another order."""
    a, b, c, d, e, f, g, h = state
    for t, w in enumerate(words):
        if arm:
            sigma1 = e.ror(sigma1_rotation) ^ e.ror(11) ^ e.ror(25)
            t1 = (((f ^ g) & e) ^ g) + (h + (sigma1 + (w + K256[t])))
            t2 = ((a & b) | ((a | b) & c)) + Sigma0_256(a)
        else:
            t1 = h + Sigma1_256(e) + Ch(e, f, g) + K256[t] + w
            t2 = Sigma0_256(a) + Maj(a, b, c)
        a, b, c, d, e, f, g, h = t1 + t2, a, b, c, d + t1, e, f, g
    return [a, b, c, d, e, f, g, h]


def test_sha256_rounds_are_proved_by_normal_form_sweeping_and_the_chain_rechecks(tmp_path: Path) -> None:
    """SHAmajority's ``x AND y`` is shared with FIPS Maj and cut: the local claims need that cut expanded
    back into the cone (four leaves otherwise), not the latest cut (a round's sum)."""
    state, words = [var(f"s{i}", 32) for i in range(8)], [var(f"w{i}", 32) for i in range(16)]
    impl, spec = _sha256_rounds(state, words, True), _sha256_rounds(state, words, False)
    sweeper = Sweeper(keying="normal-form")
    assert all(sweeper.prove(i, s, []) for i, s in zip(impl, spec))
    assert sweeper.stats.failed == 0 and sweeper.stats.classes > 16 * 8
    folder = export_chain(sweeper.chain(), [], ["test"], tmp_path / "chain")
    for f in sorted(folder.glob("*.smt2")):
        solver = z3.Solver()
        solver.from_string(f.read_text())
        assert solver.check() == z3.unsat, f
    wrong = _sha256_rounds(state, words, True, sigma1_rotation=7)
    assert not Sweeper(keying="normal-form").prove(wrong[0], spec[0], [])


def test_a_difference_random_simulation_misses_is_not_proved() -> None:
    lanes = _lanes(5)
    spec = _rounds(lanes, 3, False)
    # one intermediate is wrong only when lane a3 holds one particular value (2^-64 per sample)
    tampered = [x ^ (lanes[3].eq(0x0123_4567_89AB_CDEF).zext(64)) if i == 2 else x for i, x in enumerate(lanes)]
    impl = _rounds(tampered, 3, False)
    sweeper = Sweeper(timeout_ms=500, max_failures=10, max_expansions=2)
    assert not any(sweeper.prove(i, s, []) for i, s in zip(impl, spec))


def test_mutated_keccak_is_refuted_with_replay() -> None:
    """``ror x1, x6, #20`` (rho for lane (1,1)) becomes ``#21`` in KeccakF1600_int."""
    c = contract("KeccakF1600", str(libcrypto()))
    image = load(c.object_path(), member=c.member, symbol=c.symbol)
    address = image.address("KeccakF1600_int") + 0xE4
    result = verify(c, image=patched(image, Mutant(address, 0x93C650C1, 0x93C654C1, "immediate", "imms")))
    assert result.verdict == "refuted" and result.counterexample is not None
    assert "replay_lnsym" in result.counterexample
