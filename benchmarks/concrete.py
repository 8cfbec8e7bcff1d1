"""A synthetic loop of integer, load/store and branch instructions (``lnsym bench --instructions N``): a
micro-benchmark of the stepper's dispatch, timed like the OpenSSL workloads (:mod:`benchmarks.runner`) but
with no reference other than Unicorn's final memory.  Real code is slower per instruction: quote those."""

from __future__ import annotations

from typing import Any

from benchmarks.simd import Buffers, Outcome
from benchmarks.workloads import Workload
from lnsym.machine.concrete import ConcreteMachine

# The workload, assembled with aarch64-linux-gnu-as from this source (x0 = 64-byte buffer,
# x1 = iteration count; 18 instructions per iteration):
#   1: ldp x2, x3, [x0]           add x4, x2, x3              eor x5, x4, x2, ror #13
#      orr x6, x5, x3, lsl #7     and x7, x6, #0xff00ff00ff00ff00   sub x8, x7, x4
#      madd x9, x8, x2, x3        extr x10, x9, x9, #17       adds x11, x10, x9
#      adc x12, x11, x2           csel x13, x12, x3, hi       ubfx x14, x13, #5, #21
#      stp x13, x14, [x0]         ldr w15, [x0, #8]           add x15, x15, w14, uxtw #2
#      str x15, [x0, #24]         subs x1, x1, #1             b.ne 1b
#      ret
LOOP = bytes.fromhex(
    "".join(
        w[6:8] + w[4:6] + w[2:4] + w[0:2]
        for w in (
            "a9400c02 8b030044 cac23485 aa031ca6 92089cc7 cb0400e8 9b020d09 93c9452a ab09014b "
            "9a02016c 9a83818d d34565ae a900380d b940080f 8b2e49ef f9000c0f f1000421 54fffde1 d65f03c0"
        ).split()
    )
)
PER_ITERATION = 18
CODE, DATA = 0x10_0000, 0x20_0000


def loop_workload(instructions: int) -> Workload:
    """The loop run for about ``instructions`` instructions (whole iterations, at least one)."""
    iterations = max(1, instructions // PER_ITERATION)

    def state() -> tuple[ConcreteMachine, list[int], Buffers]:
        m = ConcreteMachine()
        m.memory.map(CODE, 0x1000, "rx", "code", LOOP)
        m.memory.map(DATA, 0x1000, "rw", "data", bytes(range(64)))
        return m, [DATA, iterations], [(DATA, 64)]

    def check(out: Outcome) -> None:
        """No outside reference: the runner compares the final memory with Unicorn's."""

    return Workload("synthetic loop", f"{PER_ITERATION}-instruction loop x {iterations:,}", CODE, state, check,
                    "Unicorn's final memory (no outside reference)")


def run_loop(instructions: int, repeat: int, as_json: bool = False) -> dict[str, Any]:
    """Time the synthetic loop on both engines."""
    from benchmarks.runner import run_workloads

    header = {"benchmark": "synthetic integer/load/store/branch loop (not real code: quote the OpenSSL figures)"}
    return run_workloads([loop_workload(instructions)], repeat, header, as_json)
