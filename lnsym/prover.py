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
from lnsym import polar
from lnsym.anf import ANF, decide, witness
from lnsym.chain import anf_chain, export_chain
from lnsym.columns import ColumnDecider, export
from lnsym.contract import Buffer, Contract, Inputs, Return, Scalar
from lnsym.errors import LnsymError
from lnsym.image import Image
from lnsym.lowdegree import decide as low_degree_decide
from lnsym.memory import Memory
from lnsym.normalize import Normalizer
from lnsym.randsim import PathSimulator
from lnsym.sweep import Sweeper
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


USER_SPACE_END = 1 << 48  # AArch64 Linux user virtual addresses (48-bit VA) are below this


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
    for g in contract.ghosts:
        inputs[g.name] = var(g.name, g.width)
    for i, arg in enumerate(contract.args):
        if isinstance(arg, Scalar):
            value = var(arg.name, arg.width) if arg.value is None else BV(arg.width, arg.value)
            state.x[i] = value.zext(64)
            inputs[arg.name] = value
            if arg.value is not None:
                assumptions.append(f"{arg.name} = {arg.value}")
        else:
            base = var(f"&{arg.name}", 64)
            fixed: dict[int, int | Value] = {off + k: b for off, data in arg.fixed for k, b in enumerate(data)}
            if arg.derived is not None:
                fixed.update(enumerate(_derived_bytes(arg, inputs)))
            region = memory.add(SymRegion(arg.name, base, arg.size, arg.writable, arg.data, fixed))
            for off, data in arg.fixed:
                assumptions.append(f"{arg.name}[{off}:{off + len(data)}] = {data.hex()}")
            state.x[i] = base
            inputs[arg.name] = [region.initial_byte(k) for k in range(arg.size)]
            if arg.align > 1:
                state.path.append((base & (arg.align - 1)).eq(0))
                assumptions.append(f"{arg.name} is {arg.align}-byte aligned")
            state.path.append(base.ule(USER_SPACE_END - arg.size))  # a user-space object, no wrap-around
            state.path.append(base.ne(0))  # a C pointer to an object is not NULL
    if any(not isinstance(arg, Scalar) for arg in contract.args):
        assumptions.append("buffer pointers are not NULL, and buffers lie below 2^48 (the AArch64 user address space)")
    assumptions += memory.assumptions()
    assumptions.append("the stack (64 KiB) is not shared with any buffer")
    return state, inputs, assumptions


def _derived_bytes(arg: Buffer, inputs: Inputs) -> list[Value]:
    """A derived buffer's initial bytes, checked to be ``size`` 8-bit values."""
    data = list(arg.derived(inputs))  # type: ignore[misc]
    if len(data) != arg.size or any(lift(b, 8).width != 8 for b in data):
        raise LnsymError(f"buffer {arg.name}: derived contents must be {arg.size} 8-bit values")
    return data


def concrete_inputs(contract: Contract, model: dict[str, int]) -> Inputs:
    """The contract's inputs as a model gives them: ghosts and scalars (fixed values as stated), buffers from
    their derivation, their fixed data, or the model's bytes (``name[k]``) over the fixed ones."""
    inputs = Inputs()
    for g in contract.ghosts:
        inputs[g.name] = BV(g.width, model.get(g.name, 0))
    for arg in contract.args:
        if isinstance(arg, Scalar):
            inputs[arg.name] = BV(arg.width, arg.value if arg.value is not None else model.get(arg.name, 0))
        elif arg.derived is not None:
            inputs[arg.name] = [BV(8, lift(b, 8).as_int()) for b in _derived_bytes(arg, inputs)]
        elif arg.data is not None:
            inputs[arg.name] = [BV(8, b) for b in arg.data]
        else:
            fixed = {off + k: b for off, chunk in arg.fixed for k, b in enumerate(chunk)}
            inputs[arg.name] = [BV(8, fixed.get(k, model.get(f"{arg.name}[{k}]", 0))) for k in range(arg.size)]
    return inputs


