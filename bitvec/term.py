"""Symbolic bit-vectors: a hash-consed term DAG with constant folding and light rewriting.

Every operation that receives only constants is folded by running the *concrete* implementation
(:class:`bitvec.concrete.BV`), so an operator's meaning is defined once.  Structurally equal terms
are the same Python object (hash-consing), so ``is``/``==`` on terms is structural identity.
"""

from __future__ import annotations

import functools
import gc
import itertools
import weakref
from collections.abc import Container, Iterator, Sequence
from typing import Any

from bitvec.concrete import BV, WidthError, register_symbolic
from bitvec.operators import COMMUTATIVE, CONCRETE, result_width

# The hash-cons table holds terms weakly, and :data:`_kept` holds every term built since the last
# :func:`release`: within a proof (and across routines proved one after another) a term built twice is one
# object, so memo tables keyed by serial hit; once released, terms live only while something else refers
# to them, and the release sweeps their dead table entries.  Serials are never reused, so caches keyed by
# serial cannot confuse a collected term with a new one.
_table: dict[tuple[Any, ...], weakref.ReferenceType[Term]] = {}
_kept: list[Term] = []
_serial = itertools.count()


def _sweep() -> None:
    dead = [key for key, ref in _table.items() if ref() is None]
    for key in dead:
        del _table[key]


def release(above: int = 0) -> bool:
    """Let every term built so far be collected once nothing else refers to it, when more than ``above``
    are kept (the prover calls this after each routine with a bound of a few million terms, so that a long
    campaign's memory stays bounded while routines proved one after another still share their terms: a
    release costs the next routines about 10 % in rebuilding).  Returns whether it released."""
    if len(_kept) <= above:
        return False
    _kept.clear()
    _sweep()
    return True


def tune_gc() -> None:
    """Raise the cyclic garbage collector's thresholds for a process that builds millions of terms.  Terms
    form no reference cycles (a node refers only to its arguments, built before it), so the default
    thresholds make the collector traverse them over and over for nothing: about a fifth of the time of
    ``lnsym bench --proofs`` (29 s instead of 35 s, the same peak memory).  Called by the ``lnsym`` command
    and its worker processes, not on import: a library should not change its host's collector."""
    gc.set_threshold(20_000, 20, 20)


def live_terms() -> int:
    """How many terms the hash-cons table holds alive (after sweeping the dead entries)."""
    _sweep()
    return len(_table)


