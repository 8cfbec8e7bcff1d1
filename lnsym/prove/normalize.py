"""Normal forms that make equal computations syntactically equal (then hash-consing settles them).

* **Bitwise cones** (maximal AND/OR/XOR/NOT sub-DAGs) over at most three distinct non-bitwise
  leaves are rewritten to their algebraic normal form -- an XOR of AND-monomials over the leaves
  in a fixed order.  Two formulas of the same Boolean function (FIPS ``Ch`` vs Arm ``SHAchoose``,
  ``Maj`` vs ``SHAmajority``, BCAX/EOR3 groupings) become the same term.
  Leaves that cannot have a set bit in common (``_support``: zero parts of concatenations and constant
  shifts) make every monomial holding both vanish, so ``x OR y`` and ``x XOR y`` of such leaves meet.
* **XOR chains** of any length are flattened and sorted; two items without a common set bit are joined into
  one concatenation of their slices (``(x LSL k) EOR/ORR (x LSR (w-k))`` is then a rotation, below).
* **Constant shifts and masks**: ``LSR``/``LSL`` by a constant of a non-network operand is a concatenation of
  zeros and a slice (the form a widened USHR and a slice of a shifted concatenation already take); ``x AND c``
  with ``c`` keeping every bit ``x`` may set is ``x`` (USHR then SLI/SRI).
* **Rotations** have one form whichever instruction rotates: a ``rotr`` node (as ``ShiftReg`` ROR and the
  specs give it); EXTR's slices of one term, or of a concatenation, become that node, and a rotation of a
  concatenation moves whole parts so that its amount stays below the last part's width.  A concatenation of
  slices is recognised as a rotation before its slices are pushed apart (EXTR/ROR of an XOR: SHA-1's ROTL 1).
* **Slices and rotations** are pushed through bitwise operators (slices also through concatenations
  and constant shifts of non-bitwise operands) down to the leaves, so a lane-wise vector XOR (SHA1SU0/
  SU1 on 128 bits) meets the spec's per-word one; bounded by ``PUSH_BUDGET`` per normalizer, since
  re-slicing a whole GF(2^128) network byte by byte only costs time.
* **Linear arithmetic** (``+``, ``-``, negation, multiplication by constants) of one width becomes
  one linear form: atoms with integer coefficients modulo 2^width plus a constant, atoms sorted.
  Coefficients (not repeated operands) absorb DAG sharing, so forms stay linear in size.

Rewriting is bottom-up and memoised on the hash-consed DAG.  Linear forms and flattened XOR chains
are n-ary nodes (``sum``, ``xorn``) with sorted operands: the result is only ever compared for
identity, never evaluated, so these comparison-only operators need no other backend.
"""

from __future__ import annotations

from itertools import combinations

from bitvec import BV
from bitvec.term import Term, concat_slices, const_term, mk, mk_concat, mk_extract, mk_rotr, postorder, rebuild

BITWISE = frozenset({"and", "or", "xor", "not"})
PUSH_BUDGET = 5_000  # (slice, node) pairs one normalizer may create by pushing slices and rotations



