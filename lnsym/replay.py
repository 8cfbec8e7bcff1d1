"""Concrete replay of a contract's routine on chosen inputs: on lnsym's concrete machine and on
Unicorn, compared with the spec evaluated on the same inputs.  The entry registers a counterexample
constrains (``x<n>_in``, ``v<n>_in``, ``nzcv_in``) and, where they can be mapped, its buffer addresses
(``&<name>``) are replayed with the model's values."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bitvec import Value
from lnsym.concrete import ConcreteMachine
from lnsym.contract import BufferOut, Contract, Inputs, Return, Scalar
from lnsym.errors import LnsymError
from lnsym.stepper import Stepper

SENTINEL = 0xFFFF_FFFF_FFF0_0000
MASK64 = (1 << 64) - 1
D_SEED = 0xD8D8_0000_0000_0000
STACK_BASE, STACK_SIZE = 0x7F00_0000, 0x1_0000
BUFFER_BASE, BUFFER_STRIDE = 0x5000_0000, 0x10_0000
ENTRY_NAME = re.compile(r"(x|v)(\d+)_in|nzcv_in")
Entry = tuple[list[int], list[int], int]  # X0-X30, V0-V31, NZCV at the call


def _entry(model: Mapping[str, int]) -> Entry:
    """The model's entry registers where it has them; else X19-X29 and D8-D15 get distinct seeds, the rest 0."""
    x = [model.get(f"x{n}_in", 0x1919_0000_0000_0000 + n if n in range(19, 30) else 0) for n in range(31)]
    v = [model.get(f"v{n}_in", D_SEED + n if n in range(8, 16) else 0) for n in range(32)]
    return x, v, model.get("nzcv_in", 0)


def _pages(start: int, size: int) -> range:
    return range(start >> 12, (start + max(size, 1) + 0xFFF) >> 12)


def _model_addresses(contract: Contract, image: object, model: Mapping[str, int]) -> dict[str, int]:
    """Each buffer's address from the model (``&<name>``) where both machines can map it there: below 2^48, its
    pages disjoint from the image, the stack, the other buffers and the fixed layout's slots; the other
    buffers keep the fixed layout."""
    taken = [_pages(seg.start, len(seg.data)) for seg in image.segments]  # type: ignore[attr-defined]
    taken.append(_pages(STACK_BASE, STACK_SIZE))
    taken += [_pages(BUFFER_BASE + i * BUFFER_STRIDE, a.size) for i, a in enumerate(contract.args)
              if not isinstance(a, Scalar)]
    out: dict[str, int] = {}
    for arg in contract.args:
        address = None if isinstance(arg, Scalar) else model.get(f"&{arg.name}")
        if address is None or address + arg.size > 1 << 48:  # type: ignore[union-attr]
            continue
        pages = _pages(address, arg.size)  # type: ignore[union-attr]
        if not any(p.start < pages.stop and pages.start < p.stop for p in taken):
            taken.append(pages)
            out[arg.name] = address
    return out


def _layout(contract: Contract, inputs: Inputs, addresses: Mapping[str, int] | None = None,
            ) -> tuple[list[int], dict[str, tuple[int, bytes, bool]]]:
    regs: list[int] = []
    buffers: dict[str, tuple[int, bytes, bool]] = {}
    for i, arg in enumerate(contract.args):
        if isinstance(arg, Scalar):
            regs.append(inputs[arg.name].as_int())
        else:
            address = (addresses or {}).get(arg.name, BUFFER_BASE + i * BUFFER_STRIDE)
            data = bytes(b.as_int() for b in inputs[arg.name])
            buffers[arg.name] = (address, data, arg.writable)
            regs.append(address)
    return regs, buffers


def _outputs(contract: Contract, read_x0: int, read_buffer: dict[str, bytes]) -> dict[str, list[int]]:
    got: dict[str, list[int]] = {}
    for o in contract.outputs:
        if isinstance(o, Return):
            got[o.name] = [read_x0 & ((1 << o.width) - 1)]
        elif isinstance(o, BufferOut):
            data = read_buffer[o.buffer]
            got[o.buffer] = [int.from_bytes(data[k : k + o.element], "little") for k in range(0, len(data), o.element)]
    return got


def _expected(contract: Contract, inputs: Inputs) -> dict[str, list[int]]:
    spec = contract.spec(inputs)
    out: dict[str, list[int]] = {}
    for o in contract.outputs:
        key = o.name if isinstance(o, Return) else o.buffer
        value = spec[key]
        values: list[Value] = list(value) if isinstance(value, list | tuple) else [value]  # type: ignore[arg-type]
        out[key] = [v.as_int() for v in values]
    return out


def lnsym_machine(image: object, buffers: Mapping[str, tuple[int, bytes, bool]], entry: Entry) -> ConcreteMachine:
    """lnsym's concrete machine set up for the call: the image's segments, the stack and the buffers mapped
    exactly, the registers and NZCV from ``entry``, SP below the stack top."""
    m = ConcreteMachine()
    for seg in image.segments:  # type: ignore[attr-defined]
        m.memory.map(seg.start, len(seg.data), seg.perms or "r", seg.name, bytes(seg.data))
    m.memory.map(STACK_BASE, STACK_SIZE, "rw", "stack")
    for name, (address, data, writable) in buffers.items():
        m.memory.map(address, max(len(data), 1), "rw" if writable else "r", name, data)
    m.x, m.v, m.flags = list(entry[0]), list(entry[1]), entry[2]
    m.sp = STACK_BASE + STACK_SIZE - 256
    return m


