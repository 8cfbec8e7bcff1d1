"""``lnsym survey``: every global function of OpenSSL's arm64 crypto objects with the contracts that target it
(checked against the symbol tables read independently with pyelftools), consistent counts, the JSON and HTML
outputs, a real proving run on ghashv8-armx, the no-contract reason (decoded or not, callees followed), contracts
matched by content, and one-line input errors."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from asm_tools import assemble
from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection
from openssl_fixture import libcrypto

from lnsym.cli.main import main
from lnsym.contracts.openssl import CONTRACTS
from lnsym.load import archive

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
CRYPTO = ["--members", "*armv8*.o", "--members", "*armx*.o"]
ROW_KEYS = {"object", "member", "symbol", "binding", "contract", "kind", "source", "verdict", "seconds",
            "preconditions", "assumptions", "note", "words", "unsupported_words"}
COUNT_KEYS = {"functions", "with contract", "no contract", "contracts", "proved", "refuted", "unknown", "error",
              "not run"}


def _survey(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main(["survey", *argv, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _global_functions(member_data: bytes) -> set[str]:
    """The defined global/weak FUNC symbols of an ELF object, read with pyelftools (not lnsym's loader)."""
    elf = ELFFile(io.BytesIO(member_data))
    out = set()
    for sec in elf.iter_sections():
        if isinstance(sec, SymbolTableSection):
            out |= {s.name for s in sec.iter_symbols() if s["st_info"]["type"] == "STT_FUNC"
                    and s["st_info"]["bind"] in ("STB_GLOBAL", "STB_WEAK") and s["st_shndx"] != "SHN_UNDEF"}
    return out


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, Path]:
    """``--no-prove --report``: the exit status, the archive and the page."""
    lib = libcrypto()
    report = tmp_path_factory.mktemp("survey") / "survey.html"
    code = main(["survey", str(lib), *CRYPTO, "--no-prove", "--json", "--report", str(report)])
    return code, lib, report


def test_no_prove_lists_every_global_function_of_the_crypto_members(capsys: pytest.CaptureFixture[str]) -> None:
    lib = libcrypto()
    code, doc, _ = _survey([str(lib), *CRYPTO, "--no-prove"], capsys)
    assert code == 0
    ar = archive.parse(lib.read_bytes(), str(lib))
    members = [m for m in ar.members if re.fullmatch(r".*(armv8.*|armx.*)\.o", m.name)]
    assert {"libcrypto-lib-aesv8-armx.o", "libcrypto-lib-poly1305-armv8.o", "libcrypto-lib-ecp_nistz256-armv8.o",
            "libcrypto-lib-aes-gcm-armv8_64.o"} <= {m.name for m in members}
    expected = {(m.name, name) for m in members for name in _global_functions(m.data)}
    rows = doc["rows"]
    assert {(r["member"], r["symbol"]) for r in rows if r["binding"] != "local"} == expected
    assert len(expected) > 50
    assert {r["member"] for r in rows} == {m.name for m in members if _global_functions(m.data)}
    for r in rows:
        assert set(r) == ROW_KEYS
        assert r["object"] == str(lib)
        assert (r["contract"] is None) == (r["verdict"] == "no contract")
        assert r["verdict"] in ("not run", "no contract")
        assert r["words"] > 0 and 0 <= r["unsupported_words"] <= r["words"]
        if r["contract"] is None:
            assert r["binding"] != "local"
            assert "a contract is missing" in r["note"] or "semantics are missing" in r["note"]