class Normalizer:
    def __init__(self) -> None:
        self.memo: dict[int, Term] = {}
        self.pushed: dict[str, dict[tuple[tuple[int, ...], int], Term]] = {}  # (slice, node) -> pushed term
        self.push_budget = PUSH_BUDGET
        self.supports: dict[int, int] = {}  # serial -> bits that may be 1 (_support)

    def __call__(self, root: Term) -> Term:
        for t in postorder(root, self.memo):
            if t.serial not in self.memo:
                self.memo[t.serial] = self._rewrite(t)
        return self.memo[root.serial]

    def _rebuild(self, t: Term) -> Term:
        return rebuild(t, [self.memo[a.serial] for a in t.args])

    def _rewrite(self, t: Term) -> Term:
        if t.op in BITWISE:
            return self._bitwise(t)
        if t.op in ("add", "sub", "neg", "mul"):
            return self._sum(t)
        if t.op in ("extract", "rotr"):
            return self._distribute(t)
        if t.op in ("lshr", "shl") and t.args[1].op == "const":
            return self._shift(t)
        if t.op == "concat":
            rotated = self._rotation(t)  # recognised before its slices are pushed apart (EXTR of an XOR)
            if rotated is not t:
                return self(rotated)
            return self._rotation(self._rebuild(t))
        return self._rebuild(t)

    # -- rotations: one form whichever instruction rotates ------------------------------------------
    @classmethod
    def _rotation(cls, t: Term) -> Term:
        """``concat(x[k-1:0], m..., x[w-1:k])`` -- a rotation written as slices (EXTR, ``ROR`` by immediate, of a
        word or of a concatenation) -- is the ``rotr`` by ``k`` of ``concat(m..., x)``, as ``ShiftReg`` ROR and
        the specs write it.  The form does not depend on whether the rotated operand is visibly a
        concatenation (a cut variable may stand for one)."""
        if t.op != "concat" or len(t.args) < 2:
            return t
        top, bottom = t.args[0], t.args[-1]
        if top.op != "extract" or bottom.op != "extract" or top.args[0] is not bottom.args[0]:
            return t
        x = top.args[0]
        k = top.params[0] + 1
        if top.params[1] != 0 or bottom.params != (x.width - 1, k):
            return t
        return cls._rotated(mk_concat(*t.args[1:-1], x), k)

    @staticmethod
    def _rotated(x: Term, k: int) -> Term:
        """``rotr(x, k)`` with whole parts of a concatenation moved rather than rotated over: the amount stays
        below the width of the last part (0 < k < w)."""
        k %= x.width
        while k and x.op == "concat" and k >= x.args[-1].width:
            k -= x.args[-1].width
            x = mk_concat(x.args[-1], *x.args[:-1])
        return mk_rotr(x, k)

    # -- constant shifts and disjoint halves ------------------------------------------------------
    def _shift(self, t: Term) -> Term:
        """``LSR``/``LSL`` by a constant of a non-network operand is a concatenation of zeros and a slice
        (``x >> k = 0^k : x<w-1:k>``, Arm ARM ``LSR``/``LSL``): the form USHR's widened shift and a
        slice already take.  A shifted XOR network is left whole (its slices would be pushed to every leaf)."""
        x = self.memo[t.args[0].serial]
        k, w = t.args[1].params[0], t.width
        if x.op in _NETWORK or k == 0:
            return self._rebuild(t)
        if k >= w:
            return const_term(BV(w, 0))
        zeros = const_term(BV(k, 0))
        shifted = mk_concat(zeros, mk_extract(x, w - 1, k)) if t.op == "lshr" else \
            mk_concat(mk_extract(x, w - 1 - k, 0), zeros)
        return self(shifted)

    def _support(self, x: Term) -> int:
        """A mask of the bits of ``x`` that may be 1 (the others are 0 whatever the inputs): constants,
        zero parts of concatenations and constant shifts, through slices, rotations and bitwise operators."""
        known = self.supports.get(x.serial)
        if known is not None:
            return known
        ones = (1 << x.width) - 1
        if x.op == "const":
            out = x.params[0]
        elif x.op == "concat":
            out = 0
            for part in x.args:
                out = out << part.width | self._support(part)
        elif x.op == "extract":
            hi, lo = x.params
            out = self._support(x.args[0]) >> lo & ((1 << (hi - lo + 1)) - 1)
        elif x.op == "rotr":
            k, m = x.params[0], self._support(x.args[0])
            out = (m >> k | m << (x.width - k)) & ones
        elif x.op in ("lshr", "shl") and x.args[1].op == "const":
            k, m = x.args[1].params[0], self._support(x.args[0])
            out = m >> k if x.op == "lshr" else m << k & ones
        elif x.op == "and":
            out = self._support(x.args[0]) & self._support(x.args[1])
        elif x.op in ("or", "xor", "xorn"):
            out = 0
            for a in x.args:
                out |= self._support(a)
        else:
            out = ones
        self.supports[x.serial] = out
        return out

    def _masked(self, root: Term) -> Term | None:
        """``x AND c`` with ``c`` a constant keeping every bit ``x`` may set is ``x``; keeping none of them, 0
        (USHR then SLI: ``(d AND NOT mask) OR (n LSL k)`` masks bits USHR already cleared)."""
        if root.op != "and":
            return None
        a, b = root.args
        for c, x in ((a, b), (b, a)):
            if c.op == "const" and x.op != "const":
                sx = self._support(x)
                if sx & ~c.params[0] == 0:
                    return x
                if sx & c.params[0] == 0:
                    return const_term(BV(root.width, 0))
        return None

    def _merged(self, items: list[Term]) -> list[Term] | None:
        """XOR (equally OR) of two terms no bit of which can be 1 in both is their concatenation, bit range by
        bit range (``(x LSL k) ORR/EOR (x LSR (w-k))`` is then a rotation, :meth:`_rotation`).  ``items`` with
        such pairs merged, first pairs first (in the items' order), or None when no two are disjoint."""
        ones = (1 << items[0].width) - 1 if items else 0
        partial = [x for x in items if x.op != "const" and self._support(x) != ones]
        if len(partial) < 2:
            return None
        merged: list[Term] = []
        used: set[int] = set()
        for i, p in enumerate(partial):
            if i in used:
                continue
            sp = self._support(p)
            j = next((j for j in range(i + 1, len(partial)) if j not in used and not sp & self._support(partial[j])),
                     None)
            if j is None:
                continue
            used.update((i, j))
            merged.append(self(self._joined(p, partial[j])))
        if not merged:
            return None
        gone = {partial[i].serial for i in used}
        return [*(x for x in items if x.serial not in gone), *merged]

    def _joined(self, p: Term, q: Term) -> Term:
        """``p OR q`` for ``p``, ``q`` without a common set bit: the concatenation of their slices."""
        sp, sq = self._support(p), self._support(q)
        pieces: list[Term] = []
        hi = p.width - 1
        while hi >= 0:
            owner = p if sp >> hi & 1 else q if sq >> hi & 1 else None
            lo = hi
            while lo > 0 and (p if sp >> (lo - 1) & 1 else q if sq >> (lo - 1) & 1 else None) is owner:
                lo -= 1
            pieces.append(const_term(BV(hi - lo + 1, 0)) if owner is None else self._slice(owner, hi, lo))
            hi = lo - 1
        return mk_concat(*pieces)

    @staticmethod
    def _slice(x: Term, hi: int, lo: int) -> Term:
        """``x<hi:lo>``, taken through a constant shift to its operand."""
        if x.op in ("lshr", "shl") and x.args[1].op == "const":
            span = _shifted_span(x, hi, lo)
            if span is None:
                return const_term(BV(hi - lo + 1, 0))
            above, s_hi, s_lo, below = span
            return mk_concat(*([const_term(BV(above, 0))] if above else []), mk_extract(x.args[0], s_hi, s_lo),
                             *([const_term(BV(below, 0))] if below else []))
        return mk_extract(x, hi, lo)

    # -- slices and rotations -------------------------------------------------------------------
    def _distribute(self, t: Term) -> Term:
        """Push a slice or rotation through bitwise operators (a slice also through concatenations and
        constant shifts) to the leaves, so a lane-wise vector XOR network and the spec's per-word one
        meet in one form.  Iterative over the DAG, memoised per (slice, node)."""
        x = self.memo[t.args[0].serial]
        if t.op == "rotr" and x.op == "concat":
            return self._rotated(x, t.params[0])
        if not (x.op in BITWISE or x.op == "xorn" or (t.op == "extract" and x.op in _SLICEABLE)):
            return self._rebuild(t)
        done = self.pushed.setdefault(t.op, {})
        stack: list[tuple[tuple[int, ...], Term, bool]] = [(t.params, x, False)]
        while stack:
            p, y, expanded = stack.pop()
            if (p, y.serial) in done:
                continue
            if not expanded:
                self.push_budget -= 1
                if self.push_budget < 0:  # re-slicing a whole wide network (e.g. bytes of a GF(2^128)
                    return self._rebuild(t)  # product) costs more than it can help: leave it
            kids = _push_children(t.op, p, y)
            if kids is None:
                done[p, y.serial] = mk_extract(y, *p) if t.op == "extract" else self._rotated(y, p[0])
            elif not expanded:
                stack.append((p, y, True))
                stack.extend((q, c, False) for q, c in kids if (q, c.serial) not in done)
            else:
                done[p, y.serial] = _push_combine(y, p, [done[q, c.serial] for q, c in kids])
        out = done[t.params, x.serial]
        if out.op == t.op and out.args[0] is x:  # nothing to push into: already in normal form
            return out
        return self(out)

    # -- addition --------------------------------------------------------------------------------
    def _linear(self, x: Term) -> tuple[dict[int, tuple[Term, int]], int]:
        """``x`` as integer coefficients over atoms plus a constant (modulo 2^width)."""
        if x.op == "sum":
            coeffs = {a.serial: (a, c) for a, c in zip(x.args, x.params[1])}
            return coeffs, x.params[0]
        if x.op == "const":
            return {}, x.params[0]
        return {x.serial: (x, 1)}, 0

    def _sum(self, t: Term) -> Term:
        """Additions, subtractions, negations and multiplications by constants as one linear form."""
        width = t.width
        mask = (1 << width) - 1
        args = [self.memo[a.serial] for a in t.args]
        if t.op == "mul" and not any(a.op == "const" for a in args):
            return self._rebuild(t)
        if t.op == "mul":
            k, other = (args[0], args[1]) if args[0].op == "const" else (args[1], args[0])
            parts = [(other, k.params[0])]
        elif t.op == "neg":
            parts = [(args[0], mask)]
        elif t.op == "sub":
            parts = [(args[0], 1), (args[1], mask)]
        else:
            parts = [(args[0], 1), (args[1], 1)]
        return self._linear_sum(width, parts, 0)

    def _linear_sum(self, width: int, terms: list[tuple[Term, int]], constant: int) -> Term:
        """``sum c_i t_i + constant`` modulo 2^width as one linear form (``t_i`` in normal form)."""
        mask = (1 << width) - 1
        total: dict[int, tuple[Term, int]] = {}
        for term, factor in terms:
            coeffs, c = self._linear(term)
            constant += c * factor
            for serial, (atom, n) in coeffs.items():
                old = total.get(serial, (atom, 0))[1]
                total[serial] = (atom, (old + n * factor) & mask)
        constant &= mask
        kept = sorted(((a, n) for a, n in total.values() if n), key=lambda p: p[0].serial)
        if not kept:
            return const_term(BV(width, constant))
        if len(kept) == 1 and kept[0][1] == 1 and constant == 0:
            return kept[0][0]
        return Term("sum", width, tuple(a for a, _ in kept), (constant, tuple(n for _, n in kept)))

    # -- bitwise cones --------------------------------------------------------------------------
    def _bitwise(self, t: Term) -> Term:
        leaves: list[Term] = []
        ones = (1 << t.width) - 1

        def collect(x: Term) -> bool:
            """Gather leaves of the cone; False if a constant other than 0/all-ones appears."""
            if len(leaves) > 3:  # enough to know the cone is not a small Boolean function
                return True
            if x.op in BITWISE or x.op == "xorn":
                return all(collect(a) for a in x.args)
            if x.op == "const":
                return x.params[0] in (0, ones)
            if all(x is not y for y in leaves):
                leaves.append(x)
            return True

        root = self._rebuild(t)
        if root.op not in BITWISE:
            return root
        masked = self._masked(root)
        if masked is not None:
            return masked
        if not collect(root):
            return root
        if len(leaves) > 3:
            return self._xor_chain(root) if root.op == "xor" else root
        leaves.sort(key=lambda x: x.serial)
        table = self._truth_table(root, leaves)
        vanishing = [sum(1 << k for k in pair) for pair in combinations(range(len(leaves)), 2)
                     if not self._support(leaves[pair[0]]) & self._support(leaves[pair[1]])]
        out = self._from_anf(table, leaves, t.width, vanishing)
        linear = out.args[0] if out.op == "not" else out
        if vanishing and all(m.op != "and" for m in _xor_items(linear)):
            merged = self._merged(_xor_items(linear))
            if merged is not None:
                return self(_xor_of(merged, out.op == "not"))
        return out

    def _xor_chain(self, root: Term) -> Term:
        items: list[Term] = []
        negate = False
        stack = [root]
        while stack:
            x = stack.pop()
            if x.op in ("xor", "xorn"):
                stack.extend(x.args)
            elif x.op == "not":
                negate = not negate
                stack.append(x.args[0])
            else:
                items.append(x)
        counts: dict[int, tuple[Term, int]] = {}
        for x in items:
            term, n = counts.get(x.serial, (x, 0))
            counts[x.serial] = (term, n + 1)
        kept = sorted((term for term, n in counts.values() if n % 2), key=lambda x: x.serial)
        if not kept:
            return const_term(BV(root.width, -1 if negate else 0))
        merged = self._merged(kept)
        if merged is not None:  # flattened again at once: rebuilding a long chain pair by pair is quadratic
            chain = merged[0] if len(merged) == 1 else Term("xorn", root.width, tuple(merged), ())
            if chain.op not in ("xor", "xorn"):
                return self(mk("not", chain)) if negate else chain
            return self._xor_chain(Term("not", root.width, (chain,), ()) if negate else chain)
        if len(kept) <= 3:  # the form _from_anf gives a cone of at most three leaves
            chain = kept[0]
            for x in kept[1:]:
                chain = Term("xor", root.width, (chain, x), ())
        else:
            chain = Term("xorn", root.width, tuple(kept), ())
        return Term("not", root.width, (chain,), ()) if negate else chain

    @staticmethod
    def _truth_table(root: Term, leaves: list[Term]) -> int:
        """Bit ``i`` of the result: the cone's value when leaf k takes bit k of ``i``."""
        index = {leaf.serial: k for k, leaf in enumerate(leaves)}
        ones = (1 << root.width) - 1
        width = 1 << len(leaves)
        full = (1 << width) - 1
        memo: dict[int, int] = {}

        def value(x: Term) -> int:
            if x.serial in memo:
                return memo[x.serial]
            if x.serial in index:
                k = index[x.serial]
                v = sum(1 << i for i in range(width) if i >> k & 1)
            elif x.op == "const":
                v = full if x.params[0] == ones else 0
            elif x.op == "not":
                v = ~value(x.args[0]) & full
            elif x.op == "and":
                v = value(x.args[0]) & value(x.args[1])
            elif x.op == "or":
                v = value(x.args[0]) | value(x.args[1])
            else:
                v = 0
                for a in x.args:
                    v ^= value(a)
            memo[x.serial] = v
            return v

        return value(root)

    @staticmethod
    def _from_anf(table: int, leaves: list[Term], width: int, vanishing: list[int] | None = None) -> Term:
        """The canonical XOR-of-monomials term for a truth table over ``leaves`` (Moebius transform).  A monomial
        containing a ``vanishing`` pair of leaves (a mask of two leaf indices whose AND is 0 for all inputs) is
        dropped: the others form a basis of the functions on the inputs that can occur, so the form stays
        canonical (``x OR y`` and ``x XOR y`` of disjoint ``x``, ``y`` meet)."""
        n = len(leaves)
        coeffs = [(table >> i) & 1 for i in range(1 << n)]
        for k in range(n):
            for i in range(1 << n):
                if i >> k & 1:
                    coeffs[i] ^= coeffs[i ^ (1 << k)]
        for i in range(1 << n):
            if any(i & pair == pair for pair in vanishing or ()):
                coeffs[i] = 0
        monomials: list[Term] = []
        negate = bool(coeffs[0])
        for size in range(1, n + 1):
            for combo in combinations(range(n), size):
                mask = sum(1 << k for k in combo)
                if coeffs[mask]:
                    term = leaves[combo[0]]
                    for k in combo[1:]:
                        term = Term("and", width, (term, leaves[k]), ())
                    monomials.append(term)
        if not monomials:
            return const_term(BV(width, -1 if negate else 0))
        result = monomials[0]
        for m in monomials[1:]:
            result = Term("xor", width, (result, m), ())
        return Term("not", width, (result,), ()) if negate else result



