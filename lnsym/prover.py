"""The prover: run a contract's routine symbolically, state each output as an obligation against the
spec, and discharge it -- structurally when both sides are the same term, otherwise with Z3.

Verdicts are honest: **proved** only when every obligation holds for all inputs satisfying the
stated assumptions; **refuted** with a counterexample that is replayed concretely; **unknown**
with the reason (solver timeout, unsupported instruction, path limit).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import z3

from bitvec import BV, Value, var
from bitvec.smtlib import check_script
from bitvec.term import Term, evaluate, lift, variables
from bitvec.z3backend import to_z3
from lnsym.anf import ANF, decide, witness
from lnsym.contract import Contract, Inputs, Return, Scalar
from lnsym.errors import LnsymError
from lnsym.memory import Memory
from lnsym.normalize import Normalizer
from lnsym.symexec import PathEnd, SymbolicExecutor, SymState
from lnsym.symmem import SymMemory, SymRegion

SENTINEL = 0xFFFF_FFFF_FFF0_0000
STACK_BASE, STACK_SIZE = 0x7F00_0000, 0x1_0000
CALLEE_SAVED = range(19, 30)


@dataclass
class Obligation:
    name: str
    implementation: Value
    specification: Value
    verdict: str = "pending"  # proved, refuted, unknown
    method: str = ""  # structural, z3
    seconds: float = 0.0
    model: dict[str, int] | None = None
    smt_file: str | None = None
    recheck: str = ""  # "<solver>:<answer>" when re-checked by a second solver


@dataclass
class Result:
    contract: str
    verdict: str  # proved, refuted, unknown, error
    assumptions: list[str]
    obligations: list[Obligation] = field(default_factory=list)
    seconds: float = 0.0
    steps: int = 0
    paths: int = 0
    detail: str = ""
    counterexample: dict[str, object] | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "contract": self.contract,
            "verdict": self.verdict,
            "seconds": round(self.seconds, 3),
            "steps": self.steps,
            "paths": self.paths,
            "assumptions": self.assumptions,
            "detail": self.detail,
            "obligations": [
                {"name": o.name, "verdict": o.verdict, "method": o.method, "seconds": round(o.seconds, 3),
                 "smt_file": o.smt_file, "recheck": o.recheck}
                for o in self.obligations
            ],
            "counterexample": self.counterexample,
        }


def _code_memory(image: object) -> Memory:
    mem = Memory()
    for seg in image.segments:  # type: ignore[attr-defined]
        mem.map(seg.start, len(seg.data), seg.perms or "r", seg.name, bytes(seg.data))
    return mem


def initial_state(contract: Contract, image: object) -> tuple[SymState, Inputs, list[str]]:
    """The symbolic call: arguments in X0..X7, named inputs, stack, sentinel return address."""
    memory = SymMemory()
    for seg in image.segments:  # type: ignore[attr-defined]
        memory.add(SymRegion(seg.name, BV(64, seg.start), len(seg.data), "w" in seg.perms, bytes(seg.data)))
    memory.add(SymRegion("stack", BV(64, STACK_BASE), STACK_SIZE))
    state = SymState(pc=image.address(contract.symbol), memory=memory)  # type: ignore[attr-defined]
    state.sp = BV(64, STACK_BASE + STACK_SIZE - 256)
    state.x = [var(f"x{i}_in", 64) for i in range(31)]
    state.v = [var(f"v{i}_in", 128) for i in range(32)]
    state.flags = var("nzcv_in", 4)
    state.x[30] = BV(64, SENTINEL)
    inputs = Inputs()
    assumptions = list(contract.preconditions)
    if len(contract.args) > 8:
        raise LnsymError(f"{contract.name}: more than 8 register arguments")
    for i, arg in enumerate(contract.args):
        if isinstance(arg, Scalar):
            value = var(arg.name, arg.width) if arg.value is None else BV(arg.width, arg.value)
            state.x[i] = value.zext(64)
            inputs[arg.name] = value
            if arg.value is not None:
                assumptions.append(f"{arg.name} = {arg.value}")
        else:
            base = var(f"&{arg.name}", 64)
            fixed = {off + k: b for off, data in arg.fixed for k, b in enumerate(data)}
            region = memory.add(SymRegion(arg.name, base, arg.size, arg.writable, arg.data, fixed))
            for off, data in arg.fixed:
                assumptions.append(f"{arg.name}[{off}:{off + len(data)}] = {data.hex()}")
            state.x[i] = base
            inputs[arg.name] = [region.initial_byte(k) for k in range(arg.size)]
            if arg.align > 1:
                state.path.append((base & (arg.align - 1)).eq(0))
                assumptions.append(f"{arg.name} is {arg.align}-byte aligned")
            state.path.append(base.ule(2**64 - arg.size))
    assumptions += memory.assumptions()
    assumptions.append("the stack (64 KiB) is not shared with any buffer")
    return state, inputs, assumptions


def _expected(contract: Contract, inputs: Inputs) -> dict[str, Value | list[Value]]:
    expected = contract.spec(inputs)
    for out in contract.outputs:
        key = out.name if isinstance(out, Return) else out.buffer
        if key not in expected:
            raise LnsymError(f"{contract.name}: the spec gives no value for output {key}")
    return expected  # type: ignore[return-value]


def obligations_for(contract: Contract, end: PathEnd, inputs: Inputs, initial: SymState) -> list[Obligation]:
    """Output and frame obligations of one returned path."""
    s = end.state
    expected = _expected(contract, inputs)
    out: list[Obligation] = []
    for o in contract.outputs:
        if isinstance(o, Return):
            spec = lift(expected[o.name], o.width)  # type: ignore[arg-type]
            out.append(Obligation(f"return {o.name}", s.x[0].extract(o.width - 1, 0), spec))
        else:
            region = s.memory.region(o.buffer)
            spec_words = expected[o.buffer]
            if not isinstance(spec_words, list):
                spec_words = [spec_words]
            for k, word in enumerate(spec_words):
                size = word.width // 8
                out.append(Obligation(f"{o.buffer}[{k}]", region.read(k * size, size), word))
    for n in CALLEE_SAVED:
        out.append(Obligation(f"frame: x{n} restored", s.x[n], initial.x[n]))
    for n in range(8, 16):
        out.append(Obligation(f"frame: d{n} restored", lift(s.v[n], 128)[63:0], lift(initial.v[n], 128)[63:0]))
    out.append(Obligation("frame: sp restored", lift(s.sp, 64), lift(initial.sp, 64)))
    return out


class Checker:
    """Discharges obligations: structural identity first, then Z3 with a per-query timeout."""

    def __init__(self, timeout_s: float = 60.0, smt_out: Path | None = None) -> None:
        self.timeout_ms = int(timeout_s * 1000)
        self.smt_out = smt_out
        self.cache: dict[int, object] = {}
        self.anf = ANF()
        self.rng = random.Random(20261125)
        self.normalize = Normalizer()

    def check(self, ob: Obligation, path: list[Term], header: list[str]) -> None:
        start = time.perf_counter()
        impl, spec = lift(ob.implementation, ob.specification.width), lift(ob.specification, ob.implementation.width)
        if impl is spec:
            ob.verdict, ob.method = "proved", "structural"
            ob.seconds = time.perf_counter() - start
            return
        n_impl, n_spec = self.normalize(impl), self.normalize(spec)
        if n_impl is n_spec:
            ob.verdict, ob.method = "proved", "normal-form"
            ob.seconds = time.perf_counter() - start
            return
        claim = impl.eq(spec)
        sample = self._random_difference(impl, spec, path)
        if sample is not None:
            ob.verdict, ob.method, ob.model = "refuted", "random-simulation", sample
            ob.seconds = time.perf_counter() - start
            return
        if self.smt_out is not None:
            self.smt_out.mkdir(parents=True, exist_ok=True)
            fname = self.smt_out / (_safe(header[0]) + "__" + _safe(ob.name) + ".smt2")
            comments = [*header, f"obligation: {ob.name}", "unsat means the obligation holds"]
            fname.write_text(check_script([*path, ~claim], comments))
            ob.smt_file = str(fname)
        if claim.op == "const":
            ob.verdict = "proved" if claim.params[0] else "refuted"
            ob.method = "constant"
            ob.model = {} if ob.verdict == "refuted" else None
            ob.seconds = time.perf_counter() - start
            return
        equal, bit = decide(impl, spec, self.anf)
        if equal:
            ob.verdict, ob.method = "proved", "gf2-anf"
            ob.seconds = time.perf_counter() - start
            return
        if equal is False and bit is not None:
            # the polynomials differ at `bit`: build inputs showing it, checked against the path condition
            env = witness(self.anf, impl, spec, bit)
            if env is not None:
                full = dict.fromkeys(variables([*path, claim]), 0) | env
                if all(evaluate(c, full).val for c in path) and not evaluate(claim, full).val:
                    ob.verdict, ob.method, ob.model = "refuted", "gf2-anf", full
                    ob.seconds = time.perf_counter() - start
                    return
            if self._solve(ob, path, (impl ^ spec)[bit].eq(0), "gf2-anf+z3") == "refuted":
                ob.seconds = time.perf_counter() - start
                return
        self._solve(ob, path, claim, "z3")
        ob.seconds = time.perf_counter() - start

    def _random_difference(self, impl: Term, spec: Term, path: list[Term], tries: int = 16) -> dict[str, int] | None:
        """Evaluate both sides on random inputs satisfying the path condition; return a differing input."""
        names = variables([impl, spec, *path])
        for _ in range(tries):
            env = {n: self.rng.getrandbits(w) for n, w in names.items()}
            for n in env:
                if n.startswith("&"):  # buffer pointers: page aligned, far from wrapping
                    env[n] &= 0x0000_7FFF_FFFF_0000
            if not all(evaluate(c, env).val for c in path):
                continue
            if evaluate(impl, env) != evaluate(spec, env):
                return env
        return None

    def _solve(self, ob: Obligation, path: list[Term], claim: Term, method: str) -> str:
        """Search for a state on ``path`` violating ``claim``; set the obligation's verdict."""
        solver = z3.Solver()
        solver.set("timeout", self.timeout_ms)
        for c in path:
            solver.add(to_z3(c, self.cache) == 1)
        solver.add(to_z3(claim, self.cache) == 0)
        answer = solver.check()
        ob.method = method
        if answer == z3.unsat:
            ob.verdict = "proved"
        elif answer == z3.sat:
            ob.verdict = "refuted"
            model = solver.model()
            names = variables([*path, claim])
            ob.model = {}
            for name, width in names.items():
                value = model.eval(z3.BitVec(name, width), model_completion=True)
                ob.model[name] = value.as_long()
        else:
            ob.verdict = "unknown"
        return ob.verdict


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:80]


