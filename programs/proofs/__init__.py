"""Proof scripts (loop induction, ``lnsym prove``) for the bundled routines: each defines CONTRACT and LOOP."""