def _xor_items(x: Term) -> list[Term]:
    """The operands of a binary XOR chain (``x`` itself when it is not one)."""
    items: list[Term] = []
    while x.op == "xor":
        items.append(x.args[1])
        x = x.args[0]
    return [x, *items[::-1]]


def _xor_of(items: list[Term], negate: bool) -> Term:
    out = items[0]
    for x in items[1:]:
        out = mk("xor", out, x)
    return mk("not", out) if negate else out


_SLICEABLE = frozenset({"lshr", "shl", "concat", "extract"})
_NETWORK = BITWISE | {"xorn"}


def _push_children(op: str, p: tuple[int, ...], y: Term) -> list[tuple[tuple[int, ...], Term]] | None:
    """Where a slice ``p = (hi, lo)`` or rotation ``p = (k,)`` of ``y`` goes next; None at a leaf."""
    if y.op in BITWISE or y.op == "xorn":
        return [(p, a) for a in y.args]
    if op != "extract":
        return None
    hi, lo = p
    if y.op == "extract":
        return [((hi + y.params[1], lo + y.params[1]), y.args[0])]
    if y.op == "concat":
        return [((p_hi, p_lo), part) for part, p_hi, p_lo in concat_slices(y, hi, lo)]
    if y.op in ("lshr", "shl") and y.args[1].op == "const" and y.args[0].op not in _NETWORK:
        # only one shift deep: a slice of a shifted XOR network is left whole (a bit-serial loop such
        # as SP 800-38D's Algorithm 1 would otherwise be re-sliced at every shift)
        span = _shifted_span(y, hi, lo)
        return [(span[1:3], y.args[0])] if span is not None else []
    return None


