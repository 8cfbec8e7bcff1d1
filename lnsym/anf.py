"""Algebraic normal form over GF(2): decide equality of XOR/AND-structured terms without SAT.

Each bit of a term becomes a polynomial over GF(2) in the input bits: a set of monomials, each
monomial an int whose set bits name the input bits multiplied together (0 is the constant 1).
XOR is symmetric difference, AND is polynomial multiplication.  Two terms are equal as functions
iff their bit polynomials are equal sets -- a decision procedure, exact for CRC, GHASH, PMULL and
polynomial reductions, where SAT solvers choke (see the proof notes in the README).

``None`` means the term leaves the fragment (arithmetic, comparisons, data-dependent shifts) or
grows past the monomial budget; the caller then falls back to the solver.
"""

from __future__ import annotations

from bitvec.term import Term, postorder

Poly = frozenset[int]
ONE: Poly = frozenset({0})
ZERO: Poly = frozenset()


class _Budget(Exception):
    pass


class ANF:
    """Bit polynomials of terms, memoised per node; input bits are numbered as first met."""

    def __init__(self, max_monomials: int = 20_000) -> None:
        self.index: dict[tuple[str, int], int] = {}
        self.memo: dict[int, list[Poly] | None] = {}
        self.max_monomials = max_monomials

    def variable_bit(self, name: str, bit: int) -> int:
        key = (name, bit)
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.index)
        return 1 << i

    def bits(self, root: Term) -> list[Poly] | None:
        for t in postorder(root):
            if t.serial not in self.memo:
                try:
                    self.memo[t.serial] = self._node(t)
                except _Budget:
                    self.memo[t.serial] = None
        return self.memo[root.serial]

    def _mul(self, a: Poly, b: Poly) -> Poly:
        if not a or not b:
            return ZERO
        if a == ONE:
            return b
        if b == ONE:
            return a
        out: set[int] = set()
        for m in a:
            for n in b:
                out ^= {m | n}
        if len(out) > self.max_monomials:
            raise _Budget
        return frozenset(out)

    def _node(self, t: Term) -> list[Poly] | None:
        op, w, p = t.op, t.width, t.params
        if op == "const":
            v = p[0]
            return [ONE if v >> i & 1 else ZERO for i in range(w)]
        if op == "var":
            return [frozenset({self.variable_bit(p[0], i)}) for i in range(w)]
        args = [self.memo.get(a.serial) for a in t.args]
        if any(a is None for a in args):
            return None
        a = args  # type: ignore[assignment]
        if op == "xor":
            return [x ^ y for x, y in zip(a[0], a[1])]
        if op == "not":
            return [x ^ ONE for x in a[0]]
        if op == "and":
            return [self._mul(x, y) for x, y in zip(a[0], a[1])]
        if op == "or":
            return [x ^ y ^ self._mul(x, y) for x, y in zip(a[0], a[1])]
        if op == "extract":
            hi, lo = p
            return a[0][lo : hi + 1]
        if op == "concat":
            out: list[Poly] = []
            for part in reversed(a):
                out.extend(part)
            return out
        if op == "sext":
            inner = a[0]
            return inner + [inner[-1]] * (w - len(inner))
        if op == "rotr":
            k = p[0]
            return a[0][k:] + a[0][:k]
        if op in ("shl", "lshr", "ashr"):
            amount = t.args[1]
            if amount.op != "const":
                return None
            k = min(amount.params[0], w)
            if op == "shl":
                return [ZERO] * k + a[0][: w - k]
            fill = a[0][-1] if op == "ashr" else ZERO
            return a[0][k:] + [fill] * k
        if op == "ite":
            c = a[0][0]
            return [self._mul(c, x) ^ self._mul(c ^ ONE, y) for x, y in zip(a[1], a[2])]
        if op == "eq":
            acc = ONE
            for x, y in zip(a[0], a[1]):
                acc = self._mul(acc, x ^ y ^ ONE)
            return [acc]
        return None


def decide(left: Term, right: Term, anf: ANF | None = None) -> tuple[bool | None, int | None]:
    """``(True, None)`` if equal as functions, ``(False, bit)`` with a differing bit, ``(None, None)``
    if either side leaves the GF(2) fragment."""
    engine = anf or ANF()
    a, b = engine.bits(left), engine.bits(right)
    if a is None or b is None:
        return None, None
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return False, i
    return True, None
