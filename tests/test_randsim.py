"""The prover's shared random simulation (:mod:`lnsym.prove.randsim`) against :func:`bitvec.term.evaluate`."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bitvec import Value, concat, lookup, var
from bitvec.term import Term, evaluate, lift
from crypto_specs.aes import SBOX
from lnsym.prove.randsim import PathSimulator, Samples


def _random_dag(rng: random.Random, steps: int) -> list[Value]:
    """A DAG over three 32-bit variables built from shared nodes with every operator family."""
    nodes: list[Value] = [var("a", 32), var("b", 32), var("&p", 32)]
    for _ in range(steps):
        x, y = rng.choice(nodes), rng.choice(nodes)
        op = rng.randrange(7)
        if op == 0:
            z = x + y
        elif op == 1:
            z = x ^ (y & 0xF0F0F0F0)
        elif op == 2:
            z = x.ror(rng.randrange(1, 32))
        elif op == 3:
            z = concat(lookup(SBOX, x[7:0], 8), x[31:8])
        elif op == 4:
            z = x * 3 - ~y
        elif op == 5:
            z = x.lsr(rng.randrange(32)) | y
        else:
            z = lift(x.ult(y), 1).zext(32) ^ y
        nodes.append(z)
    return nodes


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_memoised_values_equal_evaluate(seed: int) -> None:
    rng = random.Random(seed)
    nodes = _random_dag(rng, 40)
    samples = Samples([random.Random(seed + j) for j in range(3)])
    for node in [nodes[2], *rng.sample(nodes, 10), *nodes[-3:]]:  # later queries reuse memoised values
        if isinstance(node, Term):
            assert samples.value(node) == [evaluate(node, env) for env in samples.envs]
    assert all(env["&p"] & ~0x0000_7FFF_FFFF_0000 == 0 for env in samples.envs)  # pointers page aligned
    assert samples.envs[0] != samples.envs[1]


def test_difference_is_real_and_respects_the_path() -> None:
    a, b = var("a", 16), var("b", 16)
    path = [a.ult(0x8000), b.ne(0)]
    sim = PathSimulator(random.Random(7))
    kept = sim.samples(path)
    assert kept.envs and sim.samples(path) is kept  # drawn once per path, then shared
    assert all(env["a"] < 0x8000 and env["b"] != 0 for env in kept.envs)
    assert sim.difference(a ^ b, b ^ a, path) is None
    env = sim.difference(a + b, a ^ b, path)
    assert env is not None and evaluate(a + b, env) != evaluate(a ^ b, env)
    assert all(evaluate(c, env).val for c in path)
