"""Planted false claims about memory that lnsym must never prove (issue 21, items 1, 2 and the SP part of 4).

Each routine is assembled with the GNU cross assembler and verified against a contract whose claim is false
on hardware: an access past a small buffer at a symbolic or constant offset (every width, offsets
straddling the end, a base + offset that wraps), a store-exclusive whose address is the load-exclusive's
as a different term, an atomic increment without a retry loop, a load/store at a misaligned SP.  Each must
be refuted with a counterexample that replays on lnsym's concrete machine.  Positive controls (an in-bounds
symbolic offset, a wrap-around back into the buffer, a correct LDXR/STXR retry loop) must not be refuted;
the retry loop needs an invariant and ends unknown.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from asm_tools import assemble

from bitvec import BV, concat, ite, var
from lnsym.check.conformance import agree
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Return, Scalar
from lnsym.errors import MemoryFault
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.oracle import Snapshot, run_lnsym, run_unicorn
from lnsym.machine.stepper import Stepper
from lnsym.prove.prover import Result, verify
from lnsym.symbolic.memory import SymbolicMemoryError, SymMemory, SymRegion
from lnsym.symbolic.state import Solver, SymState

STORES = {1: "strb w1, [x0, x2]", 2: "strh w1, [x0, x2]", 4: "str w1, [x0, x2]", 8: "str x1, [x0, x2]",
          16: "str q0, [x0, x2]"}
LOADS = {1: "ldrb w0, [x0, x1]", 2: "ldrh w0, [x0, x1]", 4: "ldr w0, [x0, x1]", 8: "ldr x0, [x0, x1]",
         16: "ldr q0, [x0, x1]\n    fmov x0, d0"}


def _routine(tmp_path: Path, body: str, name: str = "f") -> Path:
    source = f"    .text\n    .globl {name}\n    .type {name}, %function\n{name}:\n{body}\n    ret\n"
    return assemble(tmp_path, source, f"{name}.o")


def _contract(obj: Path, args: list[Scalar | Buffer], outputs: list[Return | BufferOut], spec: object,
              name: str = "f") -> Contract:
    return Contract(name=name, object=str(obj), symbol=name, args=args, outputs=outputs, spec=spec)  # type: ignore[arg-type]


def _refuted(result: Result) -> dict[str, object]:
    """The verdict is refuted and the counterexample replays on lnsym's concrete machine."""
    assert result.verdict == "refuted", (result.verdict, result.detail)
    cx = result.counterexample
    assert cx is not None and cx["replays"] is True, cx
    return cx


def _unchanged(i: Inputs) -> dict[str, object]:
    return {"out": i.bytes("out")}


# ------------------------------------------------------------------------------------------------
# symbolic offsets past a small buffer


OUTSIDE = [(w, m) for m in (3, 7) for w in (1, 2, 4, 8, 16) if (w, m) != (1, 3)]  # (1, 3) is always inside


@pytest.mark.parametrize(("width", "mask"), OUTSIDE)
def test_symbolic_offset_store_past_a_small_buffer_is_refuted(tmp_path: Path, width: int, mask: int) -> None:
    """``out[i & mask] = v`` (width bytes) into a 4-byte buffer, claimed to leave ``out`` unchanged: with
    mask 3 every width but 1 straddles the end at some offset, with mask 7 every width can land past it.
    (An 8- or 16-byte store was taken as in bounds -- 4 - 8 wrapped to a huge bound -- and wrote nothing.)"""
    obj = _routine(tmp_path, f"    and x2, x2, #{mask}\n    {STORES[width]}")
    c = _contract(obj, [Buffer("out", 4, writable=True), Scalar("v", 64), Scalar("i", 64)],
                  [BufferOut("out", element=1)], _unchanged)
    cx = _refuted(verify(c, timeout_s=60))
    assert "out_of_bounds" in cx and cx["out_of_bounds"]["kind"] == "write", cx  # type: ignore[index]
    assert isinstance(cx["replay_lnsym"], list) and "faulted" in cx["replay_lnsym"][0], cx