def test_the_known_contracts_target_the_right_functions(capsys: pytest.CaptureFixture[str]) -> None:
    lib = libcrypto()
    _, doc, _ = _survey([str(lib), *CRYPTO, "--no-prove"], capsys)
    by_contract: dict[str, list[tuple[str, str]]] = {}
    for r in doc["rows"]:
        if r["contract"] is not None:
            by_contract.setdefault(f"{r['kind']}:{r['contract']}", []).append((r["member"], r["symbol"]))
    scripts = {r["contract"]: r["source"] for r in doc["rows"] if r["kind"] == "script"}
    for key, c in CONTRACTS.items():  # every built-in contract: once, on its member's symbol
        assert by_contract.pop(f"built-in:openssl:{key}") == [(c.member, c.symbol)], key
    assert by_contract.pop("script:openssl:sha256_block_armv8[every num]") == [
        ("libcrypto-lib-sha256-armv8.o", "sha256_block_armv8")]
    assert by_contract.pop("script:openssl:sha512_block_armv8[every num]") == [
        ("libcrypto-lib-sha512-armv8.o", "sha512_block_armv8")]
    assert by_contract.pop("script:openssl:aes_v8_ctr32_encrypt_blocks[every count,10]") == [
        ("libcrypto-lib-aesv8-armx.o", "aes_v8_ctr32_encrypt_blocks")]
    for key in by_contract:  # nothing else but OpenSSL proof scripts (no bundled program contract)
        assert key.startswith("script:") and Path(scripts[key[7:]]).parent == PROGRAMS / "proofs" / "openssl"
    rows = {(r["symbol"], r["contract"]): r for r in doc["rows"]}
    assert rows["sha256_block_armv8", "openssl:sha256_block_armv8"]["binding"] == "local"
    armcap = rows["sha256_block_data_order", "openssl:sha256_block_data_order"]
    assert "OPENSSL_armcap_P = 0x0: the integer path" in armcap["preconditions"]
    assert "OPENSSL_armcap_P = 0x0: the integer path" in armcap["note"]
    assert rows["poly1305_blocks", None]["verdict"] == "no contract"
    assert "every instruction word decodes" in rows["poly1305_blocks", None]["note"]


