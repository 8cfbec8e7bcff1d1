"""ABI and frame conditions as proof obligations, and every assumption listed (issue 21 items 4-5).

Each planted false claim below was PROVED before these checks: a store into the caller's frame, a 32-bit
argument used as a 64-bit register, X18 / FPCR / TPIDR_EL0 clobbered, a write to .data or .bss.  Each must
now be REFUTED with a counterexample that replays on lnsym's concrete machine and on Unicorn.  Routines that
keep the rules (read the caller's frame, save and restore FPCR or .data, zero-extend their narrow
arguments) stay PROVED.  PAC/BTI hints are executed as NOPs: a routine with a mismatched PACIASP/AUTIBSP
pair is PROVED *under a listed assumption* (documented: lnsym models a CPU without FEAT_PAuth).  In-place
calls (``Buffer(..., alias_of=...)``) are proved for routines that read their input before writing and
refuted for one that reads it after overwriting it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from asm_tools import assemble

import lnsym
from bitvec import BV, concat
from lnsym.contract import Buffer, BufferOut, Contract, Inputs, Return, Scalar, load_contract_file
from lnsym.prove.prover import Result, initial_state, verify

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"

SOURCE = """
    .text
    .globl same, store_caller, restore_caller, read_caller, add32_x, add32_w, clobber_x18, clobber_fpcr
    .globl keep_fpcr, clobber_tpidr, bump_data, keep_data, bump_bss, pac_mismatch, reverse16, reverse16_buffered
    .globl armcap
same:                   // r = a
    ret
