"""The ``lnsym`` subcommands that work on object files: disasm, coverage, run, fetch."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from lnsym.errors import LnsymError, MemoryFault

# -- argument parsing -------------------------------------------------------------------------------


def parse_int(text: str, what: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise LnsymError(f"{what}: not an integer: {text!r} (e.g. 42, 0x2a, -1)") from None


def parse_bytes(text: str, what: str) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise LnsymError(f"{what}: not hex bytes: {text!r} (e.g. @00ff10)") from None


def parse_arg(text: str) -> Any:
    """``VALUE`` (an integer), ``@HEX`` (a buffer with these bytes) or ``@zeros:N`` (N zero bytes)."""
    from lnsym.machine.harness import Buffer

    if text.startswith("@zeros:"):
        n = parse_int(text[7:], "--arg @zeros:N")
        if not 0 <= n <= 1 << 28:
            raise LnsymError(f"--arg {text}: buffer size out of range")
        return Buffer.zeros(n)
    if text.startswith("@"):
        return Buffer(parse_bytes(text[1:], f"--arg {text}"))
    return parse_int(text, "--arg")


def parse_define(text: str) -> tuple[str, int | bytes]:
    """``SYM=VALUE`` or ``SYM=@HEX``."""
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise LnsymError(f"--define {text!r}: expected SYM=VALUE or SYM=@HEX")
    if value.startswith("@"):
        return name, parse_bytes(value[1:], f"--define {name}")
    return name, parse_int(value, f"--define {name}")


# -- commands ----------------------------------------------------------------------------------------


def _cmd_disasm(args: argparse.Namespace) -> int:
    from lnsym.load.loader import load
    from lnsym.machine.listing import disassemble

    image = load(args.file, member=args.member, symbol=args.symbol)
    print(f"{image.name}: {image.kind}")
    for note in image.notes:
        print(f"; {note}")
    for line in disassemble(image, args.symbol):
        print(line)
    return 0


def _coverages(path: str, member: str | None, symbol: str | None) -> list[Any]:
    from lnsym.load.loader import archive_members, iter_members, load
    from lnsym.machine.listing import FileCoverage, coverage

    if member is not None or symbol is not None or not archive_members(path):
        image = load(path, member=member, symbol=symbol)
        return [coverage(image, symbol)]
    out = []
    for name, image in iter_members(path):
        if isinstance(image, LnsymError):
            out.append(FileCoverage(path, name, error=str(image)))
        else:
            out.append(coverage(image))
    return out


def _pct(a: int, b: int) -> str:
    """``a`` of ``b`` as a percentage with one decimal, rounded down: 9998 of 10000 is 99.9%, never 100.0%
    (only ``a == b`` is); the exact counts are printed beside it and kept in the JSON."""
    return f"{1000 * a // b / 10:.1f}%" if b else "-"


def _cmd_coverage(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise LnsymError(f"--limit must not be negative, not {args.limit}")
    results = [c for path in args.files for c in _coverages(path, args.member, args.symbol)]
    total = sum(c.instructions for c in results)
    decoded = sum(c.decoded for c in results)
    if args.json:
        doc = {"files": [c.to_dict() for c in results],
               "total": {"instructions": total, "decoded": decoded, "unsupported": total - decoded}}
        json.dump(doc, sys.stdout, indent=1)
        print()
        return 0
    for c in results:
        name = f"{c.file}({c.member})" if c.member else c.file
        if c.error is not None:
            print(f"{name}: not loaded: {c.error}")
            continue
        n, d = c.instructions, c.decoded
        print(f"{name}: {n} instructions, {d} decoded ({_pct(d, n)}), {n - d} unsupported")
        if args.summary:
            continue
        for f in c.functions:
            n_u = len(f.unsupported)
            print(f"  {f.name:40s} {f.instructions:6d} insns {f.decoded:6d} decoded {n_u:5d} unsupported")
            for u in f.unsupported[: args.limit]:
                print(f"      {u.address:#x}: {u.word:08x} [{u.capstone or 'not valid for capstone'}]: {u.reason}")
            if len(f.unsupported) > args.limit:
                print(f"      ... {len(f.unsupported) - args.limit} more")
    if len(results) > 1:
        print(f"total: {total} instructions, {decoded} decoded ({_pct(decoded, total)}), {total - decoded} unsupported"
              f" in {len(results)} objects")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from lnsym.load.loader import load
    from lnsym.machine.harness import call

    if args.max_steps < 1:
        raise LnsymError(f"--max-steps must be at least 1, not {args.max_steps}")

    call_args = [parse_arg(a) for a in args.arg]
    defines = dict(parse_define(d) for d in args.define)
    image = load(args.file, member=args.member, symbol=args.symbol)
    early = {k: v for k, v in defines.items() if k in image.undefined}
    if early:  # give undefined symbols their storage contents at load time (bytes may need more room)
        image = load(args.file, member=args.member, symbol=args.symbol, defines=early)
    late = {k: v for k, v in defines.items() if k not in early}
    try:
        report = call(image, args.symbol, call_args, max_steps=args.max_steps, defines=late, seed=args.seed)
    except MemoryFault as exc:  # the routine faulted on these arguments: its outcome, not bad input
        print(f"lnsym: the call faulted: {exc}", file=sys.stderr)
        return 1
    report.notes[:0] = image.notes
    print(report.to_json() if args.json else report.describe())
    return 0 if report.ok else 1  # the call broke the AAPCS64 rules or did not return: a mismatch, not bad input


def _cmd_fetch(args: argparse.Namespace) -> int:
    from lnsym.load.fetch import openssl_libcrypto

    path = openssl_libcrypto(log=lambda msg: print(f"lnsym: {msg}", file=sys.stderr))
    print(path)
    return 0


def add_parsers(sub: Any) -> None:
    """Register disasm, coverage, run and fetch on the ``lnsym`` subparsers object."""
    p = sub.add_parser("disasm", help="disassemble an object: lnsym's encoding beside capstone's text")
    p.add_argument("file")
    p.add_argument("--member", help="archive member name")
    p.add_argument("--symbol", help="only this function")
    p.set_defaults(func=_cmd_disasm)

    p = sub.add_parser("coverage", help="how many instructions of each function lnsym decodes")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--member", help="archive member name (default: every member)")
    p.add_argument("--symbol", help="only this function")
    p.add_argument("--summary", action="store_true", help="one line per object")
    p.add_argument("--limit", type=int, default=20, help="unsupported words listed per function")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_coverage)

    p = sub.add_parser("run", help="call a function under the AAPCS64 harness")
    p.add_argument("file")
    p.add_argument("--symbol", required=True)
    p.add_argument("--member", help="archive member name")
    p.add_argument("--arg", action="append", default=[], metavar="VALUE|@HEX|@zeros:N",
                   help="next argument: an integer, a buffer of hex bytes, or N zero bytes (repeatable)")
    p.add_argument("--define", action="append", default=[], metavar="SYM=VALUE|SYM=@HEX",
                   help="initial contents of a data symbol, e.g. OPENSSL_armcap_P=0 (repeatable)")
    p.add_argument("--max-steps", type=int, default=10_000_000)
    p.add_argument("--seed", type=int, default=0, help="seed of the random register values at entry")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("fetch", help="download and cache real-world objects (Debian's libssl-dev:arm64)")
    p.add_argument("what", choices=["openssl"])
    p.set_defaults(func=_cmd_fetch)
