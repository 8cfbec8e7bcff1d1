"""Re-checkable exports of GF(2) obligations: split along inputs the obligations are affine in.

A bit-blasting solver cannot re-prove a whole GHASH obligation (an XOR network against a differently
associated one is a parity problem, hard for resolution), which lnsym decided in algebraic normal form.
But if both sides of every obligation are *affine over GF(2)* in a group of input bits ``x`` (given the
other inputs ``y``), the difference ``D(x, y) = impl ^ spec`` satisfies

    D(x, y) = D(0, y) ^ XOR_i x_i * (D(e_i, y) ^ D(0, y))

so ``D = 0`` for all inputs iff ``D(0, y) = 0`` and ``D(e_i, y) = 0`` for every unit vector ``e_i``.  Each
of those *columns* fixes ``x`` to a constant; what is left (e.g. a product with a constant block) is a
small linear network that a second solver re-proves in milliseconds.  Affinity is a syntactic property
checked here on the term DAG (:func:`kinds`): XOR of affine terms, AND/OR of an affine term with an
``x``-free one, slices, concatenations, constant shifts and replication of affine terms are affine.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bitvec import BV
from bitvec.smtlib import check_script
from bitvec.term import Term, const_term, lift, postorder, rebuild, var, variables

FREE, AFFINE, OTHER = 0, 1, 2
STRUCTURAL_OPS = frozenset({"extract", "concat", "rotr", "sext", "not"})


def known_zeros(t: Term, zeros: list[int]) -> int:
    """The bits of ``t`` that are 0 whatever its variables, from its operands' (a sound under-approximation:
    constants, masks, constant shifts, slices and concatenations)."""
    op, w = t.op, t.width
    ones = (1 << w) - 1
    if op == "const":
        return ~t.params[0] & ones
    if op == "and":
        return zeros[0] | zeros[1]
    if op in ("or", "xor"):
        return zeros[0] & zeros[1]
    if op == "ite":
        return zeros[1] & zeros[2]
    if op == "extract":
        return zeros[0] >> t.params[1] & ones
    if op == "concat":
        out = 0
        for a, z in zip(t.args, zeros):
            out = out << a.width | z
        return out
    if op == "sext":
        top = t.args[0].width - 1
        return zeros[0] | (ones ^ ((1 << top) - 1) if zeros[0] >> top & 1 else 0)
    if op in ("shl", "lshr") and t.args[1].op == "const":
        k = min(t.args[1].params[0], w)
        if op == "shl":
            return (zeros[0] << k | ((1 << k) - 1)) & ones
        return zeros[0] >> k | (ones ^ (ones >> k))
    return 0


def kinds(roots: Sequence[Term], group: set[str]) -> dict[int, int]:
    """Each node's kind with respect to the variables in ``group``: free of them, affine in them, other."""
    kind: dict[int, int] = {}
    zeros: dict[int, int] = {}
    for t in postorder(list(roots)):
        a = [kind[x.serial] for x in t.args]
        op = t.op
        zeros[t.serial] = known_zeros(t, [zeros[x.serial] for x in t.args])
        if op == "var":
            k = AFFINE if t.params[0] in group else FREE
        elif op == "const" or all(x == FREE for x in a):
            k = FREE
        elif OTHER in a:
            k = OTHER
        elif op in ("xor", "xorn") or op in STRUCTURAL_OPS:
            k = AFFINE
        elif op == "or" and zeros[t.args[0].serial] | zeros[t.args[1].serial] == (1 << t.width) - 1:
            k = AFFINE  # operands with disjoint bits: their XOR
        elif op in ("and", "or"):
            k = AFFINE if FREE in a else OTHER  # a mask independent of x keeps each bit affine
        elif op in ("shl", "lshr", "ashr"):
            k = AFFINE if a[1] == FREE else OTHER  # a shift by an x-free amount selects affine bits
        elif op == "ite":
            k = AFFINE if a[0] == FREE or (a[1] == FREE and a[2] == FREE) else OTHER
        else:
            k = OTHER
        kind[t.serial] = k
    return kind


def input_groups(names: dict[str, int]) -> dict[str, dict[str, int]]:
    """Input variables grouped by buffer (``Xi[3]`` -> ``Xi``) or scalar name; pointers and entry registers
    are left out."""
    out: dict[str, dict[str, int]] = {}
    for name, width in names.items():
        if name.startswith("&") or name.endswith("_in"):
            continue
        out.setdefault(name.split("[", 1)[0], {})[name] = width
    return out


def affine_group(roots: Sequence[Term], path: Sequence[Term]) -> dict[str, int] | None:
    """A set of input variables (name -> width) every root is affine in and the path condition does not
    mention: the narrowest such seed group, greedily widened by further groups; None if there is none or
    if the roots are affine in every input together."""
    groups = input_groups(variables(list(roots)))
    on_path = set(variables(list(path))) if path else set()
    everything = {n for g in groups.values() for n in g}
    kind = kinds(roots, everything)
    if all(kind[r.serial] <= AFFINE for r in roots):
        return None  # affine in all inputs (e.g. a CRC): splitting only multiplies the files, keep it whole
    best: dict[str, int] | None = None
    for seed in sorted(groups, key=lambda g: (sum(groups[g].values()), g)):
        chosen: dict[str, int] = {}
        for g in [seed, *sorted(set(groups) - {seed})]:
            trial = chosen | groups[g]
            if on_path & set(trial):
                continue
            kind = kinds(roots, set(trial))
            if all(kind[r.serial] <= AFFINE for r in roots):
                chosen = trial
        if chosen:
            best = chosen
            break
    return best