def _shifted_span(y: Term, hi: int, lo: int) -> tuple[int, int, int, int] | None:
    """For ``y`` a constant shift, ``y[hi:lo]`` as (zero bits above, slice hi, slice lo, zero bits
    below) of the shifted operand; None when the slice is all zeros."""
    k, w = y.args[1].params[0], y.width
    if y.op == "lshr":
        if lo + k >= w:
            return None
        top = min(hi + k, w - 1)
        return hi + k - top, top, lo + k, 0
    if hi < k:
        return None
    bottom = max(lo - k, 0)
    return 0, hi - k, bottom, bottom - (lo - k)


def _push_combine(y: Term, p: tuple[int, ...], parts: list[Term]) -> Term:
    """Rebuild node ``y`` over the pushed ``parts`` of its children."""
    if y.op in BITWISE or y.op == "xorn":
        if y.op == "not":
            return mk("not", parts[0])
        op = "xor" if y.op == "xorn" else y.op
        out = parts[0]
        for q in parts[1:]:
            out = mk(op, out, q)
        return out
    if y.op in ("extract",):
        return parts[0]
    if y.op == "concat":
        return mk_concat(*parts)
    hi, lo = p
    span = _shifted_span(y, hi, lo)
    if span is None:
        return const_term(BV(hi - lo + 1, 0))
    above, _, _, below = span
    pieces = [const_term(BV(above, 0))] if above else []
    pieces.append(parts[0])
    if below:
        pieces.append(const_term(BV(below, 0)))
    return mk_concat(*pieces)


