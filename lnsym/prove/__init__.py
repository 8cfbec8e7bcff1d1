"""Stage 4, prove: contracts (what a routine is claimed to compute), the prover (symbolic run, obligations
per path, decision procedures: normal forms, GF(2) ANF, low-degree evaluation, sweeping, random and directed
simulation, Z3), SMT-LIB exports (whole files, lemma chains, columns, polarized columns), re-check by a
second solver, out-of-bounds refutation, counterexample replay, and the budget watchdog.  Imports ``load``,
``machine`` and ``symbolic``."""
