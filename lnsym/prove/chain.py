"""Lemma chains: a proof through cut points, exported as small SMT-LIB2 files a second solver re-proves.

A whole obligation (ten AES rounds, 24 Keccak rounds, 80 SHA-512 rounds) is too deep for a bit-blasting
solver, but lnsym's proofs go through intermediate values both sides share.  A chain names those values
by *cut variables* ``#cutK``, each standing for its *definition* (a term over the inputs and earlier cut
variables), and lists *lemmas* ``left == right`` over inputs and cut variables.  Every lemma is claimed for
**all** values of its cut variables (and all inputs on the path), so by induction over the definitions each
lemma holds when the cut variables take the values they stand for; the last lemmas are the obligations
themselves, their two sides rebuilt over the cut variables (the definitions substituted back give the
original sides, by construction).

Chains come from two proofs: the GF(2) normal form with opaque leaves (:func:`anf_chain`: S-box lookups
with GF(2)-equal arguments are one leaf, cut there) and cut-point sweeping (:class:`lnsym.prove.sweep.Sweeper`
records every local claim it proves).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bitvec.smtlib import check_script, declarations_and_definitions
from bitvec.term import Term, lift, mk_concat, postorder, rebuild, var
from lnsym.prove.anf import ANF


@dataclass
class Chain:
    """Cut variables with their definitions, and lemmas over inputs and cut variables."""

    definitions: list[tuple[Term, Term]] = field(default_factory=list)
    lemmas: list[tuple[str, Term, Term]] = field(default_factory=list)
    how: str = ""  # how the chain was found, for the README


def anf_chain(pairs: Sequence[tuple[str, Term, Term]], engine: ANF | None = None) -> Chain | None:
    """The chain of a GF(2) normal-form proof: every node the normal form treats as an opaque leaf is cut, one
    cut variable per leaf (nodes with the same operator and parameters and GF(2)-equal arguments share it).
    Lemmas: the arguments of each further node of a leaf equal those of its first node, both rebuilt over the
    cuts below (so the nodes are equal: same operator, same parameters); then every obligation rebuilt over
    the cuts.  None if the normal forms differ."""
    engine = engine or ANF()
    sides = [(name, lift(i, s.width), lift(s, i.width)) for name, i, s in pairs]
    for _, i, s in sides:
        bi, bs = engine.bits(i), engine.bits(s)
        if bi is None or bs is None or bi != bs:
            return None
    cut_of: dict[int, Term] = {}
    chain = Chain(how="cut at the leaves of lnsym.prove.anf's GF(2) normal form "
                      "(non-GF(2) nodes such as S-box lookups)")
    memo: dict[int, Term] = {}

    def over_cuts(root: Term) -> Term:
        for t in postorder(root, memo):
            cut = cut_of.get(t.serial)
            memo[t.serial] = cut if cut is not None else rebuild(t, [memo[a.serial] for a in t.args])
        return memo[root.serial]

    for k, nodes in enumerate(engine.leaf_nodes.values()):
        args = [[over_cuts(a) for a in n.args] for n in nodes]
        cut = var(f"#cut{k}", nodes[0].width)
        chain.definitions.append((cut, rebuild(nodes[0], args[0])))
        for j in range(1, len(nodes)):
            # same operator and parameters (the leaf's key): the nodes are equal when their arguments are
            if any(x is not y for x, y in zip(args[j], args[0])):
                chain.lemmas.append((f"#cut{k}: node {j} and node 0 ({nodes[0].op}) have equal arguments",
                                     mk_concat(*args[j]), mk_concat(*args[0])))
        for n in nodes:
            cut_of[n.serial] = cut
    memo.clear()
    for name, i, s in sides:
        chain.lemmas.append((name, over_cuts(i), over_cuts(s)))
    return chain


def export_chain(chain: Chain, path: Sequence[Term], header: list[str], folder: Path, per_file: int = 64) -> Path:
    """Write ``chain`` under ``folder``: a README with the argument and the definitions, and files of at most
    ``per_file`` lemmas, each asserting the path condition and that one of its lemmas fails (unsat in every
    file = every lemma holds).  Lemmas whose two sides are the same term are left out."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.smt2"):
        old.unlink()
    lemmas = [(label, a, b) for label, a, b in chain.lemmas if a is not b]
    lines = [
        f"lemma chain: {len(chain.definitions)} cut variables, {len(lemmas)} lemmas ({chain.how})",
        "Each cut variable #cutK stands for its definition (over inputs and earlier cut variables).  Every lemma",
        "is claimed for all values of its cut variables and all inputs on the path, so by induction it holds for",
        "the values they stand for; the last lemmas are the obligations rebuilt over the cut variables.",
        "unsat in every file = all the lemmas, hence the obligations, hold.",
    ]
    lines += ["The definitions, in SMT-LIB, are in definitions.smtlib: |def#cutK| is what the free variable",
              "|#cutK| of the lemma files stands for."]
    (folder / "README").write_text("\n".join([*header, *lines]) + "\n")
    decls, ref = declarations_and_definitions([d for _, d in chain.definitions])
    named = [f"(define-fun |def{cut.params[0]}| () (_ BitVec {cut.width}) {ref[d.serial]})"
             for cut, d in chain.definitions]
    (folder / "definitions.smtlib").write_text("\n".join(["(set-logic QF_BV)", *decls, *named]) + "\n")
    for first in range(0, len(lemmas), per_file):
        part = lemmas[first : first + per_file]
        fails = ~part[0][1].eq(part[0][2])
        for _, a, b in part[1:]:
            fails = fails | ~a.eq(b)
        comments = [*header, lines[0], "lemmas: " + "; ".join(label for label, _, _ in part)[:2000]]
        (folder / f"lemmas_{first // per_file:04d}.smt2").write_text(check_script([*path, fails], comments))
    return folder
