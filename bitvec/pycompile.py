"""Compile terms to straight-line Python over ints: the fast concrete backend.

:func:`emit` turns a set of root terms into assignment lines ``t<serial> = <expr>`` in dependency
order; variables are referenced through a caller-supplied naming function.  The meaning of each
operator matches :mod:`bitvec.concrete` exactly (checked by differential tests).
"""

from __future__ import annotations

from collections.abc import Callable

from bitvec.term import Term, postorder


def _mask(width: int) -> str:
    return hex((1 << width) - 1)


def _signed(expr: str, width: int) -> str:
    sign = 1 << (width - 1)
    return f"(({expr} ^ {hex(sign)}) - {hex(sign)})"


def _shl(t: Term, a: list[str]) -> str:
    w, m = t.width, _mask(t.width)
    if t.args[1].op == "const":  # a constant amount (every xtime of AES MixColumns): no test at run time
        k = t.args[1].params[0]
        return f"({a[0]} << {k}) & {m}" if k < w else "0"
    return f"(({a[0]} << {a[1]}) & {m} if {a[1]} < {w} else 0)"


def _rotr(t: Term, a: list[str]) -> str:
    w, k = t.width, t.params[0]
    return f"(({a[0]} >> {k}) | ({a[0]} << {w - k})) & {_mask(w)}"


def _extract(t: Term, a: list[str]) -> str:
    hi, lo = t.params
    return f"({a[0]} >> {lo}) & {_mask(hi - lo + 1)}" if lo else f"{a[0]} & {_mask(hi + 1)}"


def _concat(t: Term, a: list[str]) -> str:
    parts = []
    shift = 0
    for arg, src in zip(reversed(t.args), reversed(a)):
        if not (arg.op == "const" and arg.params[0] == 0):
            parts.append(f"({src} << {shift})" if shift else src)
        shift += arg.width
    return " | ".join(reversed(parts)) if parts else "0"


def _signed_compare(symbol: str) -> Callable[[Term, list[str]], str]:
    def compare(t: Term, a: list[str]) -> str:
        w = t.args[0].width
        return f"int({_signed(a[0], w)} {symbol} {_signed(a[1], w)})"

    return compare


PYTHON_TRANSLATION: dict[str, Callable[[Term, list[str]], str]] = {
    "add": lambda t, a: f"({a[0]} + {a[1]}) & {_mask(t.width)}",
    "sub": lambda t, a: f"({a[0]} - {a[1]}) & {_mask(t.width)}",
    "mul": lambda t, a: f"({a[0]} * {a[1]}) & {_mask(t.width)}",
    "and": lambda t, a: f"{a[0]} & {a[1]}",
    "or": lambda t, a: f"{a[0]} | {a[1]}",
    "xor": lambda t, a: f"{a[0]} ^ {a[1]}",
    "not": lambda t, a: f"{a[0]} ^ {_mask(t.width)}",
    "neg": lambda t, a: f"-{a[0]} & {_mask(t.width)}",
    "udiv": lambda t, a: f"({a[0]} // {a[1]} if {a[1]} else {_mask(t.width)})",
    "urem": lambda t, a: f"({a[0]} % {a[1]} if {a[1]} else {a[0]})",
    "sdiv": lambda t, a: f"_sdiv({_signed(a[0], t.width)}, {_signed(a[1], t.width)}, {t.width})",
    "shl": _shl,
    "lshr": lambda t, a: f"{a[0]} >> {a[1]}",
    "ashr": lambda t, a: f"({_signed(a[0], t.width)} >> min({a[1]}, {t.width})) & {_mask(t.width)}",
    "rotr": _rotr,
    "extract": _extract,
    "sext": lambda t, a: f"{_signed(a[0], t.args[0].width)} & {_mask(t.width)}",
    "concat": _concat,
    "eq": lambda t, a: f"int({a[0]} == {a[1]})",
    "ult": lambda t, a: f"int({a[0]} < {a[1]})",
    "ule": lambda t, a: f"int({a[0]} <= {a[1]})",
    "slt": _signed_compare("<"),
    "sle": _signed_compare("<="),
    "ite": lambda t, a: f"({a[1]} if {a[0]} else {a[2]})",
    "clz": lambda t, a: f"{t.width} - {a[0]}.bit_length()",
    "popcount": lambda t, a: f"{a[0]}.bit_count()",
    "lut": lambda t, a: f"{t.params[0]!r}[{a[0]}]",
}


def expression(t: Term, ref: Callable[[Term], str]) -> str:
    """Python source computing ``t`` from its arguments (referenced through ``ref``)."""
    translate = PYTHON_TRANSLATION.get(t.op)
    if translate is None:
        raise NotImplementedError(f"no Python translation for operator {t.op!r}")
    return translate(t, [ref(x) for x in t.args])


def sdiv(a: int, b: int, width: int) -> int:
    """Signed division toward zero with SMT-LIB's division-by-zero result."""
    mask = (1 << width) - 1
    if b == 0:
        return 1 if a < 0 else mask
    q = abs(a) // abs(b)
    return (-q if (a < 0) != (b < 0) else q) & mask


FUSE_DEPTH = 6  # how deeply fused expressions may nest inside one line
_REPEATS_ARGUMENTS = frozenset({"rotr", "shl", "udiv", "urem"})  # operators whose Python text names an argument twice


def emit(roots: list[Term], var_ref: Callable[[Term], str], done: set[int] | None = None,
         fuse: bool = False) -> list[str]:
    """Assignment lines computing every non-leaf node reachable from ``roots`` (skipping ``done``).

    With ``fuse``, a node used once among these nodes (and not a root) is written into its user's
    line instead of getting its own (up to FUSE_DEPTH levels): fewer local stores and loads.  Such a
    node is not added to ``done``, so a later call that needs it computes it again."""
    seen = done if done is not None else set()
    lines: list[str] = []
    order = [n for n in postorder(roots) if n.op not in ("const", "var") and n.serial not in seen]
    uses: dict[int, int] = {}
    if fuse:
        for node in order:
            weight = 2 if node.op in _REPEATS_ARGUMENTS else 1  # its line would repeat a fused argument
            for a in node.args:
                uses[a.serial] = uses.get(a.serial, 0) + weight
        for r in roots:
            uses[r.serial] = 2  # roots are always named
    fused: dict[int, tuple[str, int]] = {}  # serial -> (expression, nesting depth)

    def ref(x: Term) -> str:
        if x.op == "const":
            return hex(x.params[0])
        if x.op == "var":
            return var_ref(x)
        if x.serial in fused:
            return f"({fused[x.serial][0]})"
        return f"t{x.serial}"

    for node in order:
        if node.serial in seen:
            continue
        text = expression(node, ref)
        depth = 1 + max((fused[a.serial][1] for a in node.args if a.serial in fused), default=0)
        if uses.get(node.serial, 0) == 1 and depth < FUSE_DEPTH:
            fused[node.serial] = (text, depth)
            continue
        seen.add(node.serial)
        lines.append(f"t{node.serial} = {text}")
    return lines


def reference(x: Term, var_ref: Callable[[Term], str]) -> str:
    """How a compiled line refers to ``x``."""
    if x.op == "const":
        return hex(x.params[0])
    if x.op == "var":
        return var_ref(x)
    return f"t{x.serial}"
