"""Loop induction (lnsym.prove.induction): the bundled ``sha256_blocks_ce`` is proved for every block count,
and the proof rejects a wrong invariant, a wrong step, and a routine that goes wrong only at the third block
(which the unrolled two-block proof cannot see, and the unrolled three-block proof refutes with a replaying
counterexample)."""

from __future__ import annotations

import importlib.util
import time
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest
from asm_tools import assemble

from bitvec import BV
from lnsym.contract import load_contract_file
from lnsym.prove.induction import prove_block_loop
from lnsym.prove.procedures import Verdict
from lnsym.prove.prover import verify

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sha256_blocks_all_n", PROGRAMS / "proofs" / "sha256_blocks_ce.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sha256_blocks_ce_is_proved_for_every_block_count() -> None:
    m = _script()
    start = time.perf_counter()
    result = prove_block_loop(m.CONTRACT, m.LOOP)
    seconds = time.perf_counter() - start
    assert result.verdict == Verdict.PROVED, (result.detail, [(o.name, o.verdict) for o in result.obligations
                                                              if o.verdict != Verdict.PROVED])
    names = [o.name for o in result.obligations]
    for expected in ("entry: counter = n", "entry: carried[7]", "step: counter - 1", "step: pointer + stride",
                     "step: carried[0]", "step: counter decreases (the measure)", "exit: state[7]",
                     "exit: frame: x19 restored", "exit: after the last block (counter was 1)"):
        assert expected in names, expected
    assert any(a.startswith("n >= 1") for a in result.assumptions)
    print(f"\nsha256_blocks_ce, every n: proved in {seconds:.2f}s, {len(names)} obligations")


def test_a_wrong_initial_value_is_rejected() -> None:
    m = _script()
    loop = replace(m.LOOP, init=lambda inputs: [BV(32, 0)] * 8)
    result = prove_block_loop(m.CONTRACT, loop)
    assert result.verdict == Verdict.UNKNOWN and "entry: carried" in result.detail, result.detail
    # the model, run from the call on Unicorn, reaches the head with a chaining value the invariant does not want
    assert result.counterexample and result.counterexample["replays"] is True, result.counterexample
    assert "Unicorn from the state at" in str(result.counterexample["replay"])


def test_a_wrong_step_is_rejected() -> None:
    """The spec's step with the message words read little-endian: wrong for almost every block."""
    m = _script()
    loop = replace(m.LOOP, step=lambda h, block: m.sha256_compress(
        h, [m.concat(*reversed(block[4 * k: 4 * k + 4])) for k in range(16)]))
    result = prove_block_loop(m.CONTRACT, loop)
    assert result.verdict == Verdict.UNKNOWN and "step: carried" in result.detail, result.detail
    # the head state of the model (registers, the block), one iteration on Unicorn: the mismatch, with values
    assert result.counterexample and result.counterexample["replays"] is True, result.counterexample


def test_a_wrong_stride_is_rejected() -> None:
    m = _script()
    result = prove_block_loop(replace(m.CONTRACT, args=[*m.CONTRACT.args[:1], replace(m.CONTRACT.args[1], size=32),
                                                        m.CONTRACT.args[2]]), replace(m.LOOP, stride=32))
    assert result.verdict != Verdict.PROVED, result.detail


THIRD_BLOCK_BUG = """    add     x5, x5, #1                      // planted: blocks done so far
    cmp     x5, #3
    b.ne    1f
    movi    v31.2d, #0x00000000000000ff
    eor     v0.16b, v0.16b, v31.16b         // corrupts A at the third block only
1:
    subs    x3, x3, #1
"""


