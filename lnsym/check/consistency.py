"""Symbolic/concrete consistency: run a routine once with every input symbolic, then check that its
output terms, evaluated at random points, equal concrete runs of the same code at those points.

The symbolic call is the prover's (:func:`lnsym.prove.prover.initial_state`: arguments in X0..X7, the other
registers, vectors, flags and buffer bytes fresh variables, a concrete stack, LR a sentinel), with
the buffers' disjointness -- an assumption the prover states -- added to the path condition.  Each
returned path's outputs are every X register, SP, NZCV, FPSR, every V register, every byte of the
writable buffers and every other byte the path wrote.  They are compiled to Python with
:mod:`bitvec.pycompile` (no solver), evaluated at a point, and compared with lnsym's concrete
machine started from exactly that state (it must return after the path's step count, and write no
other byte), with a call through the AAPCS64 harness, and with Unicorn when asked.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bitvec import BV, Value
from bitvec.pycompile import emit, reference, sdiv
from bitvec.term import Term, lift, mk
from isa.machine import Stop
from lnsym.errors import LnsymError, MemoryFault
from lnsym.load.image import Image
from lnsym.machine.concrete import ConcreteMachine
from lnsym.machine.layout import SENTINEL, STACK_BASE, STACK_SIZE
from lnsym.machine.oracle import Outcome, Snapshot, machine_for, run_unicorn
from lnsym.machine.stepper import Stepper
from lnsym.prove.contract import Buffer, Contract, Scalar
from lnsym.prove.prover import code_memory, initial_state
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.state import PathEndReason, SymState

PAGE = 0x1000
BUFFER_BASE, BUFFER_STRIDE = 0x40_0000_0000, 0x10_0000


@dataclass(frozen=True)
class Routine:
    """A call shape: ``symbol`` of one libcrypto member with contract-style arguments (scalars given
    a ``value`` are concrete; buffers are symbolic except their ``fixed`` bytes)."""

    name: str
    member: str
    symbol: str
    args: tuple[Scalar | Buffer, ...]
    defines: tuple[tuple[str, int], ...] = ()
    max_steps: int = 200_000
    samples: tuple[tuple[str, tuple[int, ...]], ...] = ()  # symbolic scalar -> values points draw from

    def contract(self, libcrypto: str) -> Contract:
        return Contract(self.name, libcrypto, self.symbol, list(self.args), [], lambda _: {},
                        member=self.member, defines=dict(self.defines), max_steps=self.max_steps)


Compiled = Callable[[Sequence[int]], tuple[int, ...]]


def compile_terms(roots: Sequence[Value]) -> tuple[Compiled, list[tuple[str, int]]]:
    """A Python function of the variables' values (in the returned (name, width) order) computing
    ``roots``; the straight-line code is :func:`bitvec.pycompile.emit`'s."""
    order: dict[str, int] = {}
    widths: dict[str, int] = {}

    def var_ref(t: Term) -> str:
        name = t.params[0]
        if name not in order:
            order[name] = len(order)
            widths[name] = t.width
        return f"a[{order[name]}]"

    terms = [lift(r, None) for r in roots]
    lines = emit(terms, var_ref)
    outs = [reference(t, var_ref) for t in terms]
    body = "".join(f"    {line}\n" for line in lines)
    source = f"def f(a):\n{body}    return ({', '.join(outs)},)\n"
    namespace: dict[str, object] = {"_sdiv": sdiv}
    exec(compile(source, "<consistency>", "exec"), namespace)
    return namespace["f"], [(n, widths[n]) for n in order]  # type: ignore[return-value]


@dataclass
class SymbolicPath:
    """One returned path: its condition, its step count and its output terms under their labels."""

    steps: int
    condition: Value
    labels: list[str]
    outputs: list[Value]
    exact_steps: bool = True  # False after merging: ``steps`` is then the longest merged path's
    compiled: Compiled | None = None
    inputs: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class SymbolicRun:
    routine: Routine
    image: Image
    paths: list[SymbolicPath]
    ended: list[str]  # reasons of every path end ("returned", "infeasible", ...)
    steps: int
    seconds: float  # symbolic execution and compilation of the outputs
    buffers: list[Buffer]


