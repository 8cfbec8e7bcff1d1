"""``lnsym verify`` bookkeeping: exported files unique per path and each re-checked (a tampered, missing or
empty export is an error, exit 2), ``--smt-out`` refuses a non-empty folder unless ``--force`` (which deletes
only the files its manifest lists), ``--recheck`` checks the solver before proving and leaves no temporary
folder, ``--budget`` makes a slow routine unknown naming the obligation, Ctrl-C stops within seconds (one
process and ``--jobs``) printing the results so far, and bad option values are one-line errors."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from asm_tools import assemble

import lnsym.prove.prover as prover
from lnsym.cli.main import main

TWO_PATHS = """
    .text
    .global twopath
    .type twopath, %function
twopath:                    // (a & b) + (a | b) = a + b, computed on two paths
    cbz x2, 1f
    and w3, w0, w1
    orr w4, w0, w1
    add w0, w3, w4
    ret
1:  orr w4, w1, w0
    and w3, w1, w0
    add w0, w4, w3
    ret
    .size twopath, .-twopath
"""

SLOW = """
    .text
    .global product
    .type product, %function
product:
    mul x0, x0, x1
    ret
    .size product, .-product
"""

TWO_PATHS_CONTRACT = """
from lnsym.contract import Contract, Return, Scalar

CONTRACT = Contract(name="twopath", object="twopath.o", symbol="twopath",
                    args=[Scalar("a", 32), Scalar("b", 32), Scalar("sel", 64)], outputs=[Return("r", 32)],
                    spec=lambda i: {"r": i["a"] + i["b"]})
"""

SLOW_CONTRACT = """
from lnsym.contract import Contract, Return, Scalar


def schoolbook(i):
    # a * b (mod 2^64) from 32-bit halves: equal to MUL, but a different multiplier circuit for Z3
    a, b = i["a"], i["b"]
    al, ah, bl, bh = a[31:0].zext(64), a[63:32].zext(64), b[31:0].zext(64), b[63:32].zext(64)
    return {"r": al * bl + (al * bh + ah * bl).lsl(32)}


CONTRACT = Contract(name="product", object="slow.o", symbol="product", args=[Scalar("a", 64), Scalar("b", 64)],
                    outputs=[Return("r", 64)], spec=schoolbook)
"""


@pytest.fixture(scope="module")
def programs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Two contract files: ``twopath`` (two returned paths, one Z3 obligation each, proved in well under a
    second) and ``product`` (one obligation Z3 needs minutes for)."""
    d = tmp_path_factory.mktemp("programs")
    assemble(d, TWO_PATHS, "twopath.o")
    assemble(d, SLOW, "slow.o")
    (d / "twopath.py").write_text(TWO_PATHS_CONTRACT)
    (d / "slow.py").write_text(SLOW_CONTRACT)
    return {"twopath": str(d / "twopath.py"), "slow": str(d / "slow.py")}


def _verify_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]], str]:
    code = main(["verify", "--json", *args])
    out = capsys.readouterr()
    return code, json.loads(out.out) if out.out.strip() else [], out.err


def _exported(result: dict[str, object]) -> list[dict[str, str]]:
    return [o for o in result["obligations"] if o["method"] != "structural"]  # type: ignore[union-attr]