def _expected(contract: Contract, inputs: Inputs) -> dict[str, Value | list[Value]]:
    try:
        expected = contract.spec(inputs)
    except LnsymError:
        raise
    except Exception as exc:  # a user's spec: one line naming the contract, not a traceback
        raise LnsymError(f"{contract.name}: the spec raised {type(exc).__name__}: {exc}") from None
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
        self.simulator = PathSimulator(self.rng)
        self.normalize = Normalizer()
        self.columns = ColumnDecider()
        self.sweeper = Sweeper(timeout_ms=min(self.timeout_ms, 2000))
        self.siblings: list[Obligation] = []  # the obligations of the path being checked
        self._low: dict[int, tuple[list[Term], set[tuple[int, int]]]] = {}

    def _low_degree(self, impl: Term, spec: Term, path: list[Term]) -> bool:
        """Proved by :mod:`lnsym.lowdegree`, which checks the GF(2) obligations of a path together (one
        evaluation of their shared DAG)."""
        if id(path) not in self._low:
            pairs = []
            for o in self.siblings:
                i, s = lift(o.implementation, o.specification.width), lift(o.specification, o.implementation.width)
                if i is not s and o.verdict == "pending":
                    pairs.append((i, s))
            proved = low_degree_decide(pairs, path) if pairs else None
            self._low[id(path)] = (path, {(i.serial, s.serial) for i, s in pairs} if proved else set())
        return (impl.serial, spec.serial) in self._low[id(path)][1]

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
            ob.model = self._path_model(path) if ob.verdict == "refuted" else None  # wrong all along this path
            ob.seconds = time.perf_counter() - start
            return
        if self._low_degree(impl, spec, path):
            ob.verdict, ob.method = "proved", "gf2-low-degree"
            ob.seconds = time.perf_counter() - start
            return
        if self.sweeper.deep(impl, spec) and self.sweeper.prove(impl, spec, path):
            # too deep for ANF (Keccak's 24 rounds of chi): cut points proved locally, lnsym.sweep
            ob.verdict, ob.method = "proved", "sweep"
            ob.seconds = time.perf_counter() - start
            return
        equal, bit = decide(impl, spec, self.anf)
        if equal:
            ob.verdict, ob.method = "proved", "gf2-anf"
            ob.seconds = time.perf_counter() - start
            return
        if equal is False and bit is not None:
            if self.anf.opaque and self.columns(impl, spec, path)[0]:  # ANF gave up or abstracted: split
                ob.verdict, ob.method = "proved", "gf2-anf-columns"
                ob.seconds = time.perf_counter() - start
                return
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

    def _random_difference(self, impl: Term, spec: Term, path: list[Term]) -> dict[str, int] | None:
        """Evaluate both sides on random inputs satisfying the path condition (samples and node values
        shared by the obligations of a path, :mod:`lnsym.randsim`); return a differing input."""
        return self.simulator.difference(impl, spec, path)

    def _path_model(self, path: list[Term]) -> dict[str, int]:
        """Values of the path condition's variables that satisfy it (Z3), so that a replay takes this path;
        buffer addresses (``&name``) are first sought below 2^47, where a replay can map them."""
        names = variables(path)
        solver = z3.Solver()
        solver.set("timeout", self.timeout_ms)
        for c in path:
            solver.add(to_z3(c, self.cache) == 1)
        low = [z3.ULT(z3.BitVec(n, 64), 1 << 47) for n in names if n.startswith("&")]
        if solver.check(*low) != z3.sat and (not low or solver.check() != z3.sat):
            return {}
        model = solver.model()
        return {n: model.eval(z3.BitVec(n, w), model_completion=True).as_long() for n, w in names.items()}

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


def where(image: Image, address: int) -> str:
    """``function+0xoff`` for a code address."""
    name = image.function_at(address)
    return f"{name}+{address - image.function(name)[0]:#x}" if name else "no symbol"


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:80]


def verify(
    contract: Contract, object_override: str | None = None, timeout_s: float = 60.0, smt_out: Path | None = None,
    image: Image | None = None, loop_limit: int | None = 64,
) -> Result:
    """Prove or refute ``contract``; ``image`` (e.g. a patched copy, see :mod:`lnsym.mutate`) replaces loading
    the contract's object."""
    from lnsym.loader import load
    from lnsym.oob import refute as out_of_bounds

    start = time.perf_counter()
    if image is None:
        image = load(
            contract.object_path(object_override), member=contract.member, symbol=contract.symbol,
            defines=contract.defines or None,
        )
    state, inputs, assumptions = initial_state(contract, image)
    initial = state.copy()
    executor = SymbolicExecutor(_code_memory(image), loop_limit=loop_limit, where=lambda a: where(image, a))
    ends = executor.run(state, SENTINEL, max_steps=contract.max_steps)
    result = Result(contract.name, "proved", assumptions, steps=executor.steps, paths=len(ends))
    bad = [e for e in ends if e.reason not in ("returned", "infeasible")]
    if bad:
        result.verdict = "unknown"
        bad.sort(key=lambda e: e.reason != "needs-invariant")  # the loop, not the paths it spawned, first
        result.detail = "; ".join(e.detail if e.reason == "needs-invariant" else f"path {e.reason}: {e.detail}"
                                  for e in bad[:3])
        wrong = _refute_returned(contract, ends, inputs, initial, Checker(timeout_s))
        if wrong is not None:  # a returned path computes a wrong output: that stands whatever the other paths do
            result.verdict, result.obligations = "refuted", [wrong]
            result.counterexample = replay(contract, image, inputs, wrong)
        elif (oob := out_of_bounds(contract, image, bad, timeout_s)) is not None:  # a genuine memory-safety bug
            result.verdict, (result.detail, result.counterexample) = "refuted", oob
        result.seconds = time.perf_counter() - start
        return result
    checker = Checker(timeout_s, smt_out)
    for end in ends:
        if end.reason != "returned":
            continue
        path_obligations = obligations_for(contract, end, inputs, initial)
        checker.siblings = path_obligations
        for ob in path_obligations:
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
        if smt_out is not None:
            _export_proofs(path_obligations, end.state.path, [contract.name, *assumptions], checker,
                           smt_out / f"{_safe(contract.name)}__path{ends.index(end)}")
    result.seconds = time.perf_counter() - start
    return result


