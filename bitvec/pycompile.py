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


def expression(t: Term, ref: Callable[[Term], str]) -> str:
    """Python source computing ``t`` from its arguments (referenced through ``ref``)."""
    op, w, p = t.op, t.width, t.params
    m = _mask(w)
    a = [ref(x) for x in t.args]
    if op == "add":
        return f"({a[0]} + {a[1]}) & {m}"
    if op == "sub":
        return f"({a[0]} - {a[1]}) & {m}"
    if op == "mul":
        return f"({a[0]} * {a[1]}) & {m}"
    if op == "and":
        return f"{a[0]} & {a[1]}"
    if op == "or":
        return f"{a[0]} | {a[1]}"
    if op == "xor":
        return f"{a[0]} ^ {a[1]}"
    if op == "not":
        return f"{a[0]} ^ {m}"
    if op == "neg":
        return f"-{a[0]} & {m}"
    if op == "udiv":
        return f"({a[0]} // {a[1]} if {a[1]} else {m})"
    if op == "urem":
        return f"({a[0]} % {a[1]} if {a[1]} else {a[0]})"
    if op == "sdiv":
        sa, sb = _signed(a[0], w), _signed(a[1], w)
        return f"_sdiv({sa}, {sb}, {w})"
    if op == "shl":
        if t.args[1].op == "const":  # a constant amount (every xtime of AES MixColumns): no test at run time
            k = t.args[1].params[0]
            return f"({a[0]} << {k}) & {m}" if k < w else "0"
        return f"(({a[0]} << {a[1]}) & {m} if {a[1]} < {w} else 0)"
    if op == "lshr":
        return f"{a[0]} >> {a[1]}"
    if op == "ashr":
        return f"({_signed(a[0], w)} >> min({a[1]}, {w})) & {m}"
    if op == "rotr":
        k = p[0]
        return f"(({a[0]} >> {k}) | ({a[0]} << {w - k})) & {m}"
    if op == "extract":
        hi, lo = p
        return f"({a[0]} >> {lo}) & {_mask(hi - lo + 1)}" if lo else f"{a[0]} & {_mask(hi + 1)}"
    if op == "sext":
        inner = t.args[0].width
        return f"{_signed(a[0], inner)} & {m}"
    if op == "concat":
        parts = []
        shift = 0
        for arg, src in zip(reversed(t.args), reversed(a)):
            if not (arg.op == "const" and arg.params[0] == 0):
                parts.append(f"({src} << {shift})" if shift else src)
            shift += arg.width
        if not parts:
            return "0"
        return " | ".join(reversed(parts))
    if op == "eq":
        return f"int({a[0]} == {a[1]})"
    if op == "ult":
        return f"int({a[0]} < {a[1]})"
    if op == "ule":
        return f"int({a[0]} <= {a[1]})"
    if op == "slt":
        return f"int({_signed(a[0], t.args[0].width)} < {_signed(a[1], t.args[0].width)})"
    if op == "sle":
        return f"int({_signed(a[0], t.args[0].width)} <= {_signed(a[1], t.args[0].width)})"
    if op == "ite":
        return f"({a[1]} if {a[0]} else {a[2]})"
    if op == "clz":
        return f"{w} - {a[0]}.bit_length()"
    if op == "popcount":
        return f"{a[0]}.bit_count()"
    if op == "lut":
        return f"{p[0]!r}[{a[0]}]"
    raise NotImplementedError(f"no Python translation for operator {op!r}")


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
