"""Fetch real-world AArch64 crypto objects: Debian's ``libssl-dev:arm64`` (OpenSSL's ``libcrypto.a``).

The package is obtained with the ordinary Debian clients (``dpkg``, ``apt-get download``,
``dpkg-deb -x``) and cached under ``$LNSYM_CACHE``, ``$XDG_CACHE_HOME/lnsym`` or ``~/.cache/lnsym``
in ``openssl-arm64/<version>/`` with a ``manifest.json`` (package, version, .deb name, SHA-256 of
the .deb and of ``libcrypto.a``, date).  A verified cache entry is used without any network access.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lnsym.errors import LnsymError

PACKAGE = "libssl-dev:arm64"
LIBCRYPTO = "usr/lib/aarch64-linux-gnu/libcrypto.a"
_NETWORK_SIGNS = (
    "could not resolve", "temporary failure resolving", "failed to fetch", "unable to connect",
    "connection timed out", "network is unreachable", "could not connect", "connection refused",
    "some index files failed to download", "timed out",
)


class FetchError(LnsymError):
    """Fetching failed; ``unreachable`` is true when the package registry could not be reached."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable


def cache_dir() -> Path:
    """``$LNSYM_CACHE``, else ``$XDG_CACHE_HOME/lnsym``, else ``~/.cache/lnsym``."""
    if os.environ.get("LNSYM_CACHE"):
        return Path(os.environ["LNSYM_CACHE"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "lnsym"
    return Path.home() / ".cache" / "lnsym"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Serialise fetches (e.g. parallel test workers) on a lock file in the cache."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _run(cmd: list[str], cwd: Path | None = None, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError:
        raise FetchError(f"`{cmd[0]}` not found: fetching {PACKAGE} needs Debian's apt-get and dpkg") from None
    except subprocess.TimeoutExpired:
        raise FetchError(f"`{' '.join(cmd)}` timed out after {timeout} s", unreachable=True) from None


def _failure(cmd: list[str], proc: subprocess.CompletedProcess[str], hint: str = "") -> FetchError:
    text = (proc.stderr or proc.stdout).strip()
    unreachable = any(sign in text.lower() for sign in _NETWORK_SIGNS)
    lines = [ln for ln in text.splitlines() if ln.startswith(("E:", "dpkg"))] or text.splitlines()[-1:]
    detail = " / ".join(ln.strip() for ln in lines) or f"exit status {proc.returncode}"
    return FetchError(f"`{' '.join(cmd)}` failed: {detail}{hint}", unreachable=unreachable)


def _cached(root: Path) -> Path | None:
    """The newest cache entry whose libcrypto.a still has the SHA-256 its manifest records."""
    found: list[tuple[str, Path]] = []
    for manifest in root.glob("*/manifest.json"):
        try:
            info = json.loads(manifest.read_text())
            lib = manifest.parent / info["libcrypto"]
            if lib.is_file() and sha256_file(lib) == info["libcrypto_sha256"]:
                found.append((info["fetched"], lib))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return max(found)[1] if found else None


def _ensure_arm64(log: Callable[[str], None]) -> None:
    """Make ``arm64`` a dpkg foreign architecture with package lists (root only)."""
    proc = _run(["dpkg", "--print-foreign-architectures"])
    if "arm64" in proc.stdout.split():
        return
    commands = "dpkg --add-architecture arm64 && apt-get update"
    if os.geteuid() != 0:
        raise FetchError(f"arm64 is not a dpkg architecture here; as root, run: {commands}")
    log("adding the arm64 architecture to dpkg and updating the package lists")
    for cmd in (["dpkg", "--add-architecture", "arm64"], ["apt-get", "update"]):
        p = _run(cmd)
        if p.returncode != 0:
            raise _failure(cmd, p, f"; run as root: {commands}")


def _download(into: Path, log: Callable[[str], None]) -> Path:
    cmd = ["apt-get", "download", PACKAGE]
    log(f"downloading {PACKAGE} with apt-get")
    proc = _run(cmd, cwd=into)
    text = (proc.stderr + proc.stdout).lower()
    if proc.returncode != 0 and ("candidate" in text or "unable to locate" in text):
        if os.geteuid() != 0:
            raise _failure(cmd, proc, "; the arm64 package lists are missing: as root, run: apt-get update")
        update = _run(["apt-get", "update"])
        if update.returncode != 0:
            raise _failure(["apt-get", "update"], update)
        proc = _run(cmd, cwd=into)
    if proc.returncode != 0:
        raise _failure(cmd, proc)
    debs = sorted(into.glob("*.deb"))
    if len(debs) != 1:
        raise FetchError(f"`{' '.join(cmd)}` left {len(debs)} .deb files, expected one")
    return debs[0]


def openssl_libcrypto(log: Callable[[str], None] | None = None) -> Path:
    """Path of ``libcrypto.a`` from Debian's ``libssl-dev:arm64``, fetched once then cached."""
    say = log or (lambda _msg: None)
    root = cache_dir() / "openssl-arm64"
    with _locked(root):
        hit = _cached(root)
        if hit is not None:
            return hit
        _ensure_arm64(say)
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            work = Path(tmp)
            work.chmod(0o755)  # apt's _apt sandbox user must be able to write into it
            deb = _download(work, say)
            info = _run(["dpkg-deb", "-f", str(deb), "Package", "Version"])
            fields = dict(line.split(": ", 1) for line in info.stdout.splitlines() if ": " in line)
            version = fields.get("Version")
            if info.returncode != 0 or not version:
                raise _failure(["dpkg-deb", "-f", deb.name], info)
            say(f"extracting {deb.name}")
            extract = _run(["dpkg-deb", "-x", str(deb), str(work / "x")])
            if extract.returncode != 0:
                raise _failure(["dpkg-deb", "-x", deb.name], extract)
            lib = work / "x" / LIBCRYPTO
            if not lib.is_file():
                raise FetchError(f"{deb.name} has no {LIBCRYPTO}")
            dest = root / version.replace(":", "_").replace("/", "_")
            if dest.exists():
                shutil.rmtree(dest)
            dest.mkdir(parents=True)
            shutil.move(str(lib), dest / "libcrypto.a")
            shutil.move(str(deb), dest / deb.name)
        manifest = {
            "package": PACKAGE,
            "version": version,
            "deb": deb.name,
            "deb_sha256": sha256_file(dest / deb.name),
            "libcrypto": "libcrypto.a",
            "libcrypto_sha256": sha256_file(dest / "libcrypto.a"),
            "fetched": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        (dest / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        return dest / "libcrypto.a"