def _export_proofs(obligations: list[Obligation], path: list[Term], header: list[str], checker: Checker,
                   base: Path) -> None:
    """Re-checkable artifacts for the proofs a second solver cannot redo whole (their ``smt_file`` then names
    a folder whose files must all be unsat): lemma chains (:mod:`lnsym.chain`) for cut-point sweeps, normal
    forms with opaque leaves and normal-form rewriting; column decompositions for GF(2) obligations affine in
    some inputs (:mod:`lnsym.columns`), after renaming a key they are quadratic in (:mod:`lnsym.polar`).
    Normal-form proofs without a chain get their whole file."""
    def pairs(method: tuple[str, ...]) -> list[Obligation]:
        return [o for o in obligations if o.verdict == "proved" and o.method in method]

    def name(o: Obligation) -> str:
        return f"obligation {o.name}"

    def sides(obs: list[Obligation]) -> list[tuple[str, Term, Term]]:
        return [(name(o), lift(o.implementation, o.specification.width), lift(o.specification, o.implementation.width))
                for o in obs]

    def point(obs: list[Obligation], folder: Path | None) -> None:
        for o in obs:
            o.smt_file = str(folder) if folder is not None else o.smt_file

    swept = pairs(("sweep",))
    if swept:
        point(swept, export_chain(checker.sweeper.chain(), path, header, base.with_name(base.name + "_sweep")))
    gf2 = pairs(("gf2-anf",))
    chain = anf_chain(sides(gf2)) if gf2 else None
    if chain is not None and chain.definitions:
        point(gf2, export_chain(chain, path, header, base.with_name(base.name + "_anf")))
        gf2 = []
    columns = gf2 + pairs(("gf2-anf-columns", "gf2-low-degree"))
    folder = polar.export(header[0], sides(columns), path, header, base.with_name(base.name + "_polar")) \
        if columns else None
    if folder is not None:
        point(columns, folder)
        columns = []
    elif len(columns) > 1:  # some may be quadratic in the key, others not (or of higher degree)
        rest, proved = [], sides([o for o in obligations if o.verdict == "proved"])
        for o in columns:  # of higher degree: after cuts at the other proved obligations (lnsym.polar.cut)
            one = polar.export(header[0], sides([o]), path, header,
                               base.with_name(f"{base.name}_polar_{_safe(o.name)}"), proved)
            if one is None:
                rest.append(o)
            point([o], one)
        columns = rest
    if columns:  # not of degree 2 in a key (or not polarizable): columns in the data only
        point(columns, export(header[0], sides(columns), path, header, base.with_name(base.name + "_columns")))
    rewritten = pairs(("normal-form",))
    if rewritten:
        sweeper = Sweeper(keying="normal-form")
        if all(sweeper.prove(i, s, path) for _, i, s in sides(rewritten)):
            point(rewritten, export_chain(sweeper.chain(), path, header, base.with_name(base.name + "_nf")))
        else:
            base.parent.mkdir(parents=True, exist_ok=True)
            for o, (_, i, s) in zip(rewritten, sides(rewritten)):
                fname = base.with_name(f"{_safe(header[0])}__{_safe(o.name)}.smt2")
                fname.write_text(check_script([*path, ~i.eq(s)], [*header, f"obligation: {o.name}",
                                                                   "unsat means the obligation holds"]))
                o.smt_file = str(fname)


def _refute_returned(contract: Contract, ends: list[PathEnd], inputs: Inputs, initial: SymState,
                     checker: Checker) -> Obligation | None:
    """An obligation of a returned path that random simulation refutes (no solver: the verdict is unknown anyway
    unless a refutation turns up), for routines some of whose paths could not be followed."""
    for end in ends:
        if end.reason != "returned":
            continue
        for ob in obligations_for(contract, end, inputs, initial):
            impl = lift(ob.implementation, ob.specification.width)
            spec = lift(ob.specification, ob.implementation.width)
            if impl is spec:
                continue
            sample = checker._random_difference(impl, spec, end.state.path)
            if sample is not None:
                ob.verdict, ob.method, ob.model = "refuted", "random-simulation", sample
                return ob
    return None


def replay(contract: Contract, image: object, inputs: Inputs, ob: Obligation) -> dict[str, object]:
    """Run the counterexample concretely on lnsym (and Unicorn when installed) and compare with the spec."""
    model = ob.model or {}
    concrete = concrete_inputs(contract, model)
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
                   for k, v in concrete.items()},
        "expected": hex(expected_value.as_int()),
        "symbolic_actual": hex(actual_value.as_int()),
    }
    try:
        from lnsym.replay import replay_concrete

        report.update(replay_concrete(contract, image, concrete, ob.name, model))
    except ImportError:  # pragma: no cover
        pass
    return report
