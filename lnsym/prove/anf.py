"""Algebraic normal form over GF(2): decide equality of XOR/AND-structured terms without SAT.

Each bit of a term becomes a polynomial over GF(2) in the input bits.  Affine polynomials (the
common case: CRC, shifts, XOR networks) are kept as one int -- bit 0 the constant, bit k+1 input
bit k -- so XOR is one machine operation; a product of two non-constant bits switches to the
general form, a frozenset of monomials (each an int naming the input bits multiplied; 0 is the
constant 1).  XOR is symmetric difference, AND is polynomial multiplication.  Two terms are equal as functions
iff their bit polynomials are equal sets -- a decision procedure, exact for CRC, GHASH, PMULL and
polynomial reductions, where SAT solvers choke (see the proof notes in the README).

Nodes outside the fragment (arithmetic, S-box lookups, data-dependent shifts) become *opaque
leaves*: fresh inputs standing for that node.  Equal polynomials then still prove equality (the
leaves are treated as arbitrary values), while unequal ones only suggest a difference, which the
caller must confirm on real inputs.  Constant tables that are GF(2)-affine (``T[a ^ b] = T[a] ^
T[b] ^ T[0]``, e.g. multiplication by a field constant) are expanded as the affine maps they are.
``None`` means the monomial budget was exceeded.
"""

from __future__ import annotations

import functools

from bitvec.term import Term, lift, postorder

Poly = int | frozenset[int]
ONE: Poly = 1
ZERO: Poly = 0


def _as_set(p: Poly) -> frozenset[int]:
    """The general form of a polynomial."""
    if isinstance(p, frozenset):
        return p
    out = [0] if p & 1 else []
    k = p & ~1
    while k:  # one step per input bit present, not per bit position
        low = k & -k
        out.append(low >> 1)
        k ^= low
    return frozenset(out)


def _normal(p: frozenset[int]) -> Poly:
    """Back to the affine int form when every monomial has degree <= 1."""
    if all(m & (m - 1) == 0 for m in p):
        return sum((m << 1) if m else 1 for m in p)
    return p


def xor(a: Poly, b: Poly) -> Poly:
    if isinstance(a, int) and isinstance(b, int):
        return a ^ b
    return _normal(_as_set(a) ^ _as_set(b))


class _Budget(Exception):
    pass


class ANF:
    """Bit polynomials of terms, memoised per node; input bits are numbered as first met."""

    def __init__(self, max_monomials: int = 2_000, max_work: int = 20_000_000) -> None:
        self.index: dict[tuple[str, int], int] = {}
        self.memo: dict[int, list[Poly] | None] = {}
        self.max_monomials = max_monomials
        self.max_work = max_work  # monomial products per engine, beyond which nodes become opaque
        self.work = 0
        self.opaque = False  # set when some node was abstracted as an opaque leaf
        self._leaf_names: dict[object, str] = {}
        self.leaf_nodes: dict[str, list[Term]] = {}  # each leaf's nodes, in the order met (children first)

    def variable_bit(self, name: str, bit: int) -> int:
        key = (name, bit)
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.index)
        return 1 << (i + 1)

    def bits(self, root: Term) -> list[Poly] | None:
        for t in postorder(root, self.memo):
            if t.serial not in self.memo:
                try:
                    self.memo[t.serial] = self._node(t)
                except _Budget:
                    self.memo[t.serial] = None
        return self.memo[root.serial]

    def _mul(self, a: Poly, b: Poly) -> Poly:
        if a == ZERO or b == ZERO:
            return ZERO
        if a == ONE:
            return b
        if b == ONE:
            return a
        sa, sb = _as_set(a), _as_set(b)
        self.work += len(sa) * len(sb)
        if self.work > self.max_work:
            raise _Budget
        out: set[int] = set()
        for m in sa:
            for n in sb:
                out ^= {m | n}
        if len(out) > self.max_monomials:
            raise _Budget
        return _normal(frozenset(out))

    def _node(self, t: Term) -> list[Poly] | None:
        op, w, p = t.op, t.width, t.params
        if op == "const":
            v = p[0]
            return [ONE if v >> i & 1 else ZERO for i in range(w)]
        if op == "var":
            return [self.variable_bit(p[0], i) for i in range(w)]
        args = [self.memo.get(a.serial) for a in t.args]
        if any(a is None for a in args):
            return self._opaque(t)
        a = args  # type: ignore[assignment]
        if op == "xor":
            out = [xor(x, y) for x, y in zip(a[0], a[1])]
            if any(isinstance(x, frozenset) and len(x) > self.max_monomials for x in out):
                raise _Budget  # sums swell too (a nested product before it cancels), not only products
            return out
        if op == "not":
            return [xor(x, ONE) for x in a[0]]
        if op == "and":
            return [self._mul(x, y) for x, y in zip(a[0], a[1])]
        if op == "or":
            return [xor(xor(x, y), self._mul(x, y)) for x, y in zip(a[0], a[1])]
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
                return self._opaque(t)
            k = min(amount.params[0], w)
            if op == "shl":
                return [ZERO] * k + a[0][: w - k]
            fill = a[0][-1] if op == "ashr" else ZERO
            return a[0][k:] + [fill] * k
        if op == "ite":
            c = a[0][0]
            return [xor(self._mul(c, x), self._mul(xor(c, ONE), y)) for x, y in zip(a[1], a[2])]
        if op == "eq":
            acc = ONE
            for x, y in zip(a[0], a[1]):
                acc = self._mul(acc, xor(xor(x, y), ONE))
            return [acc]
        if op == "lut":
            columns = affine_columns(p[0])
            if columns is not None:
                out = []
                for j in range(w):
                    bit: Poly = ONE if columns[0] >> j & 1 else ZERO
                    for i, x in enumerate(a[0]):
                        if columns[i + 1] >> j & 1:
                            bit = xor(bit, x)
                    out.append(bit)
                return out
        return self._opaque(t)

    def _opaque(self, t: Term) -> list[Poly]:
        """A node outside GF(2) becomes a leaf, shared by every node with the same operator, parameters
        and GF(2)-equal arguments (congruence): an S-box applied to equal inputs is one leaf."""
        self.opaque = True
        args = [self.memo.get(a.serial) for a in t.args]
        if all(a is not None for a in args):
            key: object = (t.op, t.width, t.params, tuple(tuple(a) for a in args))  # type: ignore[arg-type]
        else:
            key = ("node", t.serial)
        name = self._leaf_names.get(key)
        if name is None:
            name = self._leaf_names[key] = f"#leaf{len(self._leaf_names)}"
        self.leaf_nodes.setdefault(name, []).append(t)
        return [self.variable_bit(name, i) for i in range(t.width)]


