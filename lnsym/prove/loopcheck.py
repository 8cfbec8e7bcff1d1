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

#: lemmas per exported file: a loop step's lemma chains start with the message schedule and the counter, whose
#: disjunction of 64 lemmas bitwuzla gave up on after 40 s while files of 8 took 8 s together (sha256_blocks_ce).
LEMMAS_PER_FILE = 8
REJECTED = ("(the invariant does not hold there, or the routine is wrong: `lnsym verify` with a fixed block count "
            "refutes a wrong routine with a replaying counterexample)")


class LoopObligations:
    """Checks groups of obligations into ``result``; the first failure stops the proof."""

    def __init__(self, result: Result, timeout_s: float, smt_out: Path | None = None,
                 on_failure: Callable[[Obligation, list[Term]], dict[str, object]] | None = None) -> None:
        self.result = result
        self.checker = Checker(timeout_s, smt_out)
        self.smt_out = smt_out
        self.on_failure = on_failure
        self.groups = 0

    def check(self, obligations: list[Obligation], path: list[Term]) -> bool:
        """Check one path's obligations; False (and the verdict unknown, naming the obligation) when one fails."""
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
                if self.on_failure is not None:
                    result.counterexample.update(self.on_failure(ob, path))
                return False
            if ob.verdict == Verdict.UNKNOWN and result.verdict == Verdict.PROVED:
                result.verdict, result.detail = Verdict.UNKNOWN, f"solver timeout on {ob.name}"
        if self.smt_out is not None:
            export_proofs(obligations, path, header, self.checker,
                          self.smt_out / f"{safe(result.contract)}__path{self.groups}", LEMMAS_PER_FILE)
        self.groups += 1
        return True
