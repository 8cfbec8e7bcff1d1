"""lnsym: a symbolic simulator and prover for Armv8-A (AArch64) cryptographic machine code."""

__version__ = "0.1.0"

from lnsym.loader import load  # light: pyelftools is imported on first use

__all__ = ["__version__", "load"]