@pytest.mark.parametrize(("width", "mask"), OUTSIDE)
def test_symbolic_offset_load_past_a_small_buffer_is_refuted(tmp_path: Path, width: int, mask: int) -> None:
    """``return inp[i & mask]`` (low byte of a width-byte load) from a 4-byte buffer, claimed to equal byte 0:
    the claim the old model proved for 8 and 16 bytes, which read offset 0 whatever ``i`` was and made the
    bytes past the end fresh inputs."""
    obj = _routine(tmp_path, f"    and x1, x1, #{mask}\n    {LOADS[width]}")
    c = _contract(obj, [Buffer("inp", 4), Scalar("i", 64)], [Return("r", 8)], lambda i: {"r": i.bytes("inp")[0]})
    cx = _refuted(verify(c, timeout_s=60))
    assert "out_of_bounds" in cx and cx["out_of_bounds"]["kind"] == "read", cx  # type: ignore[index]


def test_in_bounds_symbolic_offset_store_and_load_are_proved(tmp_path: Path) -> None:
    """Positive controls: ``out[i & 3] = v`` (one byte) and ``return inp[i & 3]`` on 4-byte buffers."""
    obj = _routine(tmp_path, f"    and x2, x2, #3\n    {STORES[1]}", "st")

    def stored(i: Inputs) -> dict[str, object]:
        k = i["i"] & 3
        return {"out": [ite(k.eq(n), i["v"][7:0], b) for n, b in enumerate(i.bytes("out"))]}

    c = _contract(obj, [Buffer("out", 4, writable=True), Scalar("v", 64), Scalar("i", 64)],
                  [BufferOut("out", element=1)], stored, "st")
    result = verify(c, timeout_s=60)
    assert result.verdict == "proved", result.detail

    obj = _routine(tmp_path, f"    and x1, x1, #3\n    {LOADS[1]}", "ld")

    def loaded(i: Inputs) -> dict[str, object]:
        k, data = i["i"] & 3, i.bytes("inp")
        return {"r": ite(k.eq(1), data[1], ite(k.eq(2), data[2], ite(k.eq(3), data[3], data[0])))}

    c = _contract(obj, [Buffer("inp", 4), Scalar("i", 64)], [Return("r", 8)], loaded, "ld")
    result = verify(c, timeout_s=60)
    assert result.verdict == "proved", result.detail


# ------------------------------------------------------------------------------------------------
# constant offsets


@pytest.mark.parametrize(("body", "kind"), [
    ("    ldr x0, [x0]", "read"),  # 8 bytes of a 4-byte buffer
    ("    ldr w0, [x0, #2]", "read"),  # straddles the end
    ("    ldur w0, [x0, #-2]", "read"),  # straddles the start
    ("    str w1, [x0, #2]\n    mov x0, #0", "write"),
    ("    mov x2, #-8\n    ldr x0, [x0, x2]", "read"),  # base + 2^64 - 8 wraps to 8 bytes below the buffer
    ("    add x0, x0, #16\n    ldur w0, [x0, #-12]", "read"),  # (base + 16) - 12 wraps to base + 4: past the end
])
def test_constant_offsets_outside_the_buffer_are_refuted(tmp_path: Path, body: str, kind: str) -> None:
    obj = _routine(tmp_path, body)
    c = _contract(obj, [Buffer("buf", 4, writable=True), Scalar("v", 32)], [Return("r", 32)],
                  lambda i: {"r": concat(*reversed(i.bytes("buf")))})
    cx = _refuted(verify(c, timeout_s=60))
    assert cx["out_of_bounds"]["kind"] == kind, cx  # type: ignore[index]


def test_a_wrap_around_back_into_the_buffer_is_proved(tmp_path: Path) -> None:
    """Positive control: ``(base - 4) + 4`` is the base (offsets wrap modulo 2^64)."""
    obj = _routine(tmp_path, "    sub x0, x0, #4\n    ldr w0, [x0, #4]")
    c = _contract(obj, [Buffer("buf", 4)], [Return("r", 32)], lambda i: {"r": concat(*reversed(i.bytes("buf")))})
    result = verify(c, timeout_s=60)
    assert result.verdict == "proved", result.detail


