"""Build tiny AArch64 objects with the GNU cross binutils (Debian: binutils-aarch64-linux-gnu)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PREFIX = "aarch64-linux-gnu-"


def tool(name: str) -> str:
    """Path of ``aarch64-linux-gnu-<name>``; skips the test when it is not installed."""
    path = shutil.which(PREFIX + name)
    if path is None:
        pytest.skip(f"{PREFIX}{name} not installed (apt-get install binutils-aarch64-linux-gnu)")
    return path


def run(cmd: list[str], cwd: Path | None = None) -> str:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return proc.stdout


def assemble(directory: Path, source: str, name: str = "t.o") -> Path:
    """Assemble ``source`` into ``directory/name``."""
    src = directory / (name.removesuffix(".o") + ".s")
    src.write_text(source)
    out = directory / name
    run([tool("as"), "-o", str(out), str(src)])
    return out
