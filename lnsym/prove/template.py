"""``lnsym prove --template TARGET``: a starting proof script for a routine whose proof stopped at a loop.

From the contract (its block count a symbolic 64-bit scalar), the routine is run until the stepper asks for an
invariant; the loop head is the target of the backward branch it names.  Two arrivals at the head (the first,
and one iteration later, with every buffer widened so that the iteration has blocks to read) show what one
iteration does to each register: a register that drops by a constant and starts at the count is the
*counter*; one that grows by a constant from a buffer's address is the *pointer* (the constant is the
*stride*); the others either stay (pinned) or change (the chaining value is among them).  The script states
all of it and leaves the specification -- ``carried``, ``init``, ``step``, ``outputs`` -- for the user, with
the values found at the first arrival as comments.  Nothing here is trusted: the script is proved (or not) by
:mod:`lnsym.prove.induction` like any other.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from bitvec import Value
from bitvec.term import Term, evaluate, lift, variables
from lnsym.errors import LnsymError
from lnsym.load.image import Image, where
from lnsym.load.loader import load
from lnsym.machine.layout import SENTINEL
from lnsym.machine.stepper import capstone_text
from lnsym.prove.contract import Buffer, Contract, Scalar
from lnsym.prove.induction import run_until
from lnsym.prove.prover import code_memory, initial_state
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.memory import SymRegion
from lnsym.symbolic.pretty import pretty
from lnsym.symbolic.state import PathEndReason, SymState


@dataclass
class LoopShape:
    """What two arrivals at the loop head show."""

    branch: int
    head: int
    head_name: str
    count: str
    counter: int | None = None
    step_down: int = 0
    pointer: int | None = None
    stride: int = 0
    buffer: str | None = None
    changed: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    first: dict[str, str] = field(default_factory=dict)


def _constant_difference(after: Value, before: Value) -> int | None:
    """``after - before`` when it is the same constant under a few random assignments (a hint, not a proof)."""
    diff = lift(after, 64) - lift(before, 64)
    if not isinstance(diff, Term):
        return diff.val  # type: ignore[no-any-return]
    names = variables(diff)
    seen = set()
    rng = random.Random(16)
    for _ in range(4):
        env = {n: rng.getrandbits(w) for n, w in names.items()}
        seen.add(evaluate(diff, env).val)
    return seen.pop() if len(seen) == 1 else None


def _signed(v: int) -> int:
    return v - (1 << 64) if v >> 63 else v


def find_loop(contract: Contract, image: Image | None = None) -> LoopShape:
    image = image or load(contract.object_path(None), member=contract.member, symbol=contract.symbol,
                          defines=contract.defines or None)
    counts = [a.name for a in contract.args if isinstance(a, Scalar) and a.value is None and a.width == 64]
    if not counts:
        raise LnsymError(f"{contract.name}: every scalar is fixed; a loop proof needs the block count as a symbolic "
                         "64-bit scalar (Scalar(name, 64) with no value)")
    state, inputs, _ = initial_state(contract, image)
    _widen(contract, state)  # a buffer declared one block long (as loop scripts declare it) has room to loop
    executor = SymbolicExecutor(code_memory(image), loop_limit=2, where=lambda a: where(image, a))
    state.solver = executor.solver
    ends = executor.run(state.copy(), SENTINEL, max_steps=contract.max_steps)
    stuck = next((e for e in ends if e.reason == PathEndReason.NEEDS_INVARIANT), None)
    if stuck is None:
        raise LnsymError(f"{contract.name}: no loop with a symbolic exit condition (`lnsym verify` proves it as "
                         "it is, or says why not)")
    branch = stuck.state.pc
    text = capstone_text(image_word(image, branch), branch) or ""
    target = re.search(r"#(0x[0-9a-f]+)\s*$", text)
    if target is None or int(target.group(1), 16) > branch:
        raise LnsymError(f"{contract.name}: the loop branch at {branch:#x} ({text or 'undecodable'}) does not go "
                         "back; name the loop head yourself in the script")
    head = int(target.group(1), 16)
    arrived, _ = run_until(executor, state, head, contract.max_steps)
    if len(arrived) != 1:
        raise LnsymError(f"{contract.name}: {len(arrived)} paths reach the loop head {head:#x} first; a template "
                         "needs one")
    first = arrived[0]
    again, _ = run_until(executor, first.copy(), head, contract.max_steps)  # the executor steps states in place
    if not again:
        raise LnsymError(f"{contract.name}: no path comes back to {head:#x} after one iteration")
    return _shape(contract, first, again[0], branch, head, where(image, head), counts, inputs)


def _widen(contract: Contract, state: SymState) -> None:
    """Every buffer eight times longer (plus 4 KiB), for the template's exploration only."""
    for arg in contract.args:
        if isinstance(arg, Buffer) and arg.alias_of is None:
            old = state.memory.region(arg.name)
            state.memory.regions = [r for r in state.memory.regions if r is not old]
            state.memory.add(SymRegion(old.name, old.base, 8 * old.size + 4096, old.writable, None, dict(old.fixed)))


def image_word(image: Image, address: int) -> int:
    for seg in image.segments:
        if seg.start <= address < seg.end:
            off = address - seg.start
            return int.from_bytes(seg.data[off : off + 4], "little")
    raise LnsymError(f"{address:#x} is outside the image")


