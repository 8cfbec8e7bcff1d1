"""The ELF loader: every supported AAELF64 relocation against GNU ld, overflow checks, mapping
symbols, function ranges, undefined-symbol storage, archives, executables and clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from asm_tools import assemble, run, tool
from elftools.elf.elffile import ELFFile

import lnsym
from lnsym.errors import LnsymError
from lnsym.load import relocs
from lnsym.load.loader import load_bytes
from lnsym.machine.concrete import ConcreteMachine

RELOC_SOURCE = """
    .text
    .globl f
    .type f, %function
f:
    adrp x0, data_sym
    add  x0, x0, :lo12:data_sym
    adrp x1, :pg_hi21_nc:data_sym
    adr  x2, data_sym
    ldrb w3, [x0, :lo12:b8]
    ldrh w3, [x0, :lo12:h16]
    ldr  w3, [x0, :lo12:w32]
    ldr  x3, [x0, :lo12:x64]
    ldr  q3, [x0, :lo12:q128]
    bl   g
    b    g
    b.eq g
    tbz  x0, #3, g
    adrp x4, :got:ext
    ldr  x4, [x4, :got_lo12:ext]
    adrp x5, :got:data_sym
    ldr  x5, [x5, :got_lo12:data_sym]
    ret
    .size f, .-f

    .section .text.other, "ax", %progbits
    .globl g
    .type g, %function
g:
    ret
    .size g, .-g

    .data
    .p2align 4
data_sym: .quad 0x1122334455667788
b8: .byte 1
    .p2align 1
h16: .hword 2
    .p2align 2
w32: .word 3
    .p2align 3
x64: .quad 4
    .p2align 4
q128: .quad 5, 6
abs64: .quad f + 8
abs32: .word data_sym + 4
prel32: .word g - .
    .p2align 3
prel64: .quad g - . + 16
    .bss
    .p2align 4