store_caller:           // r = a, but stores into the caller's frame
    str x0, [sp, #8]
    ret
restore_caller:         // stores back what the caller's frame held: still a store there
    ldr x1, [sp]
    str x1, [sp]
    ret
read_caller:            // reads the caller's frame (stack arguments are readable), returns a
    ldr x1, [sp, #16]
    ret
add32_x:                // wrong: uses all of X0 and X1 for two 32-bit arguments
    add x0, x0, x1
    ret
add32_w:                // right: zero-extends both
    mov w0, w0
    add x0, x0, w1, uxtw
    ret
clobber_x18:
    mov x18, #1
    ret
clobber_fpcr:
    mov x1, #0x400000   // FPCR.RMode = 01, round towards plus infinity
    msr fpcr, x1
    ret
keep_fpcr:
    mrs x2, fpcr
    mov x1, #0x400000
    msr fpcr, x1
    msr fpcr, x2
    ret
clobber_tpidr:
    msr tpidr_el0, x0
    ret
bump_data:              // r = a; counter += 1
    adrp x1, counter
    add x1, x1, :lo12:counter
    ldr x2, [x1]
    add x2, x2, #1
    str x2, [x1]
    ret
keep_data:              // r = a; counter overwritten and restored
    adrp x1, counter
    add x1, x1, :lo12:counter
    ldr x2, [x1]
    str x0, [x1]
    str x2, [x1]
    ret
bump_bss:
    adrp x1, scratch
    add x1, x1, :lo12:scratch
    str x0, [x1]
    ret
pac_mismatch:           // PACIASP ... AUTIBSP: faults at the return on a CPU with FEAT_PAuth
    hint #25
    hint #31
    ret
    hint #34            // BTI c, never executed: not listed
reverse16:              // out[15 - i] = in[i], byte by byte: wrong when out == in
    mov x2, #0
1:  ldrb w3, [x0, x2]
    mov x4, #15
    sub x4, x4, x2
    strb w3, [x1, x4]
    add x2, x2, #1
    cmp x2, #16
    b.ne 1b
    ret
reverse16_buffered:     // the same, reading the whole block first: right in place too
    ldr q0, [x0]
    rev64 v0.16b, v0.16b
    ext v0.16b, v0.16b, v0.16b, #8
    str q0, [x1]
    ret
armcap:                 // r = a + 1 if cap (an undefined symbol) is non-zero, else a
    adrp x1, cap
    ldr w1, [x1, :lo12:cap]
    cbz w1, 1f
    add x0, x0, #1
1:  ret
    .data
    .balign 8
counter: .quad 0x1122334455667788
    .bss
    .balign 8
scratch: .zero 16
"""


@pytest.fixture(scope="module")
def obj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("abi"), SOURCE)


def _identity(obj: Path, symbol: str, **kw: object) -> Contract:
    return Contract(symbol, str(obj), symbol, [Scalar("a")], [Return("r")], lambda i: {"r": i["a"]},
                    **kw)  # type: ignore[arg-type]


def _refuted(result: Result, obligation: str, replay_text: str) -> dict[str, object]:
    """REFUTED on ``obligation`` with a counterexample whose replay shows ``replay_text`` on both machines."""
    assert result.verdict == "refuted", (result.verdict, result.detail, [(o.name, o.verdict) for o in
                                                                         result.obligations])
    cx = result.counterexample
    assert cx is not None and cx["obligation"].startswith(obligation), cx  # type: ignore[union-attr]
    for machine in ("replay_lnsym", "replay_unicorn"):
        lines = cx[machine]
        assert isinstance(lines, list) and any(replay_text in line for line in lines), (machine, lines)
    assert cx["replays"] is True
    return cx


def test_a_store_into_the_callers_frame_is_refuted(obj: Path) -> None:
    cx = _refuted(verify(_identity(obj, "store_caller")), "frame: no store to the caller's frame",
                  "store(s) to the caller's frame")
    assert cx["replay_lnsym"] == cx["replay_unicorn"]
    # storing back the very bytes it read is still a store into memory the routine does not own
    _refuted(verify(_identity(obj, "restore_caller")), "frame: no store to the caller's frame",
             "store(s) to the caller's frame")


def test_reading_the_callers_frame_is_allowed(obj: Path) -> None:
    result = verify(_identity(obj, "read_caller"))
    assert result.verdict == "proved", result.detail
    assert not any("caller" in o.name for o in result.obligations)


def _add32(obj: Path, symbol: str) -> Contract:
    return Contract(symbol, str(obj), symbol, [Scalar("a", 32), Scalar("b", 32)], [Return("r")],
                    lambda i: {"r": i["a"].zext(64) + i["b"].zext(64)})


def test_a_32_bit_argument_used_as_a_64_bit_register_is_refuted(obj: Path) -> None:
    cx = _refuted(verify(_add32(obj, "add32_x")), "return r", "r[0]: expected")
    upper = cx["entry_registers"]  # the model's unspecified upper bits, replayed in X0/X1 on both machines
    assert any(k in upper for k in ("a@hi", "b@hi")), upper  # type: ignore[operator]
    assert set(cx["inputs"]) == {"a", "b"}  # type: ignore[arg-type]  # the spec never sees the upper bits


def test_zero_extending_32_bit_arguments_is_proved(obj: Path) -> None:
    result = verify(_add32(obj, "add32_w"))
    assert result.verdict == "proved", result.detail


def test_the_upper_bits_are_fresh_and_hidden_from_the_spec(obj: Path) -> None:
    c = _add32(obj, "add32_w")
    state, inputs, _ = initial_state(c, lnsym.load.load(obj))
    assert repr(state.x[0]).count("a@hi") == 1 and inputs["a"].width == 32
    zero, _, _ = initial_state(c, lnsym.load.load(obj), unspecified_upper=False)  # lnsym.check.consistency's choice
    assert "a@hi" not in repr(zero.x[0])


@pytest.mark.parametrize(("symbol", "obligation", "shown"), [
    ("clobber_x18", "frame: x18 preserved", "X18 (platform register) not preserved"),
    ("clobber_fpcr", "frame: fpcr restored", "FPCR not restored"),
    ("clobber_tpidr", "frame: tpidr_el0 preserved", "TPIDR_EL0 not preserved"),
])
def test_a_clobbered_platform_or_system_register_is_refuted(obj: Path, symbol: str, obligation: str,
                                                            shown: str) -> None:
    _refuted(verify(_identity(obj, symbol)), obligation, shown)


def test_fpcr_saved_and_restored_is_proved(obj: Path) -> None:
    result = verify(_identity(obj, "keep_fpcr"))
    assert result.verdict == "proved", result.detail
    assert any("FPCR = 0 and FPSR = 0 at entry" in a for a in result.assumptions)


@pytest.mark.parametrize("symbol", ["bump_data", "bump_bss"])
def test_a_write_to_the_images_writable_data_is_refuted(obj: Path, symbol: str) -> None:
    cx = _refuted(verify(_identity(obj, symbol)), "frame: ", "changed (first at")
    # .data and .bss are laid out in the one read-write segment, t.o:data
    assert cx["obligation"] == "frame: t.o:data unchanged", cx["obligation"]


def test_data_overwritten_and_restored_is_proved(obj: Path) -> None:
    result = verify(_identity(obj, "keep_data"))
    assert result.verdict == "proved", result.detail
    assert any(o.name.startswith("frame: ") and o.name.endswith(":data unchanged") for o in result.obligations)


def test_executed_pac_hints_are_listed_as_an_assumption(obj: Path) -> None:
    """PACIASP then AUTIBSP would fault at the return on a CPU with FEAT_PAuth; lnsym runs them as NOPs, so the
    routine is proved -- under an assumption naming both hints it met (documented, never silent)."""
    result = verify(_identity(obj, "pac_mismatch"))
    assert result.verdict == "proved"
    (hints,) = [a for a in result.assumptions if "pointer-authentication" in a]
    assert "PACIASP" in hints and "AUTIBSP" in hints and "BTI" not in hints.split(":", 1)[1]
    plain = verify(_identity(obj, "same"))
    assert plain.verdict == "proved" and not any("pointer-authentication" in a for a in plain.assumptions)


def test_undefined_symbols_and_defines_are_assumptions(obj: Path) -> None:
    image = lnsym.load.load(obj)
    assert image.zero_filled == ["cap"]
    zero = verify(_identity(obj, "armcap"))
    assert zero.verdict == "proved", zero.detail
    assert any(a.startswith("undefined symbol cap: 16 zero bytes") for a in zero.assumptions)
    one = Contract("armcap", str(obj), "armcap", [Scalar("a")], [Return("r")], lambda i: {"r": i["a"] + 1},
                   defines={"cap": 1})
    result = verify(one)
    assert result.verdict == "proved", result.detail
    assert "cap = 0x1 before the call (defines=)" in result.assumptions
    assert not any(a.startswith("undefined symbol") for a in result.assumptions)
    assert verify(replace(one, defines={})).verdict == "refuted"  # the define selects the path: not a no-op


def test_assumptions_are_listed_once_in_order() -> None:
    (c,) = load_contract_file(PROGRAMS / "sha256_blocks_ce.py")
    restated = replace(c, preconditions=["two blocks (n = 2)", "two blocks (n = 2)"])
    result = verify(restated)
    assert result.verdict == "proved"
    assert result.assumptions[0] == "two blocks (n = 2)" and "n = 2" not in result.assumptions
    assert len(result.assumptions) == len(set(result.assumptions))
    assert "n = 2" in verify(c).assumptions  # not restated by a precondition: listed on its own


def test_fixed_data_derived_and_alignment_are_named() -> None:
    (c,) = load_contract_file(PROGRAMS / "ghash_mul_pmull.py")
    h = bytes(range(16))

    def xh(inputs: Inputs) -> list[object]:
        return [BV(8, b) for b in h]

    fixed = replace(c, args=[Buffer("x", 16, writable=True, align=16), Buffer("h", 16, data=h)])
    _, _, assumptions = initial_state(fixed, lnsym.load.load(PROGRAMS / "ghash_mul_pmull.o"))
    assert f"h holds fixed contents (data=): {h.hex()}" in assumptions
    assert "x is 16-byte aligned" in assumptions
    derived = replace(c, args=[Buffer("x", 16, writable=True), Buffer("h", 16, derived=xh)])
    _, _, assumptions = initial_state(derived, lnsym.load.load(PROGRAMS / "ghash_mul_pmull.o"))
    assert any(a.startswith("h holds test_fixed_data_derived_and_alignment_are_named.<locals>.xh(inputs): derived=")
               for a in assumptions), assumptions


# -- in-place calls ----------------------------------------------------------------------------------------------


def _reverse(obj: Path, symbol: str, in_place: bool, out_name: str = "out") -> Contract:
    out = Buffer("out", 16, writable=True, alias_of="in" if in_place else None)
    return Contract(f"{symbol}{'[in-place]' if in_place else ''}", str(obj), symbol, [Buffer("in", 16), out],
                    [BufferOut(out_name, 1)], lambda i: {out_name: i.bytes("in")[::-1]})


def test_a_routine_wrong_only_in_place_is_refuted_in_place(obj: Path) -> None:
    assert verify(_reverse(obj, "reverse16", False)).verdict == "proved"
    result = verify(_reverse(obj, "reverse16", True))
    cx = _refuted(result, "out[", "out[")
    assert cx["replay_lnsym"] == cx["replay_unicorn"]
    assert any("out and in are one buffer (in-place call" in a for a in result.assumptions)
    assert not any("disjoint" in a and "out" in a.split("regions", 1)[-1].split(",") for a in result.assumptions)


@pytest.mark.parametrize("out_name", ["out", "in"])
def test_a_routine_reading_its_block_first_is_proved_in_place(obj: Path, out_name: str) -> None:
    """``BufferOut`` on either name of the pair reads the one shared region."""
    result = verify(_reverse(obj, "reverse16_buffered", True, out_name))
    assert result.verdict == "proved", result.detail
    disjoint = next(a for a in result.assumptions if "pairwise disjoint" in a)
    assert disjoint.endswith("stack, in are pairwise disjoint"), disjoint  # one region for the pair


def test_bundled_aes_is_proved_in_place() -> None:
    (c,) = load_contract_file(PROGRAMS / "aes128_encrypt_ce.py")
    args = [c.args[0], c.args[1], Buffer("out", 16, writable=True, alias_of="in")]
    result = verify(replace(c, name="aes128_encrypt_ce[in-place]", args=args))
    assert result.verdict == "proved", result.detail
    assert any("out and in are one buffer" in a for a in result.assumptions)


def test_openssl_aes_v8_encrypt_is_proved_in_place() -> None:
    """OpenSSL calls its block functions as ``(*block)(out, out, key)`` (crypto/modes)."""
    from openssl_fixture import libcrypto

    from lnsym.contracts.openssl import CONTRACTS

    c = CONTRACTS["aes_v8_encrypt[10]"]
    src, _, key = c.args
    args = [src, Buffer("out", 16, writable=True, alias_of="in"), key]
    result = verify(replace(c, name="aes_v8_encrypt[10, in-place]", object=str(libcrypto()), args=args))
    assert result.verdict == "proved", result.detail


def test_a_spec_cannot_see_the_upper_bits_of_a_fixed_narrow_scalar(obj: Path) -> None:
    """A fixed 32-bit value (``Scalar("b", 32, value=3)``) still has unspecified upper bits in X1."""
    c = Contract("add32_x", str(obj), "add32_x", [Scalar("a", 32), Scalar("b", 32, value=3)], [Return("r")],
                 lambda i: {"r": concat(BV(32, 0), i["a"]) + 3})
    cx = _refuted(verify(c), "return r", "r[0]: expected")
    assert "b = 3" in verify(c).assumptions and cx["inputs"]["b"] == 3  # type: ignore[index]
