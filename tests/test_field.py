"""The field procedure (lnsym.prove.field): the ring product against brute force, the lemma refusing a wrong
multiplication, the normalizer sound against exhaustive evaluation over GF(2^4) (a planted wrong rule
caught), and the whole procedure proving GHASH's four-block identity and refusing wrong ones."""

from __future__ import annotations

import itertools
import random

from bitvec import BV, Value, var
from bitvec.term import Term, evaluate, lift
from crypto_specs.ghash import gf128_mul
from lnsym.prove.field import Field, Normalizer, decide, ring_product

W = 4
MODULUS = 0b0011  # x^4 + x + 1 (irreducible): GF(16)
R4 = 0b1100  # Algorithm 1's R for it: 1 + x in the reflected order (x^0 at the top bit)


def algorithm1(x: Value, y: Value, width: int = W, r: int = R4) -> Value:
    """SP 800-38D Algorithm 1 at a small width."""
    z: Value = x & 0
    v = y
    for i in range(width):
        z = z ^ (x[width - 1 - i].sext(width) & v)
        v = v.lsr(1) ^ (v[0].sext(width) & r)
    return z


def brute(a: int, b: int, width: int = W, modulus: int = MODULUS) -> int:
    """Reflected product by integers: reverse, multiply the polynomials, reduce, reverse."""
    def rev(v: int) -> int:
        return int(f"{v:0{width}b}"[::-1], 2)

    x, y, p = rev(a), rev(b), 0
    for i in range(width):
        if x >> i & 1:
            p ^= y << i
    for k in range(2 * width - 2, width - 1, -1):
        if p >> k & 1:
            p ^= ((1 << width) | modulus) << (k - width)
    return rev(p)


def small_field(name: str = "gf16", mul=algorithm1) -> Field:
    return Field(name, W, MODULUS, mul)


def value(t: Value, env: dict[str, int]) -> int:
    return evaluate(lift(t, None), env).val if isinstance(t, Term) else t.as_int()


def test_ring_product_is_the_reflected_polynomial_product() -> None:
    for a, b in itertools.product(range(16), repeat=2):
        assert ring_product(BV(W, a), BV(W, b), W, MODULUS).as_int() == brute(a, b)
        assert algorithm1(BV(W, a), BV(W, b)).as_int() == brute(a, b)
    rng = random.Random(7)
    for _ in range(20):
        a, b = rng.getrandbits(128), rng.getrandbits(128)
        assert ring_product(BV(128, a), BV(128, b), 128, 0x87).as_int() == gf128_mul(BV(128, a), BV(128, b)).as_int()


def test_the_lemma_holds_for_algorithm1_and_not_for_wrong_multiplications() -> None:
    assert small_field().lemma()
    assert Field("gf128", 128, 0x87, gf128_mul).lemma()
    assert not Field("wrong-r", W, MODULUS, lambda x, y: algorithm1(x, y, r=0b1010)).lemma()
    assert not Field("wrong-p", 128, 0x85, gf128_mul).lemma()
    assert not Field("and", W, MODULUS, lambda x, y: x & y).lemma()


def _random_expr(f: Field, atoms: list[Value], rng: random.Random, depth: int) -> Value:
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(atoms)
    a = _random_expr(f, atoms, rng, depth - 1)
    b = _random_expr(f, atoms, rng, depth - 1)
    return f.mul(a, b) if rng.random() < 0.5 else a ^ b


def _equal_everywhere(x: Value, y: Value, names: list[str]) -> bool:
    return all(value(x, dict(zip(names, vals))) == value(y, dict(zip(names, vals)))
               for vals in itertools.product(range(16), repeat=len(names)))


