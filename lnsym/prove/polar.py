"""Re-checkable exports of GF(2) obligations of degree 2 in a key, by polarization.

A bit-blasting solver cannot re-prove ``((X ^ I0) H ^ I1) H == (X ^ I0) H^2 ^ I1 H`` (two GHASH blocks) even
column by column in the data: what is left is quadratic in the hash key ``H``, and equal quadratic forms
written with different associations are beyond resolution.  lnsym therefore *renames* the key: in each
product node of degree 2 in the key (an AND, OR or ITE of two operands of degree 1) the selector operand
(a sign-extended bit, the ``x_i`` of ``x_i ? V : 0``; of two different key inputs, the first by name) gets
the copy ``H@1`` and the other one ``H@2``; every other occurrence gets one base copy, chosen so that the
renamed sides agree on random inputs.
Substituting ``H`` for both copies gives back the original terms, so

    P(H@1, H@2) == Q(H@1, H@2) for all values   implies   impl(H) == spec(H) for all H.

The renamed sides are affine in the data and, given the data, in ``H@1`` (both checked syntactically by
:func:`lnsym.prove.columns.kinds`), so the claim holds iff it holds on every column of both groups with
``H@2`` free.  There, every product is a constant times an affine function of ``H@2``: the files are
linear, which a second solver re-proves.  One file per data column states the claim for every ``H@1``
column, each an application of one function definition (written once, with ``let`` layers).

Obligations of higher degree are first generalized at cut points (:func:`cut`): e.g. ``H^4``, which the
routine computes as ``(H^2)^2`` from its own ``H^2``, is quadratic in a variable standing for ``H^2`` once
that ``H^2`` is rewritten to the spec's by the obligation proving them equal.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from bitvec.smtlib import declarations_and_definitions, function_definition, literal
from bitvec.term import Term, lift, mk, postorder, rebuild, var, variables
from lnsym.prove.columns import AFFINE, STRUCTURAL_OPS, affine_group, input_groups, kinds, substitute, unit_columns
from lnsym.prove.columns import export as column_export
from lnsym.prove.lowdegree import Bitsliced, RDegree

_PRODUCTS = ("and", "or", "ite")


def _is_selector(t: Term) -> bool:
    return t.op == "sext" and t.args[0].width == 1


class Polarizer:
    """The renamed copies of terms of degree at most 2 in ``group`` (variable names)."""

    def __init__(self, degree: RDegree, base: int) -> None:
        self.group: set[str] = degree.group or set()
        self.base = base
        self.degree = degree
        self.copies: dict[int, dict[int, Term]] = {1: {}, 2: {}}
        self.top: dict[int, Term] = {}
        self.inputs: dict[int, frozenset[str]] = {}

    def groups(self, t: Term) -> frozenset[str]:
        """The inputs (``H`` for ``H[3]``) of the group that ``t`` depends on."""
        for n in postorder(t, self.inputs):
            if n.op == "var":
                name = n.params[0]
                self.inputs[n.serial] = frozenset({name.split("[", 1)[0]} if name in self.group else ())
            else:
                self.inputs[n.serial] = frozenset().union(*(self.inputs[a.serial] for a in n.args))
        return self.inputs[t.serial]

    def renamed(self, t: Term, level: int) -> Term:
        """``t`` with every variable of the group renamed ``name@level``."""
        memo = self.copies[level]
        for n in postorder(t, memo):
            if n.op == "var":
                memo[n.serial] = var(f"{n.params[0]}@{level}", n.width) if n.params[0] in self.group else n
            elif n.op == "const":
                memo[n.serial] = n
            else:
                memo[n.serial] = rebuild(n, [memo[a.serial] for a in n.args])
        return memo[t.serial]

    def __call__(self, root: Term) -> Term | None:
        """The polarized ``root``; None if its degree bound exceeds 2 or a product is not of two affine
        operands."""
        if self.degree(root) > 2:
            return None
        for t in postorder(root, self.top):
            d = self.degree.degree[t.serial]
            if d <= 1:
                self.top[t.serial] = self.renamed(t, self.base)
                continue
            da = [self.degree.degree[a.serial] for a in t.args]
            if t.op in ("and", "or") and da == [1, 1]:
                a, b = t.args
                ga, gb = self.groups(a), self.groups(b)
                if ga.isdisjoint(gb):  # a product of two different inputs: the same roles on both sides
                    if min(gb) < min(ga):
                        a, b = b, a
                elif _is_selector(b) and not _is_selector(a):
                    a, b = b, a
                self.top[t.serial] = mk(t.op, self.renamed(a, 1), self.renamed(b, 2))
            elif t.op == "ite" and da[0] == 1:
                if max(da[1:]) > 1:
                    return None
                c, x, y = t.args
                self.top[t.serial] = rebuild(t, [self.renamed(c, 1), self.renamed(x, 2), self.renamed(y, 2)])
            elif t.op in _PRODUCTS and min(da) > 0:
                return None
            else:
                self.top[t.serial] = rebuild(t, [self.top[a.serial] for a in t.args])
        return self.top[root.serial]


def _split(pairs: Sequence[tuple[Term, Term]], path: Sequence[Term]
           ) -> tuple[dict[str, int], dict[str, int], RDegree, int] | None:
    """The data group (:func:`lnsym.prove.columns.affine_group`), the key (every other input), the degree bound
    in the key (evaluated on the sides) and the sides' bound; None if some input is neither or the path
    condition mentions one."""
    roots = [lift(x, None) for pair in pairs for x in pair]
    names = variables(roots)
    data = affine_group(roots, path) or {}
    key = {n: w for g in input_groups(names).values() for n, w in g.items() if n not in data}
    on_path = set(variables(list(path))) if path else set()
    if not key or on_path & (set(key) | set(data)) or set(names) - set(key) - set(data):
        return None
    degree = RDegree(set(key))
    return data, key, degree, max(degree(r) for r in roots)


def _agree(pairs: Sequence[tuple[Term, Term]], seed: int = 20261126, samples: int = 64) -> bool:
    """Whether every pair agrees on ``samples`` random inputs (bit-sliced evaluation)."""
    rng = random.Random(seed)
    roots = [x for pair in pairs for x in pair]
    inputs = {n: [rng.getrandbits(samples) for _ in range(w)] for n, w in variables(roots).items()}
    values = Bitsliced(inputs, (1 << samples) - 1).run(roots)
    return values is not None and all(values[i] == values[i + 1] for i in range(0, len(values), 2))


def polarize(pairs: Sequence[tuple[Term, Term]], path: Sequence[Term]
             ) -> tuple[list[tuple[Term, Term]], dict[str, int], dict[str, int]] | None:
    """Polarized ``(impl, spec)`` pairs with the data group and the key (name -> width); None when some
    side has degree above 2 in the key, the data or the key occur in the path condition, or no choice of
    base copies makes the renamed sides agree on random inputs and affine in the data and ``H@1``."""
    split = _split(pairs, path)
    return None if split is None else _polarized(pairs, split)


def _polarized(pairs: Sequence[tuple[Term, Term]],
               split: tuple[dict[str, int], dict[str, int], RDegree, int]
               ) -> tuple[list[tuple[Term, Term]], dict[str, int], dict[str, int]] | None:
    """:func:`polarize` given the :func:`_split` of ``pairs``."""
    data, key, degree, bound = split
    if bound != 2:
        return None  # affine in the key (the plain column export handles it), or of higher degree
    for impl_base in (1, 2):
        for spec_base in (1, 2):
            impl_side, spec_side = Polarizer(degree, impl_base), Polarizer(degree, spec_base)
            renamed = [(impl_side(lift(i, None)), spec_side(lift(s, None))) for i, s in pairs]
            if any(p is None or q is None for p, q in renamed):
                return None
            if _agree(renamed) and _affine(renamed, data, key):  # type: ignore[arg-type]
                return renamed, data, key  # type: ignore[return-value]
    return None


def _affine(pairs: Sequence[tuple[Term, Term]], data: dict[str, int], key: dict[str, int]) -> bool:
    """Whether every side is affine in the data and in the key's first copy (:func:`lnsym.prove.columns.kinds`)."""
    sides = [x for pair in pairs for x in pair]
    for group in (set(data), {f"{n}@1" for n in key}):
        kind = kinds(sides, group)
        if any(kind[x.serial] > AFFINE for x in sides):
            return False
    return True


