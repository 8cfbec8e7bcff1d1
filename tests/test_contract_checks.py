"""Contracts are checked before any proof (issue 17 item 1): field types, unique names, outputs naming
writable buffers, and the spec evaluated once on random concrete inputs must give every declared output in
exactly its declared shape.  A spec covering one word of an 8-word state would otherwise be proved for the
word it covers: that is rejected, and a deliberately partial output must say so (``BufferOut`` offset/count),
which the result then lists."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bitvec import BV
from crypto_specs.sha2 import sha256_compress
from lnsym.contract import (
    Buffer,
    BufferOut,
    Contract,
    Inputs,
    Return,
    Scalar,
    check_contract,
    load_contract_file,
)
from lnsym.errors import LnsymError
from lnsym.prove.prover import verify

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
FILES = sorted(p for p in [*PROGRAMS.glob("*.py"), *(PROGRAMS / "buggy").glob("*.py")] if not p.name.startswith("_"))


def _sha256() -> Contract:
    (c,) = load_contract_file(PROGRAMS / "sha256_block_ce.py")
    return c


def _state(inputs: Inputs) -> list[object]:
    return sha256_compress(inputs.words("state", 4), inputs.words("block", 4, "big"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_bundled_contract_passes(path: Path) -> None:
    for c in load_contract_file(path):
        check_contract(c)


def test_every_built_in_openssl_contract_passes() -> None:
    from lnsym.contracts.openssl import CONTRACTS

    for c in CONTRACTS.values():
        check_contract(c)


def _rejects(contract: Contract, *fragments: str) -> str:
    with pytest.raises(LnsymError) as info:
        check_contract(contract)
    text = str(info.value)
    assert "\n" not in text and text.startswith(f"{PROGRAMS / 'sha256_block_ce.py'}: sha256_block_ce: "), text
    for fragment in fragments:
        assert fragment in text, text
    return text


def test_a_string_size_names_the_file_the_field_and_what_was_expected() -> None:
    bad = replace(_sha256(), args=[Buffer("state", 32, writable=True), Buffer("data", "64")])  # type: ignore
    _rejects(bad, "argument 1 Buffer('data') size", "expected a positive int (bytes)", "got str '64'")


@pytest.mark.parametrize(("spec", "got"), [
    (lambda i: {"state": _state(i)[:1]}, "got 1 value(s)"),
    (lambda i: {"state": []}, "got 0 value(s)"),
    (lambda i: {"state": _state(i) + _state(i)}, "got 16 value(s)"),
    (lambda i: {"state": [w.zext(64) for w in _state(i)]}, "got value 0 of width 64"),
])
def test_a_spec_giving_the_wrong_number_or_width_of_words_is_rejected(spec: object, got: str) -> None:
    text = _rejects(replace(_sha256(), spec=spec), "spec output 'state'",  # type: ignore[arg-type]
                    "expected 8 value(s) of 32 bits (BufferOut element 4)", got)
    assert text.endswith(got)


def test_a_partial_spec_was_proved_before_and_is_now_an_error() -> None:
    """The audit's false claim: one word of eight 'proves' SHA-256.  verify() now refuses before running."""
    result = None
    with pytest.raises(LnsymError, match="expected 8 value"):
        result = verify(replace(_sha256(), spec=lambda i: {"state": _state(i)[:1]}))
    assert result is None


def test_extra_and_missing_outputs_are_rejected() -> None:
    _rejects(replace(_sha256(), spec=lambda i: {"state": _state(i), "x": BV(32, 0)}),
             "expected only the declared outputs (state), got also x")
    _rejects(replace(_sha256(), spec=lambda i: {}), "spec output 'state'", "got only nothing")
    _rejects(replace(_sha256(), spec=lambda i: _state(i)), "spec: expected a dict")  # type: ignore[arg-type]


