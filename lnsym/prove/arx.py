"""Normal forms for add-rotate-XOR (ARX) code: ChaCha20's quarter rounds as integer or NEON code meet RFC 8439's.

:class:`ArxNormalizer` extends :class:`lnsym.prove.normalize.Normalizer` (rotations as one ``rotr`` node, pushed
through XOR chains of any association and flattened, linear forms for additions) with rewrites that ARX machine
code needs, each an identity on bit-vectors:

* **Slices of sums.**  ``(sum c_i x_i + k)[h:0] = sum c_i x_i[h:0] + k[h:0]`` modulo 2^(h+1) (truncation is a ring
  homomorphism Z/2^w -> Z/2^(h+1)).  For ``l > 0``, ``(sum c_i x_i + k)[h:l] = sum c_i x_i[h:l] + k[h:l]`` when no
  carry crosses bit ``l``: every term but at most one (with coefficient 1) has bits ``l-1..0`` known zero (a
  shift left by at least ``l``, a concatenation ending in zeros, a constant).  Integer ChaCha code adds two 32-bit
  words as one 64-bit ``add x, x, y, lsl #32`` before a 64-bit EOR and store.
* **Slices of shifts, rotations and masks** by constants are slices of the operand and zeros (:func:`pieces`):
  a NEON lane read as ``(v >> 32e)[31:0]``, UBFM's ``ror`` + mask.
* **Disjoint merges.**  ``a | b``, ``a ^ b`` and ``a + b`` are the same when no bit is set in both; with ``a`` and
  ``b`` seen as pieces (slices and known-zero runs), the result is the concatenation of the non-zero pieces.
  NEON's ``USHR`` + ``SLI`` (``((x >> (w-k)) & keep) | (x << k)``) becomes ``concat(x[w-k-1:0], x[w-1:w-k])``.
* **Rotations of slices.**  ``concat(x[a+k-1:a], x[b:a+k])`` is ``rotr(x[b:a], k)`` (the Normalizer's rule for the
  whole of ``x``, generalised to a lane of a vector: ``REV32 .8h`` and ``TBL`` byte rotations of one 32-bit lane).
  Rotations are recognised on the terms as the instructions built them (:meth:`ArxNormalizer.prepare`), before
  normalising pushes their slices apart.
* **Flat chain pushes.**  A rotation or slice of a flattened XOR chain is the chain of its operands' rotations or
  slices, built in one step (the Normalizer's push rebuilds the chain as binary XORs and re-flattens every
  prefix: quadratic per push, and ChaCha's words are XORs of rotations of all the sums in their history).

Each rewrite is tested exhaustively at 8 bits against brute force in ``tests/test_arx.py``, with a planted wrong
rewrite caught.  The procedure (:class:`ArxDecider`) applies to claims holding both an addition and a rotation.
"""

from __future__ import annotations

from itertools import pairwise

from bitvec import BV
from bitvec.term import Term, const_term, mk_concat, mk_extract, mk_rotr, postorder, rebuild
from lnsym.prove.normalize import Normalizer

ARX_PUSH_BUDGET = 400_000  # (slice or rotation, node) pairs the Normalizer's general push may create
MERGEABLE = frozenset({"or", "xor", "add"})
SHAPED = frozenset({"const", "shl", "lshr", "rotr", "concat", "extract", "and"})  # what pieces() takes apart
Piece = tuple[int, Term | None]  # (width, slice), most significant first; None: known-zero bits