def replace(roots: Sequence[Term], mapping: dict[int, Term]) -> list[Term]:
    """``roots`` with the nodes of ``mapping`` (by serial) replaced, the rest rebuilt around them."""
    memo = dict(mapping)
    for t in postorder(list(roots), memo):
        memo[t.serial] = t if t.op in ("var", "const") else rebuild(t, [memo[a.serial] for a in t.args])
    return [memo[r.serial] for r in roots]


def cut(impl: Term, spec: Term, proved: Sequence[tuple[str, Term, Term]]) -> tuple[Term, Term, list[str], int]:
    """``(impl, spec)`` generalized at cut points, the proved obligations used and the number of cuts: first
    every proved ``(name, i, s)`` of the same path rewrites ``i`` to ``s`` in ``impl`` (equal under the path
    condition), then the top-most sub-terms both sides now share (e.g. ``H^2``, once the routine's own
    ``H^2`` is rewritten to the spec's) become fresh variables ``cut#k``.  The result holding for all
    values of the cut variables implies the original, which is its instance."""
    in_impl = {t.serial for t in postorder(impl)}
    used = [(n, i, s) for n, i, s in proved if i.serial in in_impl and i is not s and i.width == s.width]
    [impl] = replace([impl], {i.serial: s for _, i, s in used})
    in_spec = {t.serial for t in postorder(spec)}
    frontier: dict[int, Term] = {}
    seen: set[int] = set()
    stack = [impl]
    while stack:
        t = stack.pop()
        if t.serial in seen or t.op in ("var", "const"):
            continue
        seen.add(t.serial)
        if t.serial in in_spec:
            frontier[t.serial] = t
        else:
            stack.extend(t.args)
    structural: dict[int, bool] = {}  # a slice, extension... of variables or of other shared nodes

    def derived(t: Term) -> bool:
        if t.serial not in structural:
            structural[t.serial] = t.op in ("var", "const") or (
                t.op in STRUCTURAL_OPS and all(a.serial in frontier or derived(a) for a in t.args))
        return structural[t.serial]

    tops = [t for t in frontier.values() if not derived(t)]  # those are rebuilt around the cuts
    mapping = {t.serial: var(f"cut#{k}", t.width) for k, t in enumerate(sorted(tops, key=lambda t: t.serial))}
    impl, spec = replace([impl, spec], mapping)
    return impl, spec, [n for n, _, _ in used], len(mapping)


