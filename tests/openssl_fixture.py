"""Debian's OpenSSL ``libcrypto.a`` (arm64) for tests: fetched once by :mod:`lnsym.load.fetch`, then cached.

Tests are skipped — visibly, with the reason — only when the package registry cannot be reached;
any other fetch failure (no arm64 architecture configured and not root, ...) fails them.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

import pytest

import lnsym
from lnsym.load.fetch import FetchError, openssl_libcrypto
from lnsym.load.image import Image


@lru_cache(maxsize=1)
def _fetch() -> Path | FetchError:
    try:
        return openssl_libcrypto()
    except FetchError as exc:
        if exc.unreachable:
            return exc
        raise


def libcrypto() -> Path:
    """Path of libcrypto.a; skips the calling test if the registry is unreachable."""
    got = _fetch()
    if isinstance(got, FetchError):
        pytest.skip(f"package registry unreachable, cannot fetch libssl-dev:arm64: {got}")
    return got


@cache
def _member(member: str, defines: tuple[tuple[str, int], ...]) -> Image:
    return lnsym.load.load(libcrypto(), member=member, defines=dict(defines))


def openssl_object(member: str, **defines: int) -> Image:
    """One object of libcrypto.a, e.g. ``openssl_object("libcrypto-lib-sha256-armv8.o", OPENSSL_armcap_P=0)``."""
    return _member(member, tuple(sorted(defines.items())))