def verify(
    contract: Contract, object_override: str | None = None, timeout_s: float = 60.0, smt_out: Path | None = None
) -> Result:
    """Prove or refute ``contract``."""
    from lnsym.loader import load

    start = time.perf_counter()
    image = load(
        contract.object_path(object_override), member=contract.member, symbol=contract.symbol,
        defines=contract.defines or None,
    )
    state, inputs, assumptions = initial_state(contract, image)
    initial = state.copy()
    executor = SymbolicExecutor(_code_memory(image))
    ends = executor.run(state, SENTINEL, max_steps=contract.max_steps)
    result = Result(contract.name, "proved", assumptions, steps=executor.steps, paths=len(ends))
    bad = [e for e in ends if e.reason not in ("returned", "infeasible")]
    if bad:
        result.verdict = "unknown"
        result.detail = "; ".join(f"path {e.reason}: {e.detail}" for e in bad[:3])
        result.seconds = time.perf_counter() - start
        return result
    checker = Checker(timeout_s, smt_out)
    for end in ends:
        if end.reason != "returned":
            continue
        for ob in obligations_for(contract, end, inputs, initial):
            checker.check(ob, end.state.path, [contract.name, *assumptions])
            result.obligations.append(ob)
            if ob.verdict == "refuted":
                result.verdict = "refuted"
                result.counterexample = replay(contract, image, inputs, ob)
                break
            if ob.verdict == "unknown" and result.verdict == "proved":
                result.verdict = "unknown"
                result.detail = f"solver timeout on {ob.name}"
        if result.verdict == "refuted":
            break
    result.seconds = time.perf_counter() - start
    return result


