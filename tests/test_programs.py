"""The bundled programs: committed objects are current with their sources, and each routine runs
concretely to the reference answer (independent implementations and published check values)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lnsym.harness import Buffer, call
from lnsym.loader import load

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
SOURCES = sorted(PROGRAMS.glob("*.S")) + sorted((PROGRAMS / "buggy").glob("*.S"))


@pytest.mark.skipif(shutil.which("aarch64-linux-gnu-as") is None, reason="aarch64-linux-gnu-as not installed")
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_object_is_current(source: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.o"
    subprocess.run(["aarch64-linux-gnu-as", "-o", str(rebuilt), str(source)], check=True, cwd=source.parent)
    committed = source.with_suffix(".o")
    assert committed.exists(), f"{committed} is not committed; run make -C programs"
    assert _text_bytes(rebuilt) == _text_bytes(committed), f"{committed} is stale; run make -C programs"


def _text_bytes(obj: Path) -> list[tuple[int, bytes]]:
    image = load(obj)
    return [(s.start, bytes(s.data)) for s in image.segments]


def _crc32c_reference(data: bytes, crc: int = 0) -> int:
    """Bitwise CRC-32C written directly from the reflected polynomial 0x82F63B78 (independent of crypto_specs)."""
    crc ^= 0xFFFF_FFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F6_3B78 if crc & 1 else 0)
    return crc ^ 0xFFFF_FFFF


def test_crc32c_reference_check_value() -> None:
    assert _crc32c_reference(b"123456789") == 0xE306_9283  # the published CRC-32C check value


@settings(max_examples=30, deadline=None)
@given(st.binary(min_size=64, max_size=64), st.integers(0, 2**32 - 1))
def test_crc32c_64_runs_concretely(data: bytes, crc: int) -> None:
    image = load(PROGRAMS / "crc32c.o")
    report = call(image, "crc32c_64", [crc, Buffer(data)])
    assert report.x0 & 0xFFFF_FFFF == _crc32c_reference(data, crc)
    assert report.stop == "return" and not report.violations
