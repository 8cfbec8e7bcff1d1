"""SMT-LIB2 text for terms, with sharing preserved (one ``define-fun`` per shared node), and term
statistics.  Any SMT-LIB2 solver (Z3, cvc5, Bitwuzla) can re-check an exported obligation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bitvec.term import Term, postorder


def _const(value: int, width: int) -> str:
    return f"#b{value:0{width}b}" if width % 4 else f"#x{value:0{width // 4}x}"


def _name(t: Term) -> str:
    return f"|{t.params[0]}|" if t.op == "var" else f"t{t.serial}"


def _apply(name: str) -> Callable[[Term, list[str]], str]:
    return lambda t, a: f"({name} {' '.join(a)})"


def _predicate(name: str) -> Callable[[Term, list[str]], str]:
    return lambda t, a: f"(ite ({name} {a[0]} {a[1]}) #b1 #b0)"


def _clz(t: Term, a: list[str]) -> str:
    w = t.width
    result = _const(w, w)
    for i in range(w):
        result = f"(ite (= ((_ extract {i} {i}) {a[0]}) #b1) {_const(w - 1 - i, w)} {result})"
    return result


def _lut(t: Term, a: list[str]) -> str:
    level = [_const(v, t.width) for v in t.params[0]]
    for b in range(t.args[0].width):
        level = [f"(ite (= ((_ extract {b} {b}) {a[0]}) #b1) {level[i + 1]} {level[i]})"
                 for i in range(0, len(level), 2)]
    return level[0]


def _popcount(t: Term, a: list[str]) -> str:
    w = t.width
    bits = [f"((_ zero_extend {w - 1}) ((_ extract {i} {i}) {a[0]}))" for i in range(w)] if w > 1 else [a[0]]
    return bits[0] if len(bits) == 1 else f"(bvadd {' '.join(bits)})"


SMTLIB_TRANSLATION: dict[str, Callable[[Term, list[str]], str]] = {
    **{op: _apply(name) for op, name in {
        "add": "bvadd", "sub": "bvsub", "mul": "bvmul", "and": "bvand", "or": "bvor", "xor": "bvxor",
        "not": "bvnot", "neg": "bvneg", "udiv": "bvudiv", "urem": "bvurem", "sdiv": "bvsdiv",
        "shl": "bvshl", "lshr": "bvlshr", "ashr": "bvashr", "concat": "concat"}.items()},
    **{op: _predicate(name) for op, name in {
        "eq": "=", "ult": "bvult", "ule": "bvule", "slt": "bvslt", "sle": "bvsle"}.items()},
    "rotr": lambda t, a: f"((_ rotate_right {t.params[0]}) {a[0]})",
    "extract": lambda t, a: f"((_ extract {t.params[0]} {t.params[1]}) {a[0]})",
    "sext": lambda t, a: f"((_ sign_extend {t.width - t.args[0].width}) {a[0]})",
    "ite": lambda t, a: f"(ite (= {a[0]} #b1) {a[1]} {a[2]})",
    "clz": _clz,
    "lut": _lut,
    "popcount": _popcount,
}


def _expr(t: Term, ref: dict[int, str]) -> str:
    translate = SMTLIB_TRANSLATION.get(t.op)
    if translate is None:
        raise NotImplementedError(f"no SMT-LIB translation for operator {t.op!r}")
    return translate(t, [ref[x.serial] for x in t.args])


def declarations_and_definitions(roots: list[Term]) -> tuple[list[str], dict[int, str]]:
    """SMT-LIB lines declaring the variables and defining every inner node once."""
    lines: list[str] = []
    ref: dict[int, str] = {}
    for t in postorder(roots):
        if t.op == "const":
            ref[t.serial] = _const(t.params[0], t.width)
        elif t.op == "var":
            ref[t.serial] = _name(t)
            lines.append(f"(declare-fun {_name(t)} () (_ BitVec {t.width}))")
        else:
            lines.append(f"(define-fun {_name(t)} () (_ BitVec {t.width}) {_expr(t, ref)})")
            ref[t.serial] = _name(t)
    return lines, ref


def literal(value: int, width: int) -> str:
    """A bit-vector constant as SMT-LIB text."""
    return _const(value, width)


def function_definition(name: str, params: list[tuple[str, int]], body: Term) -> str:
    """``(define-fun name (params) (_ BitVec w) body)`` over the variables ``params`` (name, width), the
    body's shared nodes bound in ``let`` layers (a node's layer is one more than its arguments'), so that
    a script can apply it to many arguments without repeating it."""
    ref: dict[int, str] = {}
    layer: dict[int, int] = {}
    layers: list[list[str]] = []
    for t in postorder(body):
        if t.op in ("const", "var"):
            ref[t.serial] = _const(t.params[0], t.width) if t.op == "const" else _name(t)
            layer[t.serial] = -1
            continue
        k = 1 + max(layer[a.serial] for a in t.args)
        layer[t.serial] = k
        while len(layers) <= k:
            layers.append([])
        layers[k].append(f"({_name(t)} {_expr(t, ref)})")
        ref[t.serial] = _name(t)
    text = ref[body.serial]
    for bindings in reversed(layers):
        text = f"(let ({' '.join(bindings)})\n{text})"
    declared = " ".join(f"(|{n}| (_ BitVec {w}))" for n, w in params)
    return f"(define-fun {name} ({declared}) (_ BitVec {body.width})\n{text})"


def check_script(assertions: list[Term], comments: list[str] = ()) -> str:  # type: ignore[assignment]
    """A complete ``(check-sat)`` script asserting each 1-bit term equals 1."""
    lines = ["(set-logic QF_BV)"] + [f"; {c}" for c in comments]
    decls, ref = declarations_and_definitions(assertions)
    lines += decls
    lines += [f"(assert (= {ref[a.serial]} #b1))" for a in assertions]
    lines.append("(check-sat)")
    lines.append("(exit)")
    return "\n".join(lines) + "\n"


def statistics(roots: Term | list[Term]) -> dict[str, object]:
    """DAG size, depth and per-operator counts."""
    nodes = postorder(roots)
    depth: dict[int, int] = {}
    for t in nodes:
        depth[t.serial] = 1 + max((depth[a.serial] for a in t.args), default=0)
    roots_list = [roots] if isinstance(roots, Term) else roots
    return {
        "dag_size": len(nodes),
        "depth": max(depth[r.serial] for r in roots_list) if roots_list else 0,
        "operators": dict(Counter(t.op for t in nodes).most_common()),
    }
