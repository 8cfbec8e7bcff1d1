"""Stage 5, check: lnsym checks itself.  Differential conformance of every encoding against Unicorn,
symbolic-versus-concrete consistency of whole routines, and mutation analysis of the prover (seeded
instruction mutants must be refuted).  Imports every stage before it and the built-in ``contracts``."""