class Term:
    """A node of the term DAG: ``op`` applied to ``args`` (terms) with static ``params``."""

    __slots__ = ("__weakref__", "args", "op", "params", "serial", "width")
    is_const = False

    op: str
    width: int
    args: tuple[Term, ...]
    params: tuple[Any, ...]
    serial: int

    def __new__(cls, op: str, width: int, args: tuple[Term, ...] = (), params: tuple[Any, ...] = ()) -> Term:
        key = (op, width, tuple(a.serial for a in args), params)
        ref = _table.get(key)
        node = ref() if ref is not None else None
        if node is None:
            node = object.__new__(cls)
            node.op, node.width, node.args, node.params = op, width, args, params
            node.serial = next(_serial)
            _table[key] = weakref.ref(node)
            _kept.append(node)
        return node

    def __repr__(self) -> str:
        return to_text(self, limit=400)

    def __bool__(self) -> bool:
        raise TypeError("a symbolic bit-vector has no truth value; use ite()")

    # -- inspection ------------------------------------------------------------------------------
    def as_int(self) -> int:
        if self.op != "const":
            raise ValueError(f"term is not a constant: {to_text(self, limit=200)}")
        return self.params[0]

    def __iter__(self) -> Iterator[Term]:  # pragma: no cover - guard against accidental iteration
        raise TypeError("terms are not iterable")

    # -- operators (same names and meaning as bitvec.concrete.BV) ----------------------------------
    def __add__(self, o: Any) -> Term:
        return mk("add", self, o)

    __radd__ = __add__

    def __sub__(self, o: Any) -> Term:
        return mk("sub", self, o)

    def __rsub__(self, o: Any) -> Term:
        return mk("sub", lift(o, self.width), self)

    def __mul__(self, o: Any) -> Term:
        return mk("mul", self, o)

    __rmul__ = __mul__

    def __and__(self, o: Any) -> Term:
        return mk("and", self, o)

    __rand__ = __and__

    def __or__(self, o: Any) -> Term:
        return mk("or", self, o)

    __ror__ = __or__

    def __xor__(self, o: Any) -> Term:
        return mk("xor", self, o)

    __rxor__ = __xor__

    def __invert__(self) -> Term:
        return mk("not", self)

    def __neg__(self) -> Term:
        return mk("neg", self)

    def udiv(self, o: Any) -> Term:
        return mk("udiv", self, o)

    def urem(self, o: Any) -> Term:
        return mk("urem", self, o)

    def sdiv(self, o: Any) -> Term:
        return mk("sdiv", self, o)

    def lsl(self, n: Any) -> Term:
        return _shift("shl", self, n)

    def lsr(self, n: Any) -> Term:
        return _shift("lshr", self, n)

    def asr(self, n: Any) -> Term:
        return _shift("ashr", self, n)

    def ror(self, n: Any) -> Term:
        """Rotate right by ``n`` modulo the width (Arm ``ROR``; SMT-LIB ``rotate_right``)."""
        if isinstance(n, int) or getattr(n, "is_const", False) or (isinstance(n, Term) and n.op == "const"):
            k = n if isinstance(n, int) else n.as_int()
            if k < 0:
                raise ValueError(f"negative rotate amount {k}")
            return mk_rotr(self, k % self.width)
        full = lift(n, self.width)
        if full.width < self.width:
            full = full.zext(self.width)
        reduced = full.urem(self.width)  # the rotation is modulo the width, whatever the amount's width
        amount = reduced if full.width == self.width else reduced.extract(self.width - 1, 0)
        back = (lift(self.width, self.width) - amount).urem(self.width)
        return mk("or", _shift("lshr", self, amount), _shift("shl", self, back))

    def extract(self, hi: int, lo: int) -> Term:
        if not 0 <= lo <= hi < self.width:
            raise WidthError(f"extract<{hi}:{lo}> out of range for width {self.width}")
        return mk_extract(self, hi, lo)

    def __getitem__(self, key: int | slice) -> Term:
        if isinstance(key, slice):
            return self.extract(key.start, key.stop)
        return self.extract(key, key)

    def zext(self, width: int) -> Term:
        if width < self.width:
            raise WidthError(f"zero-extend from {self.width} to {width}")
        if width == self.width:
            return self
        return mk_concat(Term("const", width - self.width, (), (0,)), self)

    def sext(self, width: int) -> Term:
        if width < self.width:
            raise WidthError(f"sign-extend from {self.width} to {width}")
        if width == self.width:
            return self
        if self.op == "const":
            return const_term(BV(self.width, self.params[0]).sext(width))
        return Term("sext", width, (self,), ())

    def concat(self, *lows: Any) -> Term:
        return mk_concat(self, *[lift(x, None) for x in lows])

    def eq(self, o: Any) -> Term:
        return mk("eq", self, o)

    def ne(self, o: Any) -> Term:
        return mk("not", mk("eq", self, o))

    def ult(self, o: Any) -> Term:
        return mk("ult", self, o)

    def ule(self, o: Any) -> Term:
        return mk("ule", self, o)

    def ugt(self, o: Any) -> Term:
        return mk("ult", lift(o, self.width), self)

    def uge(self, o: Any) -> Term:
        return mk("ule", lift(o, self.width), self)

    def slt(self, o: Any) -> Term:
        return mk("slt", self, o)

    def sle(self, o: Any) -> Term:
        return mk("sle", self, o)

    def sgt(self, o: Any) -> Term:
        return mk("slt", lift(o, self.width), self)

    def sge(self, o: Any) -> Term:
        return mk("sle", lift(o, self.width), self)

    def clz(self) -> Term:
        return mk("clz", self)

    def popcount(self) -> Term:
        return mk("popcount", self)


# ---------------------------------------------------------------------------------------------
# construction

def var(name: str, width: int) -> Term:
    """A free symbolic variable."""
    return Term("var", width, (), (name,))


def const_term(value: BV) -> Term:
    return Term("const", value.width, (), (value.val,))


