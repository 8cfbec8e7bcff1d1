"""Bit-parallel random simulation of term DAGs (for cut-point sweeping, :mod:`lnsym.prove.sweep`): every
node's values on ``k`` input samples at once.

A node of width ``w`` gets one Python int of ``k * w`` bits, sample ``j`` in bits ``[j*w, (j+1)*w)``.
Bitwise operators act on all samples with one big-int operation, rotations and constant shifts with
two shifts and per-lane masks; other operators (arithmetic, comparisons, lookups) fall back to the
concrete ``bitvec`` semantics sample by sample, so every operator keeps its one definition.
"""

from __future__ import annotations

from bitvec import BV
from bitvec.operators import CONCRETE
from bitvec.term import Term, postorder


class PackedSimulator:
    """Values of terms on fixed input samples; ``values`` maps variable names to ``k`` sample values."""

    def __init__(self, samples: int, values: dict[str, list[int]]) -> None:
        self.k = samples
        self.values = values
        self.memo: dict[int, int | None] = {}
        self._rep: dict[int, int] = {}

    def replicate(self, width: int) -> int:
        """``sum(1 << j*width)``: multiplying a ``width``-bit constant by this copies it into every sample."""
        r = self._rep.get(width)
        if r is None:
            r = self._rep[width] = sum(1 << (j * width) for j in range(self.k))
        return r

    def full(self, width: int) -> int:
        return ((1 << width) - 1) * self.replicate(width)

    def pack(self, width: int, lanes: list[int]) -> int:
        return sum(v << (j * width) for j, v in enumerate(lanes))

    def unpack(self, width: int, packed: int) -> list[int]:
        m = (1 << width) - 1
        return [(packed >> (j * width)) & m for j in range(self.k)]

    def run(self, roots: list[Term]) -> None:
        """Simulate every node reachable from ``roots`` not simulated yet (``None`` = unknown variable
        or operator: the node and everything above it get no signature)."""
        for t in postorder(roots):
            if t.serial not in self.memo:
                self.memo[t.serial] = self._node(t)

    def run_nodes(self, nodes: list[Term]) -> None:
        """Simulate ``nodes`` (children first; arguments not listed must have been simulated)."""
        for t in nodes:
            if t.serial not in self.memo:
                self.memo[t.serial] = self._node(t)

    def signature(self, t: Term) -> int | None:
        return self.memo.get(t.serial)

    def _node(self, t: Term) -> int | None:
        op, w, p = t.op, t.width, t.params
        if op == "const":
            return p[0] * self.replicate(w)
        if op == "var":
            lanes = self.values.get(p[0])
            return None if lanes is None else self.pack(w, [v & ((1 << w) - 1) for v in lanes])
        args = [self.memo.get(a.serial) for a in t.args]
        if any(a is None for a in args):
            return None
        a: list[int] = args  # type: ignore[assignment]
        if op == "and":
            return a[0] & a[1]
        if op == "or":
            return a[0] | a[1]
        if op == "xor":
            return a[0] ^ a[1]
        if op == "not":
            return a[0] ^ self.full(w)
        if op == "rotr":
            k = p[0] % w
            if k == 0:
                return a[0]
            low = ((1 << (w - k)) - 1) * self.replicate(w)
            return ((a[0] >> k) & low) | ((a[0] << (w - k)) & (self.full(w) ^ low))
        if op in ("shl", "lshr") and t.args[1].op == "const":
            k = t.args[1].params[0]
            if k >= w:
                return 0
            if op == "shl":
                keep = (((1 << w) - 1) ^ ((1 << k) - 1)) * self.replicate(w)
                return (a[0] << k) & keep
            return (a[0] >> k) & (((1 << (w - k)) - 1) * self.replicate(w))
        if op == "extract":
            lo = p[1]
            width, m = t.args[0].width, (1 << w) - 1
            return sum(((a[0] >> (j * width + lo)) & m) << (j * w) for j in range(self.k))
        if op == "concat":
            lanes = [0] * self.k
            for x, v in zip(t.args, a):
                xs = self.unpack(x.width, v)
                lanes = [(hi << x.width) | lo for hi, lo in zip(lanes, xs)]
            return self.pack(w, lanes)
        return self._per_sample(t, a)

    def _per_sample(self, t: Term, packed: list[int]) -> int | None:
        fold = CONCRETE.get(t.op)
        if fold is None:
            return None
        columns = [self.unpack(x.width, v) for x, v in zip(t.args, packed)]
        out = []
        for j in range(self.k):
            vals = [BV(x.width, col[j]) for x, col in zip(t.args, columns)]
            out.append(fold(vals, t.params, t.width).val)
        return self.pack(t.width, out)
