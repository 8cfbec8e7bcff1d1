"""The audit's false claims, end to end through the CLI (issue 21): each must be REFUTED, never PROVED.

Every case is a routine assembled with the GNU cross assembler, a contract *file* whose claim is false on
hardware, and a run of ``lnsym verify FILE --json`` in a fresh process, as a user would run it.  The verdict
must be ``refuted`` with exit 1, and the counterexample must replay the wrong output on lnsym's concrete
machine and on Unicorn.  Each kind has a true twin that must stay PROVED (exit 0), so that a check that
refuted everything would fail here too.  One case per kind of the audit:

1. symbolic out-of-bounds store and load (an 8-byte access into a 4-byte buffer at a symbolic offset);
2. exclusives: the store-exclusive's address the same as the load-exclusive's but another term, and an
   atomic increment without a retry loop (a spurious failure is an outcome);
3. ``asr`` by the width or more in the spec (the sign mask, not 0);
4. ABI and frame: a store into the caller's frame, SP misaligned at an access, a 32-bit argument used
   without zero-extension, X18 clobbered, a write to ``.data``;
5. assumptions shown with the verdict: a ``defines`` entry, an undefined symbol, PAC hints;
6. recheck bookkeeping: a second solver answering ``sat`` turns PROVED into an error (exit 2);
7. a rare-input bug (one magic plaintext word) planted in the bundled AES routine.

The finer-grained suites (every width and offset, every term operator at small widths, every rare-input
site, the in-process API) are ``test_soundness_memory.py``, ``test_soundness_terms.py``,
``test_soundness_abi.py``, ``test_soundness_rare.py`` and ``test_verify_hygiene.py``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from asm_tools import assemble

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"

SOURCE = """
    .text
    .globl oob_store, oob_load, inb_store, excl_alias, excl_inc, excl_retry, ret_zero, asr_sign
    .globl store_caller, read_caller, sp_misaligned, sp_aligned, add32_x, add32_w, clobber_x18, keep_x18
    .globl bump_data, armcap, pac_pair
oob_store:              // *(u64 *)(out + (i & 3)) = v: always past a 4-byte buffer
    and x2, x2, #3
    str x1, [x0, x2]
    ret
oob_load:               // return the low byte of *(u64 *)(in + (i & 3)): always past a 4-byte buffer
    and x1, x1, #3
    ldr x0, [x0, x1]
    and x0, x0, #0xff
    ret