def test_the_memory_model_never_places_an_access_wider_than_the_region() -> None:
    """Direct: every width at a symbolic offset into a 4-byte region, proved only when it fits."""
    state = SymState(memory=SymMemory(), solver=Solver())
    base, i = var("&b", 64), var("i", 64)
    state.memory.add(SymRegion("b", base, 4))
    for width in (1, 2, 4, 8, 16):
        for mask in (0, 1, 3):
            address = base + (i & mask)
            fits = mask + width <= 4
            try:
                state.mem_write(address, width, var(f"w{width}", 8 * width), None)  # type: ignore[arg-type]
                state.mem_read(address, width, None)  # type: ignore[arg-type]
                placed = True
            except SymbolicMemoryError:
                placed = False
            assert placed == fits, (width, mask)
    with pytest.raises(SymbolicMemoryError, match="outside region"):
        state.memory.region("b").read(2, 4)  # the region itself refuses bytes past its end


# ------------------------------------------------------------------------------------------------
# exclusive monitor


def test_store_exclusive_to_the_same_address_as_another_term_is_not_taken_to_fail(tmp_path: Path) -> None:
    """``ldxr [x0]; stxr [(x0 + k) - k]``: the same address as a different term.  Claimed (as the old term-identity
    monitor proved) to return success flag 0; on lnsym's machine and on Unicorn it returns 1."""
    body = ("    ldxr x3, [x0]\n    add x4, x0, x1\n    sub x4, x4, x1\n    stxr w5, x3, [x4]\n"
            "    eor w0, w5, #1")
    obj = _routine(tmp_path, body)
    c = _contract(obj, [Buffer("word", 8, writable=True, align=8), Scalar("k", 64)], [Return("ok", 32)],
                  lambda i: {"ok": BV(32, 0)})
    cx = _refuted(verify(c, timeout_s=60))
    assert cx["replay_lnsym"] == ["ok[0]: expected 0x0, got 0x1"], cx
    assert cx["replay_unicorn"] == ["ok[0]: expected 0x0, got 0x1"], cx


def test_atomic_increment_without_a_retry_loop_is_refuted_by_a_spurious_failure(tmp_path: Path) -> None:
    """``ldxr; add #1; stxr`` claimed to always increment: a store-exclusive may fail spuriously.  The replay
    injects that failure on lnsym's machine; Unicorn cannot, and says so."""
    obj = _routine(tmp_path, "    ldxr x1, [x0]\n    add x1, x1, #1\n    stxr w2, x1, [x0]")
    c = _contract(obj, [Buffer("word", 8, writable=True, align=8)], [BufferOut("word", element=8)],
                  lambda i: {"word": [i.words("word", 8)[0] + 1]})
    result = verify(c, timeout_s=60)
    cx = _refuted(result)
    assert result.obligations[-1].model["stxr0_spurious_fail"] == 1  # type: ignore[index]
    assert isinstance(cx["replay_lnsym"], list) and cx["replay_lnsym"][0].startswith("word[0]: expected"), cx
    assert "cannot reproduce a spurious store-exclusive failure" in str(cx["replay_unicorn"]), cx


def test_status_of_a_store_exclusive_is_not_claimed_constant(tmp_path: Path) -> None:
    """The same increment returning its status, claimed always 0 (success): refuted the same way."""
    obj = _routine(tmp_path, "    ldxr x1, [x0]\n    add x1, x1, #1\n    stxr w2, x1, [x0]\n    mov w0, w2")
    c = _contract(obj, [Buffer("word", 8, writable=True, align=8)], [Return("status", 32)],
                  lambda i: {"status": BV(32, 0)})
    cx = _refuted(verify(c, timeout_s=60))
    assert cx["replay_lnsym"] == ["status[0]: expected 0x0, got 0x1"], cx