zero: .space 64
"""

ALL_TYPES = {
    "R_AARCH64_ABS64", "R_AARCH64_ABS32", "R_AARCH64_PREL32", "R_AARCH64_PREL64", "R_AARCH64_ADR_PREL_PG_HI21",
    "R_AARCH64_ADR_PREL_PG_HI21_NC", "R_AARCH64_ADR_PREL_LO21", "R_AARCH64_ADD_ABS_LO12_NC",
    "R_AARCH64_LDST8_ABS_LO12_NC", "R_AARCH64_LDST16_ABS_LO12_NC", "R_AARCH64_LDST32_ABS_LO12_NC",
    "R_AARCH64_LDST64_ABS_LO12_NC", "R_AARCH64_LDST128_ABS_LO12_NC", "R_AARCH64_CALL26", "R_AARCH64_JUMP26",
    "R_AARCH64_CONDBR19", "R_AARCH64_TSTBR14", "R_AARCH64_ADR_GOT_PAGE", "R_AARCH64_LD64_GOT_LO12_NC",
}


def _reloc_types(obj: Path) -> set[str]:
    elf = ELFFile(io.BytesIO(obj.read_bytes()))
    types = set()
    for sec in elf.iter_sections():
        if sec["sh_type"] == "SHT_RELA":
            types.update(relocs.type_name(r["r_info_type"]) for r in sec.iter_relocations())
    return types


def _ld_bytes(exe: Path, address: int, size: int) -> bytes:
    elf = ELFFile(io.BytesIO(exe.read_bytes()))
    for s in elf.iter_sections():
        if s["sh_flags"] & 2 and s["sh_type"] != "SHT_NOBITS" and s["sh_addr"] <= address < s["sh_addr"] + s["sh_size"]:
            off = address - s["sh_addr"]
            return s.data()[off : off + size]
    raise AssertionError(f"ld output has nothing at {address:#x}")


def _set_first_addend(obj: Path, addend: int) -> None:
    data = bytearray(obj.read_bytes())
    elf = ELFFile(io.BytesIO(bytes(data)))
    rela = next(s for s in elf.iter_sections() if s["sh_type"] == "SHT_RELA")
    at = rela["sh_offset"] + 16  # Elf64_Rela: r_offset, r_info, r_addend
    data[at : at + 8] = addend.to_bytes(8, "little", signed=True)
    obj.write_bytes(bytes(data))


def _adrp_target(word: int, pc: int) -> int:
    imm = (((word >> 5) & 0x7FFFF) << 2) | ((word >> 29) & 3)
    imm -= (imm & (1 << 20)) << 1
    return (pc & ~0xFFF) + (imm << 12)


@pytest.fixture(scope="module")
def reloc_obj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("reloc"), RELOC_SOURCE)


def test_object_exercises_every_supported_relocation(reloc_obj: Path) -> None:
    assert _reloc_types(reloc_obj) == ALL_TYPES
    assert {r.name for r in relocs.RELOCS.values()} == ALL_TYPES


def test_relocated_bytes_match_gnu_ld(reloc_obj: Path) -> None:
    """Link with ld at lnsym's section addresses: every byte but the GOT accesses must agree."""
    image = lnsym.load.load(reloc_obj)
    exe = reloc_obj.with_suffix(".elf")
    cmd = [tool("ld"), "-o", str(exe), "-e", "f", "--no-relax", str(reloc_obj)]
    cmd += [f"--section-start={n}={a:#x}" for n, a, _ in image.sections if n in (".text", ".data", ".bss")]
    cmd += [f"--defsym={n}={a:#x}" for n, a in image.undefined.items()]
    run(cmd)
    f_start, _f_end = image.functions["f"]
    got_words = {f_start + off for off in (0x34, 0x38, 0x3C, 0x40)}  # ld's GOT is elsewhere
    compared = 0
    for name, address, size in image.sections:
        if name == ".bss":
            assert image.read(address, size) == bytes(size)
            continue
        mine, theirs = image.read(address, size), _ld_bytes(exe, address, size)
        for off in range(0, size, 4):
            if address + off not in got_words:
                assert mine[off : off + 4] == theirs[off : off + 4], f"{name}+{off:#x}"
                compared += 1
    assert compared == 14 + 1 + 18  # .text words but the 4 GOT ones, .text.other, .data words


def test_got_entries_hold_the_symbol_addresses(reloc_obj: Path) -> None:
    image = lnsym.load.load(reloc_obj)
    f = image.address("f")
    expected = {f + 0x34: image.undefined["ext"], f + 0x3C: image.address("data_sym")}
    for adrp_at, target in expected.items():
        adrp = int.from_bytes(image.read(adrp_at, 4), "little")
        ldr = int.from_bytes(image.read(adrp_at + 4, 4), "little")
        entry = _adrp_target(adrp, adrp_at) + ((ldr >> 10) & 0xFFF) * 8
        assert image.segment_at(entry).kind == "got"
        assert int.from_bytes(image.read(entry, 8), "little") == target
    assert any("GOT of 2 entries" in n for n in image.notes)


