"""lnsym: a symbolic simulator and prover for Armv8-A (AArch64) cryptographic machine code.

The stages, each a subpackage, each importing only the ones before it (``tests/test_architecture.py``):
``load`` (ELF objects, archives, relocations, the image, the OpenSSL fetch) -> ``machine`` (concrete
memory, machine, stepper, compiled fast path, AAPCS64 harness, Unicorn) -> ``symbolic`` (registers and
memory of terms, path states, the executor, path merging) -> ``prove`` (contracts, the prover and its
decision procedures, SMT-LIB export, re-check, counterexample replay) -> ``contracts`` (built-in contracts
for OpenSSL) -> ``check`` (conformance against Unicorn, symbolic-versus-concrete consistency, mutation
analysis) -> ``cli``.  ``errors`` is shared by all.  ``lnsym.load.load(path)`` loads an object.
"""

__version__ = "0.1.0"

from lnsym import load  # light: pyelftools is imported on first use

__all__ = ["__version__", "load"]
