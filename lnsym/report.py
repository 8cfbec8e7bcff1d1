"""``lnsym verify --report FILE.html``: per routine, the contract, assumptions, obligations and any
counterexample, as one self-contained HTML page."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path

from lnsym.contract import Buffer, BufferOut, Contract, Return, Scalar
from lnsym.prover import Result

_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
    "padding:2px 8px}.proved{color:#060}.refuted{color:#b00}.unknown,.error{color:#b60}pre{background:#f6f6f6}"
)


def _describe(c: Contract) -> str:
    args = []
    for i, a in enumerate(c.args):
        if isinstance(a, Scalar):
            args.append(f"x{i} = {a.name} ({a.width} bits{'' if a.value is None else f', = {a.value}'})")
        elif isinstance(a, Buffer):
            args.append(f"x{i} = &{a.name} ({a.size} bytes, {'writable' if a.writable else 'read-only'})")
    outs = [f"return {o.name}" if isinstance(o, Return) else f"buffer {o.buffer}"
            for o in c.outputs if isinstance(o, Return | BufferOut)]
    return f"{c.object} : {c.symbol}<br>arguments: {html.escape('; '.join(args))}<br>outputs: {', '.join(outs)}"


def write_html(path: Path, contracts: Sequence[Contract], results: Sequence[Result]) -> None:
    rows = "".join(
        f"<tr><td>{html.escape(r.contract)}</td><td class={r.verdict}>{r.verdict}</td>"
        f"<td>{r.seconds:.2f} s</td><td>{r.steps}</td><td>{len(r.obligations)}</td></tr>"
        for r in results
    )
    parts = [f"<!doctype html><meta charset=utf-8><title>lnsym verify</title><style>{_STYLE}</style>",
             "<h1>lnsym verify</h1><table><tr><th>routine</th><th>verdict</th><th>time</th><th>steps</th>"
             f"<th>obligations</th></tr>{rows}</table>"]
    for c, r in zip(contracts, results):
        parts.append(f"<h2>{html.escape(r.contract)} — <span class={r.verdict}>{r.verdict}</span></h2>")
        parts.append(f"<p>{_describe(c)}</p>")
        if r.detail:
            parts.append(f"<p>{html.escape(r.detail)}</p>")
        parts.append("<p>assumptions:</p><ul>" + "".join(f"<li>{html.escape(a)}</li>" for a in r.assumptions) + "</ul>")
        parts.append("<table><tr><th>obligation</th><th>verdict</th><th>method</th><th>time</th></tr>" + "".join(
            f"<tr><td>{html.escape(o.name)}</td><td class={o.verdict}>{o.verdict}</td><td>{o.method}</td>"
            f"<td>{o.seconds:.3f} s</td></tr>" for o in r.obligations) + "</table>")
        if r.counterexample:
            parts.append("<p>counterexample:</p><pre>" + html.escape(json.dumps(r.counterexample, indent=1)) + "</pre>")
    path.write_text("\n".join(parts) + "\n")
