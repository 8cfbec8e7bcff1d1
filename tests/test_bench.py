"""``lnsym bench``: the OpenSSL workloads are checked against hashlib / cryptography before they are timed,
Unicorn is started with no instruction count, and the table and JSON have their shape.  Fast mode only
(``--bytes 64 --repeat 1``); no test asserts a speed."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from openssl_fixture import libcrypto

from benchmarks.runner import measure
from benchmarks.simd import Outcome
from benchmarks.workloads import OPENSSL_WORKLOADS, sha256_integer
from lnsym.cli.main import main
from lnsym.errors import LnsymError

ROUTINES = ("sha256_block_data_order", "sha256_block_armv8", "aes_v8_ctr32_encrypt_blocks")


def test_bench_json_has_every_workload_verified_with_times_and_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    libcrypto()  # skips when the registry is unreachable
    assert main(["bench", "--bytes", "128", "--repeat", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["bytes"] == 128 and result["repeat"] == 2 and "no count" in result["unicorn_start"]
    assert [w["routine"] for w in result["workloads"]] == list(ROUTINES)
    references = {w["routine"]: w["verified_against"] for w in result["workloads"]}
    assert references == dict(zip(ROUTINES, ["hashlib", "hashlib", "cryptography AES-CTR"]))
    for w in result["workloads"]:
        assert w["instructions"] > 0
        for engine in ("lnsym", "unicorn"):
            assert len(w[engine]["cpu_seconds"]) == len(w[engine]["wall_seconds"]) == 2
            assert w[engine]["min"] <= w[engine]["median"] <= w[engine]["max"]
            assert w[engine]["wall"]["min"] <= w[engine]["wall"]["median"] <= w[engine]["wall"]["max"]
            assert w[engine]["instructions_per_second"] == pytest.approx(w["instructions"] / w[engine]["median"])
        for ratio in ("slowdown", "wall_slowdown"):
            assert w[ratio]["min"] <= w[ratio]["median"] <= w[ratio]["max"]


def test_bench_table_names_each_workload_engine_and_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    libcrypto()
    assert main(["bench", "--bytes", "64", "--repeat", "1", "--simd"]) == 0  # --simd: an alias of the default
    out = capsys.readouterr().out
    assert "no count, no hook" in out and "CPU time of the thread, median of 1 warm runs" in out
    for routine in ROUTINES:
        block = out[out.index(routine):].splitlines()[:4]
        assert block[1].lstrip().startswith("lnsym") and block[2].lstrip().startswith("unicorn"), block
        assert "instr/s" in block[1] and "instr/s" in block[2] and "lnsym/unicorn = 1/" in block[3], block


def test_bench_loop_runs_on_both_engines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--instructions", "200", "--repeat", "1", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["workloads"]
    assert row["instructions"] == 11 * 18 + 1 and len(row["unicorn"]["cpu_seconds"]) == 1


@pytest.mark.parametrize("argv", [["--bytes", "100"], ["--bytes", "0"], ["--repeat", "0"],
                                  ["--instructions", "1", "--repeat", "-1"]])
def test_bench_bad_sizes_are_input_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", *argv]) == 2
    assert capsys.readouterr().err.startswith("lnsym: error: ")


def test_a_wrong_output_is_refused_before_timing() -> None:
    workload = sha256_integer(libcrypto(), 64)
    wrong = Outcome(0, [bytes(32)], 0.0)
    with pytest.raises(LnsymError, match="does not match hashlib"):
        workload.check(wrong)
    timed: list[Any] = []

    def refuse(out: Outcome) -> None:
        timed.append(out)
        raise LnsymError("planted mismatch")

    with pytest.raises(LnsymError, match="planted mismatch"):
        measure(replace(workload, check=refuse), repeat=3)
    assert len(timed) == 1  # the first (untimed) lnsym run was checked and nothing was timed


def test_unicorn_is_started_without_a_count_or_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    import unicorn

    starts: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    original = unicorn.Uc.emu_start

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        starts.append((args, kwargs))
        original(self, *args, **kwargs)

    monkeypatch.setattr(unicorn.Uc, "emu_start", spy)
    monkeypatch.setattr(unicorn.Uc, "hook_add", lambda *a, **k: pytest.fail("a hook was added"))
    m = measure(OPENSSL_WORKLOADS[1](libcrypto(), 64), repeat=2)
    assert len(m.cpu["lnsym"]) == len(m.cpu["unicorn"]) == 2 and len(starts) == 3
    assert all(len(args) == 2 and not kwargs for args, kwargs in starts)