def run_lnsym(contract: Contract, image: object, regs: list[int], buffers: dict[str, tuple[int, bytes, bool]],
              entry: Entry) -> tuple[int, dict[str, bytes], list[int], int]:
    m = lnsym_machine(image, buffers, entry)
    Stepper(m).call(image.address(contract.symbol), regs, sentinel=SENTINEL,  # type: ignore[attr-defined]
                    max_steps=contract.max_steps)
    final = {name: m.memory.read(address, len(data)) for name, (address, data, _) in buffers.items()}
    return m.x[0], final, m.x[19:30] + [m.v[n] & MASK64 for n in range(8, 16)], m.sp


def unicorn_call(image: object, regs: list[int], buffers: Mapping[str, tuple[int, bytes, bool]],
                 entry: Entry) -> object:
    """A Unicorn machine set up for the call: the image's segments, the stack and the buffers mapped (whole
    pages), X0.. the arguments, the other registers and NZCV from ``entry``, LR the sentinel."""
    import unicorn
    import unicorn.arm64_const as A

    uc = unicorn.Uc(unicorn.UC_ARCH_ARM64, unicorn.UC_MODE_ARM)
    uc.ctl_set_cpu_model(A.UC_CPU_ARM64_MAX)

    def map_bytes(address: int, data: bytes) -> None:
        start, end = address & ~0xFFF, (address + max(len(data), 1) + 0xFFF) & ~0xFFF
        uc.mem_map(start, end - start)
        uc.mem_write(address, data)

    for seg in image.segments:  # type: ignore[attr-defined]
        map_bytes(seg.start, bytes(seg.data))
    uc.mem_map(STACK_BASE, STACK_SIZE)
    for address, data, _ in buffers.values():
        map_bytes(address, data)
    x, v, nzcv = entry
    for n in range(29):  # X0-X28 are consecutive in Unicorn's numbering; X29 is not
        uc.reg_write(A.UC_ARM64_REG_X0 + n, regs[n] if n < len(regs) else x[n])
    uc.reg_write(A.UC_ARM64_REG_X29, x[29])
    for n in range(32):
        uc.reg_write(A.UC_ARM64_REG_Q0 + n, v[n])
    uc.reg_write(A.UC_ARM64_REG_NZCV, nzcv << 28)
    uc.reg_write(A.UC_ARM64_REG_X30, SENTINEL)
    uc.reg_write(A.UC_ARM64_REG_SP, STACK_BASE + STACK_SIZE - 256)
    return uc


def run_unicorn(contract: Contract, image: object, regs: list[int], buffers: dict[str, tuple[int, bytes, bool]],
                entry: Entry) -> tuple[int, dict[str, bytes], list[int], int]:
    import unicorn.arm64_const as A

    uc = unicorn_call(image, regs, buffers, entry)
    uc.emu_start(image.address(contract.symbol), SENTINEL, count=contract.max_steps)  # type: ignore[attr-defined]
    final = {name: bytes(uc.mem_read(address, len(data))) for name, (address, data, _) in buffers.items()}
    x = [uc.reg_read(A.UC_ARM64_REG_X19 + k) for k in range(10)] + [uc.reg_read(A.UC_ARM64_REG_X29)]
    x += [uc.reg_read(A.UC_ARM64_REG_Q0 + n) & MASK64 for n in range(8, 16)]
    return uc.reg_read(A.UC_ARM64_REG_X0), final, x, uc.reg_read(A.UC_ARM64_REG_SP)


def replay_concrete(contract: Contract, image: object, inputs: Inputs, obligation: str,
                    model: Mapping[str, int] | None = None) -> dict[str, object]:
    """Replay on lnsym and on Unicorn (entry registers from ``model``); report the outputs that differ
    from the spec."""
    addresses = _model_addresses(contract, image, model or {})
    regs, buffers = _layout(contract, inputs, addresses)
    entry = _entry(model or {})
    callee = entry[0][19:30]
    expected = _expected(contract, inputs)
    report: dict[str, object] = {}
    used = {k: hex(v) for k, v in sorted((model or {}).items()) if ENTRY_NAME.fullmatch(k)}
    if used:
        report["entry_registers"] = used
    if addresses:
        report["buffer_addresses"] = {k: hex(v) for k, v in addresses.items()}
    for label, runner in (("lnsym", run_lnsym), ("unicorn", run_unicorn)):
        try:
            x0, final, saved, sp = runner(contract, image, regs, buffers, entry)
        except ImportError:
            report[f"replay_{label}"] = "not available"
            continue
        except (LnsymError, Exception) as exc:
            report[f"replay_{label}"] = f"run failed: {exc}"
            continue
        got = _outputs(contract, x0, final)
        diffs = [
            f"{key}[{k}]: expected {e:#x}, got {g:#x}"
            for key in expected
            for k, (e, g) in enumerate(zip(expected[key], got.get(key, [])))
            if e != g
        ]
        if saved[:11] != callee:
            diffs.append("callee-saved X19-X29 not restored")
        if saved[11:] != [entry[1][n] & MASK64 for n in range(8, 16)]:
            diffs.append("callee-saved D8-D15 not restored")
        if sp != STACK_BASE + STACK_SIZE - 256:
            diffs.append("SP not restored")
        report[f"replay_{label}"] = diffs or ["no difference on these inputs"]
    report["replays"] = all(
        isinstance(v, list) and v != ["no difference on these inputs"] for k, v in report.items()
        if k == "replay_lnsym"
    )
    return report