def _shape(contract: Contract, first: SymState, second: SymState, branch: int, head: int, head_name: str,
           counts: list[str], inputs: object) -> LoopShape:
    shape = LoopShape(branch, head, head_name, counts[0])
    bases = {a.name: lift(first.memory.region(a.name).base, 64) for a in contract.args
             if isinstance(a, Buffer) and a.alias_of is None}
    count_vars = {name: lift(inputs[name], 64) for name in counts}  # type: ignore[index]
    for k in range(31):
        a, b = first.x[k], second.x[k]
        if lift(a, None) is lift(b, None):
            shape.pinned.append(f"x{k}")
            continue
        shape.changed.append(f"x{k}")
        d = _constant_difference(b, a)
        if d is None:
            continue
        d = _signed(d)
        counted = next((n for n, v in count_vars.items() if lift(a, 64) is v), None)
        if d < 0 and counted is not None and shape.counter is None:
            shape.counter, shape.step_down, shape.count = k, -d, counted
        elif d > 0 and shape.pointer is None:
            buffer = next((n for n, base in bases.items() if lift(a, 64) is base), None)
            if buffer is not None:
                shape.pointer, shape.stride, shape.buffer = k, d, buffer
    for k in range(32):
        (shape.pinned if lift(first.v[k], None) is lift(second.v[k], None) else shape.changed).append(f"v{k}")
    for r in shape.changed:
        value = first.x[int(r[1:])] if r[0] == "x" else first.v[int(r[1:])]
        shape.first[r] = pretty(value, 100)
    return shape


def _comment(text: str) -> str:
    return "\n".join(f"# {line}" for line in textwrap.wrap(text, 110))


def render(shape: LoopShape, contract: Contract, source: str) -> str:
    """The starting script (Python source)."""
    def field(name: str, value: object, todo: str) -> str:
        return f"    {name}={value!r}," if value is not None else f"    {name}=None,  # TODO: {todo}"

    fields = "\n".join([
        field("head", shape.head_name, ""),
        field("counter", shape.counter, "the X register counting the blocks left"),
        field("pointer", shape.pointer, "the X register pointing at the next block"),
        field("buffer", shape.buffer, "the contract buffer the loop reads"),
        field("stride", shape.stride or None, "bytes per block"),
        field("count", shape.count, ""),
    ])
    resize = (f"CONTRACT = replace(CONTRACT, args=[Buffer(a.name, {shape.stride}) if a.name == {shape.buffer!r} else a "
              "for a in CONTRACT.args])" if shape.buffer and shape.stride else
              "# TODO: declare the buffer the loop reads one block long (replace(CONTRACT, args=[...]))")
    note = "" if shape.step_down in (0, 1) else (
        f"\n# NOTE: the counter drops by {shape.step_down} per iteration; BlockLoop counts blocks (by 1): a byte "
        "count needs lnsym.prove.stream.StreamLoop, whose cuts read the blocks left off any register.")
    changed = "\n".join(f"#   {r} = {shape.first[r]}" for r in shape.changed) or "#   (none)"
    load_line = (f"CONTRACT = load_contract_file({source!r})[0]" if not source.startswith("openssl:")
                 else f"CONTRACT = openssl_contract({source.split(':', 1)[1]!r}, str(openssl_libcrypto()))")
    imports = ("from lnsym.contract import Buffer, load_contract_file" if not source.startswith("openssl:") else
               "from lnsym.contract import Buffer\nfrom lnsym.contracts.openssl import contract as openssl_contract\n"
               "from lnsym.load.fetch import openssl_libcrypto")
    return f'''"""Proof script for {contract.name}: every {shape.count}, by induction on the loop at {shape.head_name}.

Written by `lnsym prove --template {Path(source).name if not source.startswith("openssl:") else source}`: the
loop head, its counter, pointer and stride were read off two arrivals at the head (a hint, proved or rejected
when the script runs).  Fill in the specification (the TODOs),
then run `lnsym prove THIS_FILE`."""

from dataclasses import replace

from bitvec import Value
{imports}
from lnsym.prove.induction import BlockLoop
from lnsym.prove.script import words
from lnsym.symbolic.state import SymState

{load_line}
# BlockLoop reads the buffer block by block: the contract declares it one block long (only its address is taken)
{resize}

# The branch at {shape.branch:#x} goes back to the head {shape.head:#x} ({shape.head_name}).
{_comment("One iteration changes " + (", ".join(shape.changed) or "nothing") + ";")}
{_comment("it leaves " + ", ".join(shape.pinned) + " as they are.")}
# At the first arrival the changed registers hold:
{changed}{note}


def carried(state: SymState) -> list[Value]:
    """TODO: the chaining value as the registers hold it at the head (e.g. words(state.V(0), 32, 4))."""
    raise NotImplementedError("carried: read the chaining value off the state (see the comments above)")


def init(inputs: object) -> list[Value]:
    """TODO: the chaining value before the first block (e.g. inputs.words("state", 4))."""
    raise NotImplementedError("init: the specification's initial value")


def step(value: list[Value], block: list[Value]) -> list[Value]:
    """TODO: the specification's step on one block of bytes (e.g. a compression function)."""
    raise NotImplementedError("step: the specification's step on one block")


def outputs(value: list[Value]) -> dict[str, list[Value]]:
    """TODO: what the routine stores from the last chaining value, per output buffer."""
    raise NotImplementedError("outputs: the contract's outputs from the final value")


LOOP = BlockLoop(
{fields}
    carried=carried,
    init=init,
    step=step,
    outputs=outputs,
)
__all__ = ["CONTRACT", "LOOP", "words"]
'''
