"""Normal forms that make equal computations syntactically equal (then hash-consing settles them).

* **Bitwise cones** (maximal AND/OR/XOR/NOT sub-DAGs) over at most three distinct non-bitwise
  leaves are rewritten to their algebraic normal form -- an XOR of AND-monomials over the leaves
  in a fixed order.  Two formulas of the same Boolean function (FIPS ``Ch`` vs Arm ``SHAchoose``,
  ``Maj`` vs ``SHAmajority``, BCAX/EOR3 groupings) become the same term.
* **XOR chains** of any length are flattened and sorted.
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
from bitvec.term import Term, const_term, mk, mk_concat, mk_extract, mk_rotr, postorder

BITWISE = frozenset({"and", "or", "xor", "not"})



class Normalizer:
    def __init__(self) -> None:
        self.memo: dict[int, Term] = {}

    def __call__(self, root: Term) -> Term:
        for t in postorder(root):
            if t.serial not in self.memo:
                self.memo[t.serial] = self._rewrite(t)
        return self.memo[root.serial]

    def _rebuild(self, t: Term) -> Term:
        args = [self.memo[a.serial] for a in t.args]
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
        if t.op in ("const", "var"):
            return t
        return mk(t.op, *args, params=t.params)

    def _rewrite(self, t: Term) -> Term:
        if t.op in BITWISE:
            return self._bitwise(t)
        if t.op in ("add", "sub", "neg", "mul"):
            return self._sum(t)
        return self._rebuild(t)

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
        total: dict[int, tuple[Term, int]] = {}
        constant = 0
        for term, factor in parts:
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
            if x.op in BITWISE:
                return all(collect(a) for a in x.args)
            if x.op == "const":
                return x.params[0] in (0, ones)
            if all(x is not y for y in leaves):
                leaves.append(x)
            return True

        root = self._rebuild(t)
        if root.op not in BITWISE:
            return root
        if not collect(root):
            return root
        if len(leaves) > 3:
            return self._xor_chain(root) if root.op == "xor" else root
        leaves.sort(key=lambda x: x.serial)
        table = self._truth_table(root, leaves)
        return self._from_anf(table, leaves, t.width)

    def _xor_chain(self, root: Term) -> Term:
        items: list[Term] = []
        stack = [root]
        while stack:
            x = stack.pop()
            if x.op == "xor":
                stack.extend(x.args)
            elif x.op == "xorn":
                items.extend(x.args)
            else:
                items.append(x)
        counts: dict[int, tuple[Term, int]] = {}
        for x in items:
            term, n = counts.get(x.serial, (x, 0))
            counts[x.serial] = (term, n + 1)
        kept = sorted((term for term, n in counts.values() if n % 2), key=lambda x: x.serial)
        if not kept:
            return const_term(BV(root.width, 0))
        if len(kept) == 1:
            return kept[0]
        return Term("xorn", root.width, tuple(kept), ())

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
                v = value(x.args[0]) ^ value(x.args[1])
            memo[x.serial] = v
            return v

        return value(root)

    @staticmethod
    def _from_anf(table: int, leaves: list[Term], width: int) -> Term:
        """The canonical XOR-of-monomials term for a truth table over ``leaves`` (Moebius transform)."""
        n = len(leaves)
        coeffs = [(table >> i) & 1 for i in range(1 << n)]
        for k in range(n):
            for i in range(1 << n):
                if i >> k & 1:
                    coeffs[i] ^= coeffs[i ^ (1 << k)]
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
