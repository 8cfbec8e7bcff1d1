"""The obligations of a loop proof (:mod:`lnsym.prove.induction`, :mod:`lnsym.prove.stream`), checked one path's
group at a time through the same :class:`~lnsym.prove.procedures.Checker` as ``lnsym verify`` and, with
``smt_out``, exported the same way (whole files, lemma chains, column folders: what ``--recheck`` re-proves with
a second solver).  A refuted obligation *rejects* the proof -- the invariant may be too weak, or the routine
wrong -- so the verdict is unknown, never refuted: a loop obligation's model is a state at a loop head, not a
call (:mod:`lnsym.prove.loopreplay` runs it concretely)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bitvec.term import Term
from lnsym.prove.procedures import Checker, Verdict, safe
from lnsym.prove.prover import Obligation, Result, export_proofs

#: lemmas per exported file of a normal-form or sweep chain.  A loop step's lemmas are each decided by
#: bitwuzla's rewriting at once, but their disjunction is not: sha256_blocks_ce's step, 64 lemmas to a file,
#: was unknown after 40 s; 8 to a file, 35 s for the script; one to a file, 1.7 s (612 files).
#: sha512_block_armv8: 8 to a file, unknown after 60 s; one to a file, every file unsat.
LEMMAS_PER_FILE = 1
REJECTED = ("(the invariant does not hold there, or the routine is wrong: `lnsym verify` with a fixed block count "
            "refutes a wrong routine with a replaying counterexample)")


class LoopObligations:
    """Checks groups of obligations into ``result``; the first failure stops the proof."""

    def __init__(self, result: Result, timeout_s: float, smt_out: Path | None = None) -> None:
        self.result = result
        self.checker = Checker(timeout_s, smt_out)
        self.smt_out = smt_out
        self.groups = 0

    def check(self, obligations: list[Obligation], path: list[Term],
              replay: Callable[[Obligation, list[Term]], dict[str, object]] | None = None) -> bool:
        """Check one path's obligations; False (and the verdict unknown, naming the obligation) when one fails,
        its model replayed concretely by ``replay`` (:func:`lnsym.prove.loopreplay.replay_failure`) if given."""
        result = self.result
        header = [result.contract, *result.assumptions]
        self.checker.siblings, self.checker.path_index = obligations, self.groups
        for ob in obligations:
            self.checker.check(ob, path, header)
            result.obligations.append(ob)
            if ob.verdict == Verdict.REFUTED:
                result.verdict = Verdict.UNKNOWN
                result.detail = f"not proved: {ob.name!r} fails {REJECTED}"
                result.counterexample = {"obligation": ob.name, "model": ob.model, "replays": False,
                                         "note": "a state at a loop head (generalized) or at the call"}
                if replay is not None and ob.model:
                    result.counterexample.update(replay(ob, path))
                    result.detail += f"; {result.counterexample['replay']}"
                return False
            if ob.verdict == Verdict.UNKNOWN and result.verdict == Verdict.PROVED:
                result.verdict, result.detail = Verdict.UNKNOWN, f"solver timeout on {ob.name}"
        if self.smt_out is not None:
            export_proofs(obligations, path, header, self.checker,
                          self.smt_out / f"{safe(result.contract)}__path{self.groups}", LEMMAS_PER_FILE)
        self.groups += 1
        return True
