"""Equality of low-degree GF(2) functions by evaluation on the points of low Hamming weight.

Every bit of a term over XOR/AND is a polynomial over GF(2) in the input bits, and the coefficient of
a monomial ``x_S`` is ``XOR_{T <= S} p(1_T)`` (Moebius inversion).  Hence, if every monomial of
``D = impl ^ spec`` has at most ``d_j`` variables of group ``j``, then ``D = 0`` as a function iff ``D``
vanishes on every point whose group-``j`` bits have Hamming weight at most ``d_j``: those points
determine every coefficient that can be non-zero.

Two groups are used: an *affine group* ``A`` (the data blocks of GHASH, checked syntactically by
:func:`lnsym.prove.columns.kinds`, so ``d_A = 1``) and the rest ``R`` (the hash key), whose degree ``d_R`` is
bounded on the DAG (:class:`RDegree`, treating ``A`` as constants).  For two GHASH blocks
(``((X ^ I0) H ^ I1) H`` against ``(X ^ I0) H^2 ^ I1 H``) that is 385 columns times the 8,257 points of
weight <= 2 in H's 128 bits, all evaluated at once: each bit of each node is one Python int holding its
value at every point (bit-sliced), so the whole check is a few hundred thousand big-int operations
instead of the cubic polynomials the normal form (:mod:`lnsym.prove.anf`) expands before they cancel.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from math import comb

from bitvec.term import Term, lift, postorder, variables
from lnsym.prove.anf import affine_columns
from lnsym.prove.columns import AFFINE, FREE, affine_group, kinds, known_zeros

UNBOUNDED = 1 << 30
_SAME_DEGREE = frozenset({"xor", "not", "extract", "concat", "sext", "rotr"})


class RDegree:
    """An upper bound on the degree in the variables of ``group`` (None: every variable) of every bit of a
    node (word-level max); other variables count as constants.  Operators outside GF(2) count ``opaque``
    (unbounded by default; 1 to bound the normal form that treats them as leaves, :mod:`lnsym.prove.anf`)
    unless their arguments are constant in ``group``."""

    def __init__(self, group: set[str] | None, opaque: int = UNBOUNDED, cap: int = UNBOUNDED) -> None:
        self.group = group
        self.opaque = opaque
        self.cap = cap
        self.degree: dict[int, int] = {}
        self.zeros: dict[int, int] = {}  # bits known to be 0 (an OR of disjoint operands is their XOR)

    def __call__(self, root: Term) -> int:
        for t in postorder(root, self.degree):  # type: ignore[arg-type]
            self.zeros[t.serial] = known_zeros(t, [self.zeros[a.serial] for a in t.args])
            self.degree[t.serial] = min(self._node(t), self.cap)
        return self.degree[root.serial]

    def _node(self, t: Term) -> int:
        op = t.op
        if op == "const":
            return 0
        if op == "var":
            return 1 if self.group is None or t.params[0] in self.group else 0
        d = [self.degree[a.serial] for a in t.args]
        if max(d) == 0:
            return 0
        if op in _SAME_DEGREE:
            return max(d)
        if op == "or" and self.zeros[t.args[0].serial] | self.zeros[t.args[1].serial] == (1 << t.width) - 1:
            return max(d)
        if op in ("and", "or"):
            return d[0] + d[1]
        if op in ("shl", "lshr", "ashr") and t.args[1].op == "const":
            return d[0]
        if op == "ite":
            return d[0] + max(d[1], d[2])
        if op == "eq":
            return t.args[0].width * max(d)
        if op == "lut":
            if affine_columns(t.params[0]) is not None:
                return d[0]
            return min(self.opaque, t.args[0].width * d[0])
        return self.opaque


_POLYNOMIAL_OPS = _SAME_DEGREE | {"const", "var", "and", "or", "ite", "eq", "zext", "shl", "lshr", "ashr"}


def polynomial_only(root: Term, memo: dict[int, bool]) -> bool:
    """Whether every node under ``root`` is a GF(2) polynomial operator (XOR/AND/OR/NOT, slices, constant shifts,
    affine table lookups): a cheap filter, memoised by serial across calls, for the obligations worth a
    low-weight evaluation of their own.  A non-affine S-box lookup or any arithmetic says no."""
    for t in postorder(root, memo):
        ok = all(memo[a.serial] for a in t.args)
        if ok and t.op == "lut":
            ok = affine_columns(t.params[0]) is not None
        elif ok and t.op in ("shl", "lshr", "ashr"):
            ok = t.args[1].op == "const"
        elif ok:
            ok = t.op in _POLYNOMIAL_OPS
        memo[t.serial] = ok
    return memo[root.serial]


def low_weight_points(n: int, d: int) -> list[tuple[int, ...]]:
    """All subsets of ``range(n)`` of size at most ``d`` (the points of weight <= d), smallest first."""
    return [s for k in range(d + 1) for s in combinations(range(n), k)]


class Bitsliced:
    """Evaluate terms bit by bit, each bit an int whose bit ``p`` is its value at point ``p``; a node's
    bits are dropped once every node using them has been evaluated."""

    def __init__(self, inputs: dict[str, list[int]], ones: int) -> None:
        self.inputs = inputs
        self.ones = ones

    def run(self, roots: Sequence[Term], small: dict[int, list[int]] | None = None, block: int = 0,
            count: int = 1) -> list[list[int]] | None:
        """The bits of ``roots``.  Nodes in ``small`` are not evaluated: their bits, given on ``block``
        points, are copied ``count`` times when first used (and dropped after their last use)."""
        small = small or {}
        order = postorder(list(roots), small)
        uses: dict[int, int] = {}
        for t in order:
            for a in t.args:
                uses[a.serial] = uses.get(a.serial, 0) + 1
        for r in roots:
            uses[r.serial] = uses.get(r.serial, 0) + 1  # kept to the end
        value: dict[int, list[int]] = {}
        copied: dict[int, int] = {}  # a small int -> its copies

        def get(a: Term) -> list[int]:
            bits = value.get(a.serial)
            if bits is None:
                bits = value[a.serial] = []
                for x in small[a.serial]:
                    big = copied.get(x)
                    if big is None:
                        big = copied[x] = _copies(x, block, count)
                    bits.append(big)
            return bits

        for t in order:
            bits = self._node(t, [get(a) for a in t.args])
            if bits is None:
                return None
            value[t.serial] = bits
            for a in t.args:
                uses[a.serial] -= 1
                if not uses[a.serial]:
                    del value[a.serial]
        return [get(r) for r in roots]

    def _node(self, t: Term, a: list[list[int]]) -> list[int] | None:
        op, w, p, ones = t.op, t.width, t.params, self.ones
        if op == "const":
            return [ones if p[0] >> i & 1 else 0 for i in range(w)]
        if op == "var":
            return self.inputs[p[0]]
        if op == "xor":
            return [x ^ y for x, y in zip(a[0], a[1])]
        if op == "and":
            return [x & y for x, y in zip(a[0], a[1])]
        if op == "or":
            return [x | y for x, y in zip(a[0], a[1])]
        if op == "not":
            return [x ^ ones for x in a[0]]
        if op == "extract":
            return a[0][p[1] : p[0] + 1]
        if op == "concat":
            return [b for part in reversed(a) for b in part]
        if op == "sext":
            return a[0] + [a[0][-1]] * (w - len(a[0]))
        if op == "rotr":
            return a[0][p[0] :] + a[0][: p[0]]
        if op in ("shl", "lshr", "ashr") and t.args[1].op == "const":
            k = min(t.args[1].params[0], w)
            if op == "shl":
                return [0] * k + a[0][: w - k]
            return a[0][k:] + [a[0][-1] if op == "ashr" else 0] * k
        if op == "ite":
            c = a[0][0]
            return [(c & x) | (~c & y) for x, y in zip(a[1], a[2])]
        if op == "eq":
            acc = ones
            for x, y in zip(a[0], a[1]):
                acc &= ~(x ^ y)
            return [acc & ones]
        if op == "lut":
            columns = affine_columns(p[0])
            if columns is not None:
                out = []
                for j in range(w):
                    bit = ones if columns[0] >> j & 1 else 0
                    for i, x in enumerate(a[0]):
                        if columns[i + 1] >> j & 1:
                            bit ^= x
                    out.append(bit)
                return out
        return None


def decide(pairs: Sequence[tuple[Term, Term]], path: Sequence[Term], max_points: int = 8_000_000,
           batch_bits: int = 1 << 19, group: dict[str, int] | None = None) -> int | None:
    """The number of points checked if every ``impl == spec`` of ``pairs`` is proved by the low-weight
    evaluation above; None when the degrees are too high (or an operator is outside GF(2)), or some
    point differs (the caller then tries another method).

    Nodes free of the affine group are evaluated once on the rest's points; the others column batch by
    column batch (about ``batch_bits`` points at a time), with the free values copied into each column.
    ``group``: the affine group to use (name -> width; checked like the one found otherwise)."""
    roots = [lift(x, None) for pair in pairs for x in pair]
    names = variables(roots)
    if group is not None:
        on_path = set(variables(list(path))) if path else set()
        group = {n: w for n, w in group.items() if n in names}
        if on_path & set(group):
            return None
    group = (group or affine_group(roots, path)) or {}
    kind = kinds(roots, set(group))
    if any(kind[r.serial] > AFFINE for r in roots):
        return None
    rest = {n: w for n, w in names.items() if n not in group}
    n_rest = sum(rest.values())
    degree = RDegree(set(rest))  # one bound, memoised over the roots' shared DAG
    d = min(max((degree(r) for r in roots), default=0), n_rest)
    n_columns = 1 + sum(group.values())
    if d >= UNBOUNDED or n_columns * sum(comb(n_rest, k) for k in range(d + 1)) > max_points:
        return None
    points = low_weight_points(n_rest, d)
    block = -(-len(points) // 8) * 8  # padding points have every input 0: the zero point again
    rest_masks = [0] * n_rest
    for index, point in enumerate(points):
        for i in point:
            rest_masks[i] |= 1 << index
    rest_inputs: dict[str, list[int]] = {}
    for name, width in sorted(rest.items()):
        rest_inputs[name], rest_masks = rest_masks[:width], rest_masks[width:]
    # the free nodes the others (or the comparison) use, evaluated once on the rest's points
    frontier = {a.serial: a for t in postorder(roots) if kind[t.serial] != FREE for a in t.args
                if kind[a.serial] == FREE}
    frontier |= {r.serial: r for r in roots if kind[r.serial] == FREE}
    free = Bitsliced(rest_inputs, (1 << block) - 1).run(list(frontier.values()))
    if free is None:
        return None
    small = dict(zip(frontier, free))
    group_bits = [(name, i) for name, width in sorted(group.items()) for i in range(width)]
    per_batch = max(1, batch_bits // block)
    for first in range(0, n_columns, per_batch):
        count = min(per_batch, n_columns - first)
        ones = (1 << (block * count)) - 1
        inputs = {name: [0] * width for name, width in group.items()}
        for c in range(first, first + count):  # column 0: the group all 0; column c: its bit c - 1 set
            if c:
                name, i = group_bits[c - 1]
                inputs[name][i] = ((1 << block) - 1) << (block * (c - first))
        values = Bitsliced(inputs, ones).run(roots, small, block, count)
        if values is None:
            return None
        if any(values[i] != values[i + 1] for i in range(0, len(values), 2)):
            return None
    return len(points) * n_columns


def _copies(x: int, block: int, count: int) -> int:
    """``count`` copies of the ``block``-bit pattern ``x`` side by side (``block`` a multiple of 8)."""
    return int.from_bytes(x.to_bytes(block // 8, "little") * count, "little")
