"""``lnsym conform``: lnsym's semantics and decoder against references.

* ``unicorn``: random differential campaign against Unicorn, encoding by encoding;
* ``generate``: a harness (C program, Makefile, cases) that records a trace on an Arm Linux machine;
* ``replay``: a recorded trace replayed on lnsym, every field compared;
* ``qemu``: generate, build, run under ``qemu-aarch64 -cpu max`` and replay, in chunks (the big campaigns);
* ``decode``: lnsym's decoding against capstone's, over objects and random words.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lnsym.errors import LnsymError


def _cmd_unicorn(args: argparse.Namespace) -> int:
    import zlib

    import isa
    from lnsym.check.conformance import RandomSource, encoding_case

    names = [p.name for p in isa.decoder().patterns if args.match in p.name]
    if not names:
        raise LnsymError(f"no encoding name contains {args.match!r}")
    if args.cases < 0:
        raise LnsymError(f"--cases must not be negative, not {args.cases}")
    failures = total = 0
    report = {}
    for name in names:
        counts: dict[str, int] = {}
        for case in range(args.cases):
            seed = (args.seed << 32) ^ (zlib.crc32(name.encode()) << 16) ^ case
            mismatch, ending = encoding_case(name, RandomSource(seed))
            counts[ending] = counts.get(ending, 0) + 1
            if mismatch is not None:
                counts["MISMATCH"] = counts.get("MISMATCH", 0) + 1
                print(mismatch.describe())
        total += args.cases
        failures += counts.get("MISMATCH", 0)
        report[name] = counts
        if not args.json:
            shown = " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
            print(f"{name:28s} {args.cases:6d} cases  {shown}")
    if args.json:
        json.dump({"cases": total, "mismatches": failures, "encodings": report}, sys.stdout, indent=1)
        print()
    print(f"conformance: {total} cases over {len(names)} encodings, {failures} mismatches against Unicorn")
    return 1 if failures else 0


def _cmd_generate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from lnsym.check.hardware.generate import generate, write_harness

    if args.count < 0 or args.sequences < 0:
        raise LnsymError("--count and --sequences must not be negative")
    records = generate(args.forms, args.count, args.seed, args.sequences)
    out = Path(args.out)
    write_harness(out, records)
    encodings = len({r.encoding for r in records if r.kind == "single"})
    print(f"wrote {out}/harness.c, Makefile and cases.bin: {len(records)} tests ({encodings} encodings, "
          f"{args.sequences} sequences)")
    print(f"record the trace: cd {out} && make trace.jsonl   (here: add CC=aarch64-linux-gnu-gcc "
          "RUN='qemu-aarch64 -cpu max')")
    print(f"then: lnsym conform replay {out}/trace.jsonl")
    return 0


def _print_replay(summary: Any, trace: str, mismatches: list[Any], as_json: bool, table: bool) -> None:
    from lnsym.check.hardware.report import replay_json, replay_table, totals_line

    if as_json:
        json.dump(replay_json(summary, mismatches), sys.stdout, indent=1)
        print()
        return
    for v in mismatches:
        words = " ".join(f"{w:08x}" for w in v.record.words[:4]) + (" ..." if len(v.record.words) > 4 else "")
        print(f"MISMATCH record {v.record.id} {v.record.encoding} [{words}]: {'; '.join(v.diffs)}"
              f"  (reproduce: lnsym conform replay {trace} --id {v.record.id})")
    print(replay_table(summary) if table else totals_line(summary))


def _cmd_replay(args: argparse.Namespace) -> int:
    from lnsym.check.hardware.replay import replay, replay_on_cluster
    from lnsym.check.hardware.trace import read_trace

    mismatches: list[Any] = []
    records = read_trace(args.trace)
    if args.id is not None:
        records = (pair for pair in records if pair[1].id in args.id)

    def keep(v: Any) -> None:
        if v.status == "mismatch":
            mismatches.append(v)

    summary = replay_on_cluster(records, args.scheduler, keep) if args.scheduler else replay(records, keep)
    if summary.total("records") == 0:
        raise LnsymError(f"{args.trace}: no test record" + (" with that --id" if args.id is not None else ""))
    _print_replay(summary, args.trace, mismatches, args.json, not args.quiet)
    return 1 if mismatches else 2 if summary.total("unknown") else 0


def _cmd_qemu(args: argparse.Namespace) -> int:
    from lnsym.check.hardware.qemu import campaign

    return campaign(args)


def _cmd_decode(args: argparse.Namespace) -> int:
    from lnsym.check import decode_conformance

    return decode_conformance.run(args)


def add_parser(sub: Any) -> None:
    p = sub.add_parser("conform", help="check lnsym's semantics and decoder against Unicorn, hardware, capstone",
                       description=__doc__)
    conform = p.add_subparsers(dest="conform_command", required=True, metavar="CHECK")
    q = conform.add_parser("unicorn", help="random differential campaign against Unicorn")
    q.add_argument("--cases", type=int, default=400, help="cases per encoding")
    q.add_argument("--match", default="", help="only encodings whose name contains this")
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=_cmd_unicorn)

    q = conform.add_parser("generate", help="write a harness that records a trace on an Arm Linux machine")
    q.add_argument("--forms", nargs="+", default=[], metavar="PATTERN",
                   help="encoding-name globs (lnsym isa lists them), e.g. 'ADC*' 'SHA256*'; default: every one")
    q.add_argument("--count", type=int, default=10_000, help="single-instruction tests, spread over the encodings")
    q.add_argument("--sequences", type=int, default=0, help="also this many random 24-instruction sequences")
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--out", required=True, metavar="DIR")
    q.set_defaults(func=_cmd_generate)

    q = conform.add_parser("replay", help="replay a recorded trace on lnsym and compare every field")
    q.add_argument("trace", metavar="TRACE.jsonl")
    q.add_argument("--id", type=int, nargs="+", help="only these record ids")
    q.add_argument("--json", action="store_true")
    q.add_argument("--quiet", action="store_true", help="no per-encoding table")
    q.add_argument("--scheduler", metavar="ADDRESS",
                   help="replay on a Dask cluster (tcp://host:8786, or 'local'): one task per 2,000 records")
    q.set_defaults(func=_cmd_replay)

    q = conform.add_parser("qemu", help="generate, run under qemu-aarch64 -cpu max and replay, in chunks")
    q.add_argument("--forms", nargs="+", default=[], metavar="PATTERN")
    q.add_argument("--count", type=int, default=10_000, help="single-instruction tests")
    q.add_argument("--sequences", type=int, default=200)
    q.add_argument("--chunk", type=int, default=20_000, help="tests per harness run")
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--keep", metavar="DIR", help="keep the harnesses and traces here")
    q.add_argument("--json", action="store_true")
    q.add_argument("--quiet", action="store_true", help="no per-encoding table")
    q.set_defaults(func=_cmd_qemu)

    q = conform.add_parser("decode", help="lnsym's decoder against capstone")
    from lnsym.check import decode_conformance

    decode_conformance.add_arguments(q)
    q.set_defaults(func=_cmd_decode)
