"""Mutation analysis of the prover: every mutant that concrete testing shows wrong must be refuted.

For a contract that verifies, :func:`analyse` draws single-instruction mutants (:mod:`lnsym.check.mutants`)
of the instructions a concrete run executes, and for each one

1. runs the patched routine through the AAPCS64 harness (:func:`lnsym.machine.harness.call`) on random inputs
   and compares with the spec evaluated concretely (plus the callee-saved registers and SP the
   harness checks, as the contract's frame obligations do): the mutant **differs**, is the **same**
   on those inputs, or **faults** (memory fault, unsupported or undecodable word, stop instruction,
   step limit, a write to a buffer the contract declares read-only);
2. verifies the contract against the patched image (``prover.verify(image=...)``) and checks that a
   refutation's counterexample replays (expected != actual on lnsym's concrete machine, and on Unicorn; for an
   out-of-bounds refutation, :mod:`lnsym.prove.oob`, each machine's first access outside the declared objects is
   that access).

Statuses: **killed** (refuted, counterexample replays), **rejected** (a faulting mutant not proved),
**equivalent** (same on every test, proved), **UNSOUND** (concrete testing shows it wrong, yet proved:
a prover bug), **missed** (shown wrong but only unknown/error, or a refutation that does not replay),
**undecided** (same on the tests, verify unknown or its refutation does not replay).
"""

from __future__ import annotations

import dataclasses
import random
import time
from dataclasses import dataclass, field

from bitvec import BV
from lnsym.check.mutants import Mutant, patched, sample
from lnsym.load.image import Image
from lnsym.machine import harness
from lnsym.machine.concrete import ConcreteMachine, map_image
from lnsym.machine.layout import BUFFER_BASE, BUFFER_STRIDE, STACK_BASE, STACK_SIZE
from lnsym.machine.stepper import Stepper
from lnsym.prove.contract import Buffer, Contract, Inputs, Scalar
from lnsym.prove.prover import verify
from lnsym.prove.replay import expected_outputs, read_outputs

NO_DIFFERENCE = ["no difference on these inputs"]


@dataclass
class MutantResult:
    mutant: Mutant
    concrete: str  # differs, same, faults
    concrete_detail: str
    verdict: str  # of verify on the patched image
    replays: bool  # the refutation's counterexample shows expected != actual on lnsym (and Unicorn)
    status: str  # killed, rejected, equivalent, UNSOUND, missed, undecided
    seconds: float
    detail: str = ""


@dataclass
class RoutineReport:
    routine: str
    instructions: int  # distinct instructions executed by the original
    results: list[MutantResult] = field(default_factory=list)
    skipped: str = ""  # why no mutants were analysed

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def distinguished(self) -> int:
        return sum(r.concrete == "differs" for r in self.results)

    @property
    def killed_distinguished(self) -> int:
        return sum(r.concrete == "differs" and r.status == "killed" for r in self.results)


def random_inputs(contract: Contract, rng: random.Random) -> Inputs:
    """Concrete inputs honouring the contract's fixed scalars, concrete buffers and fixed bytes; ghost inputs
    are drawn too, and derived buffers computed from the rest, as :func:`~lnsym.prove.prover.initial_state`
    states them."""
    inputs = Inputs()
    scalars = [a for a in contract.args if isinstance(a, Scalar)] + list(getattr(contract, "ghosts", []))
    for arg in scalars:
        inputs[arg.name] = BV(arg.width, rng.getrandbits(arg.width) if arg.value is None else arg.value)
    derived = []
    for arg in contract.args:
        if isinstance(arg, Buffer):
            data = bytearray(arg.data if arg.data is not None else rng.randbytes(arg.size))
            for off, chunk in arg.fixed:
                data[off : off + len(chunk)] = chunk
            inputs[arg.name] = [BV(8, b) for b in data]
            if getattr(arg, "derived", None) is not None:
                derived.append(arg)
    for arg in derived:
        inputs[arg.name] = [BV(8, b.as_int()) for b in arg.derived(inputs)]  # concrete inputs give BVs
    return inputs


def _arguments(contract: Contract, inputs: Inputs) -> list[int | harness.Buffer]:
    args: list[int | harness.Buffer] = []
    for arg in contract.args:
        if isinstance(arg, Scalar):
            args.append(inputs[arg.name].as_int())
        else:
            args.append(harness.Buffer(bytes(b.as_int() for b in inputs[arg.name]), arg.name))
    return args


def run_concrete(contract: Contract, image: Image, inputs: Inputs, seed: int) -> tuple[str, str]:
    """``("same" | "differs" | "faults", detail)``: one harness call compared with the concrete spec."""
    try:
        report = harness.call(image, contract.symbol, _arguments(contract, inputs), max_steps=contract.max_steps,
                              seed=seed)
    except Exception as exc:  # memory fault, unsupported word, step limit, UNPREDICTABLE ...
        return "faults", f"{type(exc).__name__}: {exc}"
    if report.stop != "return":
        return "faults", f"ended by {report.stop}"
    buffers = [a for a in contract.args if isinstance(a, Buffer)]
    for arg, final in zip(buffers, report.buffers):
        if not arg.writable and final != bytes(b.as_int() for b in inputs[arg.name]):
            return "faults", f"wrote to the read-only buffer {arg.name}"
    got = read_outputs(contract, report.x0, {a.name: final for a, final in zip(buffers, report.buffers)})
    expected = expected_outputs(contract, inputs)
    wrong = [f"{k}[{i}]: expected {e:#x}, got {g:#x}" for k in expected
             for i, (e, g) in enumerate(zip(expected[k], got.get(k, []))) if e != g]
    # the contract's frame obligations: callee-saved X19-X29, D8-D15 and SP (not the caller's frame)
    wrong += [v for v in report.violations if v.startswith(("X", "D", "SP"))]
    return ("differs", wrong[0]) if wrong else ("same", "")