def _affine_in_all(roots: Sequence[Term], path: Sequence[Term]) -> dict[str, int] | None:
    """Every input the path condition does not mention, if the roots are affine in all of them together (a
    CRC): its columns fix every such input (by assertions, not folded here), so each file is an evaluation
    the second solver does itself -- where the whole XOR network, a parity problem, defeats it."""
    on_path = set(variables(list(path))) if path else set()
    everything = {n: w for g in input_groups(variables(list(roots))).values() for n, w in g.items() if n not in on_path}
    kind = kinds(roots, set(everything))
    return everything if everything and all(kind[r.serial] <= AFFINE for r in roots) else None


def substitute(root: Term, env: dict[str, int], memo: dict[int, Term] | None = None) -> Term:
    """``root`` with the variables of ``env`` replaced by constants (folded as the terms are rebuilt);
    ``memo`` (node -> result for this ``env``) may be shared between calls."""
    out: dict[int, Term] = {} if memo is None else memo
    for t in postorder(root, out):
        if t.op == "var":
            name = t.params[0]
            out[t.serial] = const_term(BV(t.width, env[name])) if name in env else t
            continue
        if t.op == "const":
            out[t.serial] = t
            continue
        out[t.serial] = rebuild(t, [out[x.serial] for x in t.args])  # every operator, a lookup's width kept
    return out[root.serial]


def unit_columns(group: dict[str, int]) -> list[tuple[str, dict[str, int]]]:
    """The columns of ``group`` (name -> width): every variable 0 (``zero``), then each unit vector
    (``name.bit``), as (label, values)."""
    zero = dict.fromkeys(group, 0)
    return [("zero", zero)] + [(f"{n}.{bit}", zero | {n: 1 << bit}) for n, w in sorted(group.items())
                               for bit in range(w)]


def export(name: str, pairs: list[tuple[str, Term, Term]], path: list[Term], header: list[str],
           folder: Path) -> Path | None:
    """Write the column decomposition of the obligations ``(name, impl, spec)`` under ``folder``; returns
    the directory (one ``.smt2`` per column and a ``README``), or None when no affine group exists."""
    eqs = [lift(i, s.width).eq(lift(s, i.width)) for _, i, s in pairs]
    sides = [lift(x, None) for _, i, s in pairs for x in (i, s)]
    group = affine_group(sides, path)
    ground = group is None  # affine in every input: fix them by assertions, the solver evaluates each column
    group = group or _affine_in_all(sides, path)
    if group is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    columns = unit_columns(group)
    obligations = ", ".join(n for n, _, _ in pairs)
    lines = [
        f"{name}: column decomposition of the obligations {obligations}",
        f"affine group (checked syntactically by lnsym.prove.columns.kinds): {', '.join(sorted(group))}",
        "Both sides of every obligation are affine over GF(2) in these input bits, so each obligation holds",
        "for all inputs iff it holds with the group set to 0 and to every unit vector (one file each).",
        f"{len(columns)} files; each asserts the path condition and that some obligation fails in its column:",
        "unsat in every file = all the obligations hold.",
    ]
    (folder / "README").write_text("\n".join([*header, *lines]) + "\n")
    conj = eqs[0]
    for e in eqs[1:]:
        conj = conj & e
    for label, env in columns:
        fixed = [var(n, group[n]).eq(v) for n, v in sorted(env.items())] if ground else []
        claim = conj if ground else substitute(conj, env)
        text = check_script([*path, *fixed, ~claim], [*header, *lines[:2], f"column {label}: the group set to "
                                              + ("0" if label == "zero" else f"the unit vector {label}")])
        (folder / f"col_{label.replace('[', '_').replace(']', '')}.smt2").write_text(text)
    return folder


class ColumnDecider:
    """Decide ``impl == spec`` column by column in GF(2) normal form, when the whole polynomials are too big
    (e.g. the spec's nested GHASH product, cubic before it cancels): for every column both sides must have
    equal bit polynomials.  Substitutions are shared by the obligations of a path (same DAG)."""

    def __init__(self, max_work: int = 50_000_000) -> None:
        from lnsym.prove.anf import ANF

        self.anf = ANF(max_monomials=20_000, max_work=max_work)
        self.max_work = max_work
        self.memo: dict[tuple[tuple[str, int], ...], dict[int, Term]] = {}

    def __call__(self, impl: Term, spec: Term, path: Sequence[Term]) -> tuple[bool, int]:
        """``(True, columns)`` when every column is proved equal; ``(False, k)`` if column k was not."""
        from lnsym.prove.anf import decide

        group = affine_group([impl, spec], path)
        if group is None:
            return False, 0
        columns = unit_columns(group)
        for k, (_, env) in enumerate(columns):
            memo = self.memo.setdefault(tuple(sorted(env.items())), {})
            self.anf.work = 0  # the budget applies per column
            equal, _ = decide(substitute(impl, env, memo), substitute(spec, env, memo), self.anf)
            if not equal:
                return False, k
        return True, len(columns)
