"""``lnsym verify``: the summary table and totals, progress on stderr, ``--jobs`` (worker processes,
results in target order, same verdicts and exit codes as one process) and the proof-benchmark list."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lnsym.cli.main import main
from lnsym.contract import load_contract_file

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
BUGGY = sorted(p for p in (PROGRAMS / "buggy").glob("*.py") if not p.name.startswith("_"))


def test_table_has_totals_and_progress(capsys: pytest.CaptureFixture[str]) -> None:
    crc, bug = PROGRAMS / "crc32c.py", BUGGY[0]
    assert main(["verify", str(crc), str(bug)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    header = lines[0].split()
    assert header[:5] == ["routine", "verdict", "obligations", "time", "assumptions"]
    rows = [line.split() for line in lines[1:] if line.split() and line.split()[0] in ("crc32c_64", "total")]
    assert rows[0][:2] == ["crc32c_64", "PROVED"] and rows[1][:3] == ["total", "(2)", "1/2"]
    crc_obligations, total_obligations = int(rows[0][2]), int(rows[1][4])
    assert 0 < crc_obligations < total_obligations
    assert "2 routines: 1 proved, 1 refuted" in captured.out and "counterexample" in captured.out
    progress = captured.err.splitlines()
    assert progress[0] == "[1/2] verifying crc32c_64 ..." and progress[1].startswith("[1/2] crc32c_64: proved in ")
    assert progress[3].startswith("[2/2] ") and ": refuted in " in progress[3]


def test_jobs_keep_target_order_verdicts_and_exit_code() -> None:
    targets = [str(PROGRAMS / "crc32c.py"), str(BUGGY[0]), str(PROGRAMS / "chacha20_qround_neon.py")]
    done = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify", "--json", "--jobs", "2", *targets],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    got = json.loads(done.stdout)
    assert [r["contract"] for r in got] == [c.name for t in targets for c in load_contract_file(t)]
    assert [r["verdict"] for r in got] == ["proved", "refuted", "proved"]
    assert got[1]["counterexample"]["replay_lnsym"] != ["no difference on these inputs"]
    assert all(r["obligations"] and {"name", "verdict", "method"} <= set(r["obligations"][0]) for r in got)
    assert done.stderr.count("verifying ") == 3


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--jobs", "0", str(PROGRAMS / "crc32c.py")]) == 2  # an error, not a refutation
    assert capsys.readouterr().err.startswith("lnsym: error: --jobs")


def test_proof_benchmark_list_comes_from_the_registry() -> None:
    from benchmarks.proofs import proof_targets
    from lnsym.contracts.openssl import CONTRACTS

    targets = proof_targets()
    assert Path(targets[0]) == PROGRAMS.resolve()
    assert sorted(t.removeprefix("openssl:") for t in targets[1:]) == sorted(CONTRACTS)


def test_the_table_totals_recheck_answers_and_names_unconfirmed_obligations(capsys: pytest.CaptureFixture[str]) -> None:
    from bitvec import BV
    from lnsym.cli.verify import print_table
    from lnsym.prove.prover import Obligation, Result

    def ob(name: str, answer: str) -> Obligation:
        return Obligation(name, BV(8, 0), BV(8, 0), "proved", "gf2-anf", recheck=f"bitwuzla:{answer}")

    results = [Result("a", "proved", ["x is aligned"], [ob("out[0]", "unsat"), ob("out[1]", "unsat")]),
               Result("b", "proved", ["y = 1"], [ob("Htable[2]", "unknown"), ob("Htable[0]", "unsat")])]
    print_table(results)
    text = capsys.readouterr().out
    assert "bitwuzla 3/4 unsat" in text and "bitwuzla 1/2 unsat" in text
    assert "not confirmed by the second solver: Htable[2] (bitwuzla:unknown)" in text
    assert "out[1] (bitwuzla" not in text
