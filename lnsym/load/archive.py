"""``ar`` archives (static libraries): the common ``!<arch>`` format with GNU and BSD member names.

Layout: an 8-byte magic, then members, each a 60-byte ASCII header (name[16] date[12] uid[6]
gid[6] mode[8] size[10] "`\\n") followed by ``size`` bytes padded to an even offset.  GNU names end
with ``/``; ``/`` is the symbol index (``/SYM64/`` its 64-bit form), ``//`` the long-name table
that ``/<offset>`` names point into.  BSD names ``#1/<len>`` store the name before the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from lnsym.errors import LnsymError

MAGIC = b"!<arch>\n"
THIN_MAGIC = b"!<thin>\n"
_HEADER = 60


@dataclass(frozen=True)
class Member:
    """One archive member: its name, its offset of the header in the archive and its contents."""

    name: str
    offset: int
    data: bytes


@dataclass
class Archive:
    """The members of an ``ar`` archive and its symbol index (symbol name → header offset)."""

    path: str
    members: list[Member]
    index: dict[str, int]

    def member(self, name: str) -> Member:
        """The first member called ``name`` (an exact name, or one ending in ``/name``)."""
        for m in self.members:
            if m.name == name or m.name.rsplit("/", 1)[-1] == name:
                return m
        raise LnsymError(f"{self.path}: no archive member named {name!r} ({len(self.members)} members)")

    def member_at(self, offset: int) -> Member | None:
        for m in self.members:
            if m.offset == offset:
                return m
        return None


def is_archive(data: bytes) -> bool:
    return data[:8] in (MAGIC, THIN_MAGIC)


def _decimal(field: bytes, what: str, path: str, offset: int) -> int:
    text = field.decode("ascii", "replace").strip()
    if not text.isdigit():
        raise LnsymError(f"{path}: corrupt archive: bad {what} field {text!r} in member header at {offset:#x}")
    return int(text)


def _parse_index(data: bytes, width: int, path: str) -> dict[str, int]:
    """The GNU symbol index: a big-endian count, that many offsets, then NUL-terminated names."""
    if len(data) < width:
        raise LnsymError(f"{path}: corrupt archive: truncated symbol index")
    count = int.from_bytes(data[:width], "big")
    names_at = width * (count + 1)
    if names_at > len(data):
        raise LnsymError(f"{path}: corrupt archive: symbol index claims {count} entries")
    offsets = [int.from_bytes(data[width * (i + 1) : width * (i + 2)], "big") for i in range(count)]
    names = data[names_at:].split(b"\0")
    index: dict[str, int] = {}
    for name, off in zip(names, offsets):
        index.setdefault(name.decode("utf-8", "replace"), off)
    return index


def parse(data: bytes, path: str = "<archive>") -> Archive:
    """Parse an archive held in memory; corrupt input raises :class:`LnsymError`."""
    if data[:8] == THIN_MAGIC:
        raise LnsymError(f"{path}: thin archives (members stored outside the archive) are not supported")
    if data[:8] != MAGIC:
        raise LnsymError(f"{path}: not an ar archive")
    members: list[Member] = []
    index: dict[str, int] = {}
    longnames = b""
    pos = 8
    while pos < len(data):
        if data[pos : pos + 1] == b"\n":  # stray padding byte
            pos += 1
            continue
        header = data[pos : pos + _HEADER]
        if len(header) < _HEADER or header[58:60] != b"`\n":
            raise LnsymError(f"{path}: corrupt archive: bad member header at {pos:#x}")
        size = _decimal(header[48:58], "size", path, pos)
        start = pos + _HEADER
        if start + size > len(data):
            raise LnsymError(f"{path}: truncated archive: member at {pos:#x} needs {size} bytes")
        body = data[start : start + size]
        raw = header[:16].decode("ascii", "replace").rstrip()
        if raw == "/" or raw == "/SYM64/":
            index = _parse_index(body, 8 if raw == "/SYM64/" else 4, path)
        elif raw == "//":
            longnames = body
        elif raw.startswith("#1/"):
            n = _decimal(raw[3:].encode(), "BSD name length", path, pos)
            if n > size:
                raise LnsymError(f"{path}: corrupt archive: BSD name longer than member at {pos:#x}")
            name = body[:n].rstrip(b"\0").decode("utf-8", "replace")
            if name not in ("__.SYMDEF", "__.SYMDEF SORTED"):
                members.append(Member(name, pos, body[n:]))
        elif raw.startswith("/") and raw[1:].isdigit():
            off = int(raw[1:])
            if off >= len(longnames):
                raise LnsymError(f"{path}: corrupt archive: long name offset {off} outside the name table")
            end = longnames.find(b"\n", off)
            name = longnames[off : end if end >= 0 else len(longnames)].decode("utf-8", "replace")
            members.append(Member(name.removesuffix("/"), pos, body))
        else:
            members.append(Member(raw.removesuffix("/"), pos, body))
        pos = start + size + (size & 1)
    return Archive(path, members, index)