class ArxNormalizer(Normalizer):
    """The Normalizer with slices of sums and of shifts, disjoint merges and rotations of slices (module
    docstring)."""

    def __init__(self, budget: int = ARX_PUSH_BUDGET) -> None:
        super().__init__()
        self.push_budget = budget
        self.prepared: dict[int, Term] = {}

    def __call__(self, root: Term) -> Term:
        return super().__call__(self.prepare(root))

    def prepare(self, root: Term) -> Term:
        """``root`` with its rotations written as ``rotr``, found on the terms as the instructions built them
        (before normalising a slice pushes it apart): a concatenation of slices of one term (EXTR, REV32, TBL's
        bytes of constant shifts) or a disjoint OR/XOR/ADD of two shifts of one term (USHR + SLI)."""
        for t in postorder(root, self.prepared):
            args = [self.prepared[a.serial] for a in t.args]
            u = rebuild(t, args) if any(a is not b for a, b in zip(args, t.args, strict=True)) else t
            if u.op in MERGEABLE and len(u.args) == 2:
                merged = merge_disjoint(*u.args)
                u = rotation_of(merged) if merged is not None else u
            elif u.op == "concat":
                r = rotation_of(as_term(pieces(u)))
                u = r if r.op != "concat" or any(a.op == "rotr" for a in r.args) else u
            self.prepared[t.serial] = u
        return self.prepared[root.serial]

    def _rewrite(self, t: Term) -> Term:
        if t.op == "extract":
            x = self.memo[t.args[0].serial]
            if x.op == "sum":
                return self._slice_sum(x, *t.params)
            if x.op in ("shl", "lshr", "rotr", "and"):  # a lane of a shifted or masked vector: the bits it holds
                sliced = as_term(window(pieces(x), x.width, *t.params))
                if sliced.op != "extract" or sliced.args[0] is not x:
                    return self(sliced)
        if t.op in ("extract", "rotr"):
            x = self.memo[t.args[0].serial]
            if x.op in ("xor", "xorn", "not"):
                pushed = self._push_chain(t, x)
                if pushed is not None:
                    return pushed
        if t.op in MERGEABLE and len(t.args) == 2:
            merged = merge_disjoint(self.memo[t.args[0].serial], self.memo[t.args[1].serial])
            if merged is not None:
                return self(rotation_of(merged))
        if t.op == "concat":
            r = rotation_of(as_term(pieces(t)))
            if r is not t:
                return self(r)
        return super()._rewrite(t)

    def _push_chain(self, t: Term, x: Term) -> Term | None:
        """A slice or rotation of an XOR chain in normal form is the chain of the slices or rotations of its
        operands (built flat, in one step: pushing it through the chain's binary form re-flattens every prefix,
        quadratic in the chain's length).  None when an operand's image is itself a bitwise cone (then the
        Normalizer's general push applies)."""
        negate = False
        atoms: list[Term] = []
        stack = [x]
        while stack:
            y = stack.pop()
            if y.op in ("xor", "xorn"):
                stack.extend(y.args)
            elif y.op == "not":
                negate = not negate
                stack.append(y.args[0])
            else:
                atoms.append(y)
        images: list[Term] = []
        for a in atoms:
            image = self(mk_extract(a, *t.params) if t.op == "extract" else mk_rotr(a, t.params[0]))
            if image.op in ("and", "or"):
                return None
            images.append(image)
        chain = Term("xorn", t.width, tuple(images), ()) if len(images) > 1 else images[0]
        chain = Term("not", t.width, (chain,), ()) if negate else chain
        return self._xor_chain(chain) if chain.op in ("xorn", "not") else chain

    # -- slices of sums ----------------------------------------------------------------------------------
    def _slice_sum(self, s: Term, hi: int, lo: int) -> Term:
        """``s[hi:lo]`` for a linear form ``s``: a low slice always, a higher one when no carry crosses bit ``lo``
        (all terms but one, of coefficient 1, known zero below ``lo``); else the slice as it is."""
        constant, coeffs = s.params
        parts = list(zip(s.args, coeffs))
        if lo:
            carrying = [(a, c) for a, c in parts if not low_zero(a, lo)]
            if constant & ((1 << lo) - 1):
                carrying.append((const_term(BV(s.width, constant)), 1))
            if len(carrying) > 1 or (carrying and carrying[0][1] != 1):
                return mk_extract(s, hi, lo)
        width = hi - lo + 1
        terms = [(self(mk_extract(a, hi, lo)), c) for a, c in parts]
        return self._linear_sum(width, terms, (constant >> lo) & ((1 << width) - 1))


# -- bit-level structure ------------------------------------------------------------------------------------


def pieces(t: Term, depth: int = 0) -> list[Piece]:
    """``t`` as a concatenation of slices and known-zero runs, most significant first: shifts by constants,
    rotations, concatenations, slices of those and ANDs with a constant mask are taken apart (``depth`` levels
    deep)."""
    w = t.width
    if t.op == "const":
        return [(w, None)] if t.params[0] == 0 else [(w, t)]
    if depth > 8 or t.op not in SHAPED:
        return [(w, t)]
    if t.op in ("shl", "lshr"):
        if t.args[1].op != "const":
            return [(w, t)]
        k, x = t.args[1].params[0], t.args[0]
        if k >= w:
            return [(w, None)]
        if t.op == "shl":
            return [*pieces(mk_extract(x, w - 1 - k, 0), depth + 1), (k, None)]
        return [(k, None), *pieces(mk_extract(x, w - 1, k), depth + 1)]
    if t.op == "concat":
        return [p for part in t.args for p in pieces(part, depth + 1)]
    if t.op == "rotr":
        k, x = t.params[0], t.args[0]
        return [*pieces(mk_extract(x, k - 1, 0), depth + 1), *pieces(mk_extract(x, w - 1, k), depth + 1)]
    if t.op == "extract":
        y = t.args[0]
        if y.op not in SHAPED:
            return [(w, t)]
        return window(pieces(y, depth + 1), y.width, *t.params)
    masks = [a for a in t.args if a.op == "const"]  # and
    if not masks:
        return [(w, t)]
    mask, other = masks[0].params[0], t.args[1] if t.args[0] is masks[0] else t.args[0]
    cuts = [w - 1 - i for i in range(w - 1) if (mask >> i & 1) != (mask >> (i + 1) & 1)]  # from the top
    out: list[Piece] = []
    top = 0
    for piece in _split(pieces(other, depth + 1), cuts):
        out.append(piece if mask >> (w - 1 - top) & 1 else (piece[0], None))
        top += piece[0]
    return out


