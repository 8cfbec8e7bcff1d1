"""Path merging and the loop limit of the symbolic executor.

* A loop with a data-dependent branch per iteration has 2^k paths unmerged and one merged; Z3 proves
  the merged result equal to each path's result under that path's condition, and the merged term
  evaluated at random inputs equals concrete runs (lnsym's harness).
* Real code: OpenSSL's ``aes_v8_set_encrypt_key`` with a symbolic key size (128/192/256 and the
  rejected sizes) merges its six paths into one, which agrees with concrete runs on lnsym and Unicorn.
* A loop whose exit condition is symbolic stops with "needs an invariant" and ``verify`` answers
  *unknown* with that reason.
"""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path

import pytest
from asm_tools import assemble
from openssl_fixture import libcrypto, openssl_object

import lnsym
from bitvec import BV, ite
from bitvec.term import evaluate, lift
from crypto_specs.sha2 import sha256_compress
from lnsym.check.consistency import Routine, check_points, run_symbolic
from lnsym.contract import Buffer, Contract, Inputs, Return, Scalar
from lnsym.contracts.openssl import contract as openssl_contract
from lnsym.machine.harness import call
from lnsym.machine.layout import SENTINEL
from lnsym.prove.prover import code_memory, initial_state, verify
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.state import PathEnd, Solver

K = 5  # loop iterations, each with a branch on one input byte
MIXER = f"""
    .globl mixer
    .type mixer, %function
mixer:                      // x0 = data (K bytes); returns a value depending on every branch taken
    mov     x2, #1
    mov     x3, #{K}
1:  ldrb    w4, [x0], #1
    tbz     w4, #0, 2f
    add     x2, x2, x4
    eor     x2, x2, x2, lsl #3
    b       3f
2:  sub     x2, x2, x4, lsl #1
    ror     x2, x2, #7
3:  subs    x3, x3, #1
    b.ne    1b
    mov     x0, x2
    ret
    .size mixer, .-mixer

    .globl count_down
    .type count_down, %function
count_down:                 // x0 = n: loops n times (a symbolic trip count)
    mov     x1, #0
4:  add     x1, x1, #3
    subs    x0, x0, #1
    b.ne    4b
    mov     x0, x1
    ret
    .size count_down, .-count_down
"""


@pytest.fixture(scope="module")
def mixer_object(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("merge"), MIXER)


def _mixer(obj: Path, merge: bool) -> tuple[list[PathEnd], SymbolicExecutor]:
    c = Contract("mixer", str(obj), "mixer", [Buffer("data", K)], [Return("r")], lambda _: {})
    image = lnsym.load.load(obj)
    state, _, _ = initial_state(c, image)
    executor = SymbolicExecutor(code_memory(image), merge=merge)
    return executor.run(state, SENTINEL), executor


def test_merging_turns_2_to_the_k_paths_into_one_proved_equal(mixer_object: Path) -> None:
    plain, _ = _mixer(mixer_object, merge=False)
    merged, executor = _mixer(mixer_object, merge=True)
    assert [e.reason for e in plain] == ["returned"] * 2**K
    assert [e.reason for e in merged] == ["returned"] and executor.merges == K  # once per join, not per path
    m = merged[0].state
    solver = Solver()
    result = lift(m.x[0], 64)
    for end in plain:  # under each path's condition: the merged state allows it and agrees with it
        for c in m.path:
            assert solver.valid(end.state.path, c)
        assert solver.valid(end.state.path, result.eq(end.state.x[0]))
    wrong = result ^ lift(BV(64, 1 << 40), 64)
    assert not solver.valid(plain[0].state.path, wrong.eq(plain[0].state.x[0]))  # the proof can fail


