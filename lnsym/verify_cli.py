"""``lnsym verify``: prove contracts, print a summary table, exit 0 (all proved) / 1 (refuted) / 2 (otherwise)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lnsym.contract import Contract, load_contract_file
from lnsym.errors import LnsymError


def bundled_programs_dir() -> Path:
    """The bundled ``programs/`` folder (installed as package data, or the source checkout's)."""
    import programs

    return Path(programs.__file__).resolve().parent


def resolve_targets(targets: list[str]) -> list[Contract]:
    """Contract files, or folders of them; no target means every bundled (non-buggy) routine."""
    if not targets:
        files = sorted(p for p in bundled_programs_dir().glob("*.py") if not p.name.startswith("_"))
    else:
        files = []
        builtin: list[Contract] = []
        for t in targets:
            p = Path(t)
            if t.startswith("openssl:"):
                from lnsym.contracts.openssl import contract
                from lnsym.fetch import openssl_libcrypto

                builtin.append(contract(t.split(":", 1)[1], str(openssl_libcrypto())))
            elif p.is_dir():
                files += sorted(q for q in p.glob("*.py") if not q.name.startswith("_"))
            elif p.is_file():
                files.append(p)
            else:
                raise LnsymError(f"no contract file or folder {t}")
    contracts: list[Contract] = [] if not targets else builtin
    for f in files:
        contracts += load_contract_file(f)
    if not contracts:
        raise LnsymError("no contracts to verify")
    return contracts


def run(args: argparse.Namespace) -> int:
    from lnsym.prover import verify

    contracts = resolve_targets(args.targets)
    results = []
    smt_root = Path(args.smt_out) if args.smt_out else None
    if args.recheck and smt_root is None:
        import tempfile

        smt_root = Path(tempfile.mkdtemp(prefix="lnsym-smt-"))
    for c in contracts:
        if not args.json:
            print(f"verifying {c.name} ...", file=sys.stderr, flush=True)
        try:
            r = verify(c, object_override=args.object, timeout_s=args.timeout,
                       smt_out=smt_root / _safe_dir(c.name) if smt_root else None)
            if args.recheck:
                from lnsym.recheck import recheck

                for o in r.obligations:
                    if o.smt_file and o.verdict == "proved":
                        o.recheck = f"{args.recheck}:{recheck(o.smt_file, args.recheck, args.timeout)}"
        except LnsymError as exc:
            from lnsym.prover import Result

            r = Result(c.name, "error", list(c.preconditions), detail=str(exc))
        results.append(r)
    if args.json:
        json.dump([r.to_json() for r in results], sys.stdout, indent=1)
        print()
    else:
        _print_table(results)
    if args.report:
        from lnsym.report import write_html

        write_html(Path(args.report), contracts, results)
    verdicts = {r.verdict for r in results}
    if verdicts == {"proved"}:
        return 0
    if "refuted" in verdicts and verdicts <= {"proved", "refuted"}:
        return 1
    return 2


def _safe_dir(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def _print_table(results: list[object]) -> None:
    rows = [("routine", "verdict", "time", "steps", "obligations", "method", "recheck")]
    for r in results:
        methods = sorted({o.method for o in r.obligations})  # type: ignore[attr-defined]
        rechecks = [o.recheck for o in r.obligations if o.recheck]  # type: ignore[attr-defined]
        summary = ""
        if rechecks:
            solver = rechecks[0].split(":")[0]
            agreed = sum(x.endswith(":unsat") for x in rechecks)
            summary = f"{solver} {agreed}/{len(rechecks)} unsat"
        rows.append((r.contract, r.verdict.upper(), f"{r.seconds:.2f}s", str(r.steps),  # type: ignore[attr-defined]
                     str(len(r.obligations)), ",".join(methods), summary))  # type: ignore[attr-defined]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    for r in results:
        if r.verdict != "proved" or r.assumptions:  # type: ignore[attr-defined]
            print(f"\n{r.contract}: {r.verdict}")  # type: ignore[attr-defined]
            for a in r.assumptions:  # type: ignore[attr-defined]
                print(f"  assumes: {a}")
            if r.detail:  # type: ignore[attr-defined]
                print(f"  {r.detail}")  # type: ignore[attr-defined]
            cx = r.counterexample  # type: ignore[attr-defined]
            if cx:
                print(f"  counterexample for {cx['obligation']}: inputs {cx['inputs']}")
                print(f"    expected {cx['expected']}, routine computes {cx['symbolic_actual']}")
                for key in ("replay_lnsym", "replay_unicorn"):
                    if key in cx:
                        print(f"    {key}: {cx[key]}")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify", help="prove routines equal to their specifications")
    p.add_argument("targets", nargs="*", help="contract files or folders (default: the bundled programs)")
    p.add_argument("--object", help="verify the contracts against this object instead")
    p.add_argument("--json", action="store_true")
    p.add_argument("--smt-out", help="write every obligation as an SMT-LIB2 file under this folder")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per solver query (timeout = unknown)")
    p.add_argument("--report", help="write an HTML report to this file")
    p.add_argument("--recheck", choices=("bitwuzla", "cvc5"),
                   help="re-prove every solver-exported obligation with a second solver (optional extra)")
    p.set_defaults(func=run)