@pytest.fixture(scope="module")
def third_block_bug(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = (PROGRAMS / "sha256_blocks_ce.S").read_text()
    source = source.replace("    mov     x3, x2                          // n\n",
                            "    mov     x3, x2                          // n\n    mov     x5, #0\n")
    assert source.count("    subs    x3, x3, #1\n") == 1
    source = source.replace("    subs    x3, x3, #1\n", THIRD_BLOCK_BUG)
    return assemble(tmp_path_factory.mktemp("induction"), source, "sha256_blocks_bug.o")


def test_a_routine_wrong_only_at_the_third_block_is_not_proved(third_block_bug: Path) -> None:
    m = _script()
    loop = replace(m.LOOP, head="sha256_blocks_ce+0xc")  # .Lblock, one instruction later
    result = prove_block_loop(replace(m.CONTRACT, object=str(third_block_bug)), loop)
    assert result.verdict == Verdict.UNKNOWN, result.detail
    assert "step: carried" in result.detail or "step: x5" in result.detail, result.detail
    assert result.counterexample and result.counterexample["replays"] is True, result.counterexample


def test_the_unrolled_proofs_show_why_every_n_matters(third_block_bug: Path) -> None:
    """Two blocks unrolled: proved (the bug is past them); three: refuted with a replaying counterexample."""
    (two,) = load_contract_file(PROGRAMS / "sha256_blocks_ce.py")
    assert verify(replace(two, object=str(third_block_bug))).verdict == Verdict.PROVED

    import programs.sha256_blocks_ce as unrolled  # the bundled contract's module, for its spec with 3 blocks

    def three_blocks(inputs: object) -> dict[str, object]:
        saved = unrolled.BLOCKS
        unrolled.BLOCKS = 3
        try:
            return unrolled.sha256_blocks(inputs)  # type: ignore[arg-type]
        finally:
            unrolled.BLOCKS = saved

    args = [two.args[0], replace(two.args[1], size=192), replace(two.args[2], value=3)]
    result = verify(replace(two, name="sha256_blocks_ce[n=3]", object=str(third_block_bug), args=args,
                            spec=three_blocks))
    assert result.verdict == Verdict.REFUTED and result.counterexample and result.counterexample["replays"] is True


def test_lnsym_prove_runs_the_bundled_scripts_with_verify_s_conventions(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from lnsym.cli.main import main

    assert main(["prove", "--json"]) == 0  # the bundled scripts: an interactive one and a loop induction
    results = json.loads(capsys.readouterr().out)
    assert {(r["contract"], r["verdict"]) for r in results} == {("sha256_block_ce", "proved"),
                                                                 ("sha256_block_ce[cut after 32 rounds]", "proved"),
                                                                 ("sha256_blocks_ce[every n]", "proved")}
    wrong = tmp_path / "wrong_init.py"
    wrong.write_text(
        "from dataclasses import replace\nimport importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('s', {str(PROGRAMS / 'proofs' / 'sha256_blocks_ce.py')!r})\n"
        "m = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(m)\n"
        "from bitvec import BV\nCONTRACT = m.CONTRACT\nLOOP = replace(m.LOOP, init=lambda i: [BV(32, 1)] * 8)\n")
    assert main(["prove", str(wrong)]) == 2  # not proved: unknown, naming the failing obligation
    assert "entry: carried" in capsys.readouterr().out
    junk = tmp_path / "junk.py"
    junk.write_text("CONTRACT = 3\n")
    assert main(["prove", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lnsym: error: proof script") and err.count("\n") == 1


def test_contradictory_preconditions_are_an_error_not_a_vacuous_proof() -> None:
    m = _script()
    result = prove_block_loop(m.CONTRACT, replace(m.LOOP, max_count=0))  # n >= 1 and n <= 0
    assert result.verdict == Verdict.ERROR and "vacuous" in result.detail, result.detail


def test_openssl_sha256_block_armv8_is_proved_for_every_block_count() -> None:
    """OpenSSL's shipped routine (SHA-256 extension path), for every num >= 1 (its unrolled proof is for one
    block; 16 unrolled blocks took about 50 s)."""
    from openssl_fixture import libcrypto

    libcrypto()  # skips, with the reason, when the package registry cannot be reached
    from lnsym.cli.prove import load_script

    contract, loop = load_script(PROGRAMS / "proofs" / "openssl" / "sha256_block_armv8.py")
    start = time.perf_counter()
    result = prove_block_loop(contract, loop)
    assert result.verdict == Verdict.PROVED, result.detail
    assert "undefined symbol OPENSSL_armcap_P: 16 zero bytes" in " ".join(result.assumptions)
    print(f"\nopenssl sha256_block_armv8, every num: proved in {time.perf_counter() - start:.2f}s")


def test_openssl_sha512_block_armv8_pipelined_loop_is_proved_for_every_block_count() -> None:
    """The software-pipelined loop: the current block is carried in V16-V23 (``lookahead``), the pointer is one
    block ahead, and the last iteration re-reads the current block (``csel`` on the counter's flag)."""
    from openssl_fixture import libcrypto

    libcrypto()
    from lnsym.cli.prove import load_script

    contract, loop = load_script(PROGRAMS / "proofs" / "openssl" / "sha512_block_armv8.py")
    start = time.perf_counter()
    result = prove_block_loop(contract, loop)
    assert result.verdict == Verdict.PROVED, result.detail
    names = {o.name for o in result.obligations}
    assert {"entry: lookahead = block 0[127]", "step: lookahead = the next block[0]", "exit: state[7]"} <= names
    print(f"\nopenssl sha512_block_armv8, every num: proved in {time.perf_counter() - start:.2f}s")


def test_a_pipelined_loop_with_a_wrong_lookahead_is_rejected() -> None:
    """Claiming the registers hold the block little-endian: the entry obligation fails."""
    from openssl_fixture import libcrypto

    libcrypto()
    from lnsym.cli.prove import load_script

    contract, loop = load_script(PROGRAMS / "proofs" / "openssl" / "sha512_block_armv8.py")
    def little_endian(state: object) -> list[object]:
        held = loop.lookahead(state)
        return [b for w in range(16) for b in reversed(held[8 * w: 8 * w + 8])]

    wrong = replace(loop, lookahead=little_endian)
    result = prove_block_loop(contract, wrong)
    assert result.verdict == Verdict.UNKNOWN and "entry: lookahead" in result.detail, result.detail
