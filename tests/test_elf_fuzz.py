"""Mutated, truncated and spliced copies of a small valid object: the loader raises only
:class:`LnsymError` (never a traceback), and the CLI reports them in one line."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from asm_tools import assemble, tool
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lnsym.cli.main import main
from lnsym.errors import LnsymError
from lnsym.load.loader import load_bytes
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.listing import coverage

SOURCE = """
    .text
    .globl f, g
    .type f, %function
f:  adrp x0, ext
    ldr w0, [x0, :lo12:ext]
    adrp x1, :got:ext
    ldr x1, [x1, :got_lo12:ext]
    bl g
    b.eq g
    ldr x2, =0x123456789
    ret
    .ltorg
    .size f, .-f
    .section .text.g, "ax"
g:  ret
    .data
    .quad f, g + 4
    .word g - .
    .bss
    .space 32
"""


@lru_cache(maxsize=1)
def _valid() -> bytes:
    import tempfile

    tool("as")
    with tempfile.TemporaryDirectory() as d:
        return assemble(Path(d), SOURCE).read_bytes()


def _check(data: bytes) -> None:
    """Loading either works (and the image is usable) or raises LnsymError with a one-line message."""
    try:
        image = load_bytes(data, "fuzz.o")
        coverage(image)
        ConcreteMachine.from_image(image)
    except LnsymError as exc:
        assert "\n" not in str(exc) and str(exc)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(_valid())
    for _ in range(draw(st.integers(1, 8))):
        # bias towards the ELF header, the section headers (at the end) and the tables before them
        at = draw(st.one_of(st.integers(0, 63), st.integers(len(data) - 640, len(data) - 1),
                            st.integers(0, len(data) - 1)))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        word_at = draw(st.integers(0, len(data) - 8)) & ~7  # a whole 64-bit field: offsets, sizes, addends
        data[word_at : word_at + 8] = draw(st.sampled_from([0, 1, 0xFF, 1 << 31, 1 << 63, (1 << 64) - 1,
                                                            len(data), 1 << 40])).to_bytes(8, "little")
    return bytes(data)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_objects(data: bytes) -> None:
    _check(data)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 4000), st.binary(max_size=16))
def test_truncated_and_spliced_objects(cut: int, junk: bytes) -> None:
    data = _valid()
    _check(data[: min(cut, len(data) - 1)])
    _check(data[:cut] + junk + data[cut + len(junk) :])


@settings(max_examples=100, deadline=None)
@given(st.integers(8, 200), st.integers(0, 255))
def test_corrupt_archives(at: int, value: int) -> None:
    body = _valid()
    header = f"{'f.o/':<16}{0:<12}{0:<6}{0:<6}{644:<8}{len(body):<10}`\n".encode()
    data = bytearray(b"!<arch>\n" + header + body)
    data[at] = value
    try:
        load_bytes(bytes(data), "fuzz.a", member="f.o")
    except LnsymError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=40, deadline=None)
@given(mutated())
def test_cli_reports_one_line(data: bytes) -> None:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".o") as f:
        f.write(data)
        f.flush()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["coverage", f.name])
    if status != 0:
        assert err.getvalue().startswith("lnsym: error: ") and err.getvalue().count("\n") == 1


@pytest.mark.parametrize("cut", [10, 100, 700])
def test_cli_process_prints_one_line(tmp_path: Path, cut: int) -> None:
    bad = tmp_path / "bad.o"
    bad.write_bytes(_valid()[:cut] + b"\xff" * 64)
    proc = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "disasm", str(bad)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("lnsym: error: ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
