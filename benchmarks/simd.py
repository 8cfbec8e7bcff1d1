"""SIMD / Crypto Extension benchmark: OpenSSL's ``sha256_block_armv8`` (SHA256H/H2/SU0/SU1) and
``aes_v8_ctr32_encrypt_blocks`` (AESE/AESMC) over 64 KiB, on lnsym and on Unicorn in the same process.

Both engines start from the same memory image (the object, argument buffers, a stack) and the same
registers; the outputs are compared with each other and with hashlib / ``cryptography``, and the
instruction count is lnsym's step count (the same path runs on both, as the equal outputs confirm).
:func:`call_on_both` is also used by tests to replay a whole call on Unicorn.
"""

from __future__ import annotations

import hashlib
import random
import struct
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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
WORKLOAD_BYTES = 64 * 1024


@dataclass
class Outcome:
    """One engine's run of one call."""

    x0: int
    buffers: list[bytes]
    seconds: float


def entry_state(image: Image, args: Sequence[int | bytes], defines: Mapping[str, int]) -> tuple[
        ConcreteMachine, list[int], list[tuple[int, int]]]:
    """The entry state shared by both engines: image, defines, buffers, stack; X0..X7 values."""
    m = ConcreteMachine()
    map_image(m, image)
    for name, value in defines.items():
        sym = image.symbol(name)
        width = sym.size if sym.size in (1, 2, 4, 8) else 8
        m.memory.load(sym.address, (value & ((1 << (8 * width)) - 1)).to_bytes(width, "little"))
    regs: list[int] = []
    buffers: list[tuple[int, int]] = []
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


def _run_lnsym(m: ConcreteMachine, entry: int, regs: list[int], buffers: list[tuple[int, int]],
               max_steps: int) -> tuple[Outcome, int]:
    stepper = Stepper(m)
    start = time.perf_counter()
    event = stepper.call(entry, regs, sentinel=SENTINEL, max_steps=max_steps)
    elapsed = time.perf_counter() - start
    if event.reason != "sentinel":
        raise LnsymError(f"lnsym: the call ended by {event.reason} at {event.pc:#x}")
    return Outcome(m.x[0], [m.memory.read(a, n) for a, n in buffers], elapsed), event.steps


