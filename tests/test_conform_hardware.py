"""The hardware conformance path end to end, with qemu-user standing in for an Arm machine: generate a harness for
every supported encoding, build it with the cross compiler, record a trace under ``qemu-aarch64 -cpu max``, replay
it on lnsym.  Planted wrong semantics must be caught; corrupted traces must get one-line errors."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

import isa
from bitvec import BV
from lnsym.check.hardware import generate as gen
from lnsym.check.hardware.qemu import missing_tools, record_trace
from lnsym.check.hardware.replay import DEVIATIONS, Summary, judge, replay
from lnsym.check.hardware.trace import TraceError, read_trace
from lnsym.cli.main import main

CAMPAIGN_TESTS, CAMPAIGN_SEQUENCES = 10_000, 200
PAUTH_HINTS = {"AUTIASP", "AUTIAZ", "AUTIBSP", "AUTIBZ", "PACIASP", "PACIAZ", "PACIBSP", "PACIBZ", "XPACLRI",
               "PACIA1716", "PACIB1716", "AUTIA1716", "AUTIB1716"}


@pytest.fixture(scope="module")
def campaign_trace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lacking = missing_tools()
    if lacking:
        pytest.skip(f"{', '.join(lacking)} not installed (apt-get install gcc-aarch64-linux-gnu qemu-user)")
    out = tmp_path_factory.mktemp("harness")
    gen.write_harness(out, gen.generate([], CAMPAIGN_TESTS, seed=7, sequences=CAMPAIGN_SEQUENCES))
    return record_trace(out)


def _summary(trace: Path) -> tuple[Summary, list]:
    mismatches: list = []
    summary = replay(read_trace(trace), lambda v: mismatches.append(v) if v.status == "mismatch" else None)
    return summary, mismatches


def test_qemu_campaign_agrees_on_every_supported_encoding(
        campaign_trace: Path, record_property: Callable[[str, object], None]) -> None:
    summary, mismatches = _summary(campaign_trace)
    assert not mismatches, "\n".join(f"{v.record.id} {v.record.encoding}: {v.diffs}" for v in mismatches[:20])
    records = [rec for _, rec in read_trace(campaign_trace)]
    assert len(records) == CAMPAIGN_TESTS + CAMPAIGN_SEQUENCES >= 10_000
    selected = {p.name for p in gen.selected_patterns([])}
    assert selected == {r.encoding for r in records if r.kind == "single"}  # every supported encoding ran
    never = {name for name, c in summary.per_encoding.items() if c["agreed"] == 0}
    # only the PAuth hints, which lnsym runs as NOPs (a CPU without FEAT_PAuth) and qemu's max CPU implements
    assert {name.split("_")[0] for name in never} <= PAUTH_HINTS, sorted(never)
    assert set(summary.reasons) <= {f"deviation: {d}" for d in DEVIATIONS} | {
        r for r in summary.reasons if r.startswith("skipped: ")}
    endings = Counter(r.ending.signal for r in records if r.ending)
    loads_stores = sum(r.encoding in selected and isa.decoder().by_name[r.encoding].group.startswith("Loads and st")
                       for r in records)
    branches = sum(r.kind == "single" and isa.decoder().by_name[r.encoding].group.startswith("Branches")
                   for r in records)
    stores = sum(bool(r.changes) for r in records)
    sp_based = sum(r.kind == "single" and "Rn" in isa.decoder().by_name[r.encoding].field_values(r.words[0])
                   and isa.decoder().by_name[r.encoding].field_values(r.words[0])["Rn"] == 31
                   and r.encoding in selected and isa.decoder().by_name[r.encoding].group.startswith("Loads and st")
                   for r in records)
    record_property("counts", f"qemu campaign: {len(records)} records over {len(summary.per_encoding)} encodings, "
          f"{summary.total('agreed')} agreed, {summary.total('skipped')} skipped, {summary.total('deviation')} named "
          f"deviations, 0 mismatched; {loads_stores} loads/stores ({sp_based} SP-based, {stores} changed memory), "
          f"{branches} branches, endings {dict(endings)}")

    assert loads_stores > 3000 and branches > 100 and sp_based > 50 and stores > 500
    assert endings["SIGSEGV"] > 50 and endings["SIGBUS"] > 10 and endings["SIGILL"] > 10  # faults recorded


def _plant(monkeypatch: pytest.MonkeyPatch, name: str, wrong: object) -> None:
    pattern = isa.decoder().by_name[name]
    monkeypatch.setattr(pattern, "decode", wrong(pattern.decode))


def _adcs_carry_flipped(original):  # a fixture's planted bug
    def decode(**fields: int):
        execute = original(**fields)

        def wrong(s) -> None:
            execute(s)
            s.set_nzcv(s.nzcv() ^ BV(4, 0b0010))

        return wrong

    return decode


def _sha256h2_wrong_operand(original):
    def decode(**fields: int):
        return original(**{**fields, "Rn": fields["Rm"]})

    return decode


@pytest.mark.parametrize(("encoding", "wrong", "field"), [
    ("ADCS_64_addsub_carry", _adcs_carry_flipped, "NZCV"),
    ("SHA256H2_QQV_cryptosha3", _sha256h2_wrong_operand, "V"),
])
def test_planted_wrong_semantics_is_caught_with_a_reproduction(
        campaign_trace: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        encoding: str, wrong: object, field: str) -> None:
    ids = [rec.id for _, rec in read_trace(campaign_trace) if rec.encoding == encoding]
    assert main(["conform", "replay", str(campaign_trace), "--id", *map(str, ids), "--quiet"]) == 0
    capsys.readouterr()
    _plant(monkeypatch, encoding, wrong)
    assert main(["conform", "replay", str(campaign_trace), "--id", *map(str, ids), "--quiet"]) == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("MISMATCH")]
    assert lines and all(encoding in line and f" {field}" in line for line in lines), lines
    record = lines[0].split()[2]
    assert f"(reproduce: lnsym conform replay {campaign_trace} --id {record})" in lines[0]


def test_a_missing_feature_is_skipped_and_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if missing_tools():
        pytest.skip("cross compiler or qemu-user not installed")
    monkeypatch.setitem(gen.HWCAPS, "FEAT_SHA256", (2, 1 << 63))  # a HWCAP2 bit no machine sets
    gen.write_harness(tmp_path, gen.generate(["SHA256H_*", "ADD_64_addsub_imm"], 4, seed=1))
    summary, mismatches = _summary(record_trace(tmp_path))
    assert not mismatches
    assert summary.per_encoding["SHA256H_QQV_cryptosha3"]["skipped"] == 2
    assert summary.per_encoding["ADD_64_addsub_imm"]["agreed"] == 2
    assert summary.reasons["skipped: FEAT_SHA256 is not in this machine's HWCAP2"] == 2


# ------------------------------------------------------------------------------------------------
# corrupted traces: one line naming the record and the field, exit 2, never a traceback

MACHINE = {"record": "machine", "format": "lnsym-trace", "version": 1, "midr_el1": "0x410fd0c0",
           "hwcap": "0x1", "hwcap2": "0x0", "kernel": "Linux 6.1 aarch64", "page_size": 4096}
STATE = {"x": ["0x0"] * 31, "sp": "0x0", "pc": "0x1000008000", "nzcv": 0, "fpcr": "0x0", "fpsr": "0x0",
         "tpidr_el0": "0x0", "v": ["0x0"] * 32}
TEST = {"record": "test", "id": 0, "kind": "single", "encoding": "ADD_64_addsub_imm", "feature": "FEAT_AA64",
        "words": ["91000400"], "initial": STATE,
        "memory": [{"address": "0x1000000000", "size": 65536, "perm": "r-x", "fill": "brk",
                    "runs": [[32768, "00040091"]]}],
        "final": {**STATE, "x": ["0x1"] + ["0x0"] * 30, "pc": "0x1000008004"}, "changes": [],
        "ending": {"signal": "SIGTRAP", "code": 1, "address": "0x0"}}


def _write(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "trace.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    return str(path)


def test_a_handmade_record_replays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trace = _write(tmp_path, json.dumps(MACHINE), json.dumps(TEST))
    assert main(["conform", "replay", trace]) == 0
    wrong = {**TEST, "final": {**STATE, "x": ["0x2"] + ["0x0"] * 30, "pc": "0x1000008004"}}
    assert main(["conform", "replay", _write(tmp_path, json.dumps(MACHINE), json.dumps(wrong))]) == 1
    assert "X0 lnsym=0x1 machine=0x2" in capsys.readouterr().out


@pytest.mark.parametrize(("lines", "message"), [
    ([json.dumps(MACHINE), json.dumps(TEST)[:-40]], "record 2: not JSON"),
    ([json.dumps(MACHINE), json.dumps({**TEST, "id": "seven"})], "record 2: field 'id' has the wrong type"),
    ([json.dumps(MACHINE), json.dumps({**TEST, "colour": 1})], "record 2: unknown field 'colour'"),
    ([json.dumps(MACHINE), json.dumps({**TEST, "initial": {**STATE, "x": ["0x0"] * 30}})],
     "record 2.initial: field 'x' must list X0-X30"),
    ([json.dumps(MACHINE), json.dumps({**TEST, "initial": {**STATE, "sp": "0xzz"}})],
     "record 2.initial: field 'sp' is not a hexadecimal number"),
    ([json.dumps(MACHINE), json.dumps({k: v for k, v in TEST.items() if k != "final"})],
     "record 2: missing field 'final'"),
    ([json.dumps({**MACHINE, "version": 9})], "record 1: field 'version' is 9"),
    ([json.dumps(TEST)], "record 1: a test record before any machine record"),
    ([json.dumps(MACHINE), json.dumps({**TEST, "ending": {"signal": "SIGKILL", "code": 0, "address": "0"}})],
     "record 2.ending: field 'signal' must be one of"),
    ([json.dumps(MACHINE), "[1, 2]"], "record 2: expected a JSON object"),
])
def test_corrupted_traces_get_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str],
                                       message: str) -> None:
    assert main(["conform", "replay", _write(tmp_path, *lines)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err, err


def test_binary_garbage_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "trace.jsonl"
    path.write_bytes(json.dumps(MACHINE).encode() + b"\n\xff\xfe\x00garbage\n")
    assert main(["conform", "replay", str(path)]) == 2
    assert "record 2: not UTF-8 text" in capsys.readouterr().err


def test_the_schema_names_the_fields_the_validator_reads() -> None:
    schema = json.loads((Path(gen.__file__).with_name("trace.schema.json")).read_text())
    definitions = schema["$defs"]
    assert set(definitions["state"]["required"]) == set(STATE)
    assert set(definitions["test"]["properties"]) == set(TEST) | {"skipped"}
    assert set(definitions["machine"]["required"]) == set(MACHINE)
    with pytest.raises(TraceError):
        list(read_trace("/nonexistent/trace.jsonl"))


def test_judge_uses_deviations_only_for_what_they_name(campaign_trace: Path) -> None:
    """Every record counted under a deviation really mismatches, and the deviation's own test holds for it."""
    for machine, rec in read_trace(campaign_trace):
        v = judge(machine, rec)
        if v.status == "deviation":
            assert v.diffs and v.reason in DEVIATIONS
