"""The ``lnsym`` command line.  Errors are reported as one line on stderr with a non-zero exit."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from bitvec.term import tune_gc
from lnsym.errors import LnsymError

# One exit-status convention for every subcommand (enforced in main(); stated in every --help epilog).
EXIT_OK, EXIT_REFUTED, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
# What 0 and 1 mean for each subcommand, and what else is 2 (usage and input errors are 2 everywhere).
EXIT_MEANING: dict[str, tuple[str, str, str]] = {
    "verify": ("every routine proved", "some routine refuted, the others proved", "; or a routine unknown or in error"),
    "mutate": ("every mutant shown wrong was refuted, none proved", "a mutant missed, UNSOUND, or a routine skipped",
               ""),
    "decode": ("every word decoded", "some word unsupported (every word still gets its line)",
               " (a malformed word is named)"),
    "conform": ("no mismatch (unicorn, replay, qemu) or disagreement (decode); named deviations are counted",
                "some mismatch or disagreement (each is printed with how to reproduce it)", ""),
    "run": ("the call returned and kept the AAPCS64 rules", "it ended otherwise or broke them (PCS: NOT ok)",
            " (incl. a fault or an unsupported instruction)"),
    "coverage": ("the objects were read (unsupported words are counted, not an error)", "", ""),
    "disasm": ("the object was read", "", ""),
    "isa": ("the table was printed", "", ""),
    "fetch": ("the objects are cached (their path is printed)", "", " (e.g. no network)"),
    "bench": ("done", "bench --proofs: some proof not proved; --growth: an exponent over 1.2", ""),
    "prove": ("every script proved", "some routine refuted (and none unknown)", " or some proof unknown"),
    "survey": ("every contract found proved (or --no-prove; functions without one are listed, not an error)",
               "some contract refuted, the others proved", "; or some contract unknown or in error"),
}


def exit_status(command: str | None = None) -> str:
    """The exit-status paragraph of ``lnsym [command] --help``."""
    ok, refuted, more = EXIT_MEANING.get(command or "", ("ok", "refuted or mismatch", ""))
    refuted = refuted or "(not used by this command)"
    return (f"exit status:\n  0    {ok}\n  1    {refuted}\n  2    usage or input error, one line on stderr{more}\n"
            "  130  interrupted (Ctrl-C)")

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


_HEX = re.compile(r"(?:0[xX])?([0-9a-fA-F]+)")


def parse_word(text: str) -> int:
    """An instruction word in hexadecimal, with or without ``0x``/``0X`` (``8b020020``, ``0x8b020020``)."""
    m = _HEX.fullmatch(text.strip())
    if m is None:
        raise LnsymError(f"not an instruction word: {text!r} (expected hex digits, e.g. 8b020020 or 0x8b020020)")
    word = int(m.group(1), 16)
    if word >= 1 << 32:
        raise LnsymError(f"instruction word out of range: {text!r} (more than 32 bits)")
    return word


def decode_line(word: int) -> tuple[str, bool]:
    """One line for ``word``: address-free encoding name, fields and capstone's text; ``False`` if lnsym has no
    encoding for it (the line then gives the decoder's reason)."""
    import isa
    from isa.decoder import DecodeError
    from lnsym.machine.stepper import capstone_text

    shown = capstone_text(word) or "capstone: not a valid instruction"
    try:
        pattern, _ = isa.decoder().decode(word)
    except DecodeError as exc:
        return f"{word:#010x}  {'UNSUPPORTED':28s} {exc.reason}   ; {shown}", False
    fields = " ".join(f"{k}={v:#x}" for k, v in pattern.field_values(word).items())
    return f"{word:#010x}  {pattern.name:28s} {fields}   ; {shown}", True


def _cmd_decode(args: argparse.Namespace) -> int:
    words = [parse_word(text) for text in args.words]  # a malformed word is an input error before any output
    unsupported = 0
    for word in words:
        line, ok = decode_line(word)
        print(line)
        unsupported += not ok
    if unsupported:
        print(f"lnsym: {unsupported} of {len(words)} word(s) unsupported", file=sys.stderr)
    return EXIT_REFUTED if unsupported else EXIT_OK


def _cmd_bench(args: argparse.Namespace) -> int:
    if args.instructions is not None and args.instructions < 1:
        raise LnsymError(f"--instructions must be at least 1, not {args.instructions}")
    if args.repeat < 1:
        raise LnsymError(f"--repeat must be at least 1, not {args.repeat}")

    if args.growth:
        from benchmarks.growth import run_growth

        if args.cap <= 0:
            raise LnsymError(f"--cap must be positive, not {args.cap}")
        return run_growth(quick=args.quick, cap_s=args.cap, as_json=args.json, mem_cap_mb=args.mem_cap)
    if args.proofs:
        from benchmarks.proofs import run_proof_benchmarks

        return run_proof_benchmarks()
    if args.symbolic:
        from benchmarks.symbolic import run_symbolic_benchmarks

        run_symbolic_benchmarks()
        return 0
    if args.instructions is not None:
        from benchmarks.concrete import run_loop

        run_loop(args.instructions, args.repeat, args.json)
        return 0
    from benchmarks.runner import run_openssl

    run_openssl(args.bytes, args.repeat, args.json)  # --simd is this default (its routines are two of the three)
    return 0


class Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line on stderr (exit 2), like every other input error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lnsym")
    except PackageNotFoundError:  # run from a source tree that is not installed
        from lnsym import __version__

        return __version__


def build_parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = Parser(prog="lnsym", description=__doc__, epilog=exit_status(), formatter_class=raw)
    parser.add_argument("--version", action="version", version=f"lnsym {_package_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("isa", help="list the supported A64 encodings")
    p.add_argument("--json", action="store_true", help="machine-readable table")
    p.set_defaults(func=_cmd_isa)
    p = sub.add_parser("decode", help="decode instruction words",
                       description="Decode 32-bit instruction words: encoding name, fields and capstone's text. "
                       "Every word gets a line; an unsupported one gives the decoder's reason.")
    p.add_argument("words", nargs="+", metavar="WORD", help="hexadecimal, with or without 0x: 8b020020, 0x8b020020")
    p.set_defaults(func=_cmd_decode)
    from lnsym.cli.conform import add_parser as add_conform

    add_conform(sub)
    from lnsym.cli.verify import add_parser as add_verify

    add_verify(sub)
    from lnsym.cli.prove import add_parser as add_prove

    add_prove(sub)
    from lnsym.cli.survey import add_parser as add_survey

    add_survey(sub)
    from lnsym.cli.mutate import add_parser as add_mutate

    add_mutate(sub)
    p = sub.add_parser("bench", help="speed: lnsym against Unicorn on real OpenSSL code, warm runs, medians",
                       description="Time OpenSSL's integer SHA-256 (sha256_block_data_order, OPENSSL_armcap_P = 0),\n"
                       "SHA256H (sha256_block_armv8) and AES-128-CTR (aes_v8_ctr32_encrypt_blocks), --bytes each,\n"
                       "on lnsym and on Unicorn (emu_start with no count and no hook), after checking the output\n"
                       "against hashlib / cryptography: one untimed run per engine, then --repeat timed runs of each;\n"
                       "median CPU time (min - max), instructions/s, wall time, and the ratio lnsym/Unicorn.")
    p.add_argument("--bytes", type=int, default=64 * 1024, help="bytes per workload, a multiple of 64 (default 65536)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per engine and workload (default 5)")
    p.add_argument("--json", action="store_true", help="machine-readable result")
    p.add_argument("--instructions", type=int, metavar="N",
                   help="instead: a synthetic 18-instruction loop run for N instructions (a micro-benchmark)")
    p.add_argument("--simd", action="store_true", help="the default (kept as an alias: its two routines are in it)")
    p.add_argument("--proofs", action="store_true", help="time every built-in and bundled proof (goal: 60 s in all)")
    p.add_argument("--symbolic", action="store_true",
                   help="symbolic execution of OpenSSL SHA-256/512 and AES blocks: steps/s, output term sizes")
    p.add_argument("--growth", action="store_true",
                   help="proof cost against block count (SHA-256 CE n = 1, 4, 16, 64; AES-CTR 1, 35, 140 blocks), "
                   "each in a fresh process: CPU s, peak RSS, growth exponent (goal <= 1.2)")
    p.add_argument("--quick", action="store_true", help="with --growth: small sizes only (SHA 1, 4, 8; CTR 1, 8, 35)")
    p.add_argument("--cap", type=float, default=600.0, metavar="S",
                   help="with --growth: CPU seconds per size; larger sizes are skipped once one exceeds it (600)")
    p.add_argument("--mem-cap", type=int, default=8000, metavar="MB",
                   help="with --growth: address space per size (RLIMIT_AS); over it counts as over the cap (8000)")
    p.set_defaults(func=_cmd_bench)
    from lnsym.cli.image import add_parsers

    add_parsers(sub)  # disasm, coverage, run, fetch
    for name, command in sub.choices.items():  # the convention, with what 0 and 1 mean here
        command.formatter_class = raw
        command.epilog = exit_status(name)
    return parser


def _fail(message: str) -> int:
    print(f"lnsym: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit status (see :func:`exit_status`)."""
    tune_gc()
    try:
        args = build_parser().parse_args(argv)
        func: Callable[[argparse.Namespace], int] = args.func
        return func(args)
    except KeyboardInterrupt:
        print("lnsym: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (lnsym ... | head): not an error of ours
        return EXIT_OK
    except LnsymError as exc:
        return _fail(str(exc))
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        return _fail(f"{exc.strerror or exc}{where}")
    except RecursionError as exc:
        return _fail(f"input nests too deeply ({exc})")
    except Exception as exc:  # a bug in lnsym: show where, but keep the convention (1 would read as refuted)
        import traceback

        traceback.print_exc()
        return _fail(f"internal error: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