# -- sums kept whole where the computation names them: linear growth on long add chains -----------------
_TRANSPARENT = frozenset({"add", "sub", "neg", "concat", "extract"})  # operators that do not observe a sum


class BoxingNormalizer(Normalizer):
    """The normal form with one change: a sum that the computation also feeds to a non-linear operator
    (a rotation, a bitwise operator, a shift, a product of two variables...) is kept as one atom inside the
    sums built on it, instead of being flattened into them.

    Flattening a round's sums is what makes two groupings of one round meet, but flattening *through* the
    values a round hands on (SHA-2's ``a`` and ``e``, each fed to Sigma/Ch/Maj and added into a later round)
    makes round t's form hold O(t) atoms: a whole unrolled run is quadratic in time and memory.  Kept
    whole, those sums bound every form by the size of one round.  Both sides of an equivalence name the
    same values in practice; when they do not, the two forms differ and the caller falls back to the flat
    :class:`Normalizer` (:meth:`boxes`), so this only ever adds proofs' speed, not proofs.  Sound either way:
    an atom is an exact subterm, nothing is rewritten.

    "Fed to a non-linear operator" is read on the input terms (every node reachable from the terms
    normalized so far), before a root is rewritten; ``concat``/``extract`` do not count (vector lanes)."""

    def __init__(self) -> None:
        super().__init__()
        self.observed: set[int] = set()  # input serials with a non-linear consumer
        self.atoms: frozenset[int] = frozenset()  # normalized serials kept whole by the current _sum
        self.nested: dict[int, bool] = {}  # normalized serial -> a sum with a sum operand lies below

    def __call__(self, root: Term) -> Term:
        order = postorder(root, self.memo)
        observed = self.observed
        for t in order:
            if t.op not in _TRANSPARENT and not (t.op == "mul" and any(a.op == "const" for a in t.args)):
                observed.update(a.serial for a in t.args)
        for t in order:
            if t.serial not in self.memo:
                self.memo[t.serial] = self._rewrite(t)
        return self.memo[root.serial]

    def _sum(self, t: Term) -> Term:
        self.atoms = frozenset(self.memo[a.serial].serial for a in t.args if a.serial in self.observed)
        try:
            return super()._sum(t)
        finally:
            self.atoms = frozenset()

    def _linear(self, x: Term) -> tuple[dict[int, tuple[Term, int]], int]:
        if x.op == "sum" and x.serial in self.atoms:
            return {x.serial: (x, 1)}, 0
        return super()._linear(x)

    def boxes(self, root: Term) -> bool:
        """Whether normal form ``root`` keeps some sum whole inside another (otherwise it is the flat form)."""
        nested = self.nested
        for x in postorder(root, nested):
            nested[x.serial] = any(nested[a.serial] for a in x.args) or \
                (x.op == "sum" and any(a.op == "sum" for a in x.args))
        return nested[root.serial]