def test_two_paths_export_one_file_each_and_both_are_rechecked(programs: dict[str, str], tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")
    code, (r,), _ = _verify_json([programs["twopath"], "--smt-out", str(tmp_path / "out"), "--recheck", "bitwuzla"],
                                 capsys)
    assert code == 0 and r["verdict"] == "proved" and r["paths"] == 2
    exported = _exported(r)
    assert [o["name"] for o in exported] == ["return r", "return r"]
    files = [Path(o["smt_file"]) for o in exported]
    assert files[0] != files[1] and ["__path0__" in files[0].name, "__path1__" in files[1].name] == [True, True]
    assert all(f.is_file() and f.read_text().count("(check-sat)") == 1 for f in files)
    assert [o["recheck"] for o in exported] == ["bitwuzla:unsat"] * 2
    manifest = (tmp_path / "out" / "lnsym-manifest.txt").read_text().splitlines()
    assert sorted(manifest[1:]) == sorted(f.relative_to(tmp_path / "out").as_posix() for f in files)


def _sat_script() -> str:
    return "(set-logic QF_BV)\n(declare-fun x () (_ BitVec 8))\n(assert (= x #x01))\n(check-sat)\n"


def _after_proof(monkeypatch: pytest.MonkeyPatch, change: object) -> None:
    """Run ``change(result, smt_out)`` between the proof and the re-check."""
    real = prover.verify

    def verify(*args: object, **kwargs: object) -> prover.Result:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        change(result, kwargs["smt_out"])  # type: ignore[operator]
        return result

    monkeypatch.setattr(prover, "verify", verify)


def test_a_tampered_export_is_an_error_naming_obligation_and_file(programs: dict[str, str], tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")
    planted: list[str] = []

    def tamper(result: prover.Result, smt_out: Path) -> None:
        f = next(o.smt_file for o in result.obligations if o.smt_file and "__path1__" in o.smt_file)
        Path(f).write_text(_sat_script())  # the second solver now finds the claim false
        planted.append(f)

    _after_proof(monkeypatch, tamper)
    code, (r,), _ = _verify_json([programs["twopath"], "--smt-out", str(tmp_path), "--recheck", "bitwuzla"], capsys)
    assert code == 2 and r["verdict"] == "error"
    assert "return r: sat" in r["detail"] and planted[0] in r["detail"]
    assert sorted(o["recheck"] for o in _exported(r)) == ["bitwuzla:sat", "bitwuzla:unsat"]


@pytest.mark.parametrize("how", ["empty folder", "no file"])
def test_an_empty_or_missing_export_is_an_error(how: str, programs: dict[str, str], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")

    def empty(result: prover.Result, smt_out: Path) -> None:
        o = next(o for o in result.obligations if o.smt_file and "__path0__" in o.smt_file)
        if how == "empty folder":
            (smt_out / "columns").mkdir()
            o.smt_file = str(smt_out / "columns")
        else:
            o.smt_file = None

    _after_proof(monkeypatch, empty)
    code, (r,), _ = _verify_json([programs["twopath"], "--smt-out", str(tmp_path), "--recheck", "bitwuzla"], capsys)
    answer = "empty" if how == "empty folder" else "missing"
    assert code == 2 and r["verdict"] == "error" and f"return r: {answer}" in r["detail"]


def test_smt_out_refuses_a_non_empty_folder_and_force_deletes_only_lnsym_files(
        programs: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")
    out = tmp_path / "out"
    assert _verify_json([programs["twopath"], "--smt-out", str(out)], capsys)[0] == 0
    ours = sorted(p for p in out.rglob("*") if p.is_file())
    notes, stale = out / "notes.txt", out / "twopath" / "stale__path0__return_r.smt2"
    notes.write_text("mine")
    stale.write_text(_sat_script())  # a file lnsym did not write, in its own folder: never re-checked
    code, results, err = _verify_json([programs["twopath"], "--smt-out", str(out)], capsys)
    assert (code, results) == (2, []) and err.count("\n") == 1 and "--force" in err and "not empty" in err
    code, (r,), _ = _verify_json([programs["twopath"], "--smt-out", str(out), "--force", "--recheck", "bitwuzla"],
                                 capsys)
    assert code == 0 and [o["recheck"] for o in _exported(r)] == ["bitwuzla:unsat"] * 2
    assert notes.read_text() == "mine" and stale.read_text() == _sat_script()
    assert sorted(p for p in out.rglob("*") if p.is_file()) == sorted([*ours, notes, stale])


def test_recheck_without_the_solver_fails_before_proving(programs: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "bitwuzla", None)  # import bitwuzla now raises ImportError

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("proved before checking the second solver")

    monkeypatch.setattr(prover, "verify", must_not_run)
    code, results, err = _verify_json([programs["twopath"], "--recheck", "bitwuzla"], capsys)
    assert (code, results) == (2, []) and err.count("\n") == 1 and "pip install 'lnsym[recheck]'" in err


def test_recheck_without_smt_out_leaves_no_temporary_folder(programs: dict[str, str], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("bitwuzla")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, (r,), _ = _verify_json([programs["twopath"], "--recheck", "bitwuzla"], capsys)
    assert code == 0 and [o["recheck"] for o in _exported(r)] == ["bitwuzla:unsat"] * 2
    assert "lnsym-smt-" in _exported(r)[0]["smt_file"] and list(tmp_path.iterdir()) == []


def test_budget_makes_a_slow_routine_unknown_naming_the_obligation(programs: dict[str, str],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    code, (slow, fast), _ = _verify_json([programs["slow"], programs["twopath"], "--budget", "1"], capsys)
    assert time.perf_counter() - start < 20
    assert code == 2 and slow["verdict"] == "unknown" and fast["verdict"] == "proved"
    assert "budget of 1s" in slow["detail"] and "'return r'" in slow["detail"] and slow["seconds"] < 5


def _interrupt(args: list[str], tmp: Path) -> tuple[int, float, str, str]:
    """Start ``lnsym verify``, wait for its first progress line on the slow routine (5 s into it), send SIGINT;
    the exit status, seconds to exit, stdout and stderr."""
    env = dict(os.environ, TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-m", "lnsym.cli.main", "verify", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    seen = []
    assert proc.stderr is not None
    for line in proc.stderr:
        seen.append(line)
        if "product: 5s, checking obligation 'return r'" in line:  # the progress line: it is running
            break
    else:
        pytest.fail(f"no progress line: {''.join(seen)}")
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    return proc.returncode, time.perf_counter() - start, out, "".join(seen) + err


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_within_seconds_prints_results_and_leaves_no_temporary_folder(
        jobs: int, programs: dict[str, str], tmp_path: Path) -> None:
    pytest.importorskip("bitwuzla")
    targets = [programs["twopath"], programs["slow"], programs["twopath"]]
    code, seconds, out, err = _interrupt([*targets, "--recheck", "bitwuzla", "--jobs", str(jobs)], tmp_path)
    assert code == 130 and seconds < 3, (code, seconds, err)
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines() if line.split()[:1] in (["twopath"],
                                                                                                   ["product"])}
    assert rows["twopath"] == "PROVED" and rows["product"] == "UNKNOWN", out
    assert "interrupted (Ctrl-C)" in out and "Traceback" not in err and "interrupted (Ctrl-C)" in err
    assert list(tmp_path.iterdir()) == []


BAD_VALUES = ["0", "-1", "nan", "NaN", "inf", "-inf", "1e999", "1e-400", "", "abc", "1,5", "0x10", "--", "-0"]


def test_bad_option_values_are_one_line_errors(programs: dict[str, str], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("proved despite a bad option")

    monkeypatch.setattr(prover, "verify", must_not_run)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    rng = random.Random(21)
    junk = ["".join(rng.choice("0123456789.-+eEinfa x") for _ in range(rng.randrange(1, 6))) for _ in range(30)]
    cases = [["--timeout", v] for v in BAD_VALUES] + [["--budget", v] for v in BAD_VALUES]
    cases += [["--jobs", v] for v in ("0", "-3", "x", "1.5", "")]
    cases += [[option, v] for v in junk for option in ("--timeout", "--budget", "--jobs") if not _valid(option, v)]
    cases += [["--smt-out", str(a_file)], ["--smt-out", str(a_file / "sub")], ["--force"],
              ["--report", str(tmp_path)], ["--report", str(tmp_path / "no" / "such" / "r.html")],
              ["--recheck", "z3"]]
    for case in cases:
        try:
            code = main(["verify", programs["twopath"], *case])
        except SystemExit as exc:  # argparse's own errors (a value that is no number at all)
            code = exc.code  # type: ignore[assignment]
        out = capsys.readouterr()
        assert code == 2 and out.out == "", (case, out)
        assert out.err.count("\n") == 1 and "error" in out.err and "Traceback" not in out.err, (case, out.err)


def _valid(option: str, value: str) -> bool:
    try:
        number = int(value) if option == "--jobs" else float(value)
    except ValueError:
        return False
    return number > 0 and number < float("inf")