def test_names_aliases_and_outputs_are_checked() -> None:
    c = _sha256()
    state, block = c.args
    _rejects(replace(c, args=[state, Buffer("state", 64)]), "input 'state'", "a name no other argument or ghost has")
    _rejects(replace(c, ghosts=[Scalar("block", 8)]), "input 'block'")
    _rejects(replace(c, outputs=[BufferOut("block", 4)]), "BufferOut('block')", "a writable buffer")
    _rejects(replace(c, outputs=[BufferOut("nope", 4)]), "BufferOut('nope')", "a buffer argument (state, block)")
    _rejects(replace(c, outputs=[BufferOut("state", 3)]), "BufferOut('state') element", "a divisor")
    _rejects(replace(c, outputs=[BufferOut("state", 4), BufferOut("state", 4)]), "one output per name")
    _rejects(replace(c, outputs=[]), "outputs", "a non-empty list")
    _rejects(replace(c, outputs=[Return("r", 65)]), "Return('r') width", "1..64")
    _rejects(replace(c, args=[state, Buffer("block", 64, alias_of="nothing")]), "alias_of", "another buffer")
    _rejects(replace(c, args=[state, Buffer("block", 64, alias_of="state")]), "size",
             "the size of the buffer it aliases (32 bytes)")
    _rejects(replace(c, args=[state, Buffer("block", 32, alias_of="state", data=bytes(32))]), "alias_of",
             "no data/derived/fixed of its own")
    _rejects(replace(c, args=[state, block, Scalar("n", 32, value=1 << 32)]), "Scalar('n') value")
    _rejects(replace(c, args=[state, Buffer("block", 64, fixed=((60, bytes(8)),))]), "fixed", "inside the 64 bytes")
    _rejects(replace(c, args=[state, Buffer("block", 64, align=3)]), "align", "a power of two")
    _rejects(replace(c, args=[*c.args, 7]), "args[2]", "a Scalar or a Buffer")  # type: ignore[list-item]


def test_a_return_must_have_its_declared_width() -> None:
    (c,) = load_contract_file(PROGRAMS / "crc32c.py")
    with pytest.raises(LnsymError, match=r"spec output 'crc': expected one 32-bit value .*got width 64"):
        check_contract(replace(c, spec=lambda i: {"crc": i["crc"].zext(64)}))
    check_contract(replace(c, spec=lambda i: {"crc": 5}))  # an int that fits is a constant of that width


def test_a_deliberately_partial_output_says_so_and_is_listed() -> None:
    """``BufferOut(offset=, count=)`` states a partial comparison explicitly; the result lists it."""
    c = replace(_sha256(), outputs=[BufferOut("state", 4, offset=8, count=4)],
                spec=lambda i: {"state": _state(i)[2:6]})
    check_contract(c)
    result = verify(c)
    assert result.verdict == "proved", result.detail
    assert [o.name for o in result.obligations if not o.name.startswith("frame")] == [f"state[{k}]" for k in range(4)]
    assert "only bytes [8, 24) of state are compared (BufferOut offset/count; the rest of its 32 bytes is not " \
           "checked)" in result.assumptions
    shifted = replace(c, spec=lambda i: {"state": _state(i)[3:7]})  # the wrong words at that offset: refuted
    assert verify(shifted).verdict == "refuted"


def test_the_cli_reports_a_bad_contract_in_one_line_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from crypto_specs.sha2 import sha256_compress\n"
        "from lnsym.contract import Buffer, BufferOut, Contract\n"
        f"CONTRACT = Contract(name='short', object={str(PROGRAMS / 'sha256_block_ce.o')!r}, symbol='sha256_block_ce',\n"
        "    args=[Buffer('state', 32, writable=True), Buffer('block', 64)], outputs=[BufferOut('state', 4)],\n"
        "    spec=lambda i: {'state': sha256_compress(i.words('state', 4), i.words('block', 4, 'big'))[:1]})\n")
    done = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify", str(bad)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = [line for line in done.stdout.splitlines() if str(bad) in line]
    assert lines == [f"  {bad}: short: spec output 'state': expected 8 value(s) of 32 bits (BufferOut element 4), "
                     "got 1 value(s)"], done.stdout
    assert "Traceback" not in done.stderr


# -- fuzz: random contract files and verify options ------------------------------------------------------

FUZZ_SOURCE = """
    .text
    .globl same, copy16
same:   ret
copy16: ldr q0, [x0]
        str q0, [x1]
        ret
"""
_ARGS = ["Scalar('a')", "Scalar('a', 32)", "Scalar('a', 0)", "Scalar('a', 65)", "Scalar('a', 'x')",
         "Scalar('a', value=-1)", "Scalar('a', value=3)", "Scalar(1)", "None", "'a'", "Buffer('src', 16)",
         "Buffer('src', '16')", "Buffer('src', -1)", "Buffer('src', 0)", "Buffer('src', 16.5)",
         "Buffer('dst', 16, writable=True)", "Buffer('dst', 16, writable=True, align=3)",
         "Buffer('dst', 16, writable=True, alias_of='src')", "Buffer('dst', 16, alias_of='nope')",
         "Buffer('src', 16, data=b'x')", "Buffer('src', 16, data=bytes(16))"]
_OUTS = ["Return('a')", "Return('a', 7)", "Return('a', 128)", "Return('r')", "BufferOut('dst', 1)",
         "BufferOut('dst', 3)", "BufferOut('dst', element=8)", "BufferOut('zz', 1)", "BufferOut('src', 1)",
         "BufferOut('dst', 1, offset=20, count=1)", "BufferOut('dst', 1, offset=0, count=8)", "3"]
