"""Load AArch64 ELF64 little-endian files into an :class:`~lnsym.load.image.Image`.

* Relocatable objects (``.o``): the SHF_ALLOC sections are laid out from ``base``, grouped by
  permission (text ``rx``, read-only data ``r``, writable data and bss ``rw``), each section at its
  alignment; RELA relocations are applied (:mod:`lnsym.load.relocs`), a GOT is synthesised for the GOT
  relocations, and each undefined symbol gets 16 zeroed bytes (or the caller's ``defines``).
* ``ar`` archives (``.a``): one member, chosen by name or by a symbol it defines.
* Executables and shared objects: the PT_LOAD segments are mapped (shared objects at ``base``);
  dynamic relocations are not applied.

Every problem with the input is reported as one :class:`LnsymError`, never a traceback.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lnsym.errors import LnsymError
from lnsym.load import archive, relocs
from lnsym.load.image import CodeRange, Image, Segment, Symbol

EM_AARCH64 = 183
DEFAULT_BASE = 0x10000
PAGE = 0x1000
MAX_IMAGE = 256 << 20  # refuse to allocate more than this for one image
UNDEFINED_SIZE = 16

SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
_MACHINES = {3: "x86", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 40: "ARM (AArch32)", 62: "x86-64", 243: "RISC-V"}

Defines = Mapping[str, "int | bytes"]


def _align(x: int, a: int) -> int:
    return (x + a - 1) // a * a if a > 1 else x


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def check_header(data: bytes, where: str) -> None:
    """Refuse anything but an ELF64 little-endian AArch64 file, naming what it is instead."""
    if data[:4] != b"\x7fELF":
        raise LnsymError(f"{where}: not an ELF file or ar archive")
    if len(data) < 64:
        raise LnsymError(f"{where}: truncated ELF header ({len(data)} bytes, need 64)")
    if data[4] != 2:
        raise LnsymError(f"{where}: {'32-bit' if data[4] == 1 else 'unknown-class'} ELF; lnsym loads ELF64 only")
    if data[5] != 1:
        raise LnsymError(f"{where}: {'big' if data[5] == 2 else 'unknown'}-endian ELF; lnsym loads little-endian only")
    machine = int.from_bytes(data[18:20], "little")
    if machine != EM_AARCH64:
        what = _MACHINES.get(machine, "unknown")
        raise LnsymError(f"{where}: ELF for machine {machine} ({what}); lnsym loads AArch64 ({EM_AARCH64}) only")


# -- public entry points ------------------------------------------------------------------------------
def load(
    path: str | os.PathLike[str],
    member: str | None = None,
    symbol: str | None = None,
    base: int = DEFAULT_BASE,
    defines: Defines | None = None,
) -> Image:
    """Load an object, archive member, executable or shared object.

    ``member`` picks an archive member by name; ``symbol`` picks the member defining it (and is
    checked to exist).  ``defines`` gives undefined symbols initial contents: an int is stored as
    8 little-endian bytes, bytes are stored as given.
    """
    where = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise LnsymError(f"cannot read {where}: {exc.strerror or exc}") from None
    return load_bytes(data, where, member=member, symbol=symbol, base=base, defines=defines)


def load_bytes(
    data: bytes,
    path: str = "<bytes>",
    member: str | None = None,
    symbol: str | None = None,
    base: int = DEFAULT_BASE,
    defines: Defines | None = None,
) -> Image:
    """:func:`load` for a file already in memory (``path`` is only used in messages).

    A plain ELF file given with both ``member`` and ``symbol`` stands for that member (a rebuilt or patched
    object checked in place of the archive's): the member name is ignored, with a note, and the symbol is
    looked up in the file."""
    name: str | None = None
    ignored: str | None = None
    if archive.is_archive(data):
        ar = archive.parse(data, path)
        chosen = _choose_member(ar, member, symbol)
        name, data = chosen.name, chosen.data
    elif member is not None:
        if symbol is None:
            raise LnsymError(f"{path}: member {member!r} requested but the file is not an archive")
        ignored = member
    image = _load_elf(data, path, name, base, defines)
    if symbol is not None:
        image.symbol(symbol)
    if ignored is not None:
        image.notes.append(f"member {ignored!r} ignored: {os.path.basename(path)} is a plain object, not an archive")
    return image


def iter_members(
    path: str | os.PathLike[str], base: int = DEFAULT_BASE, defines: Defines | None = None
) -> Iterator[tuple[str, Image | LnsymError]]:
    """Load each ELF member of an archive in turn: ``(member name, image or the error)``."""
    where = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise LnsymError(f"cannot read {where}: {exc.strerror or exc}") from None
    for m in archive.parse(data, where).members:
        try:
            yield m.name, _load_elf(m.data, where, m.name, base, defines)
        except LnsymError as exc:
            yield m.name, exc


def _load_elf(data: bytes, path: str, name: str | None, base: int, defines: Defines | None) -> Image:
    where = f"{path}({name})" if name else path
    if base < 0 or base % PAGE or base >= 1 << 48:
        raise LnsymError(f"load base {base:#x} must be page aligned and below 2^48")
    check_header(data, where)
    try:
        image = _ElfLoader(data, path, name, base, dict(defines or {})).load()
    except LnsymError:
        raise
    except RecursionError:
        raise LnsymError(f"{where}: corrupt ELF file (structure nests too deeply)") from None
    except Exception as exc:  # pyelftools, struct, construct, index errors: all mean a corrupt file
        raise LnsymError(f"{where}: corrupt ELF file ({_one_line(exc)})") from None
    return image


def archive_members(path: str | os.PathLike[str]) -> list[str]:
    """Names of the members of an ``ar`` archive (empty for any other file)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise LnsymError(f"cannot read {os.fspath(path)}: {exc.strerror or exc}") from None
    if not archive.is_archive(data):
        return []
    return [m.name for m in archive.parse(data, os.fspath(path)).members]


def _choose_member(ar: archive.Archive, member: str | None, symbol: str | None) -> archive.Member:
    if member is not None:
        return ar.member(member)
    if symbol is None:
        if len(ar.members) == 1:
            return ar.members[0]
        raise LnsymError(f"{ar.path}: archive of {len(ar.members)} members: choose one by member or symbol")
    if symbol in ar.index:
        found = ar.member_at(ar.index[symbol])
        if found is not None:
            return found
    for m in ar.members:  # local symbols are not in the index: look into every member
        if m.data[:4] == b"\x7fELF" and symbol in _defined_names(m.data):
            return m
    raise LnsymError(f"{ar.path}: no member of the archive defines {symbol!r}")


def _defined_names(data: bytes) -> set[str]:
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection

    try:
        elf = ELFFile(io.BytesIO(data))
        names: set[str] = set()
        for sec in elf.iter_sections():
            if isinstance(sec, SymbolTableSection):
                names.update(s.name for s in sec.iter_symbols() if s["st_shndx"] != "SHN_UNDEF")
        return names
    except Exception:
        return set()


# -- the ELF loader -------------------------------------------------------------------------------------
@dataclass
class _Group:
    kind: str
    perms: str
    sections: list[tuple[int, int]] = field(default_factory=list)  # (section index, address)
    start: int = 0
    end: int = 0


class _ElfLoader:
    def __init__(self, data: bytes, path: str, member: str | None, base: int, defines: dict[str, int | bytes]):
        from elftools.elf.elffile import ELFFile

        self.data = data
        self.where = f"{path}({member})" if member else path
        self.path, self.member, self.base, self.defines = path, member, base, defines
        self.elf = ELFFile(io.BytesIO(data))
        self.notes: list[str] = []
        self.segments: list[Segment] = []
        self.total = 0

    def err(self, msg: str) -> LnsymError:
        return LnsymError(f"{self.where}: {msg}")

    def load(self) -> Image:
        etype = self.elf.header["e_type"]
        if etype == "ET_REL":
            return self._relocatable()
        if etype in ("ET_EXEC", "ET_DYN"):
            return self._executable(etype)
        raise self.err(f"ELF type {etype} cannot be loaded (need a relocatable object, executable or shared object)")

    def _budget(self, size: int, what: str) -> None:
        self.total += size
        if size < 0 or self.total > MAX_IMAGE:
            raise self.err(f"{what} would make the image larger than {MAX_IMAGE >> 20} MiB")

    def _section_bytes(self, sec: Any) -> bytes:
        size = sec["sh_size"]
        self._budget(size, f"section {sec.name}")
        if sec["sh_type"] == "SHT_NOBITS":
            return bytes(size)
        off = sec["sh_offset"]
        if off + size > len(self.data):
            raise self.err(f"truncated: section {sec.name or '?'} needs bytes [{off:#x}, {off + size:#x})")
        return self.data[off : off + size]

    def _symtab(self) -> Any:
        from elftools.elf.sections import SymbolTableSection

        tables = [s for s in self.elf.iter_sections() if isinstance(s, SymbolTableSection)]
        for t in tables:
            if t["sh_type"] == "SHT_SYMTAB":
                return t
        return tables[0] if tables else None

    # -- relocatable objects --------------------------------------------------------------------
    def _relocatable(self) -> Image:
        elf = self.elf
        sections = list(elf.iter_sections())
        groups = [_Group("text", "rx"), _Group("rodata", "r"), _Group("data", "rw")]
        addr: dict[int, int] = {}
        content: dict[int, bytearray] = {}
        for i, sec in enumerate(sections):
            flags = sec["sh_flags"]
            if not flags & SHF_ALLOC:
                continue
            g = groups[0] if flags & SHF_EXECINSTR else groups[2] if flags & SHF_WRITE else groups[1]
            g.sections.append((i, 0))
            content[i] = bytearray(self._section_bytes(sec))
        cursor = self.base
        for g in groups:
            if not g.sections:
                continue
            aligns = [max(1, sections[i]["sh_addralign"]) for i, _ in g.sections]
            if max(aligns) > 1 << 16:
                raise self.err(f"section alignment {max(aligns):#x} is beyond what lnsym lays out (64 KiB)")
            cursor = g.start = _align(cursor, max(PAGE, *aligns))
            for k, (i, _) in enumerate(g.sections):
                cursor = addr[i] = _align(cursor, aligns[k])
                g.sections[k] = (i, cursor)
                cursor += len(content[i])
            g.end = cursor
            cursor = _align(cursor, PAGE) + PAGE  # an unmapped guard page between groups
        symtab = self._symtab()
        syms = list(symtab.iter_symbols()) if symtab is not None else []
        values, undefined, common = self._resolve(syms, sections, addr, cursor)
        got_entries = self._collect_got(sections, syms, values)
        got_start = _align(self._storage_end, PAGE) + PAGE
        got = {value: got_start + 8 * n for n, value in enumerate(got_entries)}
        self._relocate(sections, syms, values, addr, content, got)
        for g in groups:
            if g.end > g.start:
                buf = bytearray(g.end - g.start)
                for i, a in g.sections:
                    buf[a - g.start : a - g.start + len(content[i])] = content[i]
                self.segments.append(Segment(f"{self._short()}:{g.kind}", g.start, buf, g.perms, g.kind))
        self._storage_segments(undefined, common)
        if got:
            data = b"".join((v & relocs.MASK64).to_bytes(8, "little") for v in got_entries)
            self.segments.append(Segment(f"{self._short()}:got", got_start, bytearray(data), "r", "got"))
            self.notes.append(f"synthesised a GOT of {len(got)} entries at {got_start:#x}")
        for seg in self.segments:
            if seg.end > 1 << 64:
                raise self.err(f"segment {seg.name} ends beyond the 64-bit address space")
        symbols, functions, code = self._symbols(syms, sections, values, addr, content)
        for name in self.defines:
            if name not in undefined:
                raise self.err(f"cannot define {name!r}: it is not an undefined symbol of this object")
        mapped = [(sections[i].name, a, len(content[i])) for g in groups for i, a in g.sections]
        zero_filled = sorted(name for name in undefined if name not in self.defines)
        return Image(self.path, self.member, "relocatable", self.segments, symbols, functions, code, mapped,
                     undefined, self.notes, zero_filled=zero_filled)

    def _short(self) -> str:
        return self.member or os.path.basename(self.path)

    def _resolve(
        self, syms: list[Any], sections: list[Any], addr: dict[int, int], storage_at: int
    ) -> tuple[list[int | None], dict[str, int], list[tuple[int, int]]]:
        """Address of every symbol table entry (None: not allocated); storage for undefined symbols
        (16-byte slots from ``storage_at``) and then for common symbols."""
        values: list[int | None] = []
        undefined: dict[str, int] = {}
        commons: list[tuple[int, int, int]] = []  # (symbol number, alignment, size)
        cursor = storage_at
        for n, s in enumerate(syms):
            shndx = s["st_shndx"]
            if n == 0:
                values.append(0)
            elif shndx == "SHN_UNDEF":
                if not s.name:
                    raise self.err(f"undefined symbol #{n} has no name")
                if s.name not in undefined:
                    init = self.defines.get(s.name)
                    size = _align(max(1, len(init)), 16) if isinstance(init, bytes) else UNDEFINED_SIZE
                    self._budget(size, f"storage for {s.name}")
                    undefined[s.name] = cursor
                    cursor += size
                values.append(undefined[s.name])
            elif shndx == "SHN_ABS":
                values.append(s["st_value"])
            elif shndx == "SHN_COMMON":
                align = max(1, s["st_value"])
                if align > 1 << 16:
                    raise self.err(f"common symbol {s.name} wants alignment {align:#x}")
                self._budget(s["st_size"], f"common symbol {s.name}")
                commons.append((n, align, s["st_size"]))
                values.append(0)
            elif isinstance(shndx, int) and shndx in addr:
                values.append(addr[shndx] + s["st_value"])
            elif isinstance(shndx, int) and 0 < shndx < len(sections):
                values.append(None)  # a symbol in a non-allocated section (e.g. debug info)
            else:
                raise self.err(f"symbol {s.name or n} has section index {shndx}, which does not exist")
        self._undefined_end = cursor
        common: list[tuple[int, int]] = []
        for n, align, size in commons:
            cursor = values[n] = _align(cursor, align)
            common.append((cursor, size))
            cursor += size
        self._storage_end = cursor
        return values, undefined, common

    def _storage_segments(self, undefined: dict[str, int], common: list[tuple[int, int]]) -> None:
        if undefined:
            start = min(undefined.values())
            buf = bytearray(self._undefined_end - start)
            for name, a in sorted(undefined.items(), key=lambda kv: kv[1]):
                init = self.defines.get(name)
                if isinstance(init, int):
                    buf[a - start : a - start + 8] = (init & relocs.MASK64).to_bytes(8, "little")
                    how = f"initialised to {init:#x}"
                elif isinstance(init, bytes):
                    buf[a - start : a - start + len(init)] = init
                    how = f"initialised with {len(init)} given bytes"
                else:
                    how = f"{UNDEFINED_SIZE} zeroed bytes"
                self.notes.append(f"undefined symbol {name}: storage at {a:#x}, {how}")
            self.segments.append(Segment(f"{self._short()}:undefined symbols", start, buf, "rw", "undefined"))
        if common:
            start = min(a for a, _ in common)
            end = max(a + s for a, s in common)
            if end > start:
                self.segments.append(Segment(f"{self._short()}:common", start, bytearray(end - start), "rw", "common"))

    def _relocations(self, sections: list[Any]) -> Iterator[tuple[int, Any]]:
        """``(target section index, relocation section)`` for relocations of allocated sections."""
        for sec in sections:
            if sec["sh_type"] == "SHT_REL":
                raise self.err(f"{sec.name}: REL relocations are not used on AArch64 (AAELF64 uses RELA)")
            if sec["sh_type"] != "SHT_RELA":
                continue
            target = sec["sh_info"]
            if not 0 < target < len(sections):
                raise self.err(f"{sec.name} relocates section {target}, which does not exist")
            if sections[target]["sh_flags"] & SHF_ALLOC:
                yield target, sec

    def _collect_got(self, sections: list[Any], syms: list[Any], values: list[int | None]) -> list[int]:
        """Distinct ``S+A`` values that GOT relocations need an entry for, in first-use order."""
        entries: dict[int, None] = {}
        for _, rsec in self._relocations(sections):
            for r in rsec.iter_relocations():
                if r["r_info_type"] in relocs.GOT_TYPES:
                    entries[self._symbol_value(syms, values, r["r_info_sym"], rsec) + r["r_addend"]] = None
        return list(entries)

    def _symbol_value(self, syms: list[Any], values: list[int | None], index: int, rsec: Any) -> int:
        if not 0 <= index < len(values):
            raise self.err(f"{rsec.name}: relocation names symbol #{index}, which does not exist")
        v = values[index]
        if v is None:
            name = syms[index].name or f"symbol #{index}"
            raise self.err(f"{rsec.name}: relocation against {name}, which is in a non-allocated section")
        return v

    def _relocate(
        self, sections: list[Any], syms: list[Any], values: list[int | None], addr: dict[int, int],
        content: dict[int, bytearray], got: dict[int, int],
    ) -> None:
        for target, rsec in self._relocations(sections):
            tsec = sections[target]
            if tsec["sh_type"] == "SHT_NOBITS":
                raise self.err(f"{rsec.name} relocates {tsec.name}, which has no contents (NOBITS)")
            for r in rsec.iter_relocations():
                off = r["r_offset"]
                S = self._symbol_value(syms, values, r["r_info_sym"], rsec)
                A = r["r_addend"]
                where = f"{tsec.name}+{off:#x}"
                G = got.get(S + A)
                relocs.apply(content[target], off, r["r_info_type"], S, A, addr[target] + off, G, where)

    def _symbols(
        self, syms: list[Any], sections: list[Any], values: list[int | None], addr: dict[int, int],
        content: dict[int, bytearray],
    ) -> tuple[dict[str, Symbol], dict[str, tuple[int, int]], list[CodeRange]]:
        symbols: dict[str, Symbol] = {}
        marks: dict[int, list[tuple[int, bool]]] = {}
        by_section: dict[int, list[int]] = {}
        dupes: set[str] = set()
        home: dict[str, int] = {}  # symbol name -> index of its allocated section
        for n, s in enumerate(syms):
            name, shndx, value = s.name, s["st_shndx"], values[n]
            stype = s["st_info"]["type"]
            if n == 0 or not name or value is None or stype in ("STT_SECTION", "STT_FILE"):
                continue
            if name in ("$x", "$d") or name.startswith(("$x.", "$d.")):
                if isinstance(shndx, int) and shndx in addr:
                    marks.setdefault(shndx, []).append((value, name[1] == "x"))
                continue
            kind = "undefined" if shndx == "SHN_UNDEF" else "common" if shndx == "SHN_COMMON" else {
                "STT_FUNC": "func", "STT_OBJECT": "object", "STT_TLS": "tls"}.get(stype, "notype")
            binding = {"STB_LOCAL": "local", "STB_GLOBAL": "global", "STB_WEAK": "weak"}.get(
                s["st_info"]["bind"], str(s["st_info"]["bind"]))
            secname = sections[shndx].name if isinstance(shndx, int) else str(shndx)
            sym = Symbol(name, value, s["st_size"] if kind != "undefined" else UNDEFINED_SIZE, kind, binding, secname)
            old = symbols.get(name)
            if old is not None:
                dupes.add(name)
                if not (old.binding == "local" and binding != "local"):
                    continue
            symbols[name] = sym
            if isinstance(shndx, int) and shndx in addr:
                home[name] = shndx
                by_section.setdefault(shndx, []).append(value)
        if dupes:
            self.notes.append(f"names defined more than once (globals preferred): {', '.join(sorted(dupes))}")
        functions: dict[str, tuple[int, int]] = {}
        for sym in symbols.values():
            idx = home.get(sym.name)
            if idx is None or not sections[idx]["sh_flags"] & SHF_EXECINSTR:
                continue
            if sym.kind != "func" and not (sym.kind == "notype" and sym.binding != "local"):
                continue
            section_end = addr[idx] + len(content[idx])
            if not addr[idx] <= sym.address < section_end:
                continue
            end = sym.address + sym.size
            if sym.size == 0:
                later = [v for v in by_section.get(idx, []) if v > sym.address]
                end = min(later) if later else section_end
            elif end > section_end:
                self.notes.append(f"function {sym.name} claims {sym.size} bytes, past the end of {sym.section}")
                end = section_end
            functions[sym.name] = (sym.address, end)
        code = [
            CodeRange(sections[i].name, addr[i], addr[i] + len(content[i]), sorted(marks.get(i, [])))
            for i in sorted(addr, key=lambda i: addr[i])
            if sections[i]["sh_flags"] & SHF_EXECINSTR and content[i]
        ]
        return symbols, functions, code

    # -- executables and shared objects ---------------------------------------------------------
    def _executable(self, etype: str) -> Image:
        elf = self.elf
        bias = self.base if etype == "ET_DYN" else 0
        for seg in elf.iter_segments():
            if seg["p_type"] != "PT_LOAD" or seg["p_memsz"] == 0:
                continue
            start, memsz, filesz, off = seg["p_vaddr"] + bias, seg["p_memsz"], seg["p_filesz"], seg["p_offset"]
            if filesz > memsz or off + filesz > len(self.data):
                raise self.err(f"truncated or corrupt PT_LOAD at {start:#x} (file bytes [{off:#x}, +{filesz:#x}))")
            self._budget(memsz, "a PT_LOAD segment")
            if start + memsz > 1 << 64:
                raise self.err(f"PT_LOAD at {start:#x} runs past the 64-bit address space")
            for other in self.segments:
                if start < other.end and other.start < start + memsz:
                    raise self.err(f"PT_LOAD segments overlap at {max(start, other.start):#x}")
            flags = seg["p_flags"]
            perms = ("r" if flags & 4 else "") + ("w" if flags & 2 else "") + ("x" if flags & 1 else "")
            buf = bytearray(memsz)
            buf[:filesz] = self.data[off : off + filesz]
            kind = "text" if flags & 1 else "data" if flags & 2 else "rodata"
            self.segments.append(Segment(f"{self._short()}:load@{start:#x}", start, buf, perms or "r", kind))
        if not self.segments:
            raise self.err("no PT_LOAD segment to map")
        self.segments.sort(key=lambda s: s.start)
        sections = list(elf.iter_sections())
        symtab = self._symtab()
        symbols: dict[str, Symbol] = {}
        functions: dict[str, tuple[int, int]] = {}
        marks: dict[int, list[tuple[int, bool]]] = {}
        for s in symtab.iter_symbols() if symtab is not None else []:
            shndx, stype = s["st_shndx"], s["st_info"]["type"]
            if not s.name or shndx == "SHN_UNDEF" or stype in ("STT_SECTION", "STT_FILE"):
                continue
            value = s["st_value"] + (bias if shndx != "SHN_ABS" else 0)
            if s.name in ("$x", "$d") or s.name.startswith(("$x.", "$d.")):
                if isinstance(shndx, int):
                    marks.setdefault(shndx, []).append((value, s.name[1] == "x"))
                continue
            kind = {"STT_FUNC": "func", "STT_OBJECT": "object", "STT_TLS": "tls"}.get(stype, "notype")
            binding = {"STB_LOCAL": "local", "STB_GLOBAL": "global", "STB_WEAK": "weak"}.get(s["st_info"]["bind"], "?")
            secname = sections[shndx].name if isinstance(shndx, int) and shndx < len(sections) else str(shndx)
            if s.name in symbols and binding == "local":
                continue
            symbols[s.name] = Symbol(s.name, value, s["st_size"], kind, binding, secname)
            if kind == "func" and s["st_size"]:
                seg = next((g for g in self.segments if g.start <= value < g.end), None)
                if seg is not None:
                    functions[s.name] = (value, min(value + s["st_size"], seg.end))
        code = [
            CodeRange(sec.name, sec["sh_addr"] + bias, sec["sh_addr"] + bias + sec["sh_size"], sorted(marks.get(i, [])))
            for i, sec in enumerate(sections)
            if sec["sh_flags"] & SHF_EXECINSTR and sec["sh_flags"] & SHF_ALLOC and sec["sh_size"]
        ] or [CodeRange(s.name, s.start, s.end) for s in self.segments if "x" in s.perms]
        mapped = [(sec.name, sec["sh_addr"] + bias, sec["sh_size"]) for sec in sections
                  if sec["sh_flags"] & SHF_ALLOC and sec["sh_size"]]
        if any(s["sh_type"] in ("SHT_RELA", "SHT_REL") and s["sh_flags"] & SHF_ALLOC for s in sections):
            self.notes.append("dynamic relocations are not applied")
        if self.defines:
            raise self.err("defines apply to undefined symbols of relocatable objects only")
        kind = "shared object" if etype == "ET_DYN" else "executable"
        return Image(self.path, self.member, kind, self.segments, symbols, functions, code, mapped,
                     notes=self.notes, entry=elf.header["e_entry"] + bias)