def lift(x: Any, width: int | None) -> Term:
    """Coerce a term, concrete value or int (which needs ``width``) to a term."""
    if isinstance(x, Term):
        return x
    if type(x) is BV:
        return const_term(x)
    if isinstance(x, int) and width is not None:
        return const_term(BV(width, x))
    raise TypeError(f"cannot use {x!r} as a bit-vector here")


def _amount_term(n: Any, width: int) -> Term:
    t = lift(n, width)
    if t.width == width:
        return t
    if t.width < width:
        return t.zext(width)
    # amount wider than the value: saturate to `width` when any high bit is set
    high = t.extract(t.width - 1, width)
    low = t.extract(width - 1, 0)
    return mk("ite", mk("eq", high, 0), low, lift(width, width))


def _shift(op: str, x: Term, n: Any) -> Term:
    """``x`` shifted by ``n`` (an int, or a bit-vector of any width read unsigned), SMT-LIB ``bvshl``/
    ``bvlshr``/``bvashr`` and Arm ``LSL``/``LSR``/``ASR`` (shared/functions/common): a logical shift by
    the width or more is 0, an arithmetic one replicates the sign bit (the same as by ``width - 1``)."""
    if isinstance(n, int):
        if n < 0:
            raise ValueError(f"negative shift amount {n}")
        if op == "ashr":
            n = min(n, x.width - 1)  # ASR by >= width: every bit is the sign bit, as by width - 1
        elif n >= x.width:
            return const_term(BV(x.width, 0))
        if n == 0:
            return x
        n = lift(n, x.width)
    return mk(op, x, _amount_term(n, x.width))


def _fold(op: str, width: int, vals: list[BV], params: tuple[Any, ...]) -> BV:
    return CONCRETE[op](vals, params, width)


def mk(op: str, *raw: Any, params: tuple[Any, ...] = ()) -> Term:
    """Build ``op(raw...)``, folding constants and applying cheap identities."""
    anchor = next((a.width for a in raw if isinstance(a, (Term, BV))), None)
    if op == "ite":
        anchor = next((a.width for a in raw[1:] if isinstance(a, (Term, BV))), None)
        args = (lift(raw[0], 1), lift(raw[1], anchor), lift(raw[2], anchor))
        if args[0].width != 1:
            raise WidthError(f"ite condition must be 1 bit wide, got {args[0].width}")
    else:
        args = tuple(lift(a, anchor) for a in raw)
    operand_width = args[1].width if op == "ite" else args[0].width
    for a in args[1:] if op != "ite" else args[2:]:
        if a.width != operand_width:
            raise WidthError(f"{op}: width mismatch {operand_width} vs {a.width}")
    width = result_width(op, tuple(a.width for a in args), params) or operand_width
    if all(a.op == "const" for a in args):
        return const_term(_fold(op, width, [BV(a.width, a.params[0]) for a in args], params))
    simplified = _simplify(op, width, args)
    if simplified is not None:
        return simplified
    if op in COMMUTATIVE and args[0].serial > args[1].serial:
        args = (args[1], args[0])
    return Term(op, width, args, params)


def _is_const(t: Term, value: int) -> bool:
    return t.op == "const" and t.params[0] == value & ((1 << t.width) - 1)


def _simplify(op: str, width: int, a: tuple[Term, ...]) -> Term | None:
    ones = (1 << width) - 1
    if op == "ite":
        c, x, y = a
        if c.op == "const":
            return x if c.params[0] else y
        if x is y:
            return x
        return None
    if op == "not" and a[0].op == "not":
        return a[0].args[0]
    if len(a) != 2:
        return None
    x, y = a
    if op in COMMUTATIVE and x.op == "const":
        x, y = y, x
    if op in ("add", "or", "xor", "sub", "shl", "lshr", "ashr") and _is_const(y, 0):
        return x
    if op == "add" and y.op == "const" and x.op == "add" and x.args[1].op == "const":
        # (a + c1) + c2  ->  a + (c1 + c2)
        return mk("add", x.args[0], const_term(BV(width, x.args[1].params[0] + y.params[0])))
    if op == "add" and y.op == "const" and x.op == "add" and x.args[0].op == "const":
        return mk("add", x.args[1], const_term(BV(width, x.args[0].params[0] + y.params[0])))
    if op == "and":
        if _is_const(y, 0):
            return y
        if _is_const(y, ones) or x is y:
            return x
    if op == "or":
        if _is_const(y, ones):
            return y
        if x is y:
            return x
    if op == "xor" and x is y:
        return const_term(BV(width, 0))
    if op == "sub" and x is y:
        return const_term(BV(width, 0))
    if op == "sub" and _is_const(x, 0) and _is_bit_zext(y):
        # 0 - ZeroExtend(b) for a single bit b is Replicate(b): the canonical mask form
        return Term("sext", width, (y.args[1],), ())
    if op == "mul" and _is_const(y, 1):
        return x
    if op == "mul" and _is_const(y, 0):
        return y
    if op == "eq" and x is y:
        return const_term(BV(1, 1))
    return None


