"""Targeted unit tests of the load/store semantics (isa/ldst.py) on the concrete stepper.

Words were assembled with ``aarch64-linux-gnu-as``; the disassembly is given next to each.  Every
test runs both the interpreted executors and the compiled fast path.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from lnsym.errors import MemoryFault, UnsupportedInstruction
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.stepper import Stepper

CODE = 0x1_0000
DATA = 0x2_0000
STACK_TOP = 0x3_1000
MASK64 = (1 << 64) - 1

both_paths = pytest.mark.parametrize("compiled", [False, True], ids=["interpreted", "compiled"])


def _machine(words: list[int], compiled: bool, data: bytes = b"") -> Stepper:
    m = ConcreteMachine()
    m.memory.map(CODE, 0x1000, "rx", "code", b"".join(w.to_bytes(4, "little") for w in words))
    m.memory.map(DATA, 0x1000, "rw", "data", data)
    m.memory.map(STACK_TOP - 0x1000, 0x1000, "rw", "stack")
    m.pc = CODE
    m.sp = STACK_TOP
    return Stepper(m, compiled=compiled)


def _run(st: Stepper, steps: int) -> None:
    for _ in range(steps):
        st.step()


def _u64(st: Stepper, address: int) -> int:
    return st.machine.memory.read_int(address, 8)


@both_paths
def test_exclusive_success_then_failure(compiled: bool) -> None:
    words = [
        0xC85F7C01,  # ldxr x1, [x0]
        0x91000421,  # add  x1, x1, #1
        0xC8027C01,  # stxr w2, x1, [x0]   monitor set: stores, w2 = 0
        0xC8037C01,  # stxr w3, x1, [x0]   monitor cleared by the first: no store, w3 = 1
    ]
    st = _machine(words, compiled, data=(41).to_bytes(8, "little"))
    m = st.machine
    m.x[0], m.x[2], m.x[3] = DATA, MASK64, MASK64
    _run(st, 4)
    assert _u64(st, DATA) == 42
    assert (m.x[1], m.x[2], m.x[3]) == (42, 0, 1)


@both_paths
def test_store_exclusive_failure_does_not_write(compiled: bool) -> None:
    st = _machine([0xC8037C01], compiled)  # stxr w3, x1, [x0] with no preceding ldxr
    m = st.machine
    m.x[0], m.x[1] = DATA + 8, 0x1122334455667788
    _run(st, 1)
    assert m.x[3] == 1 and _u64(st, DATA + 8) == 0


@both_paths
def test_exclusive_pairs(compiled: bool) -> None:
    words = [
        0xC87F8801,  # ldaxp x1, x2, [x0]
        0xC8238402,  # stlxp w3, x2, x1, [x0]   swaps the doublewords
        0x887F0801,  # ldxp  w1, w2, [x0]
        0x88230402,  # stxp  w3, w2, w1, [x0]   swaps the low words
    ]
    data = (0x1111_1111_2222_2222).to_bytes(8, "little") + (0x3333_3333_4444_4444).to_bytes(8, "little")
    st = _machine(words, compiled, data=data)
    m = st.machine
    m.x[0] = DATA
    _run(st, 2)
    assert (m.x[1], m.x[2], m.x[3]) == (0x1111_1111_2222_2222, 0x3333_3333_4444_4444, 0)
    assert (_u64(st, DATA), _u64(st, DATA + 8)) == (0x3333_3333_4444_4444, 0x1111_1111_2222_2222)
    _run(st, 2)
    assert (m.x[1], m.x[2], m.x[3]) == (0x4444_4444, 0x3333_3333, 0)
    assert _u64(st, DATA) == 0x4444_4444_3333_3333


@both_paths
@pytest.mark.parametrize(
    ("word", "offset"),
    [
        (0xC85F7C01, 4),  # ldxr  x1, [x0]          8-byte aligned
        (0xC87F8801, 8),  # ldaxp x1, x2, [x0]      a 64-bit pair must be 16-byte aligned
        (0x887F0801, 4),  # ldxp  w1, w2, [x0]      a 32-bit pair must be 8-byte aligned
        (0xC8027C01, 4),  # stxr  w2, x1, [x0]      faults even though the monitor is clear
        (0xC8DFFC01, 4),  # ldar  x1, [x0]
        (0x889FFC01, 2),  # stlr  w1, [x0]
    ],
)
def test_exclusive_and_ordered_need_alignment(compiled: bool, word: int, offset: int) -> None:
    st = _machine([word], compiled)
    st.machine.x[0] = DATA + offset
    with pytest.raises(MemoryFault, match="alignment"):
        st.step()


@both_paths
def test_pair_pre_and_post_index_writeback(compiled: bool) -> None:
    words = [
        0xA9BF0BE1,  # stp   x1, x2, [sp, #-16]!
        0xA8C113E3,  # ldp   x3, x4, [sp], #16
        0x69411805,  # ldpsw x5, x6, [x0, #8]
        0xA8410801,  # ldnp  x1, x2, [x0, #16]   (x0 + 16)
    ]
    data = bytes(8) + (0xFFFF_FFFE).to_bytes(4, "little") + (7).to_bytes(4, "little") + b"\xaa" * 8 + b"\xbb" * 8
    st = _machine(words, compiled, data=data)
    m = st.machine
    m.x[0], m.x[1], m.x[2] = DATA, 0xA1, 0xB2
    _run(st, 1)
    assert m.sp == STACK_TOP - 16
    assert (_u64(st, STACK_TOP - 16), _u64(st, STACK_TOP - 8)) == (0xA1, 0xB2)
    _run(st, 1)
    assert (m.sp, m.x[3], m.x[4]) == (STACK_TOP, 0xA1, 0xB2)
    _run(st, 1)
    assert (m.x[5], m.x[6]) == (MASK64 - 1, 7)
    _run(st, 1)
    assert (m.x[1], m.x[2]) == (0xAAAA_AAAA_AAAA_AAAA, 0xBBBB_BBBB_BBBB_BBBB)


@both_paths
def test_single_register_writeback_and_sign_extension(compiled: bool) -> None:
    words = [
        0xB81FC401,  # str    w1, [x0], #-4      stores at x0, then x0 -= 4
        0xB85FCC02,  # ldr    w2, [x0, #-4]!     x0 -= 4, loads there
        0x39C00403,  # ldrsb  w3, [x0, #1]       sign-extends to 32 bits, zero above
        0x39800404,  # ldrsb  x4, [x0, #1]
        0xB85FF005,  # ldur   w5, [x0, #-1]
    ]
    st = _machine(words, compiled, data=bytes(range(0x80, 0x90)))
    m = st.machine
    m.x[0], m.x[1] = DATA + 12, 0xDEAD_BEEF_0BAD_F00D
    _run(st, 1)
    assert m.x[0] == DATA + 8 and st.machine.memory.read_int(DATA + 12, 4) == 0x0BAD_F00D
    _run(st, 1)
    assert m.x[0] == DATA + 4 and m.x[2] == 0x8786_8584
    _run(st, 3)
    assert m.x[3] == 0xFFFF_FF85 and m.x[4] == MASK64 - 0x7A
    assert m.x[5] == 0x8685_8483


@both_paths
def test_unprivileged_access_is_normal_at_el0(compiled: bool) -> None:
    words = [
        0xF8408801,  # ldtr  x1, [x0, #8]
        0x78002801,  # sttrh w1, [x0, #2]
    ]
    st = _machine(words, compiled, data=bytes(8) + (0x0123_4567_89AB_CDEF).to_bytes(8, "little"))
    m = st.machine
    m.x[0] = DATA
    _run(st, 2)
    assert m.x[1] == 0x0123_4567_89AB_CDEF and st.machine.memory.read_int(DATA + 2, 2) == 0xCDEF


@both_paths
def test_register_offset_sxtw_negative_index(compiled: bool) -> None:
    words = [
        0xF862D801,  # ldr   x1, [x0, w2, sxtw #3]
        0x78A2D803,  # ldrsh x3, [x0, w2, sxtw #1]
    ]
    data = (0x8001_0203_0405_0607).to_bytes(8, "little") + bytes(8)
    st = _machine(words, compiled, data=data)
    m = st.machine
    m.x[0] = DATA + 8
    m.x[2] = 0xFFFF_FFFF_0000_0000 | 0xFFFF_FFFF  # w2 = -1; the upper half must be ignored
    _run(st, 1)
    assert m.x[1] == 0x8001_0203_0405_0607
    _run(st, 1)
    assert m.x[3] == MASK64 & -0x7FFF  # halfword 0x8001 at DATA + 6, sign-extended


@both_paths
def test_register_offset_byte_lsl_form(compiled: bool) -> None:
    st = _machine([0x38627801], compiled, data=bytes(range(16)))  # ldrb w1, [x0, x2, lsl #0]
    m = st.machine
    m.x[0], m.x[2] = DATA + 8, MASK64 - 2  # index -3
    _run(st, 1)
    assert m.x[1] == 5


@both_paths
def test_literal_loads_and_prefetch(compiled: bool) -> None:
    words = [
        0x58000061,  # ldr   x1, lit   (pc + 12)
        0x98000042,  # ldrsw x2, lit   (pc + 8)
        0xD8000020,  # prfm  pldl1keep, lit
        0x80000001,  # lit: .word 0x80000001 ; next word 0
    ]
    st = _machine(words, compiled)
    m = st.machine
    _run(st, 3)
    assert m.x[1] == 0x8000_0001 and m.x[2] == 0xFFFF_FFFF_8000_0001 and m.pc == CODE + 12


@both_paths
def test_prefetch_never_accesses_memory(compiled: bool) -> None:
    words = [
        0xF9800400,  # prfm  pldl1keep, [x0, #8]
        0xF89FD000,  # prfum pldl1keep, [x0, #-3]
    ]
    st = _machine(words, compiled)
    st.machine.x[0] = 0xDEAD_0000_0000  # unmapped
    _run(st, 2)
    assert st.machine.pc == CODE + 8


@pytest.mark.parametrize(
    "word",
    [
        0xA9400401,  # ldp  x1, x1, [x0]              LDPOVERLAP
        0xC8017C01,  # stxr w1, x1, [x0]              status == data register
        0xC8007C01,  # stxr w0, x1, [x0]              status == base register
        0xC87F0421,  # ldxp x1, x1, [x1]              Rt == Rt2
        0xF8408400,  # ldr  x0, [x0], #8              writeback into the loaded register
        0xF8008C00,  # str  x0, [x0, #8]!             writeback overlap, store
        0xA9810421,  # stp  x1, x1, [x1, #16]!        writeback overlap, pair store
    ],
)
def test_constrained_unpredictable_is_refused(word: int) -> None:
    st = _machine([word], False)
    with pytest.raises(UnsupportedInstruction, match="UNPREDICTABLE"):
        st.step()


@pytest.mark.parametrize(
    "word",
    [
        0xA9010421,  # stp x1, x1, [x1, #16]    no writeback: fine
        0xF85F8FE0,  # ldr x0, [sp, #-8]!       n == 31 names SP, so no overlap with X0
    ],
)
def test_no_overlap_without_writeback_or_with_sp(word: int) -> None:
    st = _machine([word], False)
    st.machine.x[1] = DATA
    _run(st, 1)


def test_register_offset_sub_word_index_is_undefined() -> None:
    word = 0xF8600800 | (2 << 16) | (0b000 << 13) | (0 << 5) | 1  # ldr x1, [x0, w2, uxtb] (option<1> == 0)
    st = _machine([word], False)
    with pytest.raises(UnsupportedInstruction, match="UNDEFINED"):
        st.step()


@pytest.mark.skipif(shutil.which("aarch64-linux-gnu-as") is None, reason="aarch64-linux-gnu-as not installed")
def test_assembled_stack_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "t.s"
    source.write_text(
        "stp x29, x30, [sp, #-32]!\n"
        "str w0, [sp, #16]\n"
        "ldrsw x2, [sp, #16]\n"
        "ldp x3, x4, [sp], #32\n"
    )
    obj, binary = tmp_path / "t.o", tmp_path / "t.bin"
    subprocess.run(["aarch64-linux-gnu-as", str(source), "-o", str(obj)], check=True)
    objcopy = shutil.which("aarch64-linux-gnu-objcopy")
    if objcopy is None:
        pytest.skip("aarch64-linux-gnu-objcopy not installed")
    subprocess.run([objcopy, "-O", "binary", "-j", ".text", str(obj), str(binary)], check=True)
    code = binary.read_bytes()
    words = [int.from_bytes(code[i : i + 4], "little") for i in range(0, len(code), 4)]
    st = _machine(words, True)
    m = st.machine
    m.x[0], m.x[29], m.x[30] = 0x8000_0000, 0x1234, 0x5678
    _run(st, len(words))
    assert (m.x[2], m.x[3], m.x[4], m.sp) == (0xFFFF_FFFF_8000_0000, 0x1234, 0x5678, STACK_TOP)
