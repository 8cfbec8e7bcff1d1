"""``lnsym conform decode``: lnsym's decoding against capstone's on OpenSSL's code and random words."""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from openssl_fixture import libcrypto

import isa
from isa.decoder import Field
from lnsym.check import decode_conformance as dc
from lnsym.errors import LnsymError

PROGRAMS = Path(__file__).resolve().parent.parent / "programs"
CHACHA = str(PROGRAMS / "chacha20_qround_neon.o")  # add v0.4s, v0.4s, v1.4s is 0x4ea18400; eor v3.16b, ... 0x6e201c63


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    dc.add_arguments(parser)
    return dc.run(parser.parse_args(list(argv)))


def test_openssl_corpus_and_random_words_have_no_unexplained_disagreement(
        capsys: pytest.CaptureFixture[str], record_property: Callable[[str, object], None]) -> None:
    path = libcrypto()
    rc = _run("--corpus", str(path), "--random", "100000", "--seed", "0", "--json")
    report = json.loads(capsys.readouterr().out)
    corpus, rand = report["corpus"], report["random"]
    with capsys.disabled():
        print(f"\ndecode conformance: {corpus['words']} corpus words ({corpus['distinct']} distinct, "
              f"{corpus['objects']} objects), {rand['words']} random words, {report['seconds']} s")
        for name in dc.VERDICTS:
            print(f"  {name:12s} corpus {corpus['verdicts'][name]:7d}  random {rand['verdicts'][name]:6d}")
        for name in corpus["exceptions"].keys() | rand["exceptions"].keys():
            print(f"  exception {name}: corpus {corpus['exceptions'].get(name, 0)}, "
                  f"random {rand['exceptions'].get(name, 0)}")
    verdicts = ", ".join(f"{name} {corpus['verdicts'][name]}/{rand['verdicts'][name]}" for name in dc.VERDICTS)
    record_property("counts", f"decode conformance against capstone: {corpus['words']} corpus words, "
                              f"{rand['words']} random words; corpus/random: {verdicts}; {report['seconds']} s")
    assert report["disagreements"] == [], report["disagreements"][:5]
    assert rc == 0
    assert rand["words"] == 100_000 and sum(rand["verdicts"].values()) == 100_000
    assert corpus["words"] > 500_000 and sum(corpus["verdicts"].values()) == corpus["words"]
    assert corpus["verdicts"]["agree"] > 0.99 * corpus["words"]  # OpenSSL's code is what lnsym is built for
    assert rand["verdicts"]["agree"] > 20_000 and rand["verdicts"]["both-reject"] > 50_000


def _swap_rn_rm(f: Field) -> Field:
    return dataclasses.replace(f, name={"Rn": "Rm", "Rm": "Rn"}.get(f.name, f.name))


def _size_off_by_one(f: Field) -> Field:
    return dataclasses.replace(f, lsb=f.lsb + 1) if f.name == "size" else f


PLANTS = {  # encoding -> (what the planted bug does to its fields or name, a word of CHACHA it changes)
    "swapped registers": ("ADD_asimdsame_only", _swap_rn_rm, None, 0x4EA18400),
    "wrong size field": ("ADD_asimdsame_only", _size_off_by_one, None, 0x4EA18400),
    "wrong mnemonic": ("EOR_asimdsame_only", None, "ORR_asimdsame_only", 0x6E201C63),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_a_planted_decode_bug_is_a_disagreement_naming_the_word(
        plant: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--corpus", CHACHA) == 0, "the object must agree before the bug is planted"
    capsys.readouterr()
    name, change_field, rename, word = PLANTS[plant]
    pattern = isa.decoder().by_name[name]
    if change_field is not None:
        monkeypatch.setattr(pattern, "fields", tuple(map(change_field, pattern.fields)))
    if rename is not None:
        monkeypatch.setattr(pattern, "name", rename)
    assert _run("--corpus", CHACHA) == 1
    out = capsys.readouterr().out
    listed = out[out.index("\ndisagreements"):]
    assert f"{word:#010x}  lnsym {rename or name}" in listed
    assert "unexplained disagreement" in out and ", 0 unexplained" not in out


def test_register_comparison_allows_alias_drops_of_zero_or_repeated_registers_only() -> None:
    orr = isa.decoder().by_name["ORR_64_log_shift"]
    expected = [("Rd", 1), ("Rn", 31), ("Rm", 2)]
    assert dc.registers_agree(orr, expected, (1, 2), alias=True)  # mov x1, x2
    assert not dc.registers_agree(orr, expected, (1, 2), alias=False)
    assert not dc.registers_agree(orr, [("Rd", 1), ("Rn", 3), ("Rm", 2)], (1, 2), alias=True)
    assert dc.registers_agree(orr, [("Rd", 1), ("Rn", 3), ("Rm", 3)], (1, 3), alias=True)
    ret = isa.decoder().by_name["RET_64R_branch_reg"]
    assert dc.registers_agree(ret, [("Rn", 30)], (), alias=False)
    assert not dc.registers_agree(ret, [("Rn", 29)], (), alias=False)


def test_documented_exceptions_are_named_in_the_docs() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "decode-conformance.md").read_text()
    for exc in dc.EXCEPTIONS:
        assert f"`{exc.name}`" in doc


@pytest.mark.parametrize("bad", ["missing", "not-elf"])
def test_a_bad_corpus_is_one_line_and_exit_2(bad: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lnsym.cli.main import main

    path = tmp_path / "corpus.o"
    if bad == "not-elf":
        path.write_text("this is not an object file\n")
    assert main(["conform", "decode", "--corpus", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err
    assert ("cannot read" if bad == "missing" else "not an ELF file") in err


def test_nothing_to_check_and_negative_counts_are_input_errors() -> None:
    for argv in ((), ("--random", "-1"), ("--random", "1", "--limit", "-2")):
        with pytest.raises(LnsymError):
            _run(*argv)
