"""One command-line convention for every ``lnsym`` subcommand: exit 0 ok, 1 refuted or mismatch, 2 usage or
input error (one line on stderr, no traceback), 130 interrupted; stated in every ``--help``; ``--version``.
Also the built-in registry's names (a bare name stands for every variant; the JSON name can be passed back)
and ``--object`` with a plain ELF object in place of an archive member."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from asm_tools import assemble, run, tool

from lnsym.cli.main import build_parser, main

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
NON_VERIFY = ("isa", "decode", "conform", "mutate", "bench", "disasm", "coverage", "run", "fetch", "survey")

SOURCE = """
    .text
    .globl f, g
    .type f, %function
f:  add x0, x0, #1
    ret
    .size f, .-f
    .type g, %function
g:  mov x19, #5
    ret
    .size g, .-g
"""


@pytest.fixture(scope="module")
def obj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return assemble(tmp_path_factory.mktemp("conv"), SOURCE)


def _exit(argv: list[str]) -> int:
    """``main(argv)``, with argparse's own exits (usage errors, --help, --version) as their status."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"lnsym {version('lnsym')}"


def test_every_help_states_the_exit_convention() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "verify" in a.choices)  # type: ignore[operator]
    commands = dict(subparsers.choices)  # type: ignore[arg-type]
    assert set(NON_VERIFY) | {"verify"} <= set(commands)
    for text in [parser.format_help(), *(p.format_help() for p in commands.values())]:
        status = text[text.index("exit status:"):]
        for code in ("0", "1", "2", "130"):
            assert f"\n  {code} " in status, status
        assert "usage or input error" in status and "interrupted" in status
    assert "refuted" in commands["verify"].format_help().split("exit status:")[1]
    assert "unsupported" in commands["decode"].format_help().split("exit status:")[1]


@pytest.mark.parametrize(
    "argv",
    [
        ["decode", "0x8b02002z"],
        ["decode", "0x1ffffffff"],
        ["disasm", "/nonexistent.o"],
        ["coverage", "/nonexistent.o"],
        ["coverage", "{obj}", "--limit", "-1"],
        ["run", "{obj}", "--symbol", "nope"],
        ["run", "{obj}", "--symbol", "f", "--arg", "@zz"],
        ["run", "{obj}", "--symbol", "f", "--max-steps", "0"],
        ["conform", "unicorn", "--match", "no-such-encoding"],
        ["conform", "replay", "/nonexistent/trace.jsonl"],
        ["conform", "replay", "{obj}"],
        ["conform", "generate", "--forms", "NO_SUCH_*", "--out", "/tmp/lnsym-never-written"],
        ["conform", "decode", "--corpus", "/nonexistent.o"],
        ["bench", "--instructions", "0"],
        ["mutate", "/nonexistent/contract.py"],
        ["verify", "/nonexistent/contract.py"],
        ["verify", "openssl:aes_v8_encrpyt"],
        ["verify", "--jobs", "0", str(PROGRAMS / "crc32c.py")],
        ["verify", str(PROGRAMS / "crc32c.py"), "--report", "/nonexistent/dir/r.html"],
        ["survey", "/nonexistent.o"],
        ["survey", "{obj}", "--jobs", "0"],
        ["survey", "{obj}", "--report", "/nonexistent/dir/r.html"],
    ],
)
def test_input_errors_exit_2_with_one_line(obj: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit([a.replace("{obj}", str(obj)) for a in argv]) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if "error" in line]  # verify's progress lines may precede it
    assert errors == [err.splitlines()[-1]] and errors[0].startswith("lnsym: error: "), err
    assert "Traceback" not in err


@pytest.mark.parametrize("argv", [[], ["nosuchcommand"], ["isa", "--bogus"], ["fetch", "everything"],
                                  ["decode"], ["conform", "unicorn", "--cases", "many"], ["conform"],
                                  ["conform", "replay"], ["run", "x.o"]])
