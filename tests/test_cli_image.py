"""``lnsym disasm``, ``coverage``, ``run`` and ``fetch`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from asm_tools import assemble, run, tool

from lnsym.cli import main

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
    assert main([a.replace("{obj}", str(obj)) for a in argv]) == 1
    err = capsys.readouterr().err
    assert err.startswith("lnsym: error: ") and err.count("\n") == 1


def test_fetch_prints_the_cached_path(capsys: pytest.CaptureFixture[str]) -> None:
    from openssl_fixture import libcrypto

    path = libcrypto()
    assert main(["fetch", "openssl"]) == 0
    assert capsys.readouterr().out.strip() == str(path)