def test_relocated_code_runs(reloc_obj: Path) -> None:
    """The ADRP/ADD/LDR sequences, executed, reach the data they name."""
    from lnsym.machine.stepper import Stepper

    image = lnsym.load.load(reloc_obj)
    m = ConcreteMachine.from_image(image)
    f = image.address("f")
    st = Stepper(m)
    m.pc = f
    st.run(until=f + 0x20, max_steps=20)  # up to the LDR Q3 (SIMD&FP loads are not modelled yet)
    data = image.address("data_sym")
    assert m.x[0] == data and m.x[1] == data & ~0xFFF and m.x[2] == data and m.x[3] == 4
    m.pc = f + 0x34
    st.run(until=f + 0x44, max_steps=10)
    assert m.x[4] == image.undefined["ext"] and m.x[5] == data


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("b.eq g + 0x100000", "R_AARCH64_CONDBR19"),
        ("tbz x0, #1, g + 0x8000", "R_AARCH64_TSTBR14"),
        ("b g + 0x8000000", "R_AARCH64_JUMP26"),
        ("bl g - 0x8000100", "R_AARCH64_CALL26"),
        ("adr x0, g + 0x100000", "R_AARCH64_ADR_PREL_LO21"),
        ("adrp x0, g + 0x100000000", "R_AARCH64_ADR_PREL_PG_HI21"),
        (".word g + 0x7fffffff", "R_AARCH64_ABS32"),  # the addend is raised past 2^32 below
        (".word g - . + 0x7fffffff", "R_AARCH64_PREL32"),
        ("ldr x0, [x0, :lo12:g + 1]", "R_AARCH64_LDST64_ABS_LO12_NC"),
        ("ldr w0, [x0, :lo12:g + 2]", "R_AARCH64_LDST32_ABS_LO12_NC"),
        ("ldrh w0, [x0, :lo12:g + 1]", "R_AARCH64_LDST16_ABS_LO12_NC"),
    ],
)
def test_overflow_and_alignment_checks(tmp_path: Path, line: str, name: str) -> None:
    src = f"    .text\n    {line}\n    .section .text.g, \"ax\"\n    .globl g\ng:\n    ret\n"
    obj = assemble(tmp_path, src)
    assert name in _reloc_types(obj)
    if "7fffffff" in line:  # gas refuses addends that overflow a 4-byte field: patch the RELA entry
        _set_first_addend(obj, 0x100000000)
    with pytest.raises(LnsymError, match=rf"{name} at \.text\+0x0: value .*(overflows|aligned)"):
        lnsym.load.load(obj)


def test_no_check_forms_accept_far_values(tmp_path: Path) -> None:
    src = "    .text\n    adrp x0, :pg_hi21_nc:g + 0x100000000\n    add x0, x0, :lo12:g + 0x100000000\n" \
          "    .quad g + 0x100000000\n    .section .text.g, \"ax\"\n    .globl g\ng:\n    ret\n"
    image = lnsym.load.load(assemble(tmp_path, src))
    assert int.from_bytes(image.read(image.sections[0][1] + 8, 8), "little") == image.address("g") + (1 << 32)


def test_abs32_overflows_at_a_high_base(reloc_obj: Path) -> None:
    with pytest.raises(LnsymError, match=r"R_AARCH64_ABS32 at \.data"):
        lnsym.load.load(reloc_obj, base=1 << 33)
    image = lnsym.load.load(reloc_obj, base=1 << 31)
    assert image.address("f") == 1 << 31


def test_unsupported_relocation_is_named(tmp_path: Path) -> None:
    obj = assemble(tmp_path, "    .text\n    nop\n    movz x0, #:abs_g0:g\n")
    with pytest.raises(LnsymError, match=r"unsupported relocation R_AARCH64_MOVW_UABS_G0 \(263\) at \.text\+0x4"):
        lnsym.load.load(obj)


MAPPING_SOURCE = """
    .text
    .globl h
    .type h, %function
h:
    ldr x0, =0x1122334455667788
    b 1f
    .word 0xdeadbeef, 0xfeedface
1:  ret
    .ltorg
    .size h, .-h
    .globl sized0
sized0:
    nop
    nop
next:
    ret
    .globl tail0
tail0:
    nop
    ret
"""


def test_mapping_symbols_mark_data_inside_text(tmp_path: Path) -> None:
    image = lnsym.load.load(assemble(tmp_path, MAPPING_SOURCE))
    h = image.address("h")
    kinds = [(a - h, c) for a, _, c in image.words("h")]
    assert kinds == [(0, True), (4, True), (8, False), (12, False), (16, True), (20, True), (24, False),
                     (28, False)], "the .word directives and the literal pool at 24 are data"
    assert image.read(h + 8, 8) == bytes.fromhex("efbeaddecefaedfe")
    assert image.is_code(image.address("sized0")) and not image.is_code(image.segments[-1].end + 0x1000)
    from lnsym.machine.listing import coverage

    cov = coverage(image, "h")
    assert cov.instructions == 4 and cov.decoded == 4  # ldr, b, ret and the udf #0 padding before the pool