def test_equal_polynomials_are_equal_functions_exhaustively() -> None:
    f = small_field()
    names = ["a", "b", "c"]
    atoms = [var(n, W) for n in names]
    rng = random.Random(11)
    exprs = [_random_expr(f, atoms, rng, 4) for _ in range(120)]
    norm = Normalizer(f)
    polys = [norm(lift(e, W)) for e in exprs]
    same = 0
    for i, j in itertools.combinations(range(len(exprs)), 2):
        if polys[i] == polys[j]:
            same += 1
            assert _equal_everywhere(exprs[i], exprs[j], names)
    assert same > 10  # the test saw identities that are not syntactic
    # and the ring laws themselves are found
    a, b, c = atoms
    assert norm(lift(f.mul(f.mul(a, b), c), W)) == norm(lift(f.mul(a, f.mul(c, b)), W))
    assert norm(lift(f.mul(a ^ b, c), W)) == norm(lift(f.mul(c, a) ^ f.mul(b, c), W))


class _SquareIsIdentity(Normalizer):
    """A planted wrong rule: x * x read as x."""

    def _node(self, t: Term):  # type: ignore[no-untyped-def]
        hit = self.field.products.get(t.serial)
        if hit is not None and hit[1] is hit[2]:
            return self.memo[hit[1].serial]
        return super()._node(t)


def test_a_planted_wrong_rule_is_caught_by_the_exhaustive_check() -> None:
    f = small_field()
    a = var("a", W)
    wrong = _SquareIsIdentity(f)
    square = f.mul(a, a)
    assert wrong(lift(square, W)) == wrong(lift(a, W))  # the bad normalizer claims a^2 = a
    assert not _equal_everywhere(square, a, ["a"])  # which evaluation refutes
    assert Normalizer(f)(lift(square, W)) != Normalizer(f)(lift(a, W))


def _four_blocks(f: Field, mul, width: int, h2_for_h3: bool = False, wrong_xor: bool = False
                 ) -> tuple[Term, Term]:
    """GHASH over four blocks: the chain (spec) against the table form (impl, with its own multiplication
    ``mul`` and the powers from ``f``)."""
    y, h = var("Y", width), var("H", width)
    i = [var(f"I{k}", width) for k in range(4)]
    h2 = f.mul(h, h)
    h3 = f.mul(h2, h)
    h4 = f.mul(h2, h2)
    spec: Value = y
    for k, block in enumerate(i):
        spec = f.mul(spec ^ (block if not (wrong_xor and k == 2) else i[1]), h)
    impl = mul(y ^ i[0], h4) ^ mul(i[1], h2 if h2_for_h3 else h3) ^ mul(i[2], h2) ^ mul(i[3], h)
    return lift(impl, width), lift(spec, width)


def test_the_four_block_identity_is_proved_and_wrong_ones_are_not() -> None:
    f = small_field("gf16-blocks")
    def other(x: Value, y: Value) -> Value:
        return ring_product(x, y, W, MODULUS)  # the implementation multiplies another way

    impl, spec = _four_blocks(f, other, W)
    assert decide([(impl, spec)], [], [f]) is not None
    for kwargs in ({"h2_for_h3": True}, {"wrong_xor": True}):
        bad_impl, bad_spec = _four_blocks(f, other, W, **kwargs)
        assert decide([(bad_impl, bad_spec)], [], [f]) is None
        env = {"Y": 3, "H": 7, "I0": 1, "I1": 2, "I2": 9, "I3": 12}
        assert value(bad_impl, env) != value(bad_spec, env)  # they really differ


def test_gf128_four_blocks_with_a_karatsuba_free_implementation() -> None:
    f = Field("gf128-test", 128, 0x87, gf128_mul)
    def other(x: Value, y: Value) -> Value:
        return ring_product(x, y, 128, 0x87)

    impl, spec = _four_blocks(f, other, 128)
    red = decide([(impl, spec)], [], [f])
    assert red is not None and len(red.keys) == 3 and len(red.rewritten) == 1
    bad_impl, bad_spec = _four_blocks(f, other, 128, h2_for_h3=True)
    assert decide([(bad_impl, bad_spec)], [], [f]) is None