def test_correct_retry_loop_is_not_proved_wrongly(tmp_path: Path) -> None:
    """Positive control: the LDXR/STXR retry loop increments; unbounded retries need an invariant."""
    body = "1:\n    ldxr x1, [x0]\n    add x1, x1, #1\n    stxr w2, x1, [x0]\n    cbnz w2, 1b"
    obj = _routine(tmp_path, body)
    c = _contract(obj, [Buffer("word", 8, writable=True, align=8)], [BufferOut("word", element=8)],
                  lambda i: {"word": [i.words("word", 8)[0] + 1]})
    result = verify(c, timeout_s=60, loop_limit=6)
    assert result.verdict == "unknown", (result.verdict, result.detail)
    assert result.detail.startswith("needs an invariant: loop at"), result.detail
    assert "spurious_fail" in result.detail, result.detail  # the loop exits on a failure variable


@pytest.mark.parametrize(("load", "store"), [
    ("ldxr x3, [x0]", "stxr w5, w3, [x4]"),  # 8 bytes marked, 4 stored at a possibly equal address
    ("ldxr x3, [x0]", "stxr w5, x3, [x4]"),  # an address that may differ
])
def test_unpredictable_store_exclusives_end_the_path(tmp_path: Path, load: str, store: str) -> None:
    """A store-exclusive that may hit the marked address with another size, or may miss it, is CONSTRAINED
    UNPREDICTABLE: never proved (here: ``x4 = x0 + 8 * (k & 1)``)."""
    obj = _routine(tmp_path, f"    {load}\n    and x1, x1, #1\n    add x4, x0, x1, lsl #3\n    {store}\n"
                   "    mov w0, w5")
    c = _contract(obj, [Buffer("word", 16, writable=True, align=16), Scalar("k", 64)], [Return("status", 32)],
                  lambda i: {"status": BV(32, 1)})
    result = verify(c, timeout_s=60)
    assert result.verdict != "proved"
    assert "CONSTRAINED UNPREDICTABLE" in result.detail, result.detail


def test_spurious_failure_variables_are_unique_per_store_exclusive() -> None:
    """Two store-exclusives on one path get two variables: one failing does not make the other fail."""
    state = SymState(memory=SymMemory(), solver=Solver())
    a = var("&w", 64)
    state.memory.add(SymRegion("w", a, 8))
    state.set_exclusive_monitor(a, 8)
    first = state.exclusive_monitor_pass(a, 8)
    state.set_exclusive_monitor(a, 8)
    second = state.exclusive_monitor_pass(a, 8)
    assert isinstance(first, type(second)) and first is not second
    assert state.exclusive_monitor_pass(a, 8) == BV(1, 0)  # the monitor was cleared: no chance to pass


# ------------------------------------------------------------------------------------------------
# SP alignment


def test_store_at_a_misaligned_sp_is_refuted(tmp_path: Path) -> None:
    """``sub sp, sp, #8; str x0, [sp]``: SP is 8 mod 16, an SP alignment fault (SIGBUS) under Linux."""
    obj = _routine(tmp_path, "    sub sp, sp, #8\n    str x0, [sp]\n    ldr x0, [sp]\n    add sp, sp, #8")
    c = _contract(obj, [Scalar("a", 64)], [Return("r", 64)], lambda i: {"r": i["a"]})
    result = verify(c, timeout_s=60)
    cx = _refuted(result)
    assert result.detail.startswith("SP alignment fault: SP = 0x7f00fef8"), result.detail
    assert cx["replay_lnsym"][0].startswith("SP alignment fault at pc"), cx  # type: ignore[index]
    assert "does not enforce SCTLR_EL1.SA0" in str(cx["replay_unicorn"]), cx


def test_aligned_sp_frame_is_proved(tmp_path: Path) -> None:
    """Positive control: the same with a 16-byte frame."""
    obj = _routine(tmp_path, "    sub sp, sp, #16\n    str x0, [sp, #8]\n    ldr x0, [sp, #8]\n    add sp, sp, #16")
    c = _contract(obj, [Scalar("a", 64)], [Return("r", 64)], lambda i: {"r": i["a"]})
    assert verify(c, timeout_s=60).verdict == "proved"