def _is_bit_zext(t: Term) -> bool:
    return t.op == "concat" and len(t.args) == 2 and _is_const(t.args[0], 0) and t.args[1].width == 1


def mk_rotr(x: Term, k: int) -> Term:
    """``x`` rotated right by ``k`` (taken modulo the width, so a ``rotr`` node's amount is in 1..width-1)."""
    if k < 0:
        raise ValueError(f"negative rotate amount {k}")
    k %= x.width
    if k == 0:
        return x
    if x.op == "const":
        return const_term(BV(x.width, x.params[0]).ror(k))
    if x.op == "rotr":
        return mk_rotr(x.args[0], (x.params[0] + k) % x.width)
    return Term("rotr", x.width, (x,), (k,))


def mk_extract(x: Term, hi: int, lo: int) -> Term:
    if lo == 0 and hi == x.width - 1:
        return x
    if x.op == "const":
        return const_term(BV(x.width, x.params[0]).extract(hi, lo))
    if x.op == "extract":
        base = x.params[1]
        return mk_extract(x.args[0], hi + base, lo + base)
    if x.op == "concat":
        return mk_concat(*(mk_extract(part, p_hi, p_lo) for part, p_hi, p_lo in concat_slices(x, hi, lo)))
    return Term("extract", hi - lo + 1, (x,), (hi, lo))


def concat_slices(x: Term, hi: int, lo: int) -> list[tuple[Term, int, int]]:
    """The parts of the concatenation ``x`` that its bits ``hi..lo`` cover, most significant first,
    each with the bounds ``(hi, lo)`` of the covered bits inside that part."""
    pos = 0
    pieces: list[tuple[Term, int, int]] = []
    for part in reversed(x.args):
        p_lo, p_hi = pos, pos + part.width - 1
        pos += part.width
        if p_lo <= hi and p_hi >= lo:
            pieces.append((part, min(hi, p_hi) - p_lo, max(lo, p_lo) - p_lo))
    return pieces[::-1]


def mk_concat(*parts: Term) -> Term:
    flat: list[Term] = []
    for p in parts:
        p = lift(p, None)
        pieces = p.args if p.op == "concat" else (p,)
        for q in pieces:
            if flat and flat[-1].op == "const" and q.op == "const":
                prev = flat.pop()
                flat.append(const_term(BV(prev.width, prev.params[0]).concat(BV(q.width, q.params[0]))))
            elif (
                flat
                and flat[-1].op == "extract"
                and q.op == "extract"
                and flat[-1].args[0] is q.args[0]
                and flat[-1].params[1] == q.params[0] + 1
            ):
                prev = flat.pop()
                flat.append(mk_extract(q.args[0], prev.params[0], q.params[1]))
            else:
                flat.append(q)
    if len(flat) == 1:
        return flat[0]
    return Term("concat", sum(p.width for p in flat), tuple(flat), ())


# ---------------------------------------------------------------------------------------------
# traversal