def export(name: str, pairs: list[tuple[str, Term, Term]], path: list[Term], header: list[str],
           folder: Path, proved: Sequence[tuple[str, Term, Term]] = ()) -> Path | None:
    """Write the polarized column decomposition of the obligations under ``folder``; None when
    :func:`polarize` declines, on the obligations as they are and (given the path's ``proved``
    obligations) after :func:`cut` (then, if polarization still declines, by plain columns)."""
    split = _split([(i, s) for _, i, s in pairs], path)
    if split is None:
        return None
    polar = _polarized([(i, s) for _, i, s in pairs], split)
    if polar is not None:
        return _write(name, pairs, polar, path, header, folder)
    if split[3] <= 2:
        return None  # cuts are for higher degrees only
    mine = {n for n, _, _ in pairs}
    generalized = [cut(i, s, [p for p in proved if p[0] not in mine]) for _, i, s in pairs]
    if not any(k for *_, k in generalized):
        return None
    used = sorted({n for _, _, names, _ in generalized for n in names})
    header = [*header, "Cut points (lnsym.prove.polar.cut): the routine's side of the obligations",
              f"  {', '.join(used)}",
              "was replaced by their spec side (they are proved, and re-checked, in their own files), and the",
              "sub-terms both sides then share became free variables cut#k: what follows is for all their values."]
    pairs = [(n, i, s) for (n, _, _), (i, s, _, _) in zip(pairs, generalized)]
    polar = polarize([(i, s) for _, i, s in pairs], path)
    if polar is not None:
        return _write(name, pairs, polar, path, header, folder)
    return column_export(name, pairs, path, header, folder)  # e.g. bilinear in a cut and the key