def test_usage_errors_exit_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("lnsym") and ": error: " in err and err.count("\n") == 1, err


def test_unknown_builtin_name_lists_close_matches(capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit(["verify", "openssl:aes_v8_encrpyt"]) == 2
    err = capsys.readouterr().err
    assert "did you mean openssl:aes_v8_encrypt" in err and err.count("\n") == 1
    assert _exit(["verify", "openssl:aes_v8_encrypt[11]"]) == 2
    assert "openssl:aes_v8_encrypt[10], openssl:aes_v8_encrypt[12], openssl:aes_v8_encrypt[14]" in \
        capsys.readouterr().err


def test_run_exit_1_when_the_call_breaks_the_pcs(obj: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(obj), "--symbol", "f", "--arg", "41"]) == 0
    assert "X0 = 0x2a" in capsys.readouterr().out
    assert main(["run", str(obj), "--symbol", "g"]) == 1  # X19 is callee-saved: a mismatch, not bad input
    assert "X19 is callee-saved" in capsys.readouterr().out


def test_keyboard_interrupt_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import lnsym.cli.main

    def interrupted(_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(lnsym.cli.main, "_cmd_isa", interrupted)
    assert main(["isa"]) == 130
    assert capsys.readouterr().err == "lnsym: interrupted\n"


def test_sigint_on_a_real_process_exits_130_without_traceback() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "lnsym.cli.main", "conform", "unicorn", "--cases", "100000"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # past the imports, inside the campaign
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err == "lnsym: interrupted\n", err


def test_internal_errors_keep_the_convention(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A bug shows its traceback but still exits 2: an uncaught exception's 1 would read as "refuted"."""
    import lnsym.cli.main

    def broken(_: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(lnsym.cli.main, "_cmd_isa", broken)
    assert main(["isa"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1] == "lnsym: error: internal error: ZeroDivisionError: boom"


# -- fuzz: random argument values for the subcommands that are not verify ---------------------------------

_INTS = ["0", "1", "-1", "7", "0x10", "1_000", "99999999999999999999", "1e3", "", "x", "0b102", "٣", "--"]
_TEXT = ["f", "g", "nope", "", " ", "t.o", "../..", "\x00", "é", "a" * 300, "-x", "@", "=", "%s", "{}", "[1]"]


def _fuzz_args(rng: random.Random, files: list[str], tmp: Path) -> list[str]:
    def pick(xs: list[str]) -> str:
        return rng.choice(xs)

    def hexword() -> str:
        alphabet = "0123456789abcdefABCDEF" if rng.random() < 0.7 else "0123456789abcdefABCDEFxg_- "
        digits = "".join(rng.choice(alphabet) for _ in range(rng.randint(0 if rng.random() < 0.1 else 1, 10)))
        return rng.choice(["", "0x", "0X"]) + digits

    command = rng.choice(["isa", "decode", "conform", "mutate", "bench", "disasm", "coverage", "run", "fetch"])
    argv = [command]
    if command == "isa":
        argv += rng.sample(["--json", "--bogus", "x"], rng.randint(0, 1))
    elif command == "decode":
        argv += [hexword() if rng.random() < 0.8 else pick(_INTS + _TEXT) for _ in range(rng.randint(0, 4))]
    elif command == "conform":
        argv += ["unicorn", "--match",
                 pick(["ADD_64_addsub_imm", "zzz", "", "CRC32"]) if rng.random() < 0.3 else "nomatch",
                 "--cases", pick(["0", "1", "-3", "x"]), "--seed", pick(_INTS)]
    elif command == "mutate":
        argv += [pick(["openssl:nope", "openssl:", str(tmp / "empty"), "/nonexistent.py", str(tmp / "junk.bin")]),
                 "--count", pick(["0", "-1", "x", "1"]), "--trials", pick(["0", "x"])]
    elif command == "bench":
        argv += ["--instructions", pick(["0", "-5", "x", "1e9"])]
    elif command == "fetch":
        argv += [pick(["openssl", "x", ""])] if rng.random() < 0.3 else [pick(["x", ""])]
    else:
        argv += [pick(files) for _ in range(rng.randint(0, 2 if command == "coverage" else 1))]
        if rng.random() < 0.5:
            argv += ["--symbol", pick(_TEXT)]
        if rng.random() < 0.3:
            argv += ["--member", pick(_TEXT)]
        if command == "coverage" and rng.random() < 0.5:
            argv += ["--limit", pick(_INTS), *rng.sample(["--json", "--summary"], rng.randint(0, 2))]
        if command == "run":
            for _ in range(rng.randint(0, 3)):
                argv += ["--arg", pick([*_INTS, "@", "@zz", "@00ff", "@zeros:", "@zeros:-1", "@zeros:16",
                                           "@zeros:999999999999", "@zeros:0x20"])]
            for _ in range(rng.randint(0, 2)):
                argv += ["--define", pick(["=", "X=1", "X=@00", "x", "=1", "OPENSSL_armcap_P=0", "Y=@zz", "Z=q"])]
            if rng.random() < 0.5:
                argv += ["--max-steps", pick(_INTS)]
            if rng.random() < 0.3:
                argv += ["--seed", pick(_INTS), "--json"]
    return argv


def test_fuzzed_arguments_never_give_a_traceback(obj: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = obj.read_bytes()
    (tmp_path / "empty").mkdir()
    (tmp_path / "junk.bin").write_bytes(bytes(random.Random(1).randrange(256) for _ in range(300)))
    (tmp_path / "trunc.o").write_bytes(data[: len(data) // 2])
    (tmp_path / "flipped.o").write_bytes(data[:40] + bytes(b ^ 0x5A for b in data[40:80]) + data[80:])
    (tmp_path / "fake.a").write_bytes(b"!<arch>\n" + data[:100])
    lib = tmp_path / "lib.a"
    run([tool("ar"), "rcs", str(lib), str(obj)])
    files = [str(obj), str(lib), "/nonexistent.o", str(tmp_path), *(str(tmp_path / n) for n in
                                                                     ("junk.bin", "trunc.o", "flipped.o", "fake.a"))]
    rng = random.Random(int(os.environ.get("LNSYM_FUZZ_SEED", "2024")))
    codes: dict[int, int] = {}
    for _ in range(int(os.environ.get("LNSYM_FUZZ_CASES", "300"))):
        argv = _fuzz_args(rng, files, tmp_path)
        code = _exit(argv)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "internal error" not in captured.err, (argv, captured.err)
        assert code in (0, 1, 2), (argv, code)
        if code == 2:
            assert captured.err.count("\n") == 1 and ": error: " in captured.err, (argv, captured.err)
        codes[code] = codes.get(code, 0) + 1
    assert codes.get(0, 0) > 10 and codes.get(2, 0) > 100  # the fuzzer reaches both successes and errors
    print(f"fuzz exit codes: {sorted(codes.items())}")


# -- the built-in registry and --object -----------------------------------------------------------------


def test_builtin_json_names_are_names_verify_accepts() -> None:
    from lnsym.contracts.openssl import CONTRACTS, names

    for key, c in CONTRACTS.items():
        assert c.name == f"openssl:{key}"
        found = names(c.name.removeprefix("openssl:"))
        assert found == [key] or ("[" not in key and found[0] == key and all("[" in k for k in found[1:]))
    assert names("aes_v8_encrypt") == ["aes_v8_encrypt[10]", "aes_v8_encrypt[12]", "aes_v8_encrypt[14]"]
    assert names("gcm_ghash_v8") == ["gcm_ghash_v8[1]", "gcm_ghash_v8[2]"]
    ctr = names("aes_v8_ctr32_encrypt_blocks")
    assert ctr[0] == "aes_v8_ctr32_encrypt_blocks[1,10]" and ctr[-1] == "aes_v8_ctr32_encrypt_blocks[35,10]"
    assert names("aes_v8_ctr32_encrypt_blocks[4, 10]") == ["aes_v8_ctr32_encrypt_blocks[4,10]"]
    assert names("sha256_block_data_order") == ["sha256_block_data_order", "sha256_block_data_order[neon]"]
    bare = {k.partition("[")[0] for k in CONTRACTS}
    assert sorted(n for b in bare for n in names(b)) == sorted(CONTRACTS)  # every variant reachable by its bare name


def test_bare_builtin_name_verifies_every_variant_and_json_names_round_trip(tmp_path: Path) -> None:
    from openssl_fixture import libcrypto

    libcrypto()
    done = subprocess.run([sys.executable, "-m", "lnsym.cli.main", "verify", "openssl:aes_v8_encrypt", "--json"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert [r["contract"] for r in got] == [f"openssl:aes_v8_encrypt[{n}]" for n in (10, 12, 14)]
    assert {r["verdict"] for r in got} == {"proved"}
    from lnsym.cli.verify import resolve

    assert [c.name for _, c in resolve([r["contract"] for r in got])] == [r["contract"] for r in got]


def _aes_member(tmp_path: Path) -> Path:
    from openssl_fixture import libcrypto

    from lnsym.load import archive

    ar = archive.parse(libcrypto().read_bytes(), "libcrypto.a")
    out = tmp_path / "aesv8-armx.o"
    out.write_bytes(ar.member("libcrypto-lib-aesv8-armx.o").data)
    return out


def test_object_override_accepts_a_plain_elf_for_an_archive_member(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    member = _aes_member(tmp_path)
    assert main(["verify", "openssl:aes_v8_encrypt[10]", "--object", str(member), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["verdict"] == "proved"
    other = tmp_path / "other.a"  # an archive without that member: one line naming the member
    run([tool("ar"), "rcs", str(other), str(PROGRAMS / "crc32c.o")])
    assert main(["verify", "openssl:aes_v8_encrypt[10]", "--object", str(other), "--json"]) == 2
    detail = json.loads(capsys.readouterr().out)[0]["detail"]
    assert "no archive member named 'libcrypto-lib-aesv8-armx.o'" in detail and "\n" not in detail


def test_object_override_checks_a_patched_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A user's patched copy of the member (the first AESMC of aes_v8_encrypt made a NOP) is refuted, with a
    counterexample that replays on lnsym and Unicorn."""
    from elftools.elf.elffile import ELFFile

    member = _aes_member(tmp_path)
    data = bytearray(member.read_bytes())
    with member.open("rb") as f:
        elf = ELFFile(f)
        sym = next(s for s in elf.get_section_by_name(".symtab").iter_symbols() if s.name == "aes_v8_encrypt")
        text = elf.get_section(sym["st_shndx"])
        start = text["sh_offset"] + sym["st_value"]
    at = next(start + 4 * k for k in range(64)
              if int.from_bytes(data[start + 4 * k : start + 4 * k + 4], "little") & 0xFFFFFC00 == 0x4E286800)
    data[at : at + 4] = (0xD503201F).to_bytes(4, "little")  # NOP
    patched = tmp_path / "patched.o"
    patched.write_bytes(bytes(data))
    assert main(["verify", "openssl:aes_v8_encrypt[10]", "--object", str(patched), "--json"]) == 1
    cx = json.loads(capsys.readouterr().out)[0]["counterexample"]
    assert cx["replays"] and cx["replay_unicorn"] == cx["replay_lnsym"]


def test_member_of_a_plain_object_without_a_symbol_is_still_an_error(obj: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disasm", str(obj), "--member", "x.o"]) == 2
    assert "not an archive" in capsys.readouterr().err
    assert main(["disasm", str(obj), "--member", "x.o", "--symbol", "f"]) == 0
    assert "member 'x.o' ignored" in capsys.readouterr().out

