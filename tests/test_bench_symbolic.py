"""``lnsym bench --symbolic``: runs OpenSSL SHA-256/512 and AES blocks symbolically and reports sizes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openssl_fixture import libcrypto

from benchmarks.symbolic import ROUTINES, bench_routine
from lnsym.cli.main import main


def test_bench_routine_measures_a_complete_run() -> None:
    row = bench_routine("aes_v8_encrypt[10]", str(libcrypto()), repeat=2)
    assert row.paths == 1 and row.outputs == 1 and row.steps > 40
    assert row.dag_nodes > 100 and 10 < row.depth < row.dag_nodes
    assert 0 < row.best <= row.seconds


def test_cli_bench_symbolic_prints_every_routine_and_the_goal(capsys: pytest.CaptureFixture[str]) -> None:
    libcrypto()  # skips when the registry is unreachable
    assert main(["bench", "--symbolic"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ROUTINES)
    assert "goal: sha512_block_armv8 one block under 1 s:" in out


def test_bench_proofs_runs_its_registry_and_prints_the_table(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """``lnsym bench --proofs`` end to end on a one-routine registry (the full list is the benchmark)."""
    import benchmarks.proofs

    programs = Path(__file__).resolve().parent.parent / "programs"
    monkeypatch.setattr(benchmarks.proofs, "proof_targets", lambda: [str(programs / "crc32c.py")])
    assert main(["bench", "--proofs"]) == 0
    out = capsys.readouterr().out
    assert "crc32c_64" in out and "sha256_blocks_ce[every n]" in out, out  # and the bundled proof scripts
    from benchmarks.proofs import loop_scripts

    assert f"proof benchmark: {1 + len(loop_scripts())} routines" in out, out
    assert "openssl:sha256_block_armv8[every num]" in out and "openssl:sha512_block_armv8[every num]" in out, out