inb_store:              // *(u32 *)(out + 4 * (i & 1)) = v: inside an 8-byte buffer
    and x2, x2, #1
    str w1, [x0, x2, lsl #2]
    ret
excl_alias:             // the store-exclusive's address is (x0 + x1) - x1: the same as the load's
    ldxr x2, [x0]
    add x3, x0, x1
    sub x3, x3, x1
    stxr w4, x2, [x3]
    mov w0, w4
    ret
excl_inc:               // atomic increment with no retry loop: wrong when the store-exclusive fails
    ldxr x1, [x0]
    add x1, x1, #1
    stxr w2, x1, [x0]
    ret
ret_zero:
    mov w0, wzr
    ret
asr_sign:               // the sign mask of a 32-bit value
    asr w0, w0, #31
    ret
store_caller:           // r = a, but stores into the caller's frame
    str x0, [sp, #8]
    ret
read_caller:            // reads the caller's frame (stack arguments are readable)
    ldr x1, [sp, #16]
    ret
sp_misaligned:          // r = a through a stack slot at SP - 8 (SIGBUS on Linux: SCTLR_EL1.SA0)
    sub sp, sp, #8
    str x0, [sp]
    ldr x0, [sp]
    add sp, sp, #8
    ret
sp_aligned:
    sub sp, sp, #16
    str x0, [sp]
    ldr x0, [sp]
    add sp, sp, #16
    ret
add32_x:                // a + b for two 32-bit arguments, using all of X0 and X1
    add x0, x0, x1
    ret
add32_w:
    mov w0, w0
    add x0, x0, w1, uxtw
    ret
clobber_x18:
    mov x18, #1
    ret
keep_x18:
    mov x2, x18
    mov x18, #1
    mov x18, x2
    ret
bump_data:              // r = a; counter += 1
    adrp x1, counter
    add x1, x1, :lo12:counter
    ldr x2, [x1]
    add x2, x2, #1
    str x2, [x1]
    ret
armcap:                 // r = a + 1 when cap (an undefined symbol) is non-zero, else a
    adrp x1, cap
    ldr w1, [x1, :lo12:cap]
    cbz w1, 1f
    add x0, x0, #1
1:  ret
pac_pair:               // PACIASP ... AUTIASP around r = a
    hint #25
    hint #29
    ret
    .data
    .balign 8
counter: .quad 7
"""

HEADER = """
from bitvec import BV, ite
from lnsym.contract import Buffer, BufferOut, Contract, Return, Scalar
"""

# name -> (symbol, args, outputs, spec body over ``i``, extra Contract keywords)
CASES: dict[str, tuple[str, str, str, str, str]] = {
    # 1. memory bounds
    "oob_store": ("oob_store", "[Buffer('out', 4, writable=True), Scalar('v'), Scalar('i')]",
                  "[BufferOut('out', element=1)]", "{'out': i.bytes('out')}", ""),
    "oob_load": ("oob_load", "[Buffer('inp', 4), Scalar('i')]", "[Return('r')]",
                 "{'r': i.bytes('inp')[0].zext(64)}", ""),
    "inb_store": ("inb_store", "[Buffer('out', 8, writable=True), Scalar('v'), Scalar('i')]",
                  "[BufferOut('out', element=4)]",
                  "{'out': [ite((i['i'] & 1).eq(k), i['v'][31:0], w) for k, w in enumerate(i.words('out', 4))]}",
                  ""),
    # 2. exclusives
    "excl_alias": ("excl_alias", "[Buffer('p', 8, writable=True, align=8), Scalar('k')]", "[Return('r', 32)]",
                   "{'r': BV(32, 1)}", ""),
    "excl_alias_succeeds": ("excl_alias", "[Buffer('p', 8, writable=True, align=8), Scalar('k')]", "[Return('r', 32)]",
                            "{'r': BV(32, 0)}", ""),
    "excl_inc": ("excl_inc", "[Buffer('p', 8, writable=True, align=8)]", "[BufferOut('p', element=8)]",
                 "{'p': [i.words('p', 8)[0] + BV(64, 1)]}", ""),
    # 3. shifts by the width or more
    "asr_zero": ("ret_zero", "[Scalar('a', 32)]", "[Return('r', 32)]", "{'r': i['a'].asr(32)}", ""),
    "asr_sign": ("asr_sign", "[Scalar('a', 32)]", "[Return('r', 32)]", "{'r': i['a'].asr(32)}", ""),
    # 4. ABI and frame
    "store_caller": ("store_caller", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "read_caller": ("read_caller", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "sp_misaligned": ("sp_misaligned", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "sp_aligned": ("sp_aligned", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "add32_x": ("add32_x", "[Scalar('a', 32), Scalar('b', 32)]", "[Return('r')]",
                "{'r': i['a'].zext(64) + i['b'].zext(64)}", ""),
    "add32_w": ("add32_w", "[Scalar('a', 32), Scalar('b', 32)]", "[Return('r')]",
                "{'r': i['a'].zext(64) + i['b'].zext(64)}", ""),
    "clobber_x18": ("clobber_x18", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "keep_x18": ("keep_x18", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "bump_data": ("bump_data", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    # 5. assumptions
    "armcap_defined": ("armcap", "[Scalar('a')]", "[Return('r')]", "{'r': i['a'] + BV(64, 1)}",
                       ", defines={'cap': 1}"),
    "armcap_undefined": ("armcap", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
    "pac_pair": ("pac_pair", "[Scalar('a')]", "[Return('r')]", "{'r': i['a']}", ""),
}

REFUTED = {  # case -> the obligation the counterexample is about (a prefix)
    "oob_store": "memory", "oob_load": "memory", "excl_alias": "return r", "excl_alias_succeeds": "return r",
    "excl_inc": "p", "asr_zero": "return r", "store_caller": "frame", "sp_misaligned": "",
    "add32_x": "return r", "clobber_x18": "frame: x18", "bump_data": "frame",
}
PROVED = ("inb_store", "asr_sign", "read_caller", "sp_aligned", "add32_w", "keep_x18", "armcap_defined",
          "armcap_undefined", "pac_pair")


def _write_contract(folder: Path, case: str) -> Path:
    symbol, args, outputs, spec, extra = CASES[case]
    path = folder / f"{case}.py"
    path.write_text(f"{HEADER}\n\ndef spec(i):\n    return {spec}\n\n\n"
                    f"CONTRACT = Contract(name={case!r}, object='planted.o', symbol={symbol!r}, args={args}, "
                    f"outputs={outputs}, spec=spec{extra})\n")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("soundness")
    assemble(where, SOURCE, "planted.o")
    return where


def _lnsym(*args: str, cwd: Path) -> tuple[int, list[dict[str, object]], str]:
    """Run ``lnsym ARGS --json`` in a fresh process: exit code, the JSON results, stderr."""
    exe = shutil.which("lnsym")
    cmd = [exe] if exe else [sys.executable, "-c", "import sys; from lnsym.cli.main import main; sys.exit(main())"]
    proc = subprocess.run([*cmd, *args, "--json"], cwd=cwd, capture_output=True, text=True, timeout=600,
                          check=False)
    try:
        results = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        pytest.fail(f"not JSON (exit {proc.returncode}): {proc.stdout[:500]} {proc.stderr[-500:]}")
    return proc.returncode, results, proc.stderr


@pytest.mark.parametrize("case", sorted(REFUTED))
def test_a_planted_false_claim_is_refuted_by_the_cli(folder: Path, case: str) -> None:
    code, results, err = _lnsym("verify", str(_write_contract(folder, case)), "--timeout", "30", cwd=folder)
    (result,) = results
    assert (code, result["verdict"]) == (1, "refuted"), (code, result.get("detail"), err[-400:])
    cx = result["counterexample"]
    assert isinstance(cx, dict)
    assert str(cx["obligation"]).startswith(REFUTED[case]), cx["obligation"]
    assert cx["replays"] is True, cx
    for machine in ("replay_lnsym", "replay_unicorn"):
        assert cx[machine], (machine, cx)


@pytest.mark.parametrize("case", PROVED)
def test_the_true_twin_is_proved_by_the_cli(folder: Path, case: str) -> None:
    code, results, err = _lnsym("verify", str(_write_contract(folder, case)), "--timeout", "30", cwd=folder)
    (result,) = results
    assert (code, result["verdict"]) == (0, "proved"), (code, result.get("detail"), err[-400:])


@pytest.mark.parametrize(("case", "listed"), [
    ("armcap_defined", "cap = 0x1"),
    ("armcap_undefined", "cap"),
    ("pac_pair", "PAC"),
])
def test_what_a_proof_rests_on_is_listed_with_the_verdict(folder: Path, case: str, listed: str) -> None:
    """The selected path (a define), a zero-filled undefined symbol and executed PAC hints are assumptions."""
    code, results, _ = _lnsym("verify", str(_write_contract(folder, case)), cwd=folder)
    assumptions = results[0]["assumptions"]
    assert code == 0 and isinstance(assumptions, list)
    assert any(listed in str(a) for a in assumptions), assumptions


def test_a_second_solver_disagreeing_makes_the_verdict_an_error(folder: Path) -> None:
    """Item 6: an exported obligation replaced by one that is ``sat`` after the proof: ``--recheck`` must
    turn PROVED into an error (exit 2) naming the file; a run that rechecks honest files stays exit 0."""
    pytest.importorskip("bitwuzla")
    contract = PROGRAMS / "crc32c.py"  # its result is a GF(2) obligation, exported as SMT-LIB2
    code, results, _ = _lnsym("verify", str(contract), "--smt-out", str(folder / "smt_ok"), "--recheck",
                              "bitwuzla", cwd=folder)
    assert code == 0 and results[0]["verdict"] == "proved"
    rechecked = [o for o in results[0]["obligations"] if o["recheck"]]  # type: ignore[union-attr]
    assert rechecked and all(o["recheck"] == "bitwuzla:unsat" for o in rechecked)
    assert all(Path(str(o["smt_file"])).exists() for o in rechecked)
    # a wrapper that corrupts each export right after it is written, before the second solver reads it
    wrapper = folder / "tamper.py"
    wrapper.write_text(
        "import sys\nfrom pathlib import Path\nimport lnsym.cli.verify as v\nfrom lnsym.cli.main import main\n"
        "real = v.recheck_result\n"
        "def tampered(r, options, files):\n"
        "    for f in files:\n"
        "        if f.suffix == '.smt2':\n"
        "            f.write_text('(set-logic QF_BV)\\n(declare-const x (_ BitVec 8))\\n'\n"
        "                         '(assert (= x #x01))\\n(check-sat)\\n')\n"
        "    return real(r, options, files)\n"
        "v.recheck_result = tampered\n"
        "sys.exit(main())\n")
    proc = subprocess.run([sys.executable, str(wrapper), "verify", str(contract), "--smt-out",
                           str(folder / "smt_bad"), "--recheck", "bitwuzla", "--json"], cwd=folder,
                          capture_output=True, text=True, timeout=600, check=False)
    (result,) = json.loads(proc.stdout)
    assert (proc.returncode, result["verdict"]) == (2, "error"), (proc.returncode, result["detail"])
    assert "sat" in result["detail"] and ".smt2" in result["detail"], result["detail"]


def test_a_rare_input_bug_in_bundled_aes_is_refuted_by_the_cli(tmp_path: Path) -> None:
    """Item 7: AES-128 that flips state bytes only when the plaintext's first 8 bytes are one magic value
    (random simulation never draws it; the whole obligation is ten AES rounds)."""
    source = (PROGRAMS / "aes128_encrypt_ce.S").read_text()
    anchor = "    ld1     {v24.16b, v25.16b, v26.16b}, [x0]\n"
    plant = (anchor + "    umov    x9, v0.d[0]\n    movz    x10, #0x5a17\n    movk    x10, #0xc0de, lsl #32\n"
             "    cmp     x9, x10\n    b.ne    1f\n    movi    v31.2d, #0x00ff0000000000ff\n"
             "    eor     v0.16b, v0.16b, v31.16b\n1:\n")
    assert source.count(anchor) == 1
    assemble(tmp_path, source.replace(anchor, plant), "aes_rare.o")
    contract = tmp_path / "aes_rare.py"
    contract.write_text(f"import sys\nsys.path.insert(0, {str(PROGRAMS)!r})\n"
                        "from aes128_encrypt_ce import contract\n"
                        "CONTRACT = contract('aes_rare', 'aes_rare.o')\n")
    code, results, err = _lnsym("verify", str(contract), "--timeout", "30", cwd=tmp_path)
    (result,) = results
    assert (code, result["verdict"]) == (1, "refuted"), (code, result.get("detail"), err[-400:])
    cx = result["counterexample"]
    assert isinstance(cx, dict) and cx["replays"] is True, cx