def decide(left: Term, right: Term, anf: ANF | None = None) -> tuple[bool | None, int | None]:
    """``(True, None)`` if equal as functions, ``(False, bit)`` with a differing bit, ``(None, None)``
    if either side leaves the GF(2) fragment."""
    engine = anf or ANF()
    left, right = lift(left, None), lift(right, None)
    a, b = engine.bits(left), engine.bits(right)
    if a is None or b is None:
        return None, None
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return False, i
    return True, None


def witness(engine: ANF, left: Term, right: Term, bit: int, tries: int = 64, seed: int = 1) -> dict[str, int] | None:
    """Input values (by variable name) on which bit ``bit`` of ``left`` and ``right`` differ.

    Affine differences are solved directly (set one input bit of the difference); others are
    sampled.  Variables absent from the difference are 0.  ``None`` if no witness was found.
    """
    import random

    from bitvec.term import evaluate, variables

    left, right = lift(left, None), lift(right, None)
    a, b = engine.bits(left), engine.bits(right)
    if a is None or b is None:
        return None
    names = variables([left, right])
    by_index = {i: key for key, i in engine.index.items()}
    diff = xor(a[bit], b[bit])
    if isinstance(diff, int) and diff and not engine.opaque:
        env = dict.fromkeys(names, 0)
        if not diff & 1:  # choose one input bit of the difference and set it
            k = (diff >> 1 & -(diff >> 1)).bit_length() - 1
            name, pos = by_index[k]
            env[name] |= 1 << pos
        return env
    rng = random.Random(seed)
    for _ in range(tries):
        env = {n: rng.getrandbits(w) for n, w in names.items()}
        if (evaluate(left, env).val ^ evaluate(right, env).val) >> bit & 1:
            return env
    return None


@functools.cache
def affine_columns(table: tuple[int, ...]) -> tuple[int, ...] | None:
    """``(T[0], T[1]^T[0], T[2]^T[0], T[4]^T[0], ...)`` if the table is affine over GF(2)
    (``T[a ^ b] == T[a] ^ T[b] ^ T[0]``), else None; memoised by table (lookup tables are few)."""
    bits = len(table).bit_length() - 1
    base = table[0]
    cols = [table[1 << i] ^ base for i in range(bits)]
    for x in range(len(table)):
        v = base
        for i in range(bits):
            if x >> i & 1:
                v ^= cols[i]
        if v != table[x]:
            return None
    return (base, *cols)