def _write(name: str, pairs: list[tuple[str, Term, Term]],
           polar: tuple[list[tuple[Term, Term]], dict[str, int], dict[str, int]], path: list[Term],
           header: list[str], folder: Path) -> Path:
    """Write the folder of :func:`export` for the polarized ``pairs``."""
    renamed, data, key = polar
    claim = renamed[0][0].eq(renamed[0][1])
    for p, q in renamed[1:]:
        claim = claim & p.eq(q)
    first = {f"{n}@1": w for n, w in key.items()}
    folder.mkdir(parents=True, exist_ok=True)
    params = sorted(first.items()) + [(f"{n}@2", w) for n, w in sorted(key.items())]
    key_columns = unit_columns(first)
    # one claim per data column, folded; columns giving the same term (Xi ^ inp's two halves) share a file
    files: dict[int, tuple[str, Term, list[str]]] = {}
    for label, data_env in unit_columns(data):
        folded = substitute(claim, data_env)
        files.setdefault(folded.serial, (label, folded, []))[2].append(label)
    obligations = ", ".join(n for n, _, _ in pairs)
    lines = [
        f"{name}: polarized column decomposition of the obligations {obligations}",
        f"key (renamed): {', '.join(sorted(key))}; data: {', '.join(sorted(data)) or 'none'}",
        "In every product node of degree 2 in the key the selector operand's key was renamed K@1 and the",
        "other's K@2 (every other occurrence one of the two): substituting K for both gives back the",
        "obligations, so 'claim(K@1, K@2) for all values' implies them.  The claim is affine in the data and,",
        "given the data, in K@1 (checked syntactically by lnsym.prove.columns.kinds), so it holds iff it holds with",
        "both set to 0 or to a unit vector, K@2 free.",
        f"{len(files)} files, one per data column (columns whose claims are the same term share one, listed",
        f"below), each asserting that the claim fails in one of the {len(key_columns)} K@1 columns (one",
        "application if it does not depend on K@1): unsat in every file = all the obligations hold.",
        *[f"  {label}: also {', '.join(labels[1:])}" for label, _, labels in files.values() if len(labels) > 1],
    ]
    (folder / "README").write_text("\n".join([*header, *lines]) + "\n")
    path_lines, path_ref = declarations_and_definitions(list(path)) if path else ([], {})
    second = " ".join(f"|{n}@2|" for n, _ in sorted(key.items()))
    for label, folded, labels in files.values():
        uses_first = bool(set(variables(folded)) & set(first))
        applications = [f"(claim {' '.join(literal(env.get(n, 0), w) for n, w in sorted(first.items()))} {second})"
                        for _, env in (key_columns if uses_first else key_columns[:1])]
        text = "\n".join([
            "(set-logic QF_BV)", *[f"; {c}" for c in [*header, *lines[:2], f"data column {', '.join(labels)}"]],
            *path_lines, *[f"(assert (= {path_ref[c.serial]} #b1))" for c in path],
            *[f"(declare-fun |{n}@2| () (_ BitVec {w}))" for n, w in sorted(key.items())],
            function_definition("claim", params, folded),
            f"(assert (= #b0 (bvand {' '.join(applications)})))" if len(applications) > 1
            else f"(assert (= #b0 {applications[0]}))",
            "(check-sat)", "(exit)",
        ])
        (folder / f"col_{label.replace('[', '_').replace(']', '')}.smt2").write_text(text + "\n")
    return folder
