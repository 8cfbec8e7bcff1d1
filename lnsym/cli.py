"""The ``lnsym`` command line.  Errors are reported as one line on stderr with a non-zero exit."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from lnsym.errors import LnsymError

_NOP_FEATURES = ("FEAT_PAuth", "FEAT_BTI")


def _cmd_isa(args: argparse.Namespace) -> int:
    import isa

    dec = isa.decoder()
    if args.json:
        rows = [
            {
                "name": p.name,
                "mnemonic": p.mnemonic,
                "feature": p.feature,
                "group": p.group,
                "mask": f"{p.mask:#010x}",
                "value": f"{p.value:#010x}",
                "fields": {f.name: [f.lsb + f.width - 1, f.lsb] for f in p.fields},
                "overrides": list(p.overrides),
            }
            for p in dec.patterns
        ]
        json.dump(rows, sys.stdout, indent=1)
        print()
        return 0
    group = None
    for p in dec.patterns:
        if p.group != group:
            group = p.group
            print(f"\n{group}")
        nop = ", executes as NOP" if p.feature in _NOP_FEATURES else ""
        note = "" if p.feature == "FEAT_AA64" else f"  ({p.feature}{nop})"
        print(f"  {p.name:28s} {p.mnemonic:8s}{note}")
    mnemonics = {p.mnemonic for p in dec.patterns}
    print(f"\ntotal: {len(dec.patterns)} encodings, {len(mnemonics)} mnemonics")
    return 0


def _parse_word(text: str) -> int:
    try:
        word = int(text, 0)
    except ValueError:
        raise LnsymError(f"not an instruction word: {text!r} (expected e.g. 0x8b020020)") from None
    if not 0 <= word < 1 << 32:
        raise LnsymError(f"instruction word out of range: {text}")
    return word


def _cmd_decode(args: argparse.Namespace) -> int:
    import isa
    from isa.decoder import DecodeError
    from lnsym.stepper import capstone_text

    for text in args.words:
        word = _parse_word(text)
        try:
            pattern, _ = isa.decoder().decode(word)
        except DecodeError as exc:
            shown = capstone_text(word) or "capstone: not a valid instruction"
            raise LnsymError(f"word {word:#010x} [{shown}]: {exc.reason}") from None
        fields = " ".join(f"{k}={v:#x}" for k, v in pattern.field_values(word).items())
        print(f"{word:#010x}  {pattern.name:28s} {fields}   ; {capstone_text(word)}")
    return 0


def _cmd_conform(args: argparse.Namespace) -> int:
    import zlib

    import isa
    from lnsym.conformance import RandomSource, encoding_case

    names = [p.name for p in isa.decoder().patterns if args.match in p.name]
    if not names:
        raise LnsymError(f"no encoding name contains {args.match!r}")
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


def _cmd_bench(args: argparse.Namespace) -> int:
    from lnsym.bench import run_benchmarks

    if args.proofs:
        from lnsym.bench_proofs import run_proof_benchmarks

        return run_proof_benchmarks()
    if args.symbolic:
        from lnsym.bench_symbolic import run_symbolic_benchmarks

        run_symbolic_benchmarks()
        return 0

    run_benchmarks(args.instructions)
    if args.simd:
        from lnsym.bench_simd import run_simd_benchmarks

        print()
        run_simd_benchmarks()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lnsym", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("isa", help="list the supported A64 encodings")
    p.add_argument("--json", action="store_true", help="machine-readable table")
    p.set_defaults(func=_cmd_isa)
    p = sub.add_parser("decode", help="decode instruction words")
    p.add_argument("words", nargs="+")
    p.set_defaults(func=_cmd_decode)
    p = sub.add_parser("conform", help="differential campaign against Unicorn")
    p.add_argument("--cases", type=int, default=400, help="cases per encoding")
    p.add_argument("--match", default="", help="only encodings whose name contains this")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_conform)
    from lnsym.verify_cli import add_parser as add_verify

    add_verify(sub)
    from lnsym.mutate_cli import add_parser as add_mutate

    add_mutate(sub)
    p = sub.add_parser("bench", help="speed benchmarks, as ratios against baselines run in-process")
    p.add_argument("--instructions", type=int, default=20_000)
    p.add_argument("--simd", action="store_true",
                   help="also OpenSSL's sha256_block_armv8 and aes_v8_ctr32_encrypt_blocks over 64 KiB (~10 s)")
    p.add_argument("--proofs", action="store_true", help="time every built-in and bundled proof (goal: 60 s in all)")
    p.add_argument("--symbolic", action="store_true",
                   help="symbolic execution of OpenSSL SHA-256/512 and AES blocks: steps/s, output term sizes")
    p.set_defaults(func=_cmd_bench)
    from lnsym.cli_image import add_parsers

    add_parsers(sub)  # disasm, coverage, run, fetch
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except BrokenPipeError:
        return 0
    except (LnsymError, OSError) as exc:
        print(f"lnsym: error: {exc}", file=sys.stderr)
        return int(getattr(args, "error_status", 1))


if __name__ == "__main__":
    sys.exit(main())
