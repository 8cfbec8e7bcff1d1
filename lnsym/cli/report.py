"""``lnsym verify --report FILE.html``: one self-contained HTML page (inline CSS, no scripts, no external
resources) with the totals, then per routine: the contract, its assumptions, its obligations and any
counterexample as tables (inputs; per output: expected, the routine's symbolic value, the lnsym and Unicorn
replays).  Long values wrap, so the page never scrolls sideways; file paths are shown relative to the
current folder, or with the home folder as ``~`` (no absolute paths of this machine)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from lnsym.prove.contract import Buffer, BufferOut, Contract, Return, Scalar
from lnsym.prove.prover import Result

VERDICTS = ("proved", "refuted", "unknown", "error")

_STYLE = """
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;color:#1d2329;background:#fff;margin:0 auto;padding:1.5em 2em;
 max-width:1200px;overflow-wrap:anywhere}
h1{font-size:1.6em;margin:0 0 .4em}h2{font-size:1.25em;margin:0 0 .5em}h3{font-size:1em;margin:1em 0 .3em}
section.routine{border:1px solid #d0d7de;border-left:6px solid #8c959f;border-radius:6px;padding:1em 1.2em;
 margin:1.2em 0}
section.proved{border-left-color:#1a7f37}section.refuted{border-left-color:#cf222e}
section.unknown,section.error{border-left-color:#bf8700}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.3em 0 .8em}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num,th.num{text-align:right}
code,.mono{font-family:ui-monospace,monospace;font-size:.92em;word-break:break-all}
.badge{display:inline-block;padding:0 .55em;border-radius:1em;font-weight:600;font-size:.9em;color:#fff;
 white-space:nowrap}
.badge.proved{background:#1a7f37}.badge.refuted{background:#cf222e}
.badge.unknown,.badge.error{background:#9a6700}
.badge.no-contract,.badge.not-run{background:#57606a}
.totals{display:flex;flex-wrap:wrap;gap:.6em;margin:.6em 0 1em}
.totals div{border:1px solid #d0d7de;border-radius:6px;padding:.4em .9em;background:#f6f8fa}
.totals b{font-size:1.3em;display:block}
.detail{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.5em .8em}
.wrong{color:#cf222e;font-weight:600}.same{color:#57606a}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.2em 1em;margin:.4em 0}
dt{font-weight:600}dd{margin:0}
details summary{cursor:pointer;margin:.4em 0}
ul{margin:.2em 0;padding-left:1.4em}
"""

_REPLAY_LINE = re.compile(r"(?P<output>[^:]+): expected (?P<expected>\S+), got (?P<got>\S+)")


_ABSOLUTE = re.compile(r"(?<![\w.~/])/[\w.+@-]+(?:/[\w.+@-]+)*/?")


def shorten(text: str) -> str:
    """``text`` with this machine's absolute paths (those whose top folder exists, e.g. ``/home/...``,
    ``/tmp/...``) shown as :func:`_path` shows them."""

    def one(m: re.Match[str]) -> str:
        token = m.group(0)
        top = "/" + token.split("/")[1]
        return _path(token) if os.path.isdir(top) else token

    return _ABSOLUTE.sub(one, text)


def _path(path: str | os.PathLike[str]) -> str:
    """A file path as shown: relative to the current folder when inside it, ``~/...`` under the home folder,
    else relative to the current folder (``../..``), never absolute."""
    p = os.path.abspath(path)
    cwd, home = os.getcwd(), str(Path.home())
    if p == cwd or p.startswith(cwd.rstrip(os.sep) + os.sep):
        return os.path.relpath(p, cwd)
    if home != os.sep and p.startswith(home.rstrip(os.sep) + os.sep):
        return "~" + p[len(home.rstrip(os.sep)):]
    return os.path.relpath(p, cwd)


def _t(value: object) -> str:
    """Escaped text, paths shortened."""
    return escape(shorten(str(value)))


def badge(verdict: str) -> str:
    """A coloured verdict label (``no contract`` and ``not run`` grey)."""
    return f'<span class="badge {escape(verdict.replace(" ", "-"))}">{escape(verdict.upper())}</span>'


def _contract(c: Contract) -> str:
    args = []
    for i, a in enumerate(c.args):
        if isinstance(a, Scalar):
            fixed = "" if a.value is None else f", = {a.value}"
            args.append(f"x{i} = {a.name} ({a.width} bits{fixed})")
        elif isinstance(a, Buffer):
            args.append(f"x{i} = &{a.name} ({a.size} bytes, {'writable' if a.writable else 'read-only'})")
    outs = [f"return {o.name} ({o.width} bits)" if isinstance(o, Return) else f"buffer {o.buffer}"
            for o in c.outputs if isinstance(o, Return | BufferOut)]
    ghosts = [f"{g.name} ({g.width} bits)" for g in c.ghosts]
    obj = _path(c.object) if c.object else "(the object given by --object)"
    if c.origin is not None and not os.path.isabs(c.object):
        obj = _path(c.object_path())
    rows = [("object", f"<code>{escape(obj)}</code>" + (f" member <code>{_t(c.member)}</code>" if c.member else "")),
            ("symbol", f"<code>{_t(c.symbol)}</code>"),
            ("arguments", "<br>".join(_t(a) for a in args) or "none"),
            ("outputs", "<br>".join(_t(o) for o in outs) or "none")]
    if ghosts:
        rows.append(("ghost inputs", "<br>".join(_t(g) for g in ghosts)))
    if c.origin is not None:
        rows.append(("contract file", f"<code>{escape(_path(c.origin))}</code>"))
    return "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _value(value: object) -> str:
    """A counterexample value as text: mappings as ``k = v`` lines, lists one item a line."""
    if isinstance(value, Mapping):
        return "<br>".join(f"{_t(k)} = {_t(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "<br>".join(_t(v) for v in value)
    return _t(value)


def _replay(value: object) -> tuple[dict[str, tuple[str, str]], list[str], bool]:
    """A replay's per-output differences (output -> expected, got), its other lines, and whether it ran (a list
    of findings; a string says why there is none: not available, run failed, cannot reproduce ...)."""
    lines = value if isinstance(value, list) else [str(value)]
    diffs: dict[str, tuple[str, str]] = {}
    other: list[str] = []
    for line in lines:
        m = _REPLAY_LINE.fullmatch(str(line))
        if m:
            diffs[m["output"]] = (m["expected"], m["got"])
        else:
            other.append(str(line))
    return diffs, other, isinstance(value, list)


def _counterexample(cx: Mapping[str, object]) -> str:
    """Inputs, then per differing output: expected, actual (the routine's symbolic value, for the refuted
    obligation), and what lnsym's machine and Unicorn compute replaying the inputs."""
    parts = [f"<h3>Counterexample for <code>{_t(cx.get('obligation', '?'))}</code></h3>"]
    inputs = cx.get("inputs")
    addresses = cx.get("buffer_addresses") if isinstance(cx.get("buffer_addresses"), Mapping) else {}
    if isinstance(inputs, Mapping) and inputs:
        rows = "".join(
            f"<tr><td><code>{_t(k)}</code></td><td class=mono>{_t(hex(v) if isinstance(v, int) else v)}</td>"
            f"<td class=mono>{_t(addresses.get(k, ''))}</td></tr>"  # type: ignore[union-attr]
            for k, v in inputs.items())
        parts.append('<table class="inputs"><colgroup><col style="width:14%"><col><col style="width:16%"></colgroup>'
                     f"<tr><th>input</th><th>value</th><th>address</th></tr>{rows}</table>")
    entry = cx.get("entry_registers")
    if isinstance(entry, Mapping) and entry:
        parts.append("<p>entry registers: " + ", ".join(f"<code>{_t(k)} = {_t(v)}</code>" for k, v in entry.items())
                     + "</p>")
    lnsym_diffs, lnsym_other, lnsym_ran = _replay(cx.get("replay_lnsym", "not run"))
    uc_diffs, uc_other, uc_ran = _replay(cx.get("replay_unicorn", "not run"))
    obligation = str(cx.get("obligation", ""))
    outputs = list(dict.fromkeys([obligation, *lnsym_diffs, *uc_diffs]))

    def replayed(diffs: dict[str, tuple[str, str]], ran: bool, name: str, expected: str) -> str:
        if name in diffs:
            got = diffs[name][1]
            return f'<span class="{"wrong" if got != expected else "same"}">{_t(got)}</span>'
        return '<span class="same">as expected</span>' if ran else '<span class="same">not replayed</span>'

    rows = []
    for name in outputs:
        expected = (lnsym_diffs.get(name) or uc_diffs.get(name) or ("",))[0]
        actual = ""
        if name == obligation:
            expected = expected or str(cx.get("expected", ""))
            actual = str(cx.get("symbolic_actual", ""))
        rows.append(f"<tr><td><code>{_t(name)}</code></td><td class=mono>{_t(expected)}</td>"
                    f"<td class=mono>{_t(actual) or '<span class=same>-</span>'}</td>"
                    f"<td class=mono>{replayed(lnsym_diffs, lnsym_ran, name, expected)}</td>"
                    f"<td class=mono>{replayed(uc_diffs, uc_ran, name, expected)}</td></tr>")
    if lnsym_other or uc_other:  # callee-saved registers, SP, faults, or why a replay did not run
        rows.append(f"<tr><td>other</td><td></td><td></td><td>{_value(lnsym_other)}</td><td>{_value(uc_other)}</td>"
                    "</tr>")
    parts.append('<table class="outputs"><colgroup><col style="width:16%"><col><col><col><col></colgroup>'
                 "<tr><th>output</th><th>expected (spec)</th><th>actual (symbolic)</th><th>lnsym replay</th>"
                 f"<th>Unicorn replay</th></tr>{''.join(rows)}</table>")
    if "replays" in cx:
        if not uc_ran:
            unicorn = "; Unicorn: " + _t(cx.get("replay_unicorn", "not run"))
        elif cx.get("replay_lnsym") == cx.get("replay_unicorn"):
            unicorn = "; Unicorn computes the same"
        else:
            unicorn = "; <b>Unicorn differs from lnsym</b>"
        parts.append("<p>" + ("the wrong output replays on lnsym's concrete machine" if cx["replays"] else
                              "<b>the wrong output did not replay on lnsym's concrete machine</b>") + unicorn + "</p>")
    shown = {"obligation", "inputs", "buffer_addresses", "entry_registers", "replay_lnsym", "replay_unicorn",
             "expected", "symbolic_actual", "replays"}
    rest = [(k, v) for k, v in cx.items() if k not in shown]
    if rest:
        parts.append("<dl>" + "".join(f"<dt>{_t(k)}</dt><dd class=mono>{_value(v)}</dd>" for k, v in rest) + "</dl>")
    return "".join(parts)


def _obligations(r: Result) -> str:
    if not r.obligations:
        return "<p>no obligations (the routine was not run to its end)</p>"
    recheck = any(o.recheck for o in r.obligations)
    head = ("<tr><th>obligation</th><th>verdict</th><th>method</th><th class=num>time</th>"
            + ("<th>second solver</th>" if recheck else "") + "</tr>")
    rows = "".join(
        f"<tr><td><code>{_t(o.name)}</code></td><td>{badge(o.verdict)}</td><td>{_t(o.method or '')}</td>"
        f"<td class=num>{o.seconds:.3f} s</td>" + (f"<td>{_t(o.recheck)}</td>" if recheck else "") + "</tr>"
        for o in r.obligations)
    counts = ", ".join(f"{n} {v}" for v in (*VERDICTS, "pending")
                       if (n := sum(o.verdict == v for o in r.obligations)))
    opened = " open" if len(r.obligations) <= 40 and r.verdict != "proved" else ""
    plural = "" if len(r.obligations) == 1 else "s"
    return (f"<details{opened}><summary>{len(r.obligations)} obligation{plural}: {counts}</summary>"
            f"<table>{head}{rows}</table></details>")


def render(contracts: Sequence[Contract], results: Sequence[Result]) -> str:
    """The report page as one string."""
    from lnsym import __version__

    counts = {v: sum(r.verdict == v for r in results) for v in VERDICTS}
    seconds = sum(r.seconds for r in results)
    n_obl = sum(len(r.obligations) for r in results)
    totals = [("routines", len(results)), *((v, counts[v]) for v in VERDICTS if counts[v] or v != "error"),
              ("obligations", n_obl), ("steps", sum(r.steps for r in results)), ("time", f"{seconds:.2f} s")]
    parts = [f"<h1>lnsym verify</h1><p>lnsym {escape(__version__)}; every routine is <b>proved</b> equal to its "
             "specification under the assumptions listed, <b>refuted</b> with inputs that replay the wrong output, or "
             "<b>unknown</b>/<b>error</b> (neither).</p>",
             '<div class="totals">' + "".join(f"<div><b>{escape(str(n))}</b>{escape(k)}</div>" for k, n in totals)
             + "</div>"]
    rows = "".join(
        f'<tr><td><a href="#{anchor(r.contract)}"><code>{_t(r.contract)}</code></a></td><td>{badge(r.verdict)}</td>'
        f"<td class=num>{len(r.obligations)}</td><td class=num>{r.seconds:.2f} s</td><td class=num>{r.steps}</td>"
        f"<td class=num>{len(r.assumptions)}</td>"
        f"<td>{_t(', '.join(sorted({o.method for o in r.obligations if o.method})))}</td></tr>"
        for r in results)
    foot = (f"<tr><th>total ({len(results)})</th><th>{counts['proved']}/{len(results)} proved</th>"
            f"<th class=num>{n_obl}</th><th class=num>{seconds:.2f} s</th>"
            f"<th class=num>{sum(r.steps for r in results)}</th>"
            f"<th class=num>{sum(len(r.assumptions) for r in results)}</th><th></th></tr>")
    widths = "".join(f'<col style="width:{w}%">' for w in (32, 11, 11, 10, 8, 11))
    parts.append(f'<table class="summary"><colgroup>{widths}<col></colgroup>'
                 "<tr><th>routine</th><th>verdict</th><th class=num>obligations</th><th class=num>time</th>"
                 f"<th class=num>steps</th><th class=num>assumptions</th><th>method</th></tr>{rows}{foot}</table>")
    parts += [section(c, r) for c, r in zip(contracts, results)]
    return page(f"lnsym verify: {counts['proved']}/{len(results)} proved", parts)


def anchor(name: str) -> str:
    """The HTML id of a routine's section."""
    return "r-" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def section(c: Contract, r: Result, ident: str | None = None) -> str:
    """One routine: its contract, detail, assumptions, counterexample and obligations (id ``ident``, by default
    :func:`anchor` of its name)."""
    parts = [f'<section class="routine {escape(r.verdict)}" id="{escape(ident or anchor(r.contract))}">'
             f"<h2><code>{_t(r.contract)}</code> {badge(r.verdict)}</h2>", _contract(c)]
    if r.detail:
        parts.append(f'<p class="detail">{_t(r.detail)}</p>')
    parts.append(f"<h3>Assumptions ({len(r.assumptions)})</h3>")
    parts.append("<ul>" + "".join(f"<li>{_t(a)}</li>" for a in r.assumptions) + "</ul>" if r.assumptions
                 else "<p>none</p>")
    if r.counterexample:
        parts.append(_counterexample(r.counterexample))
    parts.append(_obligations(r))
    parts.append("</section>")
    return "".join(parts)


def page(title: str, body: Sequence[str]) -> str:
    """A self-contained page (inline CSS, no scripts) with ``body``'s HTML fragments."""
    head = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>", f"<style>{_STYLE}</style></head><body>"]
    return "\n".join([*head, *body, "</body></html>"]) + "\n"


def write_html(path: Path, contracts: Sequence[Contract], results: Sequence[Result]) -> None:
    """Write :func:`render`'s page to ``path``."""
    path.write_text(render(contracts, results), encoding="utf-8")