def _outputs(state: SymState, buffers: dict[str, Buffer]) -> tuple[list[str], list[Value]]:
    labels: list[str] = [f"x{i}" for i in range(31)] + ["sp", "nzcv", "fpsr"] + [f"v{i}" for i in range(32)]
    values: list[Value] = [*state.x, state.sp, state.flags, state.sysregs["FPSR"], *state.v]
    for region in state.memory.regions:
        if region.name in buffers:
            offsets = range(region.size) if region.writable else ()
        else:
            offsets = sorted(region.owner)  # bytes this path wrote in the stack or a data section
        for off in offsets:
            labels.append(f"{region.name}[{off}]")
            values.append(region.byte(off))
    return labels, values


def run_symbolic(
    routine: Routine, image: Image, libcrypto: str, max_paths: int = 64, merge: bool = False
) -> SymbolicRun:
    """Execute ``routine`` with all inputs symbolic (merging paths if asked) and compile each returned
    path's outputs."""
    contract = routine.contract(libcrypto)
    state, _inputs, _assumptions = initial_state(contract, image, unspecified_upper=False)  # concrete upper bits
    buffers = [a for a in routine.args if isinstance(a, Buffer)]
    bases = [(lift(state.memory.region(b.name).base, 64), b.size) for b in buffers]
    for i, (b1, n1) in enumerate(bases):  # the prover's stated assumption: regions are disjoint
        for b2, n2 in bases[i + 1:]:
            end1, end2 = b1.zext(65) + n1, b2.zext(65) + n2  # 65 bits: an end at 2**64 does not wrap
            state.path.append(mk("or", end1.ule(b2.zext(65)), end2.ule(b1.zext(65))))
    executor = SymbolicExecutor(code_memory(image), merge=merge)
    start = time.perf_counter()
    ends = executor.run(state, SENTINEL, max_steps=routine.max_steps, max_paths=max_paths)
    paths = []
    by_name = {b.name: b for b in buffers}
    for end in ends:
        if end.reason != PathEndReason.RETURNED:
            continue
        s = end.state
        condition: Value = BV(1, 1)
        for c in s.path:
            condition = condition & c
        labels, values = _outputs(s, by_name)
        path = SymbolicPath(s.steps, condition, labels, values, exact_steps=not merge)
        path.compiled, path.inputs = compile_terms([condition, *values])
        paths.append(path)
    seconds = time.perf_counter() - start
    return SymbolicRun(routine, image, paths, [f"{e.reason} {e.detail}".strip() for e in ends], executor.steps,
                       seconds, buffers)


@dataclass
class Point:
    """Concrete values for every input variable, and the snapshot that starts the concrete call there."""

    env: dict[str, int]
    snapshot: Snapshot


