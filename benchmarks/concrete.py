"""Speed benchmarks, reported as ratios against a baseline run in the same process.

Concrete stepping: lnsym's :class:`~lnsym.machine.stepper.Stepper` against Unicorn (QEMU TCG) on the same
loop of integer, load/store and branch instructions.
"""

from __future__ import annotations

import time

# The workload, assembled with aarch64-linux-gnu-as from this source (x0 = 64-byte buffer,
# x1 = iteration count; 18 instructions per iteration):
#   1: ldp x2, x3, [x0]           add x4, x2, x3              eor x5, x4, x2, ror #13
#      orr x6, x5, x3, lsl #7     and x7, x6, #0xff00ff00ff00ff00   sub x8, x7, x4
#      madd x9, x8, x2, x3        extr x10, x9, x9, #17       adds x11, x10, x9
#      adc x12, x11, x2           csel x13, x12, x3, hi       ubfx x14, x13, #5, #21
#      stp x13, x14, [x0]         ldr w15, [x0, #8]           add x15, x15, w14, uxtw #2
#      str x15, [x0, #24]         subs x1, x1, #1             b.ne 1b
#      ret
WORKLOAD = bytes.fromhex(
    "".join(
        w[6:8] + w[4:6] + w[2:4] + w[0:2]
        for w in (
            "a9400c02 8b030044 cac23485 aa031ca6 92089cc7 cb0400e8 9b020d09 93c9452a ab09014b "
            "9a02016c 9a83818d d34565ae a900380d b940080f 8b2e49ef f9000c0f f1000421 54fffde1 d65f03c0"
        ).split()
    )
)
PER_ITERATION = 18
CODE, DATA, SENTINEL = 0x10_0000, 0x20_0000, 0x30_0000


def _run_lnsym(iterations: int) -> tuple[float, int]:
    from lnsym.machine.concrete import ConcreteMachine
    from lnsym.machine.stepper import Stepper

    m = ConcreteMachine()
    m.memory.map(CODE, 0x1000, "rx", "code", WORKLOAD)
    m.memory.map(DATA, 0x1000, "rw", "data", bytes(range(64)))
    stepper = Stepper(m)
    start = time.perf_counter()
    event = stepper.call(CODE, [DATA, iterations], sentinel=SENTINEL)
    elapsed = time.perf_counter() - start
    assert event.reason == "sentinel", event
    return elapsed, m.memory.read_int(DATA + 24, 8)


def _run_unicorn(iterations: int) -> tuple[float, int]:

    from lnsym.machine.uc_engine import new_engine, write_registers

    uc = new_engine()
    uc.mem_map(CODE, 0x1000)
    uc.mem_write(CODE, WORKLOAD)
    uc.mem_map(DATA, 0x1000)
    uc.mem_write(DATA, bytes(range(64)))
    write_registers(uc, [DATA, iterations, *[0] * 28, SENTINEL])
    start = time.perf_counter()
    uc.emu_start(CODE, SENTINEL)
    elapsed = time.perf_counter() - start
    return elapsed, int.from_bytes(uc.mem_read(DATA + 24, 8), "little")


def run_benchmarks(instructions: int = 20_000) -> dict[str, float]:
    """Run the concrete-stepping benchmark and print instructions/second and the ratio."""
    iterations = max(1, instructions // PER_ITERATION)
    executed = iterations * PER_ITERATION + 1
    t_ours, r_ours = _run_lnsym(iterations)
    t_ref, r_ref = _run_unicorn(iterations)
    if r_ours != r_ref:
        raise AssertionError(f"benchmark results differ: lnsym {r_ours:#x}, Unicorn {r_ref:#x}")
    ours, ref = executed / t_ours, executed / t_ref
    print(f"concrete stepping, {executed} instructions (same final memory as Unicorn)")
    print(f"  lnsym   {ours:14,.0f} instr/s")
    print(f"  unicorn {ref:14,.0f} instr/s  (baseline, same process)")
    print(f"  ratio lnsym/unicorn = 1/{ref / ours:.1f}   (goal: at least 1/20)")
    return {"lnsym": ours, "unicorn": ref, "ratio": ours / ref}
