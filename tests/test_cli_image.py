"""``lnsym disasm``, ``coverage``, ``run`` and ``fetch`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asm_tools import assemble, run, tool

from lnsym.cli.main import main

SOURCE = """
    .text
    .globl f, g
    .type f, %function
f:  add x0, x0, #1
    b 1f
    .word 0x12345678
1:  .inst 0xffffffff
    ret
    .size f, .-f
    .type g, %function
g:  ret
    .size g, .-g
"""


@pytest.fixture(scope="module")
def obj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("cli"), SOURCE)


def test_disasm_marks_data_and_unsupported_words(obj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disasm", str(obj), "--symbol", "f"]) == 0
    lines = capsys.readouterr().out.splitlines()
    body = [ln for ln in lines if ln.strip().startswith("0x")]
    assert len(body) == 5
    assert "ADD_64_addsub_imm" in body[0] and "add x0, x0, #1" in body[0]
    assert ".word (data)" in body[2] and "0x12345678" in body[2]
    assert "!! " in body[3] and "no encoding" in body[3]
    assert main(["disasm", str(obj)]) == 0
    assert "\ng  [" in capsys.readouterr().out


def test_coverage_text_and_json(obj: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", str(obj)]) == 0
    out = capsys.readouterr().out
    assert "5 instructions, 4 decoded (80.0%), 1 unsupported" in out  # f: 4 code words, g: 1
    assert "ffffffff [not valid for capstone]: no encoding" in out
    assert main(["coverage", str(obj), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    f = next(fn for fn in doc["files"][0]["functions"] if fn["name"] == "f")
    assert (f["instructions"], f["decoded"]) == (4, 3) and f["unsupported"][0]["word"] == "0xffffffff"
    lib = tmp_path / "lib.a"
    run([tool("ar"), "rcs", str(lib), str(obj)])
    assert main(["coverage", str(lib), str(obj), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "lib.a(t.o): 5 instructions" in out and "total: 10 instructions, 8 decoded" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "/etc/passwd", "--symbol", "x"],
        ["disasm", "/nonexistent.o"],
        ["coverage", "{obj}", "--symbol", "nope"],
        ["run", "{obj}", "--symbol", "f", "--arg", "@zz"],
        ["run", "{obj}", "--symbol", "f", "--arg", "1x"],
        ["run", "{obj}", "--symbol", "f", "--define", "novalue"],
        ["run", "{obj}", "--symbol", "f", "--max-steps", "1"],
        ["run", "{obj}", "--symbol", "f"],  # reaches the unsupported word
    ],
)
def test_failures_are_one_line(obj: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([a.replace("{obj}", str(obj)) for a in argv]) == 2  # input errors exit 2 (1 means refuted)
    err = capsys.readouterr().err
    assert err.startswith("lnsym: error: ") and err.count("\n") == 1


def test_fetch_prints_the_cached_path(capsys: pytest.CaptureFixture[str]) -> None:
    from openssl_fixture import libcrypto

    path = libcrypto()
    assert main(["fetch", "openssl"]) == 0
    assert capsys.readouterr().out.strip() == str(path)


def test_decode_reports_every_word_and_accepts_hex_with_or_without_0x(capsys: pytest.CaptureFixture[str]) -> None:
    from lnsym.machine.stepper import capstone_text

    words = ["8b020020", "0x8b020020", "0X8B020020", "ffffffff", "d65f03c0"]
    assert main(["decode", *words]) == 1  # one word unsupported: every word still gets its line
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert all(line.startswith("0x8b020020  ADD_64_addsub_shift") for line in lines[:3])
    assert lines[0].endswith(f"; {capstone_text(0x8B020020)}")
    assert lines[3].startswith("0xffffffff  UNSUPPORTED") and "no encoding" in lines[3]
    assert "RET" in lines[4] and lines[4].endswith(f"; {capstone_text(0xD65F03C0)}")
    assert main(["decode", "d65f03c0", "0x8b020020"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("bad", ["0x8b02002z", "0x", "8b02 0020", "0x1ffffffff", "-1", "0x-1"])
def test_decode_malformed_word_is_one_line_naming_it(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["decode", "8b020020", bad]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and repr(bad) in captured.err


def test_coverage_never_rounds_a_miss_up_to_100_percent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lnsym.cli.image import _pct

    assert (_pct(9998, 10000), _pct(10000, 10000), _pct(2, 3), _pct(0, 0)) == ("99.9%", "100.0%", "66.6%", "-")
    body = "\n".join(["    add x0, x0, #1"] * 2998 + ["    .inst 0xffffffff", "    ret"])
    big = assemble(tmp_path, f"    .text\n    .globl h\n    .type h, %function\nh:\n{body}\n    .size h, .-h\n")
    assert main(["coverage", str(big), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "3000 instructions, 2999 decoded (99.9%), 1 unsupported" in out, out  # 99.97% shown rounded down
    assert main(["coverage", str(big), "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    assert total == {"instructions": 3000, "decoded": 2999, "unsupported": 1}
