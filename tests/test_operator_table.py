"""One operator table in bitvec (issue 19 item 3): every backend is a table keyed by the operators of
``bitvec.operators``, a missing translation is caught here, every node's width follows its operator's rule,
and the hash-cons table holds terms weakly once the prover releases them."""

from __future__ import annotations

import gc
import random

import pytest

from bitvec import BV, concat, ite, lookup, var
from bitvec import term as terms
from bitvec.operators import CONCRETE, LEAVES, OPERATORS, missing, result_width
from bitvec.pycompile import PYTHON_TRANSLATION
from bitvec.smtlib import SMTLIB_TRANSLATION
from bitvec.term import Term, postorder
from bitvec.z3backend import Z3_TRANSLATION

BACKENDS = {"z3": (Z3_TRANSLATION, True), "smtlib": (SMTLIB_TRANSLATION, False),
            "python": (PYTHON_TRANSLATION, False)}


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_every_backend_translates_every_operator(backend: str) -> None:
    table, leaves = BACKENDS[backend]
    assert not missing(table, leaves), f"{backend} lacks {sorted(missing(table, leaves))}"
    assert set(table) <= set(OPERATORS), f"{backend} translates unknown operators {set(table) - set(OPERATORS)}"


def test_a_missing_translation_is_caught() -> None:
    planted = {k: v for k, v in SMTLIB_TRANSLATION.items() if k != "popcount"}
    assert missing(planted) == {"popcount"}


def test_the_concrete_meaning_is_the_table_s() -> None:
    assert terms.CONCRETE is CONCRETE
    assert set(CONCRETE) == set(OPERATORS) - LEAVES


def _random_terms(rng: random.Random, width: int, count: int) -> list[Term]:
    xs = [var(f"v{k}", width) for k in range(3)]
    pool: list[Term] = list(xs)
    for _ in range(count):
        a, b = rng.choice(pool), rng.choice(pool)
        a = a if a.width == width else a.zext(width) if a.width < width else a[width - 1:0]
        b = b if b.width == width else b.zext(width) if b.width < width else b[width - 1:0]
        pick = rng.randrange(17)
        t = [a + b, a - b, a * b, a & b, a ^ b, a | b, ~a, -a, a.udiv(b), a.lsl(b), a.asr(b), a.ror(b),
             ite(a.ult(b), a, b), concat(a, b)[width:1] if width > 1 else a ^ b, a.slt(b).zext(width),
             lookup(tuple(k * 5 % (1 << width) for k in range(1 << min(width, 4))), a[min(width, 4) - 1:0], width),
             a.popcount()][pick]
        pool.append(t)
    return pool


@pytest.mark.parametrize("width", [1, 3, 8, 13])
def test_every_node_has_its_operators_width_and_arity(width: int) -> None:
    roots = _random_terms(random.Random(width), width, 200)
    seen = set()
    for t in postorder(roots):
        op = OPERATORS[t.op]
        seen.add(t.op)
        if op.arity is not None:
            assert len(t.args) == op.arity, (t.op, len(t.args))
        else:
            assert len(t.args) >= 1
        rule = result_width(t.op, tuple(a.width for a in t.args), t.params)
        assert rule is None or rule == t.width, (t.op, rule, t.width)
    assert len(seen) >= 12, seen


def test_terms_are_held_weakly_after_a_release() -> None:
    x = var("weak_x", 8)
    kept = x * 7 + 1
    serial = kept.serial
    gone = [x * k + 2 for k in range(50)]
    assert (x * 7 + 1) is kept  # hash-consed while alive
    before = terms.live_terms()
    del gone
    assert terms.release(above=0)
    gc.collect()
    after = terms.live_terms()
    assert after <= before - 50, (before, after)
    assert (x * 7 + 1) is kept and kept.serial == serial  # still referenced: the same object
    again = x * 3 + 2  # collected and rebuilt: a new object with a new serial, never an old one's
    assert again.serial > serial


def test_release_below_the_bound_keeps_everything() -> None:
    x = var("keep_x", 8)
    _ = [x + k for k in range(10)]
    assert not terms.release(above=10 ** 9)
    assert BV(8, 3) + x is (x + 3)