def replay(contract: Contract, image: object, inputs: Inputs, ob: Obligation) -> dict[str, object]:
    """Run the counterexample concretely on lnsym (and Unicorn when installed) and compare with the spec."""
    model = ob.model or {}
    concrete_inputs = Inputs()
    args: list[object] = []
    for arg in contract.args:
        if isinstance(arg, Scalar):
            value = arg.value if arg.value is not None else model.get(arg.name, 0)
            concrete_inputs[arg.name] = BV(arg.width, value)
            args.append(value)
        else:
            data = arg.data
            if data is None:
                fixed = {off + k: b for off, chunk in arg.fixed for k, b in enumerate(chunk)}
                data = bytes(fixed.get(k, model.get(f"{arg.name}[{k}]", 0)) for k in range(arg.size))
            concrete_inputs[arg.name] = [BV(8, b) for b in data]
            args.append(data)
    env = dict(model)
    expected_value = evaluate(lift(ob.specification, ob.specification.width), env) if isinstance(
        ob.specification, Term
    ) else ob.specification
    actual_value = evaluate(lift(ob.implementation, ob.implementation.width), env) if isinstance(
        ob.implementation, Term
    ) else ob.implementation
    report: dict[str, object] = {
        "obligation": ob.name,
        "inputs": {k: (v.as_int() if isinstance(v, BV) else bytes(b.as_int() for b in v).hex())
                   for k, v in concrete_inputs.items()},
        "expected": hex(expected_value.as_int()),
        "symbolic_actual": hex(actual_value.as_int()),
    }
    try:
        from lnsym.replay import replay_concrete

        report.update(replay_concrete(contract, image, concrete_inputs, ob.name))
    except ImportError:  # pragma: no cover
        pass
    return report
