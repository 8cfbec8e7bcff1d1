"""lnsym.load.fetch without the network: cache location, verified cache hits, error classification."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from lnsym.load import fetch


def test_cache_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LNSYM_CACHE", str(tmp_path / "a"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "b"))
    assert fetch.cache_dir() == tmp_path / "a"
    monkeypatch.delenv("LNSYM_CACHE")
    assert fetch.cache_dir() == tmp_path / "b" / "lnsym"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert fetch.cache_dir() == Path.home() / ".cache" / "lnsym"


def _entry(root: Path, version: str, content: bytes, fetched: str, sha: str | None = None) -> Path:
    d = root / "openssl-arm64" / version
    d.mkdir(parents=True)
    (d / "libcrypto.a").write_bytes(content)
    manifest = {"package": fetch.PACKAGE, "version": version, "deb": "x.deb", "deb_sha256": "0" * 64,
                "libcrypto": "libcrypto.a", "libcrypto_sha256": sha or fetch.sha256_file(d / "libcrypto.a"),
                "fetched": fetched}
    (d / "manifest.json").write_text(json.dumps(manifest))
    return d / "libcrypto.a"


def test_verified_cache_hit_needs_no_commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LNSYM_CACHE", str(tmp_path))

    def no_commands(cmd: list[str], **_: object) -> None:
        raise AssertionError(f"ran {cmd} on a cache hit")

    monkeypatch.setattr(fetch, "_run", no_commands)
    _entry(tmp_path, "1.0", b"old", "2024-01-01T00:00:00+00:00")
    newest = _entry(tmp_path, "2.0", b"new", "2025-01-01T00:00:00+00:00")
    _entry(tmp_path, "3.0", b"tampered", "2026-01-01T00:00:00+00:00", sha="1" * 64)  # fails verification
    assert fetch.openssl_libcrypto() == newest


def test_missing_cache_goes_to_apt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LNSYM_CACHE", str(tmp_path))
    _entry(tmp_path, "3.0", b"tampered", "2026-01-01T00:00:00+00:00", sha="1" * 64)
    calls: list[list[str]] = []

    def fake(cmd: list[str], cwd: Path | None = None, timeout: int = 0) -> subprocess.CompletedProcess[str]:
        calls.append(cmd)
        if cmd[0] == "dpkg":
            return subprocess.CompletedProcess(cmd, 0, "arm64\n", "")
        return subprocess.CompletedProcess(cmd, 100, "", "E: Failed to fetch http://deb.debian.org/x  "
                                           "Temporary failure resolving 'deb.debian.org'")

    monkeypatch.setattr(fetch, "_run", fake)
    with pytest.raises(fetch.FetchError) as info:
        fetch.openssl_libcrypto()
    assert info.value.unreachable and "apt-get download libssl-dev:arm64" in str(info.value)
    assert calls[-1] == ["apt-get", "download", "libssl-dev:arm64"]
    assert "\n" not in str(info.value)


def test_missing_architecture_names_the_commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LNSYM_CACHE", str(tmp_path))
    monkeypatch.setattr(fetch.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(fetch, "_run", lambda cmd, **_: subprocess.CompletedProcess(cmd, 0, "i386\n", ""))
    with pytest.raises(fetch.FetchError, match=r"as root, run: dpkg --add-architecture arm64 && apt-get update") as i:
        fetch.openssl_libcrypto()
    assert not i.value.unreachable
