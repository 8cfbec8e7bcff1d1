"""Concrete stepping: fetch, decode (cached per word), execute, advance the PC."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import isa
from isa.decoder import DecodeError, Executor, Pattern
from isa.machine import Stop
from lnsym.errors import MemoryFault, StepLimitExceeded, UnsupportedInstruction
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.fastpath import CompiledStep, compile_executor

MASK64 = (1 << 64) - 1

# Compiled executors by instruction word, shared by every Stepper in the process: a word's executor
# depends on the word alone (the decoder is a process-wide table), and compiling one costs
# milliseconds, which dominated calls that run a few hundred instructions on a fresh Stepper.
# Emptied when it reaches _COMPILED_LIMIT words (random-word campaigns would otherwise grow it).
_COMPILED: dict[int, CompiledStep] = {}
_COMPILED_LIMIT = 8192


@lru_cache(maxsize=1)
def _capstone() -> object:
    import capstone

    return capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM)


def capstone_text(word: int, address: int = 0) -> str | None:
    """Capstone's rendering of ``word`` or ``None`` if capstone cannot decode it."""
    for insn in _capstone().disasm(word.to_bytes(4, "little"), address):  # type: ignore[attr-defined]
        return f"{insn.mnemonic} {insn.op_str}".strip()
    return None


@dataclass(frozen=True)
class StopEvent:
    """Why a run ended."""

    reason: str  # "address", "sentinel", "svc", "brk", "hlt", "udf"
    pc: int
    steps: int
    imm: int | None = None


class Stepper:
    """Executes A64 code on a :class:`ConcreteMachine`."""

    def __init__(self, machine: ConcreteMachine, compiled: bool = True) -> None:
        self.machine = machine
        self.decoder = isa.decoder()
        self.compiled = compiled
        self._cache: dict[int, tuple[Pattern, Executor]] = {}
        self._by_word = _COMPILED
        self._by_pc: dict[int, CompiledStep] = {}
        self._code_version = -1
        self.steps = 0
        self.on_step: Callable[[int, int, Pattern], None] | None = None

    def decode(self, word: int, address: int) -> tuple[Pattern, Executor]:
        hit = self._cache.get(word)
        if hit is None:
            try:
                hit = self.decoder.decode(word)
            except DecodeError as exc:
                raise UnsupportedInstruction(address, word, capstone_text(word, address), exc.reason) from None
            self._cache[word] = hit
        return hit

    def _compiled_step(self, word: int, pc: int) -> CompiledStep:
        fn = self._by_word.get(word)
        if fn is None:
            _, execute = self.decode(word, pc)
            fn = compile_executor(execute) or _interpreted(execute)
            if len(self._by_word) >= _COMPILED_LIMIT:
                self._by_word.clear()
            self._by_word[word] = fn
        return fn

    def step(self) -> None:
        """Execute one instruction; a Stop or fault propagates with the PC left at the instruction."""
        m = self.machine
        pc = m.pc
        if self.compiled and self.on_step is None:
            if m.memory.code_version != self._code_version:
                self._by_pc.clear()
                self._code_version = m.memory.code_version
            fn = self._by_pc.get(pc)
            if fn is None:
                if pc & 3:
                    raise MemoryFault(pc, 4, "fetch", "PC alignment fault")
                fn = self._compiled_step(m.memory.read_int(pc, 4, "fetch"), pc)
                self._by_pc[pc] = fn
            target = fn(m, pc)
            m.pc = (pc + 4) & MASK64 if target is None else target
            self.steps += 1
            return
        if pc & 3:
            raise MemoryFault(pc, 4, "fetch", "PC alignment fault")
        word = m.memory.read_int(pc, 4, "fetch")
        pattern, execute = self.decode(word, pc)
        if self.on_step is not None:
            self.on_step(pc, word, pattern)
        m.next_pc = None
        execute(m)
        m.pc = (pc + 4) & MASK64 if m.next_pc is None else m.next_pc
        self.steps += 1

    def run(self, until: int | None = None, sentinel: int | None = None, max_steps: int = 10_000_000) -> StopEvent:
        """Step until the PC reaches ``until`` or ``sentinel`` or a stop instruction executes.

        Raises :class:`StepLimitExceeded` after ``max_steps`` instructions, and the errors of
        :meth:`step` (memory faults, unsupported instructions) with the machine left at the culprit.
        """
        m = self.machine
        start = self.steps
        if self.compiled and self.on_step is None:
            return self._run_compiled(until, sentinel, max_steps)
        while True:
            if m.pc == until:
                return StopEvent("address", m.pc, self.steps - start)
            if m.pc == sentinel:
                return StopEvent("sentinel", m.pc, self.steps - start)
            if self.steps - start >= max_steps:
                raise StepLimitExceeded(m.pc, max_steps)
            try:
                self.step()
            except Stop as stop:
                return StopEvent(stop.kind.value, m.pc, self.steps - start, stop.imm)

    def _run_compiled(self, until: int | None, sentinel: int | None, max_steps: int) -> StopEvent:
        """:meth:`run` with :meth:`step`'s compiled branch inlined: no method call and fewer attribute
        look-ups per instruction (about a quarter of the time under cProfile on OpenSSL's SHA-256)."""
        m = self.machine
        memory = m.memory
        by_pc = self._by_pc
        done = 0
        try:
            while True:
                pc = m.pc
                if pc == until:
                    return StopEvent("address", pc, done)
                if pc == sentinel:
                    return StopEvent("sentinel", pc, done)
                if done >= max_steps:
                    raise StepLimitExceeded(pc, max_steps)
                if memory.code_version != self._code_version:
                    by_pc.clear()
                    self._code_version = memory.code_version
                fn = by_pc.get(pc)
                if fn is None:
                    if pc & 3:
                        raise MemoryFault(pc, 4, "fetch", "PC alignment fault")
                    fn = self._compiled_step(memory.read_int(pc, 4, "fetch"), pc)
                    by_pc[pc] = fn
                target = fn(m, pc)
                m.pc = (pc + 4) & MASK64 if target is None else target
                done += 1
        except Stop as stop:
            return StopEvent(stop.kind.value, m.pc, done, stop.imm)
        finally:
            self.steps += done

    def call(
        self, entry: int, args: list[int], sentinel: int = 0xFFFF_FFFF_FFF0_0000, max_steps: int = 10_000_000
    ) -> StopEvent:
        """AAPCS64 call: arguments in X0..X7, LR = ``sentinel``; runs until the routine returns."""
        if len(args) > 8:
            raise ValueError("more than 8 register arguments")
        m = self.machine
        for i, a in enumerate(args):
            m.x[i] = a & MASK64
        m.x[30] = sentinel
        m.pc = entry
        return self.run(sentinel=sentinel, max_steps=max_steps)


def _interpreted(execute: Executor) -> CompiledStep:
    """Adapt an executor that could not be compiled to the compiled-step calling convention."""

    def step(m: ConcreteMachine, pc: int) -> int | None:
        m.next_pc = None
        execute(m)
        return m.next_pc

    return step
