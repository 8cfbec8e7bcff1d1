"""Errors lnsym reports to users: each names the address, the word and what is missing."""

from __future__ import annotations


class LnsymError(Exception):
    """Base class of every error the CLI reports as one line."""


class MemoryFault(LnsymError):
    """An access to unmapped memory, without permission, or misaligned where alignment is required."""

    def __init__(self, address: int, size: int, kind: str, detail: str = "") -> None:
        msg = f"memory fault: {kind} of {size} byte(s) at {address:#x}"
        super().__init__(msg + (f" ({detail})" if detail else ""))
        self.address = address
        self.size = size
        self.kind = kind


class UnsupportedInstruction(LnsymError):
    """A word lnsym cannot execute: unallocated, UNDEFINED, or outside the supported ISA."""

    def __init__(self, address: int, word: int, capstone_text: str | None, reason: str) -> None:
        shown = capstone_text if capstone_text else "capstone: not a valid instruction"
        super().__init__(f"unsupported instruction at {address:#x}: word {word:#010x} [{shown}]: {reason}")
        self.address = address
        self.word = word
        self.capstone_text = capstone_text
        self.reason = reason


class StepLimitExceeded(LnsymError):
    """A run executed its whole step budget without reaching its stop address or sentinel."""

    def __init__(self, pc: int, steps: int) -> None:
        super().__init__(f"step limit of {steps} instructions reached at pc {pc:#x} (raise --max-steps?)")
        self.pc = pc
        self.steps = steps


class UnpredictableBehaviour(LnsymError):
    """Execution reached a CONSTRAINED UNPREDICTABLE situation that depends on run-time state."""