def executed(contract: Contract, image: Image, inputs: Inputs) -> tuple[list[tuple[int, int]], int]:
    """The distinct ``(address, word)`` instructions one concrete call executes (in first-execution order)
    and the number of steps it took."""
    m = ConcreteMachine()
    map_image(m, image)
    m.memory.map(STACK_BASE, STACK_SIZE, "rw", "stack")
    m.sp = STACK_BASE + STACK_SIZE - 256
    regs = []
    for i, value in enumerate(_arguments(contract, inputs)):
        if isinstance(value, harness.Buffer):
            address = BUFFER_BASE + i * BUFFER_STRIDE
            m.memory.map(address, max(len(value.data), 1), "rw", value.name, value.data)
            regs.append(address)
        else:
            regs.append(value)
    seen: dict[int, int] = {}

    def note(pc: int, word: int, _pattern: object) -> None:
        seen.setdefault(pc, word)

    stepper = Stepper(m)
    stepper.on_step = note
    event = stepper.call(image.address(contract.symbol), regs, max_steps=contract.max_steps)
    return list(seen.items()), event.steps


def _replays(cx: dict[str, object] | None) -> bool:
    """The counterexample shows expected != actual on lnsym's machine, and on Unicorn unless it is not installed."""
    if not cx:
        return False
    if "out_of_bounds" in cx:  # lnsym.prove.oob: both machines' first access outside the declared objects is that one
        return cx.get("replays") is True
    lnsym, unicorn = cx.get("replay_lnsym"), cx.get("replay_unicorn", "not available")
    return isinstance(lnsym, list) and lnsym != NO_DIFFERENCE and (
        unicorn == "not available" or (isinstance(unicorn, list) and unicorn != NO_DIFFERENCE))


def _status(concrete: str, verdict: str, replays: bool) -> str:
    if verdict == "proved":
        return "equivalent" if concrete == "same" else "UNSOUND"
    if verdict == "refuted" and replays:
        return "killed"
    if concrete == "faults":
        return "rejected"
    return "missed" if concrete == "differs" else "undecided"


def assess(contract: Contract, image: Image, mutant: Mutant, tests: list[Inputs], timeout_s: float) -> MutantResult:
    """Concrete tests, then ``verify`` on the patched image."""
    start = time.perf_counter()
    mutated = patched(image, mutant)
    concrete, detail = "same", ""
    for k, inputs in enumerate(tests):
        concrete, detail = run_concrete(contract, mutated, inputs, seed=k)
        if concrete != "same":
            break
    try:
        result = verify(contract, timeout_s=timeout_s, image=mutated)
        verdict, note, cx = result.verdict, result.detail, result.counterexample
    except Exception as exc:  # an error is a verdict here (never "proved")
        verdict, note, cx = "error", f"{type(exc).__name__}: {exc}", None
    replays = verdict == "refuted" and _replays(cx)
    if cx:
        note = f"counterexample on {cx['obligation']}: expected {cx['expected']}, replay {cx.get('replay_lnsym')}"
    return MutantResult(mutant, concrete, detail, verdict, replays, _status(concrete, verdict, replays),
                        time.perf_counter() - start, note)


def prepare(contract: Contract, image: Image, count: int, seed: int = 0,
            trials: int = 3) -> tuple[RoutineReport, Contract, list[Inputs], list[Mutant]]:
    """The routine's report (``skipped`` set if the original fails a concrete test), the contract with a bounded
    step budget, the concrete tests and the sampled mutants; deterministic in ``seed``, so a worker process
    that prepares again assesses the same mutants.

    The step budget of both the concrete runs and the symbolic execution is bounded at a few times the
    original's, so a mutant that loops ends as "faults"/"unknown" quickly instead of at the contract's limit.
    """
    rng = random.Random(seed)
    tests = [random_inputs(contract, rng) for _ in range(trials)]
    trace, steps = executed(contract, image, tests[0])
    bounded = dataclasses.replace(contract, max_steps=min(contract.max_steps, 4 * steps + 1000))
    report = RoutineReport(contract.name, len(trace))
    for k, inputs in enumerate(tests):
        outcome, detail = run_concrete(bounded, image, inputs, seed=k)
        if outcome != "same":
            report.skipped = f"the original routine fails concrete test {k}: {detail}"
            return report, bounded, tests, []
    return report, bounded, tests, sample(trace, count, seed)


def analyse(contract: Contract, image: Image, count: int, seed: int = 0, trials: int = 3,
            timeout_s: float = 20.0) -> RoutineReport:
    """Sample ``count`` mutants of the routine and assess each (see the module docstring)."""
    report, bounded, tests, mutants = prepare(contract, image, count, seed, trials)
    for mutant in mutants:
        report.results.append(assess(bounded, image, mutant, tests, timeout_s))
    return report


def unassessed(mutant: Mutant, reason: str) -> MutantResult:
    """A mutant whose assessment did not come back (its worker died, or it overran): ``undecided``, never proved."""
    return MutantResult(mutant, "unknown", reason, "unknown", False, _status("unknown", "unknown", False), 0.0,
                        f"not assessed: {reason}")