def _padded(n: int) -> int:
    return max(PAGE, (n + PAGE - 1) // PAGE * PAGE)


class PointMaker:
    """Draws points: buffers at fixed page-aligned addresses, everything else random (the first two
    points all-zero and all-one bits, where carries and borrows run furthest)."""

    def __init__(self, run: SymbolicRun, seed: int) -> None:
        self.run = run
        self.rng = random.Random(seed)
        self.count = 0
        image = run.image
        self.regions: list[tuple[int, bytes, str]] = [
            (seg.start, bytes(seg.data).ljust(_padded(len(seg.data)), b"\0"), seg.perms or "r")
            for seg in image.segments  # type: ignore[attr-defined]
        ]
        self.regions.append((STACK_BASE, bytes(STACK_SIZE), "rw"))
        self.address = {b.name: BUFFER_BASE + i * BUFFER_STRIDE for i, b in enumerate(run.buffers)}
        for b in run.buffers:
            self.regions.append((self.address[b.name], bytes(_padded(b.size)), "rw" if b.writable else "r"))
        self.entry = image.address(run.routine.symbol)  # type: ignore[attr-defined]
        self.samples = dict(run.routine.samples)
        self.stepper = Stepper(ConcreteMachine())  # one stepper: its compiled instructions are reused

    def initial_byte(self, address: int) -> int | None:
        """The byte the concrete call starts with outside the buffers (stack, image sections)."""
        for start, data, _perms in self.regions:
            if start <= address < start + len(data):
                return data[address - start]
        return None

    def run_lnsym(self, snap: Snapshot, steps: int) -> tuple[Outcome, int]:
        """At most ``steps`` instructions of lnsym's concrete machine from ``snap``, up to the return;
        the outcome (with the written bytes) and the number of instructions executed."""
        m, written = machine_for(snap)
        self.stepper.machine = m
        ending = "ok"
        start = self.stepper.steps
        try:
            while self.stepper.steps - start < steps and m.pc != SENTINEL:
                self.stepper.step()
        except Stop as stop:
            ending = stop.kind.value
        except (LnsymError, MemoryFault) as exc:
            ending = f"error ({exc})"
        writes = {a: m.memory.read_int(a, 1) for a in sorted(written)}
        outcome = Outcome(list(m.x), m.sp, m.pc, m.flags, list(m.v), m.sysregs["FPSR"], writes, ending)
        return outcome, self.stepper.steps - start

    def _bits(self, width: int) -> int:
        if self.count == 0:
            return 0
        if self.count == 1:
            return (1 << width) - 1
        return self.rng.getrandbits(width)

    def make(self) -> Point:
        env: dict[str, int] = {f"x{i}_in": self._bits(64) for i in range(31)}
        env |= {f"v{i}_in": self._bits(128) for i in range(32)}
        env["nzcv_in"] = self._bits(4)
        env["tpidr_el0"] = self._bits(64)
        x = [env[f"x{i}_in"] for i in range(31)]
        patches: list[tuple[int, bytes]] = []
        for i, arg in enumerate(self.run.routine.args):
            if isinstance(arg, Scalar):
                value = arg.value if arg.value is not None else self._bits(arg.width)
                if arg.name in self.samples and self.count > 1:
                    value = self.rng.choice(self.samples[arg.name])
                env[arg.name] = value
                x[i] = value
                continue
            address = self.address[arg.name]
            env[f"&{arg.name}"] = x[i] = address
            fixed = {off + k: b for off, chunk in arg.fixed for k, b in enumerate(chunk)}
            data = bytearray(arg.data or bytes(arg.size))
            for k in range(arg.size):
                if arg.data is None:
                    data[k] = fixed.get(k, self._bits(8))
                env[f"{arg.name}[{k}]"] = data[k]
            patches.append((address, bytes(data)))
        x[30] = SENTINEL
        snap = Snapshot(x=x, sp=STACK_BASE + STACK_SIZE - 256, pc=self.entry, nzcv=env["nzcv_in"],
                        v=[env[f"v{i}_in"] for i in range(32)], regions=self.regions, patches=patches,
                        tpidr=env["tpidr_el0"])
        self.count += 1
        return Point(env, snap)


def _expected(path: SymbolicPath, env: dict[str, int]) -> list[int] | None:
    """The path's outputs at ``env``, or None when ``env`` is not on the path."""
    assert path.compiled is not None
    # the concrete stack starts zeroed; its initial bytes are read only by merged paths (an ite
    # between a written byte and an unwritten one)
    got = path.compiled([(env[n] if not n.startswith("stack[") else env.get(n, 0)) & ((1 << w) - 1)
                         for n, w in path.inputs])
    return list(got[1:]) if got[0] else None


def _address_of(label: str, maker: PointMaker, run: SymbolicRun) -> int:
    name, _, off = label[:-1].rpartition("[")
    if name in maker.address:
        return maker.address[name] + int(off)
    if name == "stack":
        return STACK_BASE + int(off)
    for seg in run.image.segments:  # type: ignore[attr-defined]
        if seg.name == name:
            return seg.start + int(off)
    raise KeyError(label)


REGISTERS = 31 + 3 + 32  # X0..X30, SP, NZCV, FPSR, V0..V31: the first outputs of every path


def compare(run: SymbolicRun, maker: PointMaker, point: Point, path: SymbolicPath, expected: list[int],
            outcome: Outcome, who: str) -> list[str]:
    """Mismatches between ``path``'s outputs at ``point`` (``expected``) and a concrete ``outcome``."""
    if outcome.ending != "ok" or outcome.pc != SENTINEL:
        return [f"{who}: ended {outcome.ending} at pc {outcome.pc:#x}, not at the return"]
    memory = dict(outcome.writes)
    for b in run.buffers:  # unwritten buffer bytes keep their initial values
        base = maker.address[b.name]
        for k in range(b.size):
            memory.setdefault(base + k, point.env[f"{b.name}[{k}]"])
    registers = [*outcome.x, outcome.sp, outcome.nzcv, outcome.fpsr, *outcome.v]
    problems: list[str] = []
    covered: set[int] = set()
    for k, (label, want) in enumerate(zip(path.labels, expected)):
        if k < REGISTERS:
            have: int | None = registers[k]
        else:
            address = _address_of(label, maker, run)
            covered.add(address)
            have = memory.get(address, maker.initial_byte(address))
        if have != want:
            shown = "unwritten" if have is None else hex(have)
            problems.append(f"{who}: {label} is {shown}, symbolic says {want:#x}")
    stray = sorted(set(outcome.writes) - covered)
    if stray:
        problems.append(f"{who}: wrote {len(stray)} byte(s) the symbolic path did not, first at {stray[0]:#x}")
    return problems


def harness_check(run: SymbolicRun, point: Point, seed: int) -> list[str]:
    """Call the routine through the AAPCS64 harness (its own buffer addresses and random registers)
    with ``point``'s arguments: it must keep the PCS, and its final buffers must equal the symbolic
    buffer bytes evaluated with the harness's buffer addresses (buffer outputs that read uninitialised
    registers would differ here)."""
    from lnsym.machine import harness

    args: list[int | harness.Buffer] = []
    for arg in run.routine.args:
        if isinstance(arg, Scalar):
            args.append(point.env[arg.name])
        else:
            args.append(harness.Buffer(bytes(point.env[f"{arg.name}[{k}]"] for k in range(arg.size)), arg.name))
    report = harness.call(run.image, run.routine.symbol, args, max_steps=run.routine.max_steps, seed=seed)
    if not report.ok:
        return [f"harness: {report.describe()}"]
    env = dict(point.env)
    for b, address in zip(run.buffers, report.buffer_addresses):
        env[f"&{b.name}"] = address
    hits = [(p, out) for p in run.paths if (out := _expected(p, env)) is not None]
    if len(hits) != 1:
        return [f"harness: its buffer addresses lie on {len(hits)} returned symbolic paths"]
    path, expected = hits[0]
    want = dict(zip(path.labels, expected))
    problems = []
    for b, data in zip(run.buffers, report.buffers):
        for k in range(b.size if b.writable else 0):
            if data[k] != want[f"{b.name}[{k}]"]:
                problems.append(f"harness: {b.name}[{k}] is {data[k]:#x}, symbolic says {want[f'{b.name}[{k}]']:#x}")
    return problems


def check_points(run: SymbolicRun, points: int, seed: int = 0, unicorn_points: int = 0) -> tuple[int, list[str]]:
    """Evaluate at ``points`` random points against lnsym's concrete machine (bare, and through the
    AAPCS64 harness) and the first ``unicorn_points`` of them against Unicorn; return the number
    checked and the mismatches."""
    maker = PointMaker(run, seed)
    problems: list[str] = []
    for n in range(points):
        point = maker.make()
        hits = [(p, out) for p in run.paths if (out := _expected(p, point.env)) is not None]
        if len(hits) != 1:
            problems.append(f"point {n}: on {len(hits)} returned symbolic paths (expected exactly one)")
            continue
        path, expected = hits[0]
        outcome, steps = maker.run_lnsym(point.snapshot, path.steps)
        problems += [f"point {n}: {p}" for p in compare(run, maker, point, path, expected, outcome, "lnsym")]
        if path.exact_steps and steps != path.steps:
            problems.append(f"point {n}: lnsym returned after {steps} instructions, the path took {path.steps}")
        problems += [f"point {n}: {p}" for p in harness_check(run, point, seed + n)]
        if n < unicorn_points:  # as many instructions as lnsym took (a merged path's count varies)
            outcome = run_unicorn(point.snapshot, steps)
            problems += [f"point {n}: {p}" for p in compare(run, maker, point, path, expected, outcome, "unicorn")]
        if len(problems) > 20:
            break
    return points, problems