@pytest.mark.parametrize("compiled", [False, True], ids=["interpreted", "compiled"])
@pytest.mark.parametrize("word", [
    0xF90003E0,  # str  x0, [sp]
    0xA9BF07E0,  # stp  x0, x1, [sp, #-16]!
    0xC85F7FE1,  # ldxr x1, [sp]
    0x4C9F73E0,  # st1  {v0.16b}, [sp], #16
    0x3DC003E0,  # ldr  q0, [sp]
])
def test_sp_based_access_faults_on_a_misaligned_sp(compiled: bool, word: int) -> None:
    m = ConcreteMachine()
    m.memory.map(0x1_0000, 0x1000, "rx", "code", word.to_bytes(4, "little"))
    m.memory.map(0x2_0000, 0x1000, "rw", "stack")
    m.pc, m.sp = 0x1_0000, 0x2_0808
    with pytest.raises(MemoryFault, match="sp-alignment"):
        Stepper(m, compiled=compiled).step()
    assert m.pc == 0x1_0000 and m.sp == 0x2_0808
    m.sp = 0x2_0800
    Stepper(m, compiled=compiled).step()  # aligned: the access happens


def test_unicorn_sp_alignment_deviation_is_matched_narrowly() -> None:
    """Unicorn performs the access at a misaligned SP; the documented deviation accepts exactly that."""
    code = 0x60_0000
    for word, sp, expect in [(0xF90003E0, 0x50_0808, True),  # str x0, [sp]: lnsym faults, Unicorn stores
                             (0xF90003E0, 0x50_0800, False),  # aligned: both store, compared as usual
                             (0xF9000020, 0x50_0808, False)]:  # str x0, [x1]: no SP check at all
        snap = Snapshot(x=[0x50_0400] * 31, sp=sp, pc=code, nzcv=0, regions=[(0x50_0000, bytes(0x20_0000), "rwx")],
                        patches=[(code, word.to_bytes(4, "little"))])
        ours, theirs = run_lnsym(snap, 1, compiled=False), run_unicorn(snap, 1)
        assert (ours.ending == "fault") == expect and theirs.ending == "ok"
        assert agree(ours, theirs)
        if expect:  # the same outcome with another fault kind would be a real disagreement
            ours.fault = "alignment" + ours.fault.removeprefix("sp-alignment")
            assert not agree(ours, theirs)


def test_symbolic_machines_check_sp() -> None:
    from lnsym.symbolic.machine import SymbolicMachine

    s = SymState(memory=SymMemory(), solver=Solver())
    s.sp = var("sp", 64)
    with pytest.raises(Exception, match="SP alignment fault"):
        s.check_sp_alignment()
    s.path.append((s.sp & 15).eq(0))
    s.check_sp_alignment()  # proved aligned
    sym = SymbolicMachine(sp=BV(64, 0x1008))
    with pytest.raises(MemoryFault, match="sp-alignment"):
        sym.check_sp_alignment()


@pytest.mark.parametrize("compiled", [False, True], ids=["interpreted", "compiled"])
def test_failing_store_exclusive_touches_no_memory(compiled: bool) -> None:
    """With the monitor clear, STXR to an unmapped (aligned) address fails with status 1 and no fault: the
    compiled step keeps the store conditional (it must not read and write back the old contents)."""
    m = ConcreteMachine()
    m.memory.map(0x1_0000, 0x1000, "rx", "code", (0xC8027C01).to_bytes(4, "little"))  # stxr w2, x1, [x0]
    m.pc, m.x[0], m.x[1] = 0x1_0000, 0x9_0000, 5
    Stepper(m, compiled=compiled).step()
    assert m.x[2] == 1


def test_paths_merge_only_with_the_same_monitor_and_store_exclusive_count() -> None:
    from lnsym.symbolic.merge import mergeable

    a = SymState(memory=SymMemory(), solver=Solver())
    a.monitor = (var("&w", 64) + 8, 8)
    b = a.copy()
    b.monitor = (var("&w", 64) + 8, 8)  # the same term (hash-consed)
    assert mergeable(a, b)
    b.exclusive_stores = 1  # b's next store-exclusive would reuse a's next variable for another event
    assert not mergeable(a, b)
    b.exclusive_stores, b.monitor = 0, (var("&w", 64) + 8, 4)
    assert not mergeable(a, b)