def _split(ps: list[Piece], cuts: list[int]) -> list[Piece]:
    """``ps`` cut at the bit positions ``cuts`` (counted from the top)."""
    out: list[Piece] = []
    top = 0
    for w, x in ps:
        edges = [0, *(c - top for c in sorted(cuts) if top < c < top + w), w]
        for a, b in pairwise(edges):
            out.append((b - a, None if x is None else mk_extract(x, w - 1 - a, w - b)))
        top += w
    return out


def window(ps: list[Piece], width: int, hi: int, lo: int) -> list[Piece]:
    """Bits ``hi..lo`` of the concatenation ``ps`` (``width`` bits) as pieces."""
    first, last = width - 1 - hi, width - lo  # from the top
    out: list[Piece] = []
    top = 0
    for piece in _split(ps, [first, last]):
        if first <= top < last:
            out.append(piece)
        top += piece[0]
    return out


def as_term(ps: list[Piece]) -> Term:
    """The concatenation the pieces stand for (known-zero runs as zero constants)."""
    return mk_concat(*(x if x is not None else const_term(BV(w, 0)) for w, x in ps))


def low_zero(t: Term, bits: int) -> bool:
    """Are bits ``bits-1..0`` of ``t`` zero whatever its variables (by its structure)?"""
    return all(x is None for _, x in window(pieces(t), t.width, bits - 1, 0))


def merge_disjoint(a: Term, b: Term) -> Term | None:
    """``a | b`` (= ``a ^ b`` = ``a + b``) as one concatenation when, piece by piece, one of them is known zero;
    None when some piece may be set in both, or when neither has a known-zero piece (nothing to merge)."""
    pa, pb = pieces(a), pieces(b)
    if all(x is not None for _, x in pa) or all(x is not None for _, x in pb):
        return None
    cuts: set[int] = set()
    for ps in (pa, pb):
        top = 0
        for w, _ in ps:
            top += w
            cuts.add(top)
    out: list[Piece] = []
    for (w, x), (_, y) in zip(_split(pa, sorted(cuts)), _split(pb, sorted(cuts)), strict=True):
        if x is not None and y is not None:
            return None
        out.append((w, x if x is not None else y))
    return as_term(out)


def rotation_of(t: Term) -> Term:
    """A concatenation that rotates a term, or has parts rotating a slice of one, with ``rotr`` for each rotation;
    ``t`` itself otherwise."""
    r = Normalizer._rotation(t)
    if r is not t or t.op != "concat":
        return r
    parts = list(t.args)
    out: list[Term] = []
    k = 0
    while k < len(parts):
        pair = slice_rotation(parts[k], parts[k + 1]) if k + 1 < len(parts) else None
        if pair is not None:
            out.append(pair)
            k += 2
        else:
            out.append(parts[k])
            k += 1
    return t if len(out) == len(parts) else mk_concat(*out)


def slice_rotation(top: Term, bottom: Term) -> Term | None:
    """``concat(x[a+k-1:a], x[b:a+k])`` (adjacent slices of one term in swapped order) as ``rotr(x[b:a], k)``;
    None otherwise.  (``mk_concat`` merges adjacent slices, so a rotation of a slice is two parts.)"""
    if top.op != "extract" or bottom.op != "extract" or top.args[0] is not bottom.args[0]:
        return None
    if bottom.params[1] != top.params[0] + 1:
        return None
    return mk_rotr(mk_extract(top.args[0], bottom.params[0], top.params[1]), top.width)


class ArxDecider:
    """Equal ARX normal forms prove an obligation; applied only to claims holding both an addition and a
    rotation (:meth:`applies`), the others being left to the other procedures.  One normalizer for all the
    obligations of a routine (their shared rounds are normalised once)."""

    ADD, ROTATION = 1, 2

    def __init__(self, budget: int = ARX_PUSH_BUDGET) -> None:
        self.normalize = ArxNormalizer(budget)
        self.features: dict[int, int] = {}

    def applies(self, *roots: Term) -> bool:
        """Do ``roots`` hold an addition and a rotation (``rotr``, a concatenation of slices of one term, or a
        shift of a term)?  Memoised per node."""
        for t in postorder(list(roots), self.features):
            bits = 0
            for a in t.args:
                bits |= self.features[a.serial]
            if t.op in ("add", "sub"):
                bits |= self.ADD
            if t.op in ("rotr", "shl", "lshr") or (t.op == "concat" and len(t.args) >= 2
                                                   and t.args[0].op == "extract" and t.args[-1].op == "extract"):
                bits |= self.ROTATION
            self.features[t.serial] = bits
        both = self.ADD | self.ROTATION
        return all(self.features[r.serial] & both == both for r in roots) and len(roots) > 0

    def __call__(self, impl: Term, spec: Term) -> bool:
        """Are ``impl`` and ``spec`` (one width) equal by their ARX normal forms?"""
        if impl is spec:
            return True
        if not self.applies(impl, spec):
            return False
        return self.normalize(impl) is self.normalize(spec)
