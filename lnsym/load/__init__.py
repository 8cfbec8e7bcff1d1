"""Stage 1, load: ELF objects and ``ar`` archives (pyelftools), AArch64 relocations, the loaded
:class:`~lnsym.load.image.Image` (segments, symbols, undefined symbols), and the cached download of
Debian's OpenSSL (``lnsym fetch``).  Imports ``lnsym.errors`` only."""

from lnsym.load.loader import load

__all__ = ["load"]
