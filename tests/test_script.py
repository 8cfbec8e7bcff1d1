"""Interactive proof scripts (lnsym.prove.script): stepping, looking, assuming, splitting and asserting on a
bundled routine, each assertion proved by the prover's procedures or refused with the path's model, and
``finish`` giving the same verdicts as ``lnsym verify`` (a planted bug is refuted with a replay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lnsym.contract import load_contract_file
from lnsym.prove.procedures import Verdict
from lnsym.prove.script import ScriptError, Session, words

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"


def _session(name: str) -> Session:
    (contract,) = load_contract_file(PROGRAMS / name)
    return Session(contract)


def test_step_look_assert_and_finish_on_sha256() -> None:
    s = _session("sha256_block_ce.py")
    s.run_to("sha256_block_ce+0x8")  # after both loads
    assert len(s.live) == 1 and s.state.pc == s.image.address("sha256_block_ce") + 8
    assert "state[" in s.show("v0")
    s.assert_("ABCD loaded", lambda st, i: (words(st.V(0), 32, 4)[0], i.words("state", 4)[0]))
    with pytest.raises(ScriptError, match="script: A is B: refuted"):
        s.assert_("A is B", lambda st, i: (words(st.V(0), 32, 4)[0], i.words("state", 4)[1]))
    s.step(3)
    result = s.finish()
    assert result.verdict == Verdict.PROVED, result.detail
    assert result.obligations[0].name == "script: ABCD loaded"
    assert any(o.name == "state[7]" for o in result.obligations)


def test_assume_and_split_are_listed_and_kept() -> None:
    s = _session("sha256_block_ce.py")
    s.split(lambda st, i: i.bytes("block")[0].eq(0))
    assert len(s.live) == 2
    s.assume("the block's last byte is 0x80", lambda st, i: i.bytes("block")[63].eq(0x80))
    s.assert_("byte 63 pinned", lambda st, i: i.bytes("block")[63].eq(0x80))
    result = s.finish()
    assert result.verdict == Verdict.PROVED, result.detail
    assert "script: the block's last byte is 0x80" in result.assumptions
    assert sum(o.name.startswith("script: byte 63 pinned") for o in result.obligations) == 2


def test_finish_refutes_a_planted_bug_with_a_replay() -> None:
    s = _session("buggy/aes128_swapped_aesmc.py")
    result = s.finish()
    assert result.verdict == Verdict.REFUTED and result.counterexample is not None
    assert result.counterexample["replays"] is True


def test_bad_requests_are_one_line_errors() -> None:
    s = _session("sha256_block_ce.py")
    with pytest.raises(ScriptError, match="no register"):
        s.value("x99")
    s.split(lambda st, i: i.bytes("block")[0].eq(0))
    with pytest.raises(ScriptError, match="2 live paths"):
        s.value("x0")
    with pytest.raises(ScriptError, match="run_to sha256_block_ce: a path ran 3 steps"):
        s.run_to("sha256_block_ce", max_steps=3)  # the entry, left at the first step: never reached again


def test_lnsym_prove_runs_an_interactive_script_and_reports_a_failing_step(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from lnsym.cli.main import main

    assert main(["prove", str(PROGRAMS / "proofs" / "sha256_block_ce_steps.py")]) == 0
    assert "sha256_block_ce   PROVED" in capsys.readouterr().out
    bad = tmp_path / "bad_step.py"
    bad.write_text(
        "from pathlib import Path\nfrom lnsym.contract import load_contract_file\n"
        "from lnsym.prove.script import Session\n"
        f"(CONTRACT,) = load_contract_file({str(PROGRAMS / 'sha256_block_ce.py')!r})\n"
        "def prove():\n    s = Session(CONTRACT)\n    s.run_to('sha256_block_ce+0x8')\n"
        "    s.assert_('V0 is zero', lambda st, i: (st.V(0), 0))\n    return s.finish()\n")
    assert main(["prove", str(bad)]) == 2
    assert "not proved: script: V0 is zero: refuted" in capsys.readouterr().out


def _cut_script() -> object:
    from lnsym.prove.contract import import_file

    return import_file(PROGRAMS / "proofs" / "sha256_block_ce_cut.py", "proof script")


def test_a_cut_after_32_rounds_and_a_lemma_prove_the_rest() -> None:
    result = _cut_script().prove()  # type: ignore[attr-defined]
    assert result.verdict == Verdict.PROVED, result.detail
    names = {o.name for o in result.obligations}
    assert {"script: cut sha256_block_ce+0x104: v0", "script: cut sha256_block_ce+0x104: v7",
            "lemma SHAchoose is Ch", "state[7]", "frame: x19 restored"} <= names, names
    assert any(a.startswith("script: cut at sha256_block_ce+0x104 (holds v0, v1, v4, v5, v6, v7; keeps x0, x2, "
                            "v2, v3 and the frame") for a in result.assumptions), result.assumptions


def test_a_wrong_cut_claim_is_refused() -> None:
    m = _cut_script()
    s = Session(m.CONTRACT)  # type: ignore[attr-defined]

    def one_round_short(state: object, inputs: object) -> dict:
        claims = m.after_32_rounds(state, inputs)  # type: ignore[attr-defined]
        claims["v0"] = claims["v1"]  # (e, f, g, h) where (a, b, c, d) is
        return claims

    with pytest.raises(ScriptError, match=r"cut sha256_block_ce\+0x104: v0: refuted"):
        s.cut("sha256_block_ce+0x104", one_round_short, keep=("x0", "x2", "v2", "v3"))


def test_a_cut_that_drops_what_the_rest_needs_is_unknown_not_refuted() -> None:
    """Without V2/V3 (the saved hash value, added at the end) the summary's final sums are any value: the
    finish fails on a state of the summary, which need not be a real one, so the verdict is unknown."""
    m = _cut_script()
    s = Session(m.CONTRACT)  # type: ignore[attr-defined]
    s.cut("sha256_block_ce+0x104", m.after_32_rounds, keep=("x0", "x2"))  # type: ignore[attr-defined]
    result = s.finish()
    assert result.verdict == Verdict.UNKNOWN and "after 1 cut(s)" in result.detail, result.detail


def test_a_false_lemma_is_refused_and_an_unknown_one_cannot_be_used() -> None:
    s = _session("sha256_block_ce.py")
    with pytest.raises(ScriptError, match="lemma or is xor: refuted"):
        s.lemma("or is xor", lambda x, y: (x | y, x ^ y), (8, 8))
    with pytest.raises(ScriptError, match="no lemma 'or is xor'"):
        s.use("or is xor", lambda st, i: st.x[0], lambda st, i: st.x[1])
