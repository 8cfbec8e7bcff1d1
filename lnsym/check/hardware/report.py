"""The replay summary as a table (per encoding: records, agreed, skipped, deviations, mismatched) and as JSON."""

from __future__ import annotations

from typing import Any

from lnsym.check.hardware.replay import Summary, Verdict

COLUMNS = ("records", "agreed", "skipped", "deviation", "mismatch", "unknown")


def replay_table(summary: Summary) -> str:
    lines = [f"{'encoding':32s} " + " ".join(f"{c:>9s}" for c in COLUMNS)]
    for name in sorted(summary.per_encoding):
        counts = summary.per_encoding[name]
        lines.append(f"{name:32s} " + " ".join(f"{counts[c]:9d}" for c in COLUMNS))
    lines.append("")
    for reason, n in summary.reasons.most_common():
        lines.append(f"{n:8d}  {reason}")
    lines.append(totals_line(summary))
    return "\n".join(lines)


def totals_line(summary: Summary) -> str:
    machines = ", ".join(f"MIDR_EL1 {m.midr_el1:#x} ({m.kernel})" for m in summary.machines)
    never = [name for name, c in summary.per_encoding.items() if c["agreed"] == 0]
    return (f"replay: {summary.total('records')} records over {len(summary.per_encoding)} encodings: "
            f"{summary.total('agreed')} agreed, {summary.total('skipped')} skipped, "
            f"{summary.total('deviation')} named deviations, {summary.total('mismatch')} mismatched"
            + (f", {summary.total('unknown')} unknown (their task died)" if summary.total("unknown") else "") + "; "
            f"{len(never)} encodings with no agreeing record; recorded on {machines or 'no machine'}")


def replay_json(summary: Summary, mismatches: list[Verdict]) -> dict[str, Any]:
    return {
        "records": summary.total("records"),
        "totals": {c: summary.total(c) for c in COLUMNS[1:]},
        "encodings": {name: {c: counts[c] for c in COLUMNS} for name, counts in sorted(summary.per_encoding.items())},
        "reasons": dict(summary.reasons.most_common()),
        "mismatches": [{"id": v.record.id, "encoding": v.record.encoding,
                        "words": [f"{w:08x}" for w in v.record.words], "differences": v.diffs}
                       for v in mismatches],
        "machines": [{"midr_el1": f"{m.midr_el1:#x}", "hwcap": f"{m.hwcap:#x}", "hwcap2": f"{m.hwcap2:#x}",
                      "kernel": m.kernel, "page_size": m.page_size} for m in summary.machines],
    }
