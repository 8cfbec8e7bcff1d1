"""The prover: run a contract's routine symbolically, state each output as an obligation against the
spec, and discharge it -- structurally when both sides are the same term, otherwise with Z3.

Verdicts are honest: **proved** only when every obligation holds for all inputs satisfying the
stated assumptions; **refuted** with a counterexample that is replayed concretely; **unknown**
with the reason (solver timeout, unsupported instruction, path limit).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from bitvec import BV, Value, concat, var
from bitvec.smtlib import check_script
from bitvec.term import Term, evaluate, lift
from bitvec.term import release as release_terms
from lnsym.errors import LnsymError
from lnsym.load.image import Image, where
from lnsym.load.loader import load
from lnsym.machine.layout import (
    CALLEE_SAVED_X,
    CALLER_FRAME,
    ENTRY_SP,
    PLATFORM_REGISTER,
    SENTINEL,
    STACK_BASE,
    STACK_SIZE,
)
from lnsym.machine.memory import Memory
from lnsym.prove import polar, watch
from lnsym.prove.chain import anf_chain, export_chain
from lnsym.prove.columns import export
from lnsym.prove.contract import (
    Buffer,
    BufferOut,
    Contract,
    Inputs,
    Return,
    Scalar,
    check_contract,
    region_writable,
    shared_region,
)
from lnsym.prove.oob import refute as out_of_bounds
from lnsym.prove.procedures import Checker, Method, Verdict, safe
from lnsym.prove.replay import concrete_inputs, derived_bytes, replay_concrete
from lnsym.prove.sweep import Sweeper
from lnsym.symbolic.executor import SymbolicExecutor
from lnsym.symbolic.memory import SymMemory, SymRegion
from lnsym.symbolic.state import PathEnd, PathEndReason, SymState


@dataclass
class Obligation:
    name: str
    implementation: Value
    specification: Value
    verdict: Verdict = Verdict.PENDING
    method: Method | None = None  # what decided it
    seconds: float = 0.0
    model: dict[str, int] | None = None
    smt_file: str | None = None
    recheck: str = ""  # "<solver>:<answer>" when re-checked by a second solver


@dataclass
class Result:
    contract: str
    verdict: Verdict
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
                {"name": o.name, "verdict": o.verdict, "method": o.method or "", "seconds": round(o.seconds, 3),
                 "smt_file": o.smt_file, "recheck": o.recheck}
                for o in self.obligations
            ],
            "counterexample": self.counterexample,
        }


def code_memory(image: object) -> Memory:
    mem = Memory()
    for seg in image.segments:  # type: ignore[attr-defined]
        mem.map(seg.start, len(seg.data), seg.perms or "r", seg.name, bytes(seg.data))
    return mem


USER_SPACE_END = 1 << 48  # AArch64 Linux user virtual addresses (48-bit VA) are below this
TERMS_KEPT = 2_000_000  # terms kept across routines (about 0.6 GB) before the prover releases them
PAC_BTI_FEATURES = ("FEAT_PAuth", "FEAT_BTI")  # hint encodings lnsym executes as NOPs (isa/system.py)


def _argument_register(arg: Scalar, value: Value, unspecified_upper: bool) -> Value:
    """X<n> for a scalar argument: a narrower one's upper bits are unspecified by AAPCS64 (6.8.2: the callee
    extends a narrow integral argument), so they are a fresh variable ``<name>@hi``."""
    if arg.width == 64:
        return value
    if not unspecified_upper:
        return value.zext(64)
    return concat(var(f"{arg.name}@hi", 64 - arg.width), value)


def initial_state(contract: Contract, image: object, unspecified_upper: bool = True,
                  ) -> tuple[SymState, Inputs, list[str]]:
    """The symbolic call: arguments in X0..X7 (a narrow scalar's upper bits fresh, ``<name>@hi``, unless
    ``unspecified_upper`` is False: then zero-extended, as :mod:`lnsym.check.consistency` wants for its cross-check
    against concrete runs), named inputs, buffers (an ``alias_of`` buffer shares the other's region), a 64 KiB
    stack with SP 256 bytes below its top (the bytes above are the caller's frame: readable, never to be
    written), FPCR = FPSR = 0, the sentinel return address in X30; and the assumptions this states."""
    memory = SymMemory()
    for seg in image.segments:  # type: ignore[attr-defined]
        memory.add(SymRegion(seg.name, BV(64, seg.start), len(seg.data), "w" in seg.perms, bytes(seg.data)))
    memory.add(SymRegion("stack", BV(64, STACK_BASE), STACK_SIZE))
    state = SymState(pc=image.address(contract.symbol), memory=memory)  # type: ignore[attr-defined]
    state.sp = BV(64, ENTRY_SP)
    state.x = [var(f"x{i}_in", 64) for i in range(31)]
    state.v = [var(f"v{i}_in", 128) for i in range(32)]
    state.flags = var("nzcv_in", 4)
    state.x[30] = BV(64, SENTINEL)
    state.sysregs["FPCR"], state.sysregs["FPSR"] = BV(64, 0), BV(64, 0)  # stated in entry_assumptions
    inputs = Inputs()
    if len(contract.args) > 8:
        raise LnsymError(f"{contract.name}: more than 8 register arguments")
    for g in contract.ghosts:
        inputs[g.name] = var(g.name, g.width)
    for i, arg in enumerate(contract.args):
        if isinstance(arg, Scalar):
            value = var(arg.name, arg.width) if arg.value is None else BV(arg.width, arg.value)
            state.x[i] = _argument_register(arg, value, unspecified_upper)
            inputs[arg.name] = value
        elif arg.alias_of is None:
            base = var(f"&{arg.name}", 64)
            fixed: dict[int, int | Value] = {off + k: b for off, data in arg.fixed for k, b in enumerate(data)}
            if arg.derived is not None:
                fixed.update(enumerate(derived_bytes(arg, inputs)))
            writable = region_writable(contract, arg.name)
            region = memory.add(SymRegion(arg.name, base, arg.size, writable, arg.data, fixed))
            state.x[i] = base
            inputs[arg.name] = [region.initial_byte(k) for k in range(arg.size)]
            if arg.align > 1:
                state.path.append((base & (arg.align - 1)).eq(0))
            state.path.append(base.ule(USER_SPACE_END - arg.size))  # a user-space object, no wrap-around
            state.path.append(base.ne(0))  # a C pointer to an object is not NULL
    for i, arg in enumerate(contract.args):  # in-place use: the other buffer's pointer, region and bytes
        if isinstance(arg, Buffer) and arg.alias_of is not None:
            if arg.alias_of not in inputs or isinstance(inputs[arg.alias_of], Value):
                raise LnsymError(f"{contract.name}: buffer {arg.name} aliases {arg.alias_of}, which is not a buffer")
            state.x[i] = memory.region(arg.alias_of).base
            inputs[arg.name] = inputs[arg.alias_of]
    return state, inputs, entry_assumptions(contract, image, memory)


def _restated(core: str, preconditions: list[str]) -> bool:
    """Does a precondition already say ``core`` (e.g. ``one block (num = 1)`` says ``num = 1``)?"""
    pattern = re.compile(rf"(?<![\w>.]){re.escape(core)}(?![\w])")
    return any(pattern.search(p) for p in preconditions)


def _shown(data: bytes) -> str:
    return data.hex() if len(data) <= 32 else f"{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}"


def entry_assumptions(contract: Contract, image: object, memory: SymMemory) -> list[str]:
    """Every assumption the symbolic call makes, in order and without repeats: the contract's preconditions,
    fixed scalars, fixed/derived buffer contents, alignment, aliases, outputs compared in part, the memory
    layout (non-NULL, below 2^48, disjoint), the stack, ``defines`` and zero-filled undefined symbols, FPCR/FPSR
    at entry and the image's fixed addresses."""
    pre = list(contract.preconditions)
    out = list(pre)

    def state(core: str, note: str = "") -> None:
        if not _restated(core, pre):
            out.append(core + note)

    for arg in contract.args:
        if isinstance(arg, Scalar) and arg.value is not None:
            state(f"{arg.name} = {arg.value}")
    buffers = [a for a in contract.args if isinstance(a, Buffer)]
    for arg in buffers:
        if arg.data is not None:
            out.append(f"{arg.name} holds fixed contents (data=): {_shown(arg.data)}")
        for off, data in arg.fixed:
            state(f"{arg.name}[{off}:{off + len(data)}] = {data.hex()}")
        if arg.derived is not None:
            how = getattr(arg.derived, "__qualname__", type(arg.derived).__name__)
            out.append(f"{arg.name} holds {how}(inputs): derived= from the other inputs, not free")
        if arg.align > 1:
            out.append(f"{arg.name} is {arg.align}-byte aligned")
        if arg.alias_of is not None:
            out.append(f"{arg.name} and {arg.alias_of} are one buffer (in-place call: the same pointer, the same "
                       f"{arg.size} bytes; not disjoint)")
    sizes = {a.name: a.size for a in buffers}
    for o in contract.outputs:
        if isinstance(o, BufferOut) and o.buffer in sizes:
            offset, count = o.span(sizes[o.buffer])
            if offset or offset + count * o.element != sizes[o.buffer]:
                out.append(f"only bytes [{offset}, {offset + count * o.element}) of {o.buffer} are compared "
                           f"(BufferOut offset/count; the rest of its {sizes[o.buffer]} bytes is not checked)")
    if buffers:
        out.append("buffer pointers are not NULL, and buffers lie below 2^48 (the AArch64 user address space)")
    out += memory.assumptions()
    out.append("the stack (64 KiB) is not shared with any buffer")
    for sym, value in contract.defines.items():
        if isinstance(value, int):
            state(f"{sym} = {value:#x}", " before the call (defines=)")
        else:
            out.append(f"{sym} holds {_shown(value)} before the call (defines=)")
    zeros = list(getattr(image, "zero_filled", []))
    if zeros:
        names, each = (f"symbols {', '.join(zeros)}", " each") if len(zeros) > 1 else (f"symbol {zeros[0]}", "")
        out.append(f"undefined {names}: 16 zero bytes{each} (not linked: the loader's zero-filled storage)")
    out.append("FPCR = 0 and FPSR = 0 at entry (round to nearest, no flush-to-zero, no default NaN, flags clear)")
    starts = [seg.start for seg in image.segments]  # type: ignore[attr-defined]
    if starts:
        out.append(f"code and data at the loader's fixed addresses (from {min(starts):#x}; a relocatable object "
                   "is placed as lnsym lays it out)")
    written = [seg.name for seg in image.segments if seg.kind in ("data", "common", "load")  # type: ignore
               and "w" in seg.perms and any(seg.data)]
    if written:
        out.append(f"writable data ({', '.join(written)}) holds the object's initial contents at the call")
    return list(dict.fromkeys(out))


def executed_hint_assumptions(executor: SymbolicExecutor) -> list[str]:
    """The pointer-authentication and BTI hints the symbolic run executed (PACIASP, AUTIASP, AUTIBSP, BTI ...),
    which lnsym runs as NOPs (a CPU without FEAT_PAuth, BTI not enforced; isa/system.py): on a CPU with PAuth
    a mismatched sign/authenticate pair would fault at the return, so the proof assumes they are NOPs."""
    met: dict[str, list[int]] = {}
    for pc in sorted(executor._decoded):
        pattern = executor.decoder.lookup(executor.code.read_int(pc, 4, "fetch"))  # decoded once: it decodes
        if pattern.feature in PAC_BTI_FEATURES:
            met.setdefault(pattern.mnemonic, []).append(pc)
    if not met:
        return []
    seen = ", ".join(f"{name} at {', '.join(f'{pc:#x}' for pc in pcs[:3])}{' ...' if len(pcs) > 3 else ''}"
                     for name, pcs in met.items())
    return [f"pointer-authentication/BTI hints executed as NOPs (no FEAT_PAuth, BTI not enforced): {seen}"]


def _expected(contract: Contract, inputs: Inputs) -> dict[str, Value | list[Value]]:
    """The spec's outputs, each in its declared shape (:func:`lnsym.prove.contract.check_contract` checks it before
    the run; a spec whose shape depends on the inputs is caught here)."""
    try:
        expected = contract.spec(inputs)
    except LnsymError:
        raise
    except Exception as exc:  # a user's spec: one line naming the contract, not a traceback
        raise LnsymError(f"{contract.name}: the spec raised {type(exc).__name__}: {exc}") from None
    sizes = {a.name: a.size for a in contract.args if isinstance(a, Buffer)}
    for out in contract.outputs:
        key = out.name if isinstance(out, Return) else out.buffer
        if key not in expected:
            raise LnsymError(f"{contract.name}: the spec gives no value for output {key}")
        if isinstance(out, BufferOut):
            value = expected[key]
            values = list(value) if isinstance(value, list | tuple) else [value]
            count = out.span(sizes[key])[1]
            if len(values) != count or any(lift(v, 8 * out.element).width != 8 * out.element for v in values):
                raise LnsymError(f"{contract.name}: the spec must give {count} value(s) of {8 * out.element} bits "
                                 f"for output {key}, not {len(values)}")
            expected[key] = values
    return expected  # type: ignore[return-value]


def obligations_for(contract: Contract, end: PathEnd, inputs: Inputs, initial: SymState,
                    expected: dict[str, Value | list[Value]] | None = None) -> list[Obligation]:
    """Output and frame obligations of one returned path: the outputs; X19-X29, D8-D15, SP restored (AAPCS64
    6.1.1, 6.1.2); X18 preserved (the platform register: lnsym's policy is Apple's and Windows', which reserve
    it, and OpenSSL's, which never touches it); FPCR restored and TPIDR_EL0 preserved; no store to the caller's
    frame (at and above the entry SP); each writable image segment the path wrote (.data, .bss, undefined-
    symbol storage) unchanged."""
    s = end.state
    if expected is None:  # the contract's spec (a loop proof gives the fold's outputs instead)
        expected = _expected(contract, inputs)
    sizes = {a.name: a.size for a in contract.args if isinstance(a, Buffer)}
    out: list[Obligation] = []
    for o in contract.outputs:
        if isinstance(o, Return):
            spec = lift(expected[o.name], o.width)  # type: ignore[arg-type]
            out.append(Obligation(f"return {o.name}", s.x[0].extract(o.width - 1, 0), spec))
        else:
            region = s.memory.region(shared_region(contract, o.buffer))
            offset = o.span(sizes[o.buffer])[0]
            for k, word in enumerate(expected[o.buffer]):  # type: ignore[arg-type]
                out.append(Obligation(f"{o.buffer}[{k}]", region.read(offset + k * o.element, o.element),
                                      lift(word, 8 * o.element)))
    for n in CALLEE_SAVED_X:
        out.append(Obligation(f"frame: x{n} restored", s.x[n], initial.x[n]))
    out.append(Obligation(f"frame: x{PLATFORM_REGISTER} preserved", s.x[PLATFORM_REGISTER],
                          initial.x[PLATFORM_REGISTER]))
    for n in range(8, 16):
        out.append(Obligation(f"frame: d{n} restored", lift(s.v[n], 128)[63:0], lift(initial.v[n], 128)[63:0]))
    out.append(Obligation("frame: sp restored", lift(s.sp, 64), lift(initial.sp, 64)))
    out.append(Obligation("frame: fpcr restored", lift(s.sysregs["FPCR"], 64), lift(initial.sysregs["FPCR"], 64)))
    out.append(Obligation("frame: tpidr_el0 preserved", lift(s.sysregs["TPIDR_EL0"], 64),
                          lift(initial.sysregs["TPIDR_EL0"], 64)))
    out += _memory_frame_obligations(contract, s)
    return out


def _memory_frame_obligations(contract: Contract, s: SymState) -> list[Obligation]:
    """A store into the caller's frame is an obligation that fails on its path (constant false: any store
    there breaks the caller, whatever it stores); a written writable image segment must end as it began."""
    out: list[Obligation] = []
    frame = sorted(off for off in s.memory.region("stack").owner if off >= CALLER_FRAME)
    if frame:
        out.append(Obligation(f"frame: no store to the caller's frame (entry SP + {frame[0] - CALLER_FRAME:#x}, "
                              f"{len(frame)} byte(s) written at and above the entry SP)", BV(1, 0), BV(1, 1)))
    buffers = {a.name for a in contract.args if isinstance(a, Buffer)}
    for region in s.memory.regions:
        if region.name in buffers or region.name == "stack" or not region.writable or not region.owner:
            continue
        written = sorted(region.owner)
        out.append(Obligation(f"frame: {region.name} unchanged",
                              concat(*[region.byte(off) for off in reversed(written)]),
                              concat(*[region.initial_byte(off) for off in reversed(written)])))
    return out


def verify(
    contract: Contract, object_override: str | None = None, timeout_s: float = 60.0, smt_out: Path | None = None,
    image: Image | None = None, loop_limit: int | None = 64, budget_s: float | None = None,
) -> Result:
    """Prove or refute ``contract``; ``image`` (e.g. a patched copy, see :mod:`lnsym.check.mutants`) replaces loading
    the contract's object.  After ``budget_s`` seconds (all of it: execution, obligations, exports) the verdict
    is unknown, naming what was being done (:mod:`lnsym.prove.watch`); the obligations decided so far are kept.

    ``smt_out`` files and folders are named ``<contract>__path<k>__<obligation>`` (``k``: the path's index)."""
    start = time.perf_counter()
    result = Result(contract.name, Verdict.PROVED, [])
    try:
        with watch.routine(budget_s):
            _verify(contract, object_override, timeout_s, smt_out, image, loop_limit, result)
    except watch.BudgetExceeded:
        watch.reset()
        result.verdict = Verdict.UNKNOWN
        result.detail = (f"budget of {budget_s:g}s per routine exhausted while {watch.doing()} "
                         f"({sum(o.verdict == 'proved' for o in result.obligations)} obligations proved so far)")
    result.seconds = time.perf_counter() - start
    release_terms(above=TERMS_KEPT)  # bounded memory; what the result refers to stays
    return result


def _verify(contract: Contract, object_override: str | None, timeout_s: float, smt_out: Path | None,
            image: Image | None, loop_limit: int | None, result: Result) -> None:
    """:func:`verify`, filling in ``result`` as it goes."""

    watch.note("loading the object")
    check_contract(contract)  # before any symbolic execution: a malformed contract is one LnsymError
    if image is None:
        image = load(
            contract.object_path(object_override), member=contract.member, symbol=contract.symbol,
            defines=contract.defines or None,
        )
    state, inputs, assumptions = initial_state(contract, image)
    initial = state.copy()
    result.assumptions = assumptions
    executor = SymbolicExecutor(code_memory(image), loop_limit=loop_limit, where=lambda a: where(image, a))
    watch.note("executing the routine symbolically")
    ends = executor.run(state, SENTINEL, max_steps=contract.max_steps)
    assumptions += executed_hint_assumptions(executor)  # PAC/BTI hints met on the run, executed as NOPs
    result.steps, result.paths = executor.steps, len(ends)
    bad = [e for e in ends if e.reason not in (PathEndReason.RETURNED, PathEndReason.INFEASIBLE)]
    if bad:
        result.verdict = Verdict.UNKNOWN
        loop = PathEndReason.NEEDS_INVARIANT
        bad.sort(key=lambda e: e.reason != loop)  # the loop, not the paths it spawned, first
        result.detail = "; ".join(e.detail if e.reason == loop else f"path {e.reason}: {e.detail}" for e in bad[:3])
        if any(e.reason == loop for e in bad):
            target = str(contract.origin) if contract.origin is not None else contract.name
            result.detail += ("; every iteration count needs a proof by induction: `lnsym prove --template "
                              f"{target}` writes a starting proof script, `lnsym prove SCRIPT.py` runs it "
                              "(see programs/proofs/)")
        watch.note("searching the returned paths for a refutation")
        wrong = _refute_returned(contract, ends, inputs, initial, Checker(timeout_s))
        if wrong is not None:  # a returned path computes a wrong output: that stands whatever the other paths do
            result.verdict, result.obligations = Verdict.REFUTED, [wrong]
            result.counterexample = replay(contract, image, inputs, wrong)
        elif (oob := out_of_bounds(contract, image, bad, timeout_s)) is not None:  # a genuine memory-safety bug
            result.verdict, (result.detail, result.counterexample) = Verdict.REFUTED, oob
        return
    checker = Checker(timeout_s, smt_out)
    returned = sum(e.reason == PathEndReason.RETURNED for e in ends)
    for index, end in enumerate(ends):
        if end.reason != PathEndReason.RETURNED:
            continue
        path_obligations = obligations_for(contract, end, inputs, initial)
        checker.siblings, checker.path_index = path_obligations, index
        for k, ob in enumerate(path_obligations):
            watch.note(f"checking obligation {ob.name!r} of path {index} ({k}/{len(path_obligations)} of this "
                       f"path's obligations done, {returned} returned paths)")
            checker.check(ob, end.state.path, [contract.name, *assumptions])
            result.obligations.append(ob)
            if ob.verdict == Verdict.REFUTED:
                result.verdict = Verdict.REFUTED
                watch.note(f"replaying the counterexample of {ob.name!r}")
                result.counterexample = replay(contract, image, inputs, ob)
                break
            if ob.verdict == Verdict.UNKNOWN and result.verdict == Verdict.PROVED:
                result.verdict = Verdict.UNKNOWN
                result.detail = f"solver timeout on {ob.name}"
        if result.verdict == Verdict.REFUTED:
            break
        if smt_out is not None:
            watch.note(f"exporting the proofs of path {index} as SMT-LIB2")
            export_proofs(path_obligations, end.state.path, [contract.name, *assumptions], checker,
                           smt_out / f"{safe(contract.name)}__path{index}")


#: cut expansions per local claim when a normal-form proof is exported as a lemma chain (8 left 28 of the bundled
#: aes128_expand_key_ce's obligations without a chain once rotations of concatenations were normalised)
NF_CHAIN_EXPANSIONS = 32


def export_proofs(obligations: list[Obligation], path: list[Term], header: list[str], checker: Checker,
                   base: Path, lemmas_per_file: int = 64) -> None:
    """Re-checkable artifacts for the proofs a second solver cannot redo whole (their ``smt_file`` then names
    a folder whose files must all be unsat): lemma chains (:mod:`lnsym.prove.chain`) for cut-point sweeps, normal
    forms with opaque leaves and normal-form rewriting; column decompositions for GF(2) obligations affine in
    some inputs (:mod:`lnsym.prove.columns`), after renaming a key they are quadratic in (:mod:`lnsym.prove.polar`).
    Normal-form proofs without a chain get their whole file.  ``lemmas_per_file``: at most that many lemmas
    of a sweep or normal-form chain per file (a disjunction of many lemmas can be much harder for a second
    solver than each one; GF(2) chains keep files of 64)."""
    def pairs(method: tuple[Method, ...]) -> list[Obligation]:
        return [o for o in obligations if o.verdict == Verdict.PROVED and o.method in method]

    def name(o: Obligation) -> str:
        return f"obligation {o.name}"

    def sides(obs: list[Obligation]) -> list[tuple[str, Term, Term]]:
        return [(name(o), lift(o.implementation, o.specification.width), lift(o.specification, o.implementation.width))
                for o in obs]

    def point(obs: list[Obligation], folder: Path | None) -> None:
        for o in obs:
            o.smt_file = str(folder) if folder is not None else o.smt_file

    swept = pairs((Method.SWEEP,))
    if swept:
        point(swept, export_chain(checker.sweeper.chain(), path, header, base.with_name(base.name + "_sweep"),
                                  lemmas_per_file))
    gf2 = pairs((Method.GF2_ANF,))
    chain = anf_chain(sides(gf2)) if gf2 else None
    if chain is not None and chain.definitions:
        point(gf2, export_chain(chain, path, header, base.with_name(base.name + "_anf")))
        gf2 = []
    columns = gf2 + pairs((Method.GF2_ANF_COLUMNS, Method.GF2_LOW_DEGREE))
    folder = polar.export(header[0], sides(columns), path, header, base.with_name(base.name + "_polar")) \
        if columns else None
    if folder is not None:
        point(columns, folder)
        columns = []
    elif len(columns) > 1:  # some may be quadratic in the key, others not (or of higher degree)
        rest, proved = [], sides([o for o in obligations if o.verdict == Verdict.PROVED])
        for o in columns:  # of higher degree: after cuts at the other proved obligations (lnsym.prove.polar.cut)
            one = polar.export(header[0], sides([o]), path, header,
                               base.with_name(f"{base.name}_polar_{safe(o.name)}"), proved)
            if one is None:
                rest.append(o)
            point([o], one)
        columns = rest
    if columns:  # not of degree 2 in a key (or not polarizable): columns in the data only
        point(columns, export(header[0], sides(columns), path, header, base.with_name(base.name + "_columns")))
    rewritten = pairs((Method.NORMAL_FORM,))
    if rewritten:
        # the chain's cuts can hide a concatenation a rotation's normal form looks at (lnsym.prove.normalize):
        # a local claim then needs more of its cuts expanded than a sweep during the proof allows
        sweeper = Sweeper(keying="normal-form", max_expansions=NF_CHAIN_EXPANSIONS)
        if all(sweeper.prove(i, s, path) for _, i, s in sides(rewritten)):
            point(rewritten, export_chain(sweeper.chain(), path, header, base.with_name(base.name + "_nf"),
                                          lemmas_per_file))
        else:
            base.parent.mkdir(parents=True, exist_ok=True)
            for o, (_, i, s) in zip(rewritten, sides(rewritten)):
                fname = checker.export_name(base.with_name(f"{base.name}__{safe(o.name)}"))  # <contract>__path<k>
                fname.write_text(check_script([*path, ~i.eq(s)], [*header, f"obligation: {o.name}",
                                                                   "unsat means the obligation holds"]))
                o.smt_file = str(fname)


def _refute_returned(contract: Contract, ends: list[PathEnd], inputs: Inputs, initial: SymState,
                     checker: Checker) -> Obligation | None:
    """An obligation of a returned path that random simulation refutes (no solver: the verdict is unknown anyway
    unless a refutation turns up), for routines some of whose paths could not be followed."""
    for end in ends:
        if end.reason != PathEndReason.RETURNED:
            continue
        for ob in obligations_for(contract, end, inputs, initial):
            impl = lift(ob.implementation, ob.specification.width)
            spec = lift(ob.specification, ob.implementation.width)
            if impl is spec:
                continue
            sample = checker.random_difference(impl, spec, end.state.path)
            if sample is not None:
                ob.verdict, ob.method, ob.model = Verdict.REFUTED, Method.RANDOM_SIMULATION, sample
                return ob
            sample = checker.directed.difference(impl, spec, end.state.path)  # rare inputs: lnsym.prove.rare
            if sample is not None:
                ob.verdict, ob.method, ob.model = Verdict.REFUTED, Method.DIRECTED_SAMPLING, sample
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
        report.update(replay_concrete(contract, image, concrete, ob.name, model))
    except ImportError:  # pragma: no cover
        pass
    return report