def test_counts_are_consistent_and_html_is_written(listed: tuple[int, Path, Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, lib, report = listed
    assert code == 0
    code, doc, _ = _survey([str(lib), *CRYPTO, "--no-prove"], capsys)
    rows, n = doc["rows"], doc["counts"]
    assert set(n) == COUNT_KEYS
    functions = {(r["member"], r["symbol"]) for r in rows}
    covered = {(r["member"], r["symbol"]) for r in rows if r["contract"] is not None}
    assert n["functions"] == len(functions) and n["with contract"] == len(covered)
    assert n["no contract"] == n["functions"] - n["with contract"] == sum(r["contract"] is None for r in rows)
    assert n["contracts"] == n["not run"] == len(rows) - n["no contract"] >= len(CONTRACTS) + 3
    assert n["proved"] == n["refuted"] == n["unknown"] == n["error"] == 0
    assert doc["seconds"] is None
    page = report.read_text()
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert str(Path.home()) not in page  # paths shown relative or with ~
    assert page.count("<tr><td>") == len(rows)
    assert "NO CONTRACT" in page and "poly1305_blocks" in page and "openssl:gcm_init_v8" in page
    assert f"<b>{n['functions']}</b>functions" in page


def test_the_plain_table_ends_with_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    lib = libcrypto()
    _, doc, _ = _survey([str(lib), "--members", "*ghashv8*", "--no-prove"], capsys)
    n = doc["counts"]["contracts"]
    assert n >= 4 and doc["counts"]["not run"] == n
    assert main(["survey", str(lib), "--members", "*ghashv8*", "--no-prove"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == (f"3 functions: 3 with a contract ({n} contracts: 0 proved, 0 refuted, 0 unknown, {n} not run),"
                       " 0 without")
    assert any("libcrypto-lib-ghashv8-armx.o:gcm_init_v8" in line and "NOT RUN" in line for line in out)
    assert main(["survey", str(lib), "--members", "*ghashv8*", "--no-prove", "--markdown"]) == 0
    md = capsys.readouterr().out
    assert "| `libcrypto-lib-ghashv8-armx.o`: `gcm_gmult_v8` | `openssl:gcm_gmult_v8` (built-in) | not run |" in md


def test_proving_ghashv8_gives_proved_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = libcrypto()
    report = tmp_path / "g.html"
    code = main(["survey", str(lib), "--members", "*ghashv8-armx.o", "--json", "--report", str(report),
                 "--budget", "300", "--run", "openssl:gcm_init_v8", "--run", "openssl:gcm_*mult*"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    ran = {(r["symbol"], r["contract"], r["verdict"]) for r in doc["rows"] if r["verdict"] != "not run"}
    assert ran == {("gcm_init_v8", "openssl:gcm_init_v8", "proved"), ("gcm_gmult_v8", "openssl:gcm_gmult_v8", "proved")}
    assert [r["symbol"] for r in doc["rows"]][:2] == ["gcm_init_v8", "gcm_gmult_v8"]
    assert all(r["seconds"] > 0 and r["assumptions"] for r in doc["rows"] if r["verdict"] == "proved")
    n = doc["counts"]
    assert n["proved"] == 2 and n["not run"] == n["contracts"] - 2 >= 2 and doc["seconds"] > 0
    page = report.read_text()
    assert page.count('<section class="routine proved"') == 2 and " obligations: " in page
    assert "--run openssl:gcm_init_v8" in page


SOURCE = """
    .text
    .globl f, h
    .type f, %function
f:  add x0, x0, #1
    bl g
    ret
    .size f, .-f
    .type g, %function
g:  mrs x0, midr_el1
    ret
    .size g, .-g
    .type h, %function
h:  bl memcpy
    b.ne h
    ret
    .size h, .-h
"""


def test_no_contract_rows_say_whether_lnsym_decodes_what_the_function_runs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    obj = assemble(tmp_path, SOURCE)
    code, doc, _ = _survey([str(obj)], capsys)
    assert code == 0
    rows = {r["symbol"]: r for r in doc["rows"]}
    assert set(rows) == {"f", "h"}  # g is local and no contract targets it
    assert rows["f"]["note"].startswith("1 of 5 instruction words not decoded (mrs x1, with g that it branches to)")
    assert rows["f"]["note"].endswith("semantics are missing")
    assert rows["h"]["note"] == ("every instruction word decodes (3 words): a contract is missing; it calls memcpy "
                                 "outside this object (not followed)")
    assert doc["counts"] == {**dict.fromkeys(COUNT_KEYS, 0), "functions": 2, "no contract": 2}
    _, doc, _ = _survey([str(obj), "--locals"], capsys)
    assert [r["symbol"] for r in doc["rows"]] == ["f", "g", "h"]


def test_bundled_contracts_and_scripts_match_by_content(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = PROGRAMS / "sha256_blocks_ce.o"
    code, doc, _ = _survey([str(original), "--no-prove"], capsys)
    assert code == 0
    assert [(r["kind"], r["contract"]) for r in doc["rows"]] == [("bundled", "sha256_blocks_ce[n=2]"),
                                                                 ("script", "sha256_blocks_ce[every n]")]
    copy = tmp_path / "sha256_blocks_ce.o"
    copy.write_bytes(original.read_bytes())
    _, doc, _ = _survey([str(copy), "--no-prove"], capsys)
    assert len(doc["rows"]) == 2  # the same bytes elsewhere: the same contracts
    copy.write_bytes(original.read_bytes() + b"\0")  # other bytes: not the object the contracts were written for
    _, doc, _ = _survey([str(copy), "--no-prove"], capsys)
    assert [(r["symbol"], r["verdict"]) for r in doc["rows"]] == [("sha256_blocks_ce", "no contract")]


def test_a_bundled_program_proves(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc, _ = _survey([str(PROGRAMS / "crc32c.o")], capsys)
    assert code == 0 and [(r["contract"], r["verdict"]) for r in doc["rows"]] == [("crc32c_64", "proved")]


@pytest.mark.parametrize("argv", [["/nonexistent/libcrypto.a"], ["{readme}"], ["{trunc}"],
                                  ["{crc}", "--jobs", "0"], ["{crc}", "--report", "/nonexistent/dir/r.html"],
                                  ["{crc}", "--timeout", "0"], ["{crc}", "--run", "nothing*"],
                                  ["{crc}", "--run", "crc32c_64", "--no-prove"]])
def test_input_errors_exit_2_with_one_line(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trunc = tmp_path / "trunc.a"
    trunc.write_bytes(b"!<arch>\n" + (PROGRAMS / "crc32c.o").read_bytes()[:100])
    names = {"{readme}": str(PROGRAMS / "Makefile"), "{trunc}": str(trunc), "{crc}": str(PROGRAMS / "crc32c.o")}
    try:
        code = main(["survey", *(names.get(a, a) for a in argv)])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and ": error: " in captured.err and "Traceback" not in captured.err


def test_members_that_match_nothing_are_an_input_error(capsys: pytest.CaptureFixture[str]) -> None:
    lib = libcrypto()
    assert main(["survey", str(lib), "--members", "*no-such-member*"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no member matches --members *no-such-member*" in err


def test_exit_status_follows_the_verdicts() -> None:
    from lnsym.cli.survey import Row, Unit, status
    from lnsym.prove.prover import Result

    def row(verdict: str | None) -> Row:
        r = Row(Unit("x.o", None, None), "f", "global", 1, 0)  # type: ignore[arg-type]
        if verdict is not None:
            r.result = Result("c", verdict, [])  # type: ignore[arg-type]
        return r

    assert status([row(None)]) == 0  # no contract: listed, not an error
    assert status([row("proved"), row(None)]) == 0
    assert status([row("proved"), row("refuted")]) == 1
    assert status([row("refuted"), row("unknown")]) == 2
    assert status([row("error")]) == 2
