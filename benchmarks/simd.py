"""Running one call on both engines: lnsym's compiled :class:`~lnsym.machine.stepper.Stepper` (as ``lnsym run``
uses it) and Unicorn (QEMU TCG, CPU ``max``), from the same memory image and registers.

:func:`entry_state` builds the state (the object, argument buffers, a stack), :func:`run_lnsym` runs it on a
fresh Stepper, :class:`UnicornCall` holds one Unicorn engine that is reset and rerun from that state, and
:func:`call_on_both` does both once (tests use it to replay a whole call on Unicorn).  The OpenSSL workloads
timed by ``lnsym bench`` are in :mod:`benchmarks.workloads`, the timing in :mod:`benchmarks.runner`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lnsym.errors import LnsymError
from lnsym.load.image import Image
from lnsym.machine.concrete import ConcreteMachine, map_image
from lnsym.machine.layout import SENTINEL
from lnsym.machine.stepper import Stepper
from lnsym.machine.uc_engine import new_engine, write_registers

MASK64 = (1 << 64) - 1
PAGE = 0x1000
BUFFER_BASE, BUFFER_STRIDE = 0x10_0000_0000, 0x100_0000
STACK_TOP, STACK_SIZE = 0x7F_FFF0_0000, 0x10_0000

Buffers = list[tuple[int, int]]  # (address, length) of each buffer argument


@dataclass
class Outcome:
    """One engine's run of one call."""

    x0: int
    buffers: list[bytes]
    seconds: float  # wall clock
    cpu: float = 0.0  # CPU time of this thread: what the run cost, without the time other processes took


def entry_state(image: Image, args: Sequence[int | bytes], defines: Mapping[str, int]) -> tuple[
        ConcreteMachine, list[int], Buffers]:
    """The entry state shared by both engines: image, defines, buffers, stack; X0..X7 values."""
    m = ConcreteMachine()
    map_image(m, image)
    for name, value in defines.items():
        sym = image.symbol(name)
        width = sym.size if sym.size in (1, 2, 4, 8) else 8
        m.memory.load(sym.address, (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little"))
    regs: list[int] = []
    buffers: Buffers = []
    for i, a in enumerate(args):
        if isinstance(a, bytes):
            if len(a) > BUFFER_STRIDE // 2:
                raise LnsymError(f"argument {i}: buffer of {len(a)} bytes is too large")
            address = BUFFER_BASE + i * BUFFER_STRIDE
            m.memory.map(address, max(len(a), 1), "rw", f"buffer {i}", a)
            buffers.append((address, len(a)))
            regs.append(address)
        else:
            regs.append(a & MASK64)
    if len(regs) > 8:
        raise LnsymError("more than 8 arguments")
    m.memory.map(STACK_TOP - STACK_SIZE, STACK_SIZE, "rw", "stack")
    m.sp = STACK_TOP - 0x100
    return m, regs, buffers


def run_lnsym(m: ConcreteMachine, entry: int, regs: list[int], buffers: Buffers,
              max_steps: int = 50_000_000) -> tuple[Outcome, int]:
    """Call ``entry`` on a fresh compiled Stepper (the per-word compiled executors are process-wide, so a
    second run is warm); the time covers the call only.  Returns the outcome and the instructions executed."""
    stepper = Stepper(m)
    start, cpu = time.perf_counter(), time.thread_time()
    event = stepper.call(entry, regs, sentinel=SENTINEL, max_steps=max_steps)
    cpu, elapsed = time.thread_time() - cpu, time.perf_counter() - start
    if event.reason != "sentinel":
        raise LnsymError(f"lnsym: the call ended by {event.reason} at {event.pc:#x}")
    return Outcome(m.x[0], [m.memory.read(a, n) for a, n in buffers], elapsed, cpu), event.steps


class UnicornCall:
    """One Unicorn engine set up with ``m``'s regions (page-rounded): each :meth:`run` restores the entry
    registers and the writable regions and calls ``entry`` again, so the translated blocks of earlier runs
    are reused (code pages are written once, never again)."""

    def __init__(self, m: ConcreteMachine, entry: int, regs: list[int], buffers: Buffers) -> None:
        self.uc: Any = new_engine()
        self.entry, self.buffers = entry, buffers
        pages: set[int] = set()
        for r in m.memory.regions:
            pages.update(range(r.start // PAGE, (r.end + PAGE - 1) // PAGE))
        first: int | None = None
        prev = -2
        for page in [*sorted(pages), -2]:  # map maximal runs of pages (-2 ends the last run)
            if first is not None and page != prev + 1:
                self.uc.mem_map(first * PAGE, (prev + 1 - first) * PAGE)
                first = None
            if first is None:
                first = page
            prev = page
        self.regions = [(r.start, bytes(r.data), "w" in r.perms and "x" not in r.perms) for r in m.memory.regions]
        for start, data, _ in self.regions:
            self.uc.mem_write(start, data)
        self.x = [regs[i] if i < len(regs) else m.x[i] for i in range(30)] + [SENTINEL]
        self.sp, self.v = m.sp, list(m.v)
        self.fresh = True

    def run(self, count: int = 0) -> Outcome:
        """Run the call from its entry state; ``count`` > 0 also bounds the instructions (Unicorn then
        counts them with a per-instruction hook, which slows it several times: the benchmark passes 0)."""
        import unicorn.arm64_const as A

        if not self.fresh:
            for start, data, writable in self.regions:
                if writable:
                    self.uc.mem_write(start, data)
        self.fresh = False
        write_registers(self.uc, self.x, sp=self.sp, v=self.v)
        uc = self.uc
        start, cpu = time.perf_counter(), time.thread_time()
        if count:
            uc.emu_start(self.entry, SENTINEL, count=count)
        else:
            uc.emu_start(self.entry, SENTINEL)
        cpu, elapsed = time.thread_time() - cpu, time.perf_counter() - start
        if uc.reg_read(A.UC_ARM64_REG_PC) != SENTINEL:
            raise LnsymError(f"unicorn: the call stopped at {uc.reg_read(A.UC_ARM64_REG_PC):#x}, not at its return")
        return Outcome(uc.reg_read(A.UC_ARM64_REG_X0), [bytes(uc.mem_read(a, n)) for a, n in self.buffers], elapsed,
                       cpu)


def random_registers(m: ConcreteMachine, seed: int) -> None:
    """X0..X30 and V0..V31 random from ``seed`` (the arguments are written over them by the call)."""
    rng = random.Random(seed)
    m.x = [rng.getrandbits(64) for _ in range(31)]
    m.v = [rng.getrandbits(128) for _ in range(32)]


def call_on_both(image: Image, symbol: str, args: Sequence[int | bytes], defines: Mapping[str, int] | None = None,
                 max_steps: int = 50_000_000, seed: int = 0) -> tuple[Outcome, Outcome, int]:
    """Call ``symbol`` with ``args`` (ints, or bytes passed as fresh buffers) on lnsym, then on Unicorn
    from the same state (registers other than the arguments random from ``seed``); Unicorn is bounded by
    ``max_steps`` too.  Returns (lnsym, unicorn, instructions executed)."""
    entry = image.address(symbol)
    m, regs, buffers = entry_state(image, args, defines or {})
    random_registers(m, seed)
    ref = UnicornCall(m, entry, regs, buffers)  # before lnsym's run changes m
    ours, steps = run_lnsym(m, entry, regs, buffers, max_steps)
    return ours, ref.run(count=max_steps), steps