def postorder(roots: list[Term] | Term, known: Container[int] = ()) -> list[Term]:
    """All distinct nodes reachable from ``roots``, children before parents (iterative); nodes whose
    serial is in ``known`` (e.g. a memo of earlier calls) are neither listed nor descended into."""
    if isinstance(roots, Term):
        roots = [roots]
    roots = [r for r in roots if r.serial not in known]
    seen: set[int] = set()
    order: list[Term] = []
    stack: list[tuple[Term, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node.serial in seen:
            continue
        seen.add(node.serial)
        stack.append((node, True))
        for child in reversed(node.args):
            if child.serial not in seen and child.serial not in known:
                stack.append((child, False))
    return order


def evaluate(root: Term | BV, env: dict[str, int]) -> BV:
    """Evaluate ``root`` concretely with variables bound by name in ``env`` (a concrete value is itself)."""
    if type(root) is BV:
        return root
    values: dict[int, BV] = {}
    for node in postorder(root):
        if node.op == "const":
            val = BV(node.width, node.params[0])
        elif node.op == "var":
            name = node.params[0]
            if name not in env:
                raise KeyError(f"no value for variable {name!r}")
            val = BV(node.width, env[name])
        else:
            val = _fold(node.op, node.width, [values[a.serial] for a in node.args], node.params)
        values[node.serial] = val
    return values[root.serial]


def variables(root: Term | list[Term]) -> dict[str, int]:
    """Free variables with their widths."""
    return {n.params[0]: n.width for n in postorder(root) if n.op == "var"}


def size(root: Term | list[Term]) -> int:
    """Number of distinct nodes in the DAG."""
    return len(postorder(root))


def to_text(root: Term, limit: int = 10_000) -> str:
    """A readable (possibly truncated) prefix rendering, for messages and debugging."""
    out: list[str] = []
    budget = [limit]

    def emit(t: Term, depth: int = 0) -> None:
        if budget[0] <= 0:
            return
        if depth > 100:
            out.append("...")
            return
        if t.op == "const":
            s = f"{t.params[0]:#x}:{t.width}"
        elif t.op == "var":
            s = f"{t.params[0]}"
        else:
            s = None
        if s is not None:
            out.append(s)
            budget[0] -= len(s)
            return
        head = t.op + ("[" + ",".join(map(str, t.params)) + "]" if t.params else "")
        out.append("(" + head)
        budget[0] -= len(head) + 1
        for a in t.args:
            out.append(" ")
            emit(a, depth + 1)
        out.append(")")

    emit(root)
    text = "".join(out)
    return text if budget[0] > 0 else text + "..."


def rebuild(t: Term, args: Sequence[Term]) -> Term:
    """``t`` with its arguments replaced, through the same folding and identities as building it."""
    if all(a is b for a, b in zip(args, t.args)):
        return t
    if t.op == "extract":
        return mk_extract(args[0], *t.params)
    if t.op == "concat":
        return mk_concat(*args)
    if t.op == "rotr":
        return mk_rotr(args[0], t.params[0])
    if t.op == "sext":
        return args[0].sext(t.width)
    if t.op == "lut":  # its width is the table's, not the index's
        return mk_lookup(t.params[0], args[0], t.width)
    if t.op in _SAME_WIDTH_OPS:
        return mk(t.op, *args, params=t.params)
    return Term(t.op, t.width, tuple(args), t.params)


_SAME_WIDTH_OPS = frozenset({  # operators whose result width ``mk`` infers correctly from the operands
    "add", "sub", "mul", "neg", "and", "or", "xor", "not", "udiv", "urem", "sdiv", "shl", "lshr", "ashr",
    "eq", "ult", "ule", "slt", "sle", "ite", "clz", "popcount",
})


def mk_lookup(table: tuple[int, ...], index: Term, width: int) -> Term:
    """``table[index]`` for a constant table of ``2**index.width`` entries of ``width`` bits.

    One node whatever the table size: two lookups in the same table at the same index are the
    same term (S-boxes stay small and comparable); Z3 sees an explicit selection tree.
    """
    if len(table) != 1 << index.width:
        raise WidthError(f"a table indexed by {index.width} bits needs {1 << index.width} entries")
    table = _table_of_width(tuple(table), width)
    if index.op == "const":
        return const_term(BV(width, table[index.params[0]]))
    return Term("lut", width, (index,), (table,))


@functools.cache
def _table_of_width(table: tuple[int, ...], width: int) -> tuple[int, ...]:
    """The entries reduced to ``width`` bits, as a concrete lookup reads them (``BV(width, entry)``): the
    Python, Z3 and SMT-LIB backends use the stored entries as they are (memoised: tables are few)."""
    mask = (1 << width) - 1
    if all(0 <= v <= mask for v in table):
        return table
    return tuple(v & mask for v in table)


register_symbolic(Term, lift)  # concrete values meeting a term operand lift themselves (bitvec.concrete)