def _run_unicorn(m: ConcreteMachine, entry: int, regs: list[int], buffers: list[tuple[int, int]],
                 max_steps: int, repeat: int = 1) -> Outcome:
    """Copy ``m``'s regions (page-rounded) and registers into Unicorn (CPU ``max``) and run the call
    ``repeat`` times from that state; the time is the fastest run after the first (a run takes
    milliseconds, so a single one is at the mercy of the scheduler)."""
    import unicorn.arm64_const as A

    uc = new_engine()
    pages: set[int] = set()
    for r in m.memory.regions:
        pages.update(range(r.start // PAGE, (r.end + PAGE - 1) // PAGE))
    run_start: int | None = None
    for page in [*sorted(pages), -2]:  # map maximal runs of pages (-2 ends the last run)
        if run_start is None:
            run_start = prev = page
        elif page != prev + 1:
            uc.mem_map(run_start * PAGE, (prev + 1 - run_start) * PAGE)
            run_start = prev = page
        else:
            prev = page
    times: list[float] = []
    for _ in range(repeat):  # the same engine again: its translated blocks are reused, as lnsym's are
        for r in m.memory.regions:
            uc.mem_write(r.start, bytes(r.data))
        x = [regs[i] if i < len(regs) else m.x[i] for i in range(30)] + [SENTINEL]
        write_registers(uc, x, sp=m.sp, v=m.v)
        start = time.perf_counter()
        uc.emu_start(entry, SENTINEL, count=max_steps)
        times.append(time.perf_counter() - start)
    elapsed = min(times[1:]) if repeat > 1 else times[0]
    if uc.reg_read(A.UC_ARM64_REG_PC) != SENTINEL:
        raise LnsymError(f"unicorn: the call stopped at {uc.reg_read(A.UC_ARM64_REG_PC):#x}, not at its return")
    return Outcome(uc.reg_read(A.UC_ARM64_REG_X0), [bytes(uc.mem_read(a, n)) for a, n in buffers], elapsed)


def call_on_both(image: Image, symbol: str, args: Sequence[int | bytes], defines: Mapping[str, int] | None = None,
                 max_steps: int = 50_000_000, seed: int = 0, repeat: int = 1, ref_repeat: int = 1,
                 ) -> tuple[Outcome, Outcome, int]:
    """Call ``symbol`` with ``args`` (ints, or bytes passed as fresh buffers) on lnsym, then on Unicorn
    from the same state (registers other than the arguments random from ``seed``), lnsym ``repeat``
    times (the last run timed) and Unicorn ``ref_repeat`` times (the fastest after the first).
    Returns (lnsym, unicorn, instructions executed)."""
    entry = image.address(symbol)
    rng = random.Random(seed)
    m, regs, buffers = entry_state(image, args, defines or {})
    m.x = [rng.getrandbits(64) for _ in range(31)]
    m.v = [rng.getrandbits(128) for _ in range(32)]
    x, v = list(m.x), list(m.v)
    for _ in range(repeat):
        m, _, _ = entry_state(image, args, defines or {})
        m.x, m.v = list(x), list(v)
        ours, steps = _run_lnsym(m, entry, regs, buffers, max_steps)
    m, _, _ = entry_state(image, args, defines or {})
    m.x, m.v = list(x), list(v)
    ref = _run_unicorn(m, entry, regs, buffers, max_steps, ref_repeat)
    return ours, ref, steps


# -- the two workloads -------------------------------------------------------------------------------


def _sha256_workload(image: Image) -> tuple[str, list[int | bytes], Callable[[Outcome], None]]:
    """64 KiB of padded message (FIPS 180-4 5.1.1): 1024 blocks, compared with hashlib."""
    msg = random.Random(1).randbytes(WORKLOAD_BYTES - 9)
    padded = msg + b"\x80" + (8 * len(msg)).to_bytes(8, "big")
    h0 = (0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19)
    state = struct.pack("<8I", *h0)

    def check(out: Outcome) -> None:
        """hashlib"""
        digest = struct.pack(">8I", *struct.unpack("<8I", out.buffers[0]))
        if digest != hashlib.sha256(msg).digest():
            raise LnsymError("sha256_block_armv8 does not match hashlib")

    return "sha256_block_armv8", [state, padded, len(padded) // 64], check


def _aes_workload(image: Image) -> tuple[str, list[int | bytes], Callable[[Outcome], None]]:
    """AES-128-CTR over 64 KiB (4096 blocks), compared with ``cryptography`` (no counter wrap)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    rng = random.Random(2)
    key, iv, text = rng.randbytes(16), rng.randbytes(12) + bytes(4), rng.randbytes(WORKLOAD_BYTES)
    m, regs, buffers = entry_state(image, [key, 128, bytes(244)], {})
    ks, _ = _run_lnsym(m, image.address("aes_v8_set_encrypt_key"), regs, buffers, 100_000)
    schedule = ks.buffers[1]
    enc = Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor()
    expected = enc.update(text) + enc.finalize()

    def check(out: Outcome) -> None:
        """cryptography's AES-CTR"""
        if out.buffers[1] != expected:
            raise LnsymError("aes_v8_ctr32_encrypt_blocks does not match cryptography's AES-CTR")

    return "aes_v8_ctr32_encrypt_blocks", [text, bytes(len(text)), len(text) // 16, schedule, iv], check


def run_simd_benchmarks() -> dict[str, float]:
    """Run both workloads on lnsym (compiled executors warmed by a first, untimed run) and Unicorn;
    print instructions/second and the ratio; return the ratios."""
    from lnsym.load.fetch import openssl_libcrypto
    from lnsym.load.loader import load

    path = openssl_libcrypto()
    ratios: dict[str, float] = {}
    print(f"SIMD / crypto-extension stepping, {WORKLOAD_BYTES // 1024} KiB per routine (OpenSSL {path.parent.name})")
    for member, make in (("libcrypto-lib-sha256-armv8.o", _sha256_workload),
                         ("libcrypto-lib-aesv8-armx.o", _aes_workload)):
        image = load(path, member=member)
        symbol, args, check = make(image)
        cold, cold_ref, _ = call_on_both(image, symbol, args)  # first runs: compiling / translating
        ours, ref, steps = call_on_both(image, symbol, args, repeat=2, ref_repeat=8)
        check(ours)
        if (ours.x0, ours.buffers) != (ref.x0, ref.buffers) or ours.buffers != cold.buffers:
            raise LnsymError(f"{symbol}: lnsym and Unicorn disagree")
        ips, ref_ips = steps / ours.seconds, steps / ref.seconds
        ratios[symbol] = ips / ref_ips
        print(f"  {symbol:28s} {steps:9,d} instructions (same outputs as Unicorn and {check.__doc__})")
        print(f"    lnsym   {ips:14,.0f} instr/s   (first run, compiling: {steps / cold.seconds:,.0f})")
        print(f"    unicorn {ref_ips:14,.0f} instr/s   (first run, translating: {steps / cold_ref.seconds:,.0f})")
        print(f"    ratio lnsym/unicorn = 1/{ref_ips / ips:.1f}   (goal: at least 1/20)")
    return ratios
