"""Concrete memory: a sparse address space made of named, permission-checked regions."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from lnsym.errors import MemoryFault

MASK64 = (1 << 64) - 1


@dataclass
class Region:
    """A mapped range ``[start, start + size)`` with permissions drawn from ``"rwx"``."""

    name: str
    start: int
    data: bytearray
    perms: str = "rw"

    @property
    def end(self) -> int:
        return self.start + len(self.data)


class Memory:
    """Regions kept sorted by start address; accesses may not straddle two regions."""

    def __init__(self) -> None:
        self._regions: list[Region] = []
        self._starts: list[int] = []
        self._last: Region | None = None
        self.code_version = 0  # bumped by every write into an executable region

    @property
    def regions(self) -> list[Region]:
        return list(self._regions)

    def map(self, start: int, size: int, perms: str = "rw", name: str = "", data: bytes = b"") -> Region:
        """Map ``size`` zero bytes at ``start`` (optionally initialised with ``data``)."""
        if size <= 0 or start < 0 or start + size > 1 << 64:
            raise ValueError(f"bad region [{start:#x}, +{size:#x})")
        for r in self._regions:
            if start < r.end and r.start < start + size:
                raise ValueError(f"region {name or hex(start)} overlaps {r.name or hex(r.start)}")
        if len(data) == size:
            buf = bytearray(data)
        else:
            buf = bytearray(size)
            buf[: len(data)] = data
        region = Region(name or f"region@{start:#x}", start, buf, perms)
        i = bisect_right(self._starts, start)
        self._regions.insert(i, region)
        self._starts.insert(i, start)
        return region

    def find(self, address: int) -> Region | None:
        last = self._last
        if last is not None and last.start <= address < last.end:
            return last
        i = bisect_right(self._starts, address) - 1
        if i >= 0 and address < self._regions[i].end:
            self._last = self._regions[i]
            return self._last
        return None

    def _region_for(self, address: int, size: int, kind: str, perm: str) -> Region:
        address &= MASK64
        region = self.find(address)
        if region is None:
            raise MemoryFault(address, size, kind, "unmapped")
        if address + size > region.end:
            raise MemoryFault(address, size, kind, f"crosses the end of {region.name}")
        if perm not in region.perms:
            adjective = {"r": "readable", "w": "writable", "x": "executable"}[perm]
            raise MemoryFault(address, size, kind, f"{region.name} is not {adjective}")
        return region

    def read(self, address: int, size: int, kind: str = "read") -> bytes:
        region = self._region_for(address, size, kind, "x" if kind == "fetch" else "r")
        off = (address & MASK64) - region.start
        return bytes(region.data[off : off + size])

    def write(self, address: int, data: bytes) -> None:
        region = self._region_for(address, len(data), "write", "w")
        if "x" in region.perms:
            self.code_version += 1
        off = (address & MASK64) - region.start
        region.data[off : off + len(data)] = data

    def read_int(self, address: int, size: int, kind: str = "read") -> int:
        return int.from_bytes(self.read(address, size, kind), "little")

    def write_int(self, address: int, size: int, value: int) -> None:
        """Store ``value`` little-endian in ``size`` bytes."""
        self.write(address, (value & ((1 << (8 * size)) - 1)).to_bytes(size, "little"))

    def load(self, address: int, data: bytes) -> None:
        """Initialise bytes regardless of permissions (loader use)."""
        region = self.find(address)
        if region is None or address + len(data) > region.end:
            raise MemoryFault(address, len(data), "load", "not inside one mapped region")
        off = address - region.start
        region.data[off : off + len(data)] = data
        self.code_version += 1
