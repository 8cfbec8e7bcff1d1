"""Stage 3, symbolic: the same ``isa`` semantics over terms.  Registers of terms, symbolic memory
(regions at symbolic bases, bounds as path conditions), path states and their solver, the executor that
splits at symbolic branches, path merging, and the term printer.  Imports ``load`` and ``machine``."""