_SPECS = ["lambda i: {'a': i['a']}", "lambda i: {}", "lambda i: {'a': 1}", "lambda i: None", "lambda i: 1 / 0",
          "lambda i: {'a': i['nope']}", "lambda i: {'dst': i.bytes('src')}", "lambda i: {'dst': i.bytes('src')[:1]}",
          "lambda i: {'a': i['a'], 'x': i['a']}", "3", "lambda i: {'dst': i.words('src', 3)}",
          "lambda i: {'dst': i.words('src', 8)}", "lambda i: {'a': BV(64, 5)}", "lambda: {}",
          "lambda i: {'a': i['a'], 'dst': i.bytes('src')}"]
_FILES = ["", "CONTRACT = 3\n", "CONTRACTS = []\n", "def (:\n", "raise RuntimeError('at import')\n",
          "import no_such_module_here\n", "CONTRACTS = [CONTRACT, CONTRACT]\n"]


def _fuzz_contract(rng: random.Random, folder: Path, k: int) -> Path:
    pick = rng.choice
    fields = {  # a well-formed contract (true or false), then some fields drawn at random
        "symbol": "'same'", "object": "'fuzz.o'", "args": "Scalar('a')", "outputs": "Return('a')",
        "spec": pick(["lambda i: {'a': i['a']}", "lambda i: {'a': i['a'] + 1}"]), "extra": ""}
    if rng.random() < 0.5:
        fields.update(symbol="'copy16'", args="Buffer('src', 16), Buffer('dst', 16, writable=True)",
                      outputs="BufferOut('dst', 1)", spec="lambda i: {'dst': i.bytes('src')}")
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        name = pick(list(fields))
        fields[name] = {
            "symbol": lambda: pick(["'same'", "'copy16'", "'nosuch'", "''", "3"]),
            "object": lambda: pick(["'missing.o'", "'junk.bin'", "5"]),
            "args": lambda: ", ".join(pick(_ARGS) for _ in range(rng.randint(0, 3))),
            "outputs": lambda: ", ".join(pick(_OUTS) for _ in range(rng.randint(0, 2))),
            "spec": lambda: pick(_SPECS),
            "extra": lambda: pick([", preconditions=['num = 1']", ", defines={'x': 'y'}", ", defines={'nosym': 1}",
                                   ", defines=3"]),
        }[name]()
    text = ("from bitvec import BV\nfrom lnsym.contract import Buffer, BufferOut, Contract, Return, Scalar\n"
            f"CONTRACT = Contract(name='fuzz{k}', object={fields['object']}, symbol={fields['symbol']}, "
            f"args=[{fields['args']}], outputs=[{fields['outputs']}], spec={fields['spec']}{fields['extra']})\n")
    if rng.random() < 0.15:
        text += pick(_FILES)
    path = folder / f"c{k}.py"
    path.write_text(text)
    return path


def test_fuzzed_contract_files_and_options_never_give_a_traceback(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Random contract files (bad field types and values, wrong spec shapes, specs that raise, broken files,
    missing objects and symbols) and random ``verify`` option values: every run ends 0, 1 or 2 with no
    traceback and no internal error; every exit 2 says what is wrong."""
    from asm_tools import assemble

    from lnsym.cli.main import main

    assemble(tmp_path, FUZZ_SOURCE, "fuzz.o")
    (tmp_path / "junk.bin").write_bytes(bytes(range(256)))
    rng = random.Random(int(os.environ.get("LNSYM_FUZZ_SEED", "17")))
    codes: dict[int, int] = {}
    for k in range(int(os.environ.get("LNSYM_FUZZ_CASES", "150"))):
        argv = ["verify", str(_fuzz_contract(rng, tmp_path, k))]
        if rng.random() < 0.3:
            argv += ["--timeout", rng.choice(["5", "nan", "inf", "-1", "0", "x", "1e9"])]
        if rng.random() < 0.3:
            argv += ["--budget", rng.choice(["30", "nan", "0", "-5", "y"])]
        if rng.random() < 0.2:
            argv += ["--smt-out", str(tmp_path / rng.choice(["out", "junk.bin", "c0.py"])), "--force"]
        if rng.random() < 0.2:
            argv += ["--jobs", rng.choice(["1", "0", "-1", "z"])]
        if rng.random() < 0.5:
            argv.append("--json")
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err and "internal error" not in out + err, (argv, out[-600:], err[-600:])
        assert code in (0, 1, 2), (argv, code)
        if code == 2:
            assert "error" in (out + err).lower(), (argv, out[-600:], err[-600:])
        codes[code] = codes.get(code, 0) + 1
    assert min(codes.get(0, 0), codes.get(1, 0)) >= 3 and codes.get(2, 0) >= 50, codes  # every outcome is reached
    print(f"contract fuzz exit codes: {sorted(codes.items())}")
