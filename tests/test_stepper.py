"""Concrete stepping API: runs to an address, to a sentinel return, stops, limits and clear errors."""

from __future__ import annotations

import pytest

from lnsym.errors import MemoryFault, StepLimitExceeded, UnsupportedInstruction
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.stepper import Stepper

CODE = 0x1_0000


def _machine(*words: int) -> Stepper:
    m = ConcreteMachine()
    m.memory.map(CODE, 0x1000, "rx", "code", b"".join(w.to_bytes(4, "little") for w in words))
    m.memory.map(0x2_0000, 0x1000, "rw", "data")
    m.pc = CODE
    return Stepper(m)


def test_call_returns_to_sentinel_with_result() -> None:
    # add x0, x0, x1 ; ret
    st = _machine(0x8B010000, 0xD65F03C0)
    event = st.call(CODE, [40, 2])
    assert event.reason == "sentinel" and event.steps == 2 and st.machine.x[0] == 42


def test_run_until_address() -> None:
    # movz x0, #1 ; movz x1, #2 ; movz x2, #3
    st = _machine(0xD2800020, 0xD2800041, 0xD2800062)
    event = st.run(until=CODE + 8)
    assert event.reason == "address" and event.steps == 2 and st.machine.x[1] == 2 and st.machine.x[2] == 0


def test_step_limit_is_an_error() -> None:
    st = _machine(0x14000000)  # b . (infinite loop)
    with pytest.raises(StepLimitExceeded, match="step limit of 100"):
        st.run(max_steps=100)


@pytest.mark.parametrize(
    ("word", "reason", "imm"),
    [(0xD4000021, "svc", 1), (0xD4200140, "brk", 10), (0xD4400000, "hlt", 0), (0x0000BEEF, "udf", 0xBEEF)],
)
def test_stop_instructions_are_typed_events(word: int, reason: str, imm: int) -> None:
    st = _machine(0xD503201F, word)  # nop ; <stop>
    event = st.run(max_steps=10)
    assert (event.reason, event.pc, event.imm, event.steps) == (reason, CODE + 4, imm, 1)


def test_unknown_word_is_never_a_nop() -> None:
    st = _machine(0xFFFFFFFF)
    with pytest.raises(UnsupportedInstruction) as info:
        st.step()
    assert info.value.address == CODE and info.value.word == 0xFFFFFFFF
    assert "0x00010000" in str(info.value) or "0x10000" in str(info.value)


def test_unsupported_word_names_capstone_text() -> None:
    st = _machine(0x1E222820)  # fadd s0, s1, s2 (floating-point arithmetic: not modelled)
    with pytest.raises(UnsupportedInstruction, match=r"fadd\s+s0, s1, s2"):
        st.step()


def test_unmapped_load_faults_with_address_and_size() -> None:
    st = _machine(0xF9400020)  # ldr x0, [x1]
    st.machine.x[1] = 0xDEAD_0000
    with pytest.raises(MemoryFault) as info:
        st.step()
    assert (info.value.address, info.value.size, info.value.kind) == (0xDEAD_0000, 8, "read")


def test_write_to_code_faults() -> None:
    st = _machine(0xF9000020)  # str x0, [x1]
    st.machine.x[1] = CODE
    with pytest.raises(MemoryFault, match="not writable"):
        st.step()


def test_misaligned_pc_faults() -> None:
    st = _machine(0xD503201F)
    st.machine.pc = CODE + 2
    with pytest.raises(MemoryFault, match="alignment"):
        st.step()
