"""Identities of a commutative ring of characteristic 2 (GF(2^128) for GHASH) that are too deep for the GF(2)
procedures, reduced to one they decide.

A GHASH loop that hashes four blocks per iteration computes ``(Y ^ I0) H^4 ^ I1 H^3 ^ I2 H^2 ^ I3 H`` with
``H^2, H^3, H^4`` read from a table, where SP 800-38D chains ``((((Y ^ I0) H ^ I1) H ^ I2) H ^ I3) H``.  As bit
functions both are of degree 4 in ``H``: out of reach of evaluation on low-weight points
(:mod:`lnsym.prove.lowdegree`) and of bit-blasting.  The identity is one of the field, and is proved so:

1. **The multiplication is a ring product (once per field).**  A :class:`Field` records every product it builds
   (``mul``: the result node is the product of its two operands, by construction).  :meth:`Field.lemma` proves,
   for *all* operands, that the multiplication function equals :func:`ring_product` -- the carry-less product
   reduced modulo the field polynomial, the textbook multiplication of GF(2)[x]/(P) -- by low-weight evaluation
   (bilinear: degree 1 in each operand).  GF(2)[x]/(P) is a commutative ring of characteristic 2 for any P,
   so the recorded products obey commutativity, associativity and distributivity over XOR.
2. **Normalization** (:class:`Normalizer`).  A term is read as a polynomial with coefficients in GF(2) over
   *atoms* (every node that is neither a recorded product nor an XOR): a recorded product is the product of its
   operands' polynomials, an XOR their sum, the constant 0 the zero polynomial.  In a commutative ring of
   characteristic 2 equal polynomials are equal values for every value of the atoms (the evaluation
   homomorphism), so a term may be replaced by any term of the same polynomial.
3. **Rewriting** (:func:`rewrite`).  Each maximal recorded product of the specification is rewritten to a term
   of the same polynomial (re-checked by the normalizer) built from the products the *implementation* uses
   (its *keys*, e.g. the table's ``H^4 = (H^2)^2``): each monomial is split into a key and the rest, and the
   monomials of one key are summed first, ``(Y ^ I0) * H^4 ^ I1 * H^3 ^ ...``.
4. **Generalization.**  Every key node, on both sides, is replaced by a fresh variable.  What is left is of
   degree 1 in the keys (each a product of data and one key), which :func:`lnsym.prove.lowdegree.decide` proves
   for *all* values of those variables -- hence for the keys' own values.

Soundness rests on the lemma of step 1 (checked, not assumed), the normalizer (tested exhaustively in
``tests/test_field.py`` against brute force over GF(2^4), with a planted wrong rule caught) and the low-degree
procedure.  Export: the generalized pairs of step 4 are affine in the key variables, so their column
decomposition (:mod:`lnsym.prove.columns`) is linear and re-checkable by a second solver; the ring step is
written as a certificate (:func:`certificate`): the lemma's own column export and, for each rewritten node,
both sides' polynomials, which another tool can recompute from the terms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bitvec import Value, concat
from bitvec.term import Term, lift, postorder, rebuild, var, variables
from lnsym.prove.lowdegree import RDegree
from lnsym.prove.lowdegree import decide as low_degree_decide

Monomial = tuple[int, ...]  # sorted serials of atoms, with repetition
Poly = frozenset[Monomial]


def ring_product(x: Value, y: Value, width: int, modulus: int) -> Value:
    """``x * y`` in GF(2)[x]/(P), ``P = x^width + modulus`` (``modulus``: the lower coefficients, bit k the
    coefficient of x^k), with the coefficient of x^i at bit ``width - 1 - i`` (SP 800-38D's bit order): the
    carry-less product of the bit-reversed operands, each coefficient of x^k (k >= width) replaced by the
    constant x^k mod P, reversed back."""
    def reverse(t: Value) -> Value:
        return concat(*[t[i] for i in range(t.width)])

    nx, ny = reverse(x), reverse(y).zext(2 * width)
    c: Value = ny & 0
    for i in range(width):
        c = c ^ (nx[i].sext(2 * width) & ny.lsl(i))
    reduced: Value = c[width - 1 : 0]
    power = 1
    for k in range(2 * width - 1):
        if k >= width:
            reduced = reduced ^ (c[k].sext(width) & power)
        power <<= 1
        if power >> width & 1:
            power ^= (1 << width) | modulus
    return reverse(reduced)


@dataclass
class Field:
    """A multiplication ``function`` on ``width``-bit values claimed to be that of GF(2)[x]/(P) (``modulus``:
    P's lower coefficients), with the products built through :meth:`mul` recorded (result node -> operands)."""

    name: str
    width: int
    modulus: int
    function: Callable[[Value, Value], Value]
    products: dict[int, tuple[Term, Term, Term]] = field(default_factory=dict)
    proved: bool | None = None

    def mul(self, x: Value, y: Value) -> Value:
        """``function(x, y)``, its node recorded as a product of ``x`` and ``y``."""
        out = self.function(x, y)
        t = lift(out, None)
        if t.op != "const":
            self.products[t.serial] = (t, lift(x, self.width), lift(y, self.width))
        return out

    def lemma(self) -> bool:
        """Whether ``function`` is :func:`ring_product` for every pair of operands (low-weight evaluation:
        both sides are of degree 1 in each operand), decided once."""
        if self.proved is None:
            x, y = var(f"{self.name}.x", self.width), var(f"{self.name}.y", self.width)
            pair = (lift(self.function(x, y), None), lift(ring_product(x, y, self.width, self.modulus), None))
            self.proved = low_degree_decide([pair], []) is not None
        return self.proved


#: the fields whose products the procedure reads (a field joins when a script or contract builds one)
FIELDS: list[Field] = []


def register(f: Field) -> Field:
    if f not in FIELDS:
        FIELDS.append(f)
    return f


def product(t: Term, fields: Sequence[Field] | None = None) -> tuple[Field, Term, Term] | None:
    """The field and operands of ``t`` when it is a recorded product."""
    for f in FIELDS if fields is None else fields:
        hit = f.products.get(t.serial)
        if hit is not None and hit[0] is t:
            return f, hit[1], hit[2]
    return None


def _times(a: Poly, b: Poly) -> Poly:
    out: set[Monomial] = set()
    for m in a:
        for n in b:
            out ^= {tuple(sorted(m + n))}
    return frozenset(out)


class Normalizer:
    """Polynomials of terms over the atoms (see the module docstring), for the products of one field."""

    def __init__(self, f: Field) -> None:
        self.field = f
        self.memo: dict[int, Poly] = {}
        self.atoms: dict[int, Term] = {}

    def __call__(self, root: Term) -> Poly:
        for t in postorder(self._structure(root), self.memo):
            self.memo[t.serial] = self._node(t)
        return self.memo[root.serial]

    def _structure(self, root: Term) -> list[Term]:
        """The nodes the polynomial reads (products' operands, XORs' arguments), children first: a product's
        own bit-level DAG is not entered."""
        order: list[Term] = []
        seen: set[int] = set()
        stack: list[tuple[Term, bool]] = [(root, False)]
        while stack:
            t, done = stack.pop()
            if done:
                order.append(t)
                continue
            if t.serial in seen or t.serial in self.memo:
                continue
            seen.add(t.serial)
            stack.append((t, True))
            stack.extend((c, False) for c in self._children(t))
        return order

    def _children(self, t: Term) -> list[Term]:
        hit = product(t, [self.field])
        if hit is not None:
            return [hit[1], hit[2]]
        if t.op == "xor" and t.width == self.field.width:
            return list(t.args)
        return []

    def _node(self, t: Term) -> Poly:
        hit = product(t, [self.field])
        if hit is not None:
            return _times(self.memo[hit[1].serial], self.memo[hit[2].serial])
        if t.op == "xor" and t.width == self.field.width:
            out: frozenset[Monomial] = frozenset()
            for a in t.args:
                out = out ^ self.memo[a.serial]
            return out
        if t.op == "const" and t.params[0] == 0:
            return frozenset()
        self.atoms[t.serial] = t
        return frozenset({(t.serial,)})


def _maximal_products(roots: Sequence[Term], f: Field, skip: set[int]) -> list[Term]:
    """The recorded products of ``f`` reachable from ``roots`` without passing through another one (nor a node
    in ``skip``)."""
    found: dict[int, Term] = {}
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        t = stack.pop()
        if t.serial in seen or t.serial in skip:
            continue
        seen.add(t.serial)
        if product(t, [f]) is not None:
            found[t.serial] = t
            continue
        stack.extend(t.args)
    return list(found.values())


def _all_products(roots: Sequence[Term], f: Field) -> list[Term]:
    return [t for t in postorder(list(roots)) if product(t, [f]) is not None]


def _replace(roots: Sequence[Term], mapping: dict[int, Term]) -> list[Term]:
    """``roots`` with every node in ``mapping`` (serial -> term) replaced."""
    out = dict(mapping)
    for t in postorder(list(roots), out):
        out[t.serial] = rebuild(t, [out[a.serial] for a in t.args]) if t.args else t
    return [out[r.serial] for r in roots]


def rewrite(node: Term, f: Field, norm: Normalizer, keys: dict[Monomial, Term], key_atoms: set[int]) -> Term | None:
    """A term of ``node``'s polynomial built from products with the ``keys`` (a key's monomial -> its node):
    each monomial's atoms in ``key_atoms`` form its key part, the monomials of one key part are summed and
    multiplied by it once; None when a key part is no key (nor a single atom) or the result's polynomial
    differs (checked)."""
    poly = norm(node)
    groups: dict[Monomial, list[Monomial]] = {}
    for m in sorted(poly):
        k = tuple(a for a in m if a in key_atoms)
        rest = tuple(a for a in m if a not in key_atoms)
        groups.setdefault(k, []).append(rest)
    out: Value | None = None

    def chain(m: Monomial) -> Value | None:
        acc: Value | None = None
        for a in m:
            atom = norm.atoms[a]
            acc = atom if acc is None else f.mul(acc, atom)
        return acc

    for k, rests in sorted(groups.items()):
        factor: Value | None
        if not k:
            factor = None
        elif k in keys:
            factor = keys[k]
        elif len(k) == 1:
            factor = norm.atoms[k[0]]
        else:
            return None
        data: Value | None = None
        for r in rests:
            term = chain(r)
            data = term if data is None else (data if term is None else data ^ term)
        if factor is None:
            term = data
        elif data is None:  # the key alone (an empty rest: the monomial is the key part)
            term = factor
        else:
            term = f.mul(data, factor)
        if term is None:
            continue
        out = term if out is None else out ^ term
    result = lift(out, f.width) if out is not None else lift(node, f.width) & 0
    return result if norm(lift(result, None)) == poly else None


@dataclass
class Reduction:
    """What :func:`reduce_pairs` did: the pairs it proves (impl, spec), the generalized pairs, the nodes
    rewritten (spec node, its rewritten term) and the keys generalized (node, variable)."""

    proved: list[tuple[Term, Term]]
    pairs: list[tuple[Term, Term]]
    rewritten: list[tuple[Term, Term]]
    keys: list[tuple[Term, Term]]
    group: dict[str, int]  # the key variables and the inputs of the key atoms (the evaluation's affine group)


def reduce_pairs(pairs: Sequence[tuple[Term, Term]], f: Field) -> Reduction | None:
    """Steps 3 and 4 of the module docstring for ``impl == spec`` pairs; None when no product of ``f`` occurs
    or a product cannot be rewritten over the implementation's keys."""
    impls = [i for i, _ in pairs]
    specs = [s for _, s in pairs]
    key_nodes = _all_products(impls, f)
    if not key_nodes and not _all_products(specs, f):
        return None
    norm = Normalizer(f)
    keys: dict[Monomial, Term] = {}
    key_atoms: set[int] = set()
    for k in key_nodes:
        poly = norm(k)
        if len(poly) == 1:
            (m,) = poly
            keys.setdefault(m, k)
            key_atoms.update(m)
    key_serials = {k.serial for k in key_nodes}
    rewritten: list[tuple[Term, Term]] = []
    mapping: dict[int, Term] = {}
    for node in _maximal_products(specs, f, key_serials):
        new = rewrite(node, f, norm, keys, key_atoms)
        if new is None:
            return None
        rewritten.append((node, new))
        mapping[node.serial] = new
    specs2 = _replace(specs, mapping) if mapping else specs
    generalize = {k.serial: var(f"{f.name}.key{j}", f.width) for j, k in enumerate(_key_order(key_nodes))}
    sides = _replace([*impls, *specs2], generalize)
    n = len(impls)
    group = variables([norm.atoms[a] for a in key_atoms]) | {v.params[0]: f.width for v in generalize.values()}
    return Reduction(list(pairs), list(zip(sides[:n], sides[n:])), rewritten,
                     [(k, generalize[k.serial]) for k in _key_order(key_nodes)], group)


def _key_order(key_nodes: list[Term]) -> list[Term]:
    return sorted(key_nodes, key=lambda t: t.serial)


def with_products(pairs: Sequence[tuple[Term, Term]], f: Field) -> list[tuple[Term, Term]]:
    """The pairs in which a product of ``f`` occurs (one pass over their shared DAG)."""
    reaches: dict[int, bool] = {}
    for t in postorder([x for pair in pairs for x in pair]):
        reaches[t.serial] = t.serial in f.products or any(reaches[a.serial] for a in t.args)
    return [(i, s) for i, s in pairs if reaches[i.serial] or reaches[s.serial]]


def decide(pairs: Sequence[tuple[Term, Term]], path: Sequence[Term],
           fields: Sequence[Field] | None = None) -> Reduction | None:
    """The reduction proving every ``impl == spec`` of ``pairs`` in which a product occurs (module
    docstring), or None: no recorded product, a field whose lemma fails, no rewriting, or the generalized
    pairs not proved."""
    for f in FIELDS if fields is None else fields:
        mine = with_products(pairs, f)
        if not mine:
            continue
        red = reduce_pairs(mine, f)
        if red is None:
            continue
        if not f.lemma():
            return None
        if low_degree_decide(red.pairs, path, group=red.group) is not None:
            return red
    return None


def key_degree(red: Reduction) -> int:
    """The degree bound of the generalized pairs in the key variables (1 when step 4 applies)."""
    group = {v.params[0] for _, v in red.keys}
    degree = RDegree(group)
    return max((degree(x) for pair in red.pairs for x in pair), default=0)
