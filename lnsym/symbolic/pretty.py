"""Short infix renderings of terms for messages (``num + 0xffffffffffffffff != 0``)."""

from __future__ import annotations

from bitvec import Value
from bitvec.term import Term, lift

_INFIX = {
    "add": "+", "sub": "-", "mul": "*", "and": "&", "or": "|", "xor": "^", "eq": "==", "ult": "<u", "ule": "<=u",
    "slt": "<s", "sle": "<=s", "shl": "<<", "lshr": ">>", "ashr": ">>s", "udiv": "/u", "urem": "%u",
}


def pretty(value: Value, limit: int = 240) -> str:
    """``value`` in infix notation, cut to about ``limit`` characters (shared nodes are repeated)."""
    text = _render(lift(value, None), limit + 1)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _render(t: Term, budget: int) -> str:
    if budget <= 0:
        return "..."
    if t.op == "const":
        v = t.params[0]
        return str(v) if v < 10 else hex(v)
    if t.op == "var":
        return str(t.params[0])
    if t.op == "not" and t.args[0].op == "eq":
        a, b = sorted(t.args[0].args, key=lambda x: x.op == "const")  # a constant on the right
        return f"{_sub(a, budget // 2)} != {_sub(b, budget // 2)}"
    if t.op == "not":
        return ("!" if t.width == 1 else "~") + _sub(t.args[0], budget - 1)
    if t.op == "add" and t.args[1].op == "const" and t.args[1].params[0] >> (t.width - 1):
        return f"{_sub(t.args[0], budget - 8)} - {(-t.args[1].params[0]) % (1 << t.width):#x}"
    if t.op in _INFIX and len(t.args) == 2:
        a, b = sorted(t.args, key=lambda x: x.op == "const") if t.op in ("eq", "add", "and", "or", "xor") else t.args
        return f"{_sub(a, budget // 2)} {_INFIX[t.op]} {_sub(b, budget // 2)}"
    if t.op == "extract":
        hi, lo = t.params
        return f"{_sub(t.args[0], budget - 8)}[{hi}:{lo}]" if hi != lo else f"{_sub(t.args[0], budget - 4)}[{hi}]"
    if t.op == "ite":
        c, a, b = t.args
        return f"({_render(c, budget // 3)} ? {_render(a, budget // 3)} : {_render(b, budget // 3)})"
    if t.op == "concat":
        share = max(1, budget // len(t.args))
        return "{" + ", ".join(_render(a, share) for a in t.args) + "}"
    head = t.op + (f"[{','.join(map(str, t.params))}]" if t.params and t.op != "lut" else "")
    share = max(1, budget // max(1, len(t.args)))
    return f"{head}(" + ", ".join(_render(a, share) for a in t.args) + ")"


def _sub(t: Term, budget: int) -> str:
    text = _render(t, budget)
    bracketed = t.op in ("ite", "concat", "var", "const") or (text.endswith(")") and text.startswith(t.op))
    return text if bracketed or " " not in text else f"({text})"
