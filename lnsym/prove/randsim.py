"""Random simulation shared by the obligations of one path.

The outputs of a routine are many obligations over one term DAG (16 bytes of an AES block, the
words of a key schedule), and re-evaluating the whole DAG per obligation and per sample dominates
the cost of checking.  Here each path gets a fixed set of random input assignments that satisfy
its path condition; a node's values under the samples are computed once, in one traversal for all
samples, and reused by every obligation (the 64 byte obligations of four AES-CTR blocks share one DAG).
Values come from the same concrete operator table as :func:`bitvec.term.evaluate`, so a difference
found here is a real one (the prover still replays it concretely).
"""

from __future__ import annotations

import random

from bitvec import BV
from bitvec.operators import CONCRETE
from bitvec.term import Term, postorder

POINTER_MASK = 0x0000_7FFF_FFFF_0000  # buffer pointers (``&name``): page aligned, far from wrapping


class Samples:
    """Random assignments evaluated in lockstep: variables drawn as terms need them, and each node's
    values (one per sample) computed once, in one traversal for all samples."""

    def __init__(self, rngs: list[random.Random], envs: list[dict[str, int]] | None = None) -> None:
        self.rngs = rngs
        self.envs: list[dict[str, int]] = envs if envs is not None else [{} for _ in rngs]
        self.values: dict[int, list[BV]] = {}

    def _var(self, j: int, name: str, width: int) -> int:
        env = self.envs[j]
        value = env.get(name)
        if value is None:
            value = self.rngs[j].getrandbits(width)
            if name.startswith("&"):
                value &= POINTER_MASK
            env[name] = value
        return value

    def value(self, root: Term) -> list[BV]:
        """``root`` under every sample (only nodes not evaluated before are visited)."""
        values = self.values
        lanes = range(len(self.envs))
        for node in postorder(root, values):
            op, width, params = node.op, node.width, node.params
            if op == "const":
                values[node.serial] = [BV(width, params[0])] * len(lanes)
            elif op == "var":
                values[node.serial] = [BV(width, self._var(j, params[0], width)) for j in lanes]
            else:
                fold = CONCRETE[op]
                args = [values[a.serial] for a in node.args]
                values[node.serial] = [fold([a[j] for a in args], params, width) for j in lanes]
        return values[root.serial]

    def keep(self, lanes: list[int]) -> Samples:
        """The samples ``lanes`` only, with the variables drawn so far (values are recomputed on demand)."""
        return Samples([self.rngs[j] for j in lanes], [self.envs[j] for j in lanes])


class PathSimulator:
    """Per path condition, ``tries`` samples drawn; those satisfying the path are kept and reused."""

    def __init__(self, rng: random.Random, tries: int = 16) -> None:
        self.rng = rng
        self.tries = tries
        self._paths: dict[tuple[int, ...], Samples] = {}

    def samples(self, path: list[Term]) -> Samples:
        key = tuple(c.serial for c in path)
        kept = self._paths.get(key)
        if kept is None:
            drawn = Samples([random.Random(self.rng.getrandbits(64)) for _ in range(self.tries)])
            ok = [True] * self.tries
            for c in path:
                ok = [o and bool(v.val) for o, v in zip(ok, drawn.value(c))]
            kept = self._paths[key] = drawn.keep([j for j, o in enumerate(ok) if o])
        return kept

    def difference(self, impl: Term, spec: Term, path: list[Term]) -> dict[str, int] | None:
        """An assignment (covering every variable of ``impl``, ``spec`` and ``path``) on which the two
        sides differ, or None if no sample tells them apart."""
        s = self.samples(path)
        if not s.envs:
            return None
        for j, (x, y) in enumerate(zip(s.value(impl), s.value(spec))):
            if x != y:
                return dict(s.envs[j])
        return None