def test_function_ranges(tmp_path: Path) -> None:
    image = lnsym.load.load(assemble(tmp_path, MAPPING_SOURCE))
    h0, h1 = image.functions["h"]
    assert h1 - h0 == image.symbol("h").size > 0
    s = image.address("sized0")
    assert image.functions["sized0"] == (s, image.address("next"))  # size 0: up to the next symbol
    t = image.address("tail0")
    assert image.functions["tail0"] == (t, t + 8)  # ... or to the end of the section
    assert "next" not in image.functions  # local labels without a type are not functions
    assert image.function_at(s + 4) == "sized0"


def test_undefined_symbols_get_zeroed_storage(tmp_path: Path) -> None:
    src = "    .text\n    adrp x0, a\n    ldr w0, [x0, :lo12:a]\n    adrp x1, b\n    ldr x1, [x1, :lo12:b]\n" \
          "    .data\n    .quad c\n"
    obj = assemble(tmp_path, src)
    image = lnsym.load.load(obj)
    assert set(image.undefined) == {"a", "b", "c"}
    for name, address in image.undefined.items():
        assert address % 16 == 0 and image.read(address, 16) == bytes(16)
        assert image.symbol(name).kind == "undefined"
        assert any(n.startswith(f"undefined symbol {name}: storage at {address:#x}") for n in image.notes)
        seg = image.segment_at(address)
        assert seg.kind == "undefined" and seg.perms == "rw"
    assert len(set(image.undefined.values())) == 3
    image = lnsym.load.load(obj, defines={"a": 0x1234, "b": bytes(range(40))})
    assert image.read(image.undefined["a"], 16) == (0x1234).to_bytes(8, "little") + bytes(8)
    assert image.read(image.undefined["b"], 40) == bytes(range(40))
    assert image.undefined["c"] - image.undefined["b"] >= 48
    with pytest.raises(LnsymError, match="cannot define 'zz'"):
        lnsym.load.load(obj, defines={"zz": 1})


def test_symbol_lookup_names_close_candidates(reloc_obj: Path) -> None:
    image = lnsym.load.load(reloc_obj)
    with pytest.raises(LnsymError, match="no symbol named 'data_syms'; close names: data_sym"):
        image.symbol("data_syms")
    with pytest.raises(LnsymError, match="no symbol named"):
        lnsym.load.load(reloc_obj, symbol="nope")


# -- archives -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("ar")
    a = assemble(d, "    .text\n    .globl alpha\nalpha:\n    ret\nlocal_one:\n    nop\n", "short.o")
    b = assemble(d, "    .text\n    .globl beta\nbeta:\n    mov x0, #7\n    ret\n", "a-member-with-a-long-name.o")
    lib = d / "libt.a"
    run([tool("ar"), "rcs", str(lib), str(a), str(b)])
    return lib


def test_archive_members_by_name_and_symbol(archive_path: Path) -> None:
    data = archive_path.read_bytes()
    assert b"//" in data[:200], "GNU long-name table present"
    image = lnsym.load.load(archive_path, member="a-member-with-a-long-name.o")
    assert image.member == "a-member-with-a-long-name.o" and "beta" in image.symbols
    assert lnsym.load.load(archive_path, symbol="beta").member == "a-member-with-a-long-name.o"
    assert lnsym.load.load(archive_path, symbol="local_one").member == "short.o"  # found by scanning
    assert lnsym.load.load(archive_path, member="short.o").name.endswith("libt.a(short.o)")
    with pytest.raises(LnsymError, match="archive of 2 members: choose one"):
        lnsym.load.load(archive_path)
    with pytest.raises(LnsymError, match=r"no archive member named 'x\.o'"):
        lnsym.load.load(archive_path, member="x.o")
    with pytest.raises(LnsymError, match="no member of the archive defines 'gamma'"):
        lnsym.load.load(archive_path, symbol="gamma")


