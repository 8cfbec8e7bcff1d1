"""``lnsym prove`` beyond running scripts: ``--template`` (from the contract that stopped at a loop to a script
that proves it, with only the specification filled in by hand), and ``--smt-out``/``--recheck`` (a loop proof's
obligations exported and re-proved by a second solver, as ``lnsym verify`` does)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from lnsym.cli.main import main

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
SCRIPT = PROGRAMS / "proofs" / "sha256_blocks_ce.py"

FILLED = {
    'raise NotImplementedError("carried: read the chaining value off the state (see the comments above)")':
        "return words(state.V(0), 32, 4) + words(state.V(1), 32, 4)",
    'raise NotImplementedError("init: the specification\'s initial value")':
        'return inputs.words("state", 4)',
    'raise NotImplementedError("step: the specification\'s step on one block")':
        "from bitvec import concat\n    from crypto_specs.sha2 import sha256_compress\n"
        "    return sha256_compress(value, [concat(*block[4 * k: 4 * k + 4]) for k in range(16)])",
    'raise NotImplementedError("outputs: the contract\'s outputs from the final value")':
        'return {"state": value}',
}


CONTRACT_N = """
from bitvec import ite
from crypto_specs.sha2 import sha256_compress
from lnsym.contract import Buffer, BufferOut, Contract, Scalar

def spec(inputs):
    state = inputs.words("state", 4)
    words = inputs.words("data", 4, "big")
    out = state
    for k in range(4):
        state = sha256_compress(state, words[16 * k: 16 * k + 16])
        out = [ite(inputs["n"].eq(k + 1), a, b) for a, b in zip(state, out)]
    return {"state": out}

CONTRACT = Contract(name="sha256_blocks_ce[n symbolic]", object=OBJECT, symbol="sha256_blocks_ce",
                    args=[Buffer("state", 32, writable=True), Buffer("data", 256), Scalar("n", 64)],
                    outputs=[BufferOut("state", 4)], spec=spec)
"""


def test_verify_names_the_template_command_when_it_stops_at_a_loop(tmp_path: Path) -> None:
    from lnsym.contract import load_contract_file
    from lnsym.prove.prover import verify

    source = tmp_path / "sha256_n.py"
    source.write_text(f"OBJECT = {str(PROGRAMS / 'sha256_blocks_ce.o')!r}\n" + CONTRACT_N)
    (contract,) = load_contract_file(source)
    result = verify(contract, loop_limit=2)
    assert result.verdict == "unknown", result.detail
    assert result.detail.startswith("needs an invariant: loop at"), result.detail
    assert f"`lnsym prove --template {source}` writes a starting proof script" in result.detail


def test_a_template_finds_the_loop_and_proves_once_the_spec_is_filled_in(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sha256_all_n.py"
    assert main(["prove", "--template", str(SCRIPT), "--out", str(out)]) == 0
    text = out.read_text()
    ast.parse(text)  # valid Python as written
    for found in ("head='sha256_blocks_ce+0x8',", "counter=3,", "pointer=1,", "buffer='data',", "stride=64,",
                  "count='n',", "#   x1 = &data", "#   x3 = n"):
        assert found in text, found
    assert main(["prove", str(out)]) == 2  # as written: the spec is missing, a one-line error result
    assert "NotImplementedError" in capsys.readouterr().out
    for todo, code in FILLED.items():
        assert todo in text, todo
        text = text.replace(todo, code)
    out.write_text(text)
    assert main(["prove", "--json", str(out)]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["verdict"] == "proved" and len(result["obligations"]) > 100
    assert main(["prove", "--template", str(SCRIPT), "--out", str(out)]) == 2  # never overwrites a script
    assert "exists" in capsys.readouterr().err


def test_a_template_needs_a_symbolic_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prove", "--template", str(PROGRAMS / "sha256_blocks_ce.py")]) == 2  # n = 2 fixed
    err = capsys.readouterr().err
    assert "symbolic" in err and err.count("\n") == 1


def test_loop_obligations_are_exported_and_rechecked_by_a_second_solver(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")
    out = tmp_path / "smt"
    assert main(["prove", "--json", "--smt-out", str(out), "--recheck", "bitwuzla", "--timeout", "60",
                 str(SCRIPT)]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    rechecked = [o for o in result["obligations"] if o.get("recheck")]
    assert rechecked and {o["recheck"] for o in rechecked} == {"bitwuzla:unsat"}
    assert any("step: carried" in o["name"] for o in rechecked)
    manifest = (out / "lnsym-manifest.txt").read_text().splitlines()
    assert any(line.endswith(".smt2") for line in manifest)
    assert main(["prove", "--smt-out", str(out), str(SCRIPT)]) == 2  # a non-empty folder needs --force
    assert main(["prove", "--out", "x.py", str(SCRIPT)]) == 2