def test_merged_result_equals_concrete_runs(mixer_object: Path) -> None:
    merged, _ = _mixer(mixer_object, merge=True)
    result = lift(merged[0].state.x[0], 64)
    image = lnsym.load.load(mixer_object)
    rng = random.Random(7)
    for _ in range(50):
        data = bytes(rng.getrandbits(8) for _ in range(K))
        report = call(image, "mixer", [data])
        env = {f"data[{i}]": b for i, b in enumerate(data)} | {"&data": report.buffer_addresses[0]}
        assert evaluate(result, env).val == report.x0, data.hex()


def test_merging_on_openssl_aes_key_expansion_with_a_symbolic_key_size() -> None:
    """``aes_v8_set_encrypt_key(user, bits, key)`` branches on ``bits``: 128, 192, 256, three rejections."""
    routine = Routine(
        "aes_v8_set_encrypt_key[bits]", "libcrypto-lib-aesv8-armx.o", "aes_v8_set_encrypt_key",
        (Buffer("user", 32), Scalar("bits", 32), Buffer("key", 244, writable=True)),
        samples=(("bits", (128, 192, 256, 64, 320, 200)),),
    )
    image = openssl_object(routine.member)
    plain = run_symbolic(routine, image, str(libcrypto()))
    merged = run_symbolic(routine, image, str(libcrypto()), merge=True)
    assert len(plain.paths) == 6 and len(merged.paths) == 1
    assert all(e == "returned" for e in plain.ended + merged.ended)
    checked, problems = check_points(merged, 50, seed=3, unicorn_points=4)
    assert checked == 50 and not problems, "\n".join(problems[:10])


def test_a_symbolic_trip_count_needs_an_invariant(mixer_object: Path) -> None:
    c = Contract("count_down", str(mixer_object), "count_down", [Scalar("n")], [Return("r")],
                 lambda i: {"r": i["n"] * 3})
    image = lnsym.load.load(mixer_object)
    state, _, _ = initial_state(c, image)
    ends = SymbolicExecutor(code_memory(image), loop_limit=5).run(state, SENTINEL)
    stuck = [e for e in ends if e.reason == "needs-invariant"]
    assert len(stuck) == 1 and len(ends) == 6  # n = 1..5 returned; the sixth exit test stopped the rest
    assert sorted(evaluate(e.state.x[0], {}).val for e in ends if e.reason == "returned") == [3, 6, 9, 12, 15]
    result = verify(c, loop_limit=5)
    assert result.verdict == "unknown"
    loop = image.address("count_down") + 12  # the b.ne
    assert re.fullmatch(rf"needs an invariant: loop at {loop:#x} \(count_down\+0xc\) with symbolic exit "
                        r"condition .*\bn\b.* == 0, iterations so far 6; every iteration count needs a proof "
                        r"by induction: `lnsym prove --template count_down` writes a starting proof script, "
                        r"`lnsym prove SCRIPT\.py` runs it \(see programs/proofs/\)", result.detail), result.detail


def test_sha256_block_armv8_with_a_symbolic_block_count_needs_an_invariant() -> None:
    blocks = 5

    def spec(inputs: Inputs) -> dict[str, object]:
        """FIPS 180-4 over the first ``num`` blocks, for num = 1..blocks (ite on num)."""
        state = inputs.words("state", 4)
        data = inputs.words("data", 4, "big")
        out = state
        for k in range(blocks):
            state = sha256_compress(state, data[16 * k : 16 * k + 16])
            out = [ite(inputs["num"].eq(k + 1), a, b) for a, b in zip(state, out)]
        return {"state": out}

    c = openssl_contract("sha256_block_armv8", str(libcrypto()))
    c = dataclasses.replace(c, name="sha256 num symbolic", args=[c.args[0], Buffer("data", 64 * blocks), Scalar("num")],
                            spec=spec, preconditions=[])
    result = verify(c, loop_limit=blocks - 1)
    assert result.verdict == "unknown" and not result.obligations
    assert re.match(r"needs an invariant: loop at 0x[0-9a-f]+ \(sha256_block_armv8\+0x[0-9a-f]+\) with symbolic "
                    rf"exit condition .*num.*, iterations so far {blocks}", result.detail), result.detail