def _bsd_archive(members: dict[str, bytes]) -> bytes:
    out = bytearray(b"!<arch>\n")
    for name, data in members.items():
        body = name.encode() + data
        header = f"#1/{len(name):<13d}{0:<12d}{0:<6d}{0:<6d}{644:<8d}{len(body):<10d}`\n".encode()
        assert len(header) == 60
        out += header + body + (b"\n" if len(body) % 2 else b"")
    return bytes(out)


def test_bsd_archive_names_and_corrupt_archives(archive_path: Path, reloc_obj: Path) -> None:
    data = _bsd_archive({"a-long-bsd-member-name.o": reloc_obj.read_bytes()})
    assert "f" in load_bytes(data, "bsd.a").functions
    with pytest.raises(LnsymError, match="thin archives"):
        load_bytes(b"!<thin>\n", "thin.a")
    good = archive_path.read_bytes()
    with pytest.raises(LnsymError, match="bad member header"):
        load_bytes(good[:8] + b"x" * 60 + good[68:], "bad.a", member="short.o")
    with pytest.raises(LnsymError, match="truncated archive"):
        load_bytes(good[: len(good) - 30], "cut.a", member="short.o")


# -- executables and shared objects --------------------------------------------------------------

EXE_SOURCE = "    .text\n    .globl _start, add3\n    .type add3, %function\n_start:\nadd3:\n" \
             "    add x0, x0, x1\n    add x0, x0, x2\n    ret\n    .size add3, .-add3\n    .data\nv: .quad 9\n"


def test_executable_and_shared_object(tmp_path: Path) -> None:
    from lnsym.machine.harness import call

    obj = assemble(tmp_path, EXE_SOURCE)
    exe, so = tmp_path / "t.exe", tmp_path / "t.so"
    run([tool("ld"), "-o", str(exe), str(obj)])
    run([tool("ld"), "-shared", "-o", str(so), str(obj)])
    image = lnsym.load.load(exe)
    assert image.kind == "executable" and image.entry == image.address("_start")
    assert any("x" in s.perms for s in image.segments) and any("w" in s.perms for s in image.segments)
    assert call(image, "add3", [1, 2, 3]).x0 == 6
    shared = lnsym.load.load(so, base=0x400000)
    assert shared.kind == "shared object" and shared.address("add3") >= 0x400000
    assert call(shared, "add3", [10, 20, 30]).x0 == 60
    assert shared.is_code(shared.address("add3"))


# -- files that are not what lnsym loads -----------------------------------------------------------


def test_wrong_files_are_one_line_errors(reloc_obj: Path, tmp_path: Path) -> None:
    good = reloc_obj.read_bytes()
    cases = {
        b"hello": "not an ELF file or ar archive",
        good[:40]: "truncated ELF header",
        good[:4] + b"\x01" + good[5:]: "32-bit ELF",
        good[:5] + b"\x02" + good[6:]: "big-endian ELF",
        good[:18] + (62).to_bytes(2, "little") + good[20:]: r"machine 62 \(x86-64\)",
        good[:16] + (4).to_bytes(2, "little") + good[18:]: "ELF type ET_CORE cannot be loaded",
        good[: len(good) // 2]: "truncated|corrupt",
    }
    for data, message in cases.items():
        with pytest.raises(LnsymError, match=message) as info:
            load_bytes(data, "x.o")
        assert "\n" not in str(info.value)
    with pytest.raises(LnsymError, match="cannot read"):
        lnsym.load.load(tmp_path / "missing.o")
