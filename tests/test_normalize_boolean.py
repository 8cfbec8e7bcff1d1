"""The normal form of bitwise functions of at most three word inputs (lnsym.prove.normalize): every formulation of
each of the 256 three-input truth tables -- sums and products of minterms, the algebraic normal form, multiplexers
written as Arm's BSL/BIT/BIF (``op1 EOR ((op1 EOR op2) AND op3)``, Arm ARM C7.2) over two-input functions made of
AND/ORR/EOR/BIC/ORN/EON, in several associations -- becomes one term, and that term computes the table on every
assignment of 4-bit inputs (brute force).  Likewise for the rewrites SHA-256's NEON schedule needs: constant
shifts as slices, masks that keep every bit a term may set (USHR then SLI), and terms that cannot share a set bit
(their AND vanishes; their ORR/EOR is a concatenation, a rotation when the halves are ``x LSL k`` and
``x LSR (w-k)``), checked exhaustively at 8 bits.  Planted wrong rewrites (a flipped truth table, a support that
claims a bit is always 0, an off-by-one shift) are caught.  End to end: OpenSSL's integer SHA-1 and the NEON
path of SHA-256 prove by normal form in seconds."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from itertools import product

import pytest

from bitvec import BV
from bitvec.term import Term, const_term, mk, mk_concat, mk_extract, mk_rotr, postorder, var
from lnsym.prove.normalize import Normalizer

W = 4  # the width of the three-input functions' words: 2^12 assignments each

# -- a brute-force evaluator of normalizer output (its ``sum`` and ``xorn`` nodes included) ----------------


def _compiled(root: Term, names: list[str]) -> Callable[..., int]:
    """``root`` as a Python function of the named variables, from the operators' definitions."""
    lines, name = [], {}
    for k, node in enumerate(postorder(root)):
        m = (1 << node.width) - 1
        a = [name[x.serial] for x in node.args]
        op = node.op
        if op == "var":
            expr = node.params[0]
        elif op == "const":
            expr = str(node.params[0])
        elif op == "not":
            expr = f"~{a[0]} & {m}"
        elif op in ("and", "or"):
            expr = f"{a[0]} {'&' if op == 'and' else '|'} {a[1]}"
        elif op in ("xor", "xorn"):
            expr = " ^ ".join(a)
        elif op == "sum":
            constant, coeffs = node.params
            expr = f"({constant} + " + " + ".join(f"{c} * {x}" for c, x in zip(coeffs, a)) + f") & {m}"
        elif op == "add":
            expr = f"({a[0]} + {a[1]}) & {m}"
        elif op == "concat":
            expr, shift = "0", 0
            for part, x in zip(reversed(node.args), reversed(a)):
                expr, shift = f"{expr} | {x} << {shift}", shift + part.width
        elif op == "extract":
            hi, lo = node.params
            expr = f"{a[0]} >> {lo} & {(1 << (hi - lo + 1)) - 1}"
        elif op == "rotr":
            r, w = node.params[0], node.width
            expr = f"({a[0]} >> {r} | {a[0]} << {w - r}) & {m}"
        elif op == "lshr":
            expr = f"{a[0]} >> {a[1]}"
        elif op == "shl":
            expr = f"{a[0]} << {a[1]} & {m}"
        else:
            raise AssertionError(f"no brute-force rule for {op}")
        name[node.serial] = f"t{k}"
        lines.append(f"    t{k} = {expr}")
    source = f"def f({', '.join(names)}):\n" + "\n".join(lines) + f"\n    return {name[root.serial]}\n"
    scope: dict[str, object] = {}
    exec(source, scope)  # test-local code generated from the term
    return scope["f"]  # type: ignore[return-value]


# -- three-input functions, many ways ---------------------------------------------------------------------

x, y, z = var("x", W), var("y", W), var("z", W)
ONES = const_term(BV(W, -1))


def NOT(a: Term) -> Term:
    return mk("not", a)


def AND(a: Term, b: Term) -> Term:
    return mk("and", a, b)


def ORR(a: Term, b: Term) -> Term:
    return mk("or", a, b)


def EOR(a: Term, b: Term) -> Term:
    return mk("xor", a, b)


def BIC(a: Term, b: Term) -> Term:  # Arm ARM C6.2: a AND NOT b
    return AND(a, NOT(b))


def ORN(a: Term, b: Term) -> Term:  # a OR NOT b
    return ORR(a, NOT(b))


def EON(a: Term, b: Term) -> Term:  # a EOR NOT b
    return EOR(a, NOT(b))


def BSL(d: Term, n: Term, m: Term) -> Term:
    """Arm ARM BSL: operand1 = m, operand2 = n, operand3 = d; op1 EOR ((op1 EOR op2) AND op3)."""
    return EOR(m, AND(EOR(m, n), d))


def BIT(d: Term, n: Term, m: Term) -> Term:
    """BIT: operand1 = d, operand3 = m."""
    return EOR(d, AND(EOR(d, n), m))


def BIF(d: Term, n: Term, m: Term) -> Term:
    """BIF: operand1 = d, operand3 = NOT m."""
    return EOR(d, AND(EOR(d, n), NOT(m)))


def _fold(op: Callable[[Term, Term], Term], items: list[Term], rng: random.Random, zero: Term) -> Term:
    """``items`` combined by ``op`` in a random association (a random binary tree)."""
    if not items:
        return zero
    items = list(items)
    while len(items) > 1:
        i = rng.randrange(len(items) - 1)
        items[i : i + 2] = [op(items[i], items[i + 1])]
    return items[0]


def _literal(v: Term, bit: int) -> Term:
    return v if bit else NOT(v)


#: the 16 two-input functions (truth table bit ``2*a + b`` is f(a, b)) in Arm's two-operand instructions
TWO: dict[int, Callable[[Term, Term], Term]] = {
    0b0000: lambda a, b: const_term(BV(W, 0)), 0b1000: AND, 0b0100: BIC, 0b1100: lambda a, b: a,
    0b0010: lambda a, b: BIC(b, a), 0b1010: lambda a, b: b, 0b0110: EOR, 0b1110: ORR,
    0b0001: lambda a, b: NOT(ORR(a, b)), 0b1001: EON, 0b0101: lambda a, b: NOT(b), 0b1101: ORN,
    0b0011: lambda a, b: NOT(a), 0b1011: lambda a, b: ORN(b, a), 0b0111: lambda a, b: NOT(AND(a, b)),
    0b1111: lambda a, b: ONES,
}


def _bit_of(table: int, a: int, b: int, c: int) -> int:
    """The table's value at x = a, y = b, z = c (bit ``4a + 2b + c``)."""
    return table >> (4 * a + 2 * b + c) & 1


def formulations(table: int, seed: int) -> list[Term]:
    """The function with this truth table as sums/products of minterms, its ANF, and multiplexers on x (BSL, BIT,
    BIF) of two-input functions of (y, z) written with AND/ORR/EOR/BIC/ORN/EON; random associations."""
    rng = random.Random(seed)
    rows = list(product((0, 1), repeat=3))
    ones = [r for r in rows if _bit_of(table, *r)]
    zeros = [r for r in rows if not _bit_of(table, *r)]
    zero = const_term(BV(W, 0))
    dnf = _fold(ORR, [_fold(AND, [_literal(v, b) for v, b in zip((x, y, z), r)], rng, ONES) for r in ones], rng,
                zero)
    cnf = _fold(AND, [_fold(ORR, [_literal(v, 1 - b) for v, b in zip((x, y, z), r)], rng, zero) for r in zeros],
                rng, ONES)
    anf = []  # Moebius transform of the table over (x, y, z)
    coeffs = [_bit_of(table, (i >> 2) & 1, (i >> 1) & 1, i & 1) for i in range(8)]
    for k in range(3):
        for i in range(8):
            if i >> k & 1:
                coeffs[i] ^= coeffs[i ^ (1 << k)]
    for i in range(8):
        if coeffs[i]:
            anf.append(_fold(AND, [v for v, bit in zip((x, y, z), (4, 2, 1)) if i & bit], rng, ONES))
    rng.shuffle(anf)
    xor_form = _fold(EOR, anf, rng, zero)
    high = sum(_bit_of(table, 1, b, c) << (2 * b + c) for b in (0, 1) for c in (0, 1))
    low = sum(_bit_of(table, 0, b, c) << (2 * b + c) for b in (0, 1) for c in (0, 1))
    f1, f0 = TWO[high](y, z), TWO[low](y, z)
    return [dnf, cnf, xor_form, BSL(x, f1, f0), BIT(f0, f1, x), BIF(f1, f0, x),
            ORR(AND(x, f1), BIC(f0, x)), EOR(f0, AND(x, EOR(f0, f1)))]


def check_table(table: int) -> list[str]:
    """What is wrong with the normal forms of ``table``'s formulations (empty when right): one term for all,
    equal to the table on every assignment of the 4-bit inputs."""
    n = Normalizer()
    forms = [n(f) for f in formulations(table, seed=table)]
    problems = [f"{table:#04x}: formulation {k} normalizes to another term"
                for k, f in enumerate(forms[1:], 1) if f is not forms[0]]
    run = _compiled(forms[0], ["x", "y", "z"])
    for a, b, c in product(range(1 << W), repeat=3):
        want = sum(_bit_of(table, a >> i & 1, b >> i & 1, c >> i & 1) << i for i in range(W))
        if run(a, b, c) != want:
            problems.append(f"{table:#04x}: wrong value at x={a} y={b} z={c}")
            break
    return problems


def test_every_three_input_function_has_one_form_computing_its_table() -> None:
    problems = [p for table in range(256) for p in check_table(table)]
    assert not problems, problems[:5]


def test_fips_and_arm_sha_functions_meet() -> None:
    """FIPS 180-4 4.1 Ch/Maj/Parity against OpenSSL's and Arm's formulations (BIC/ORR, EOR/AND chains)."""
    n = Normalizer()
    b, c, d = x, y, z
    assert n(EOR(AND(b, c), AND(NOT(b), d))) is n(ORR(AND(b, c), BIC(d, b))) is n(EOR(AND(EOR(c, d), b), d))
    maj = EOR(EOR(AND(b, c), AND(b, d)), AND(c, d))
    assert n(maj) is n(ORR(AND(b, c), AND(ORR(b, c), d))) is n(EOR(AND(EOR(b, c), EOR(c, d)), c))
    assert n(EOR(EOR(b, c), d)) is n(EOR(b, EOR(d, c))) is n(EON(EON(c, d), b))


def test_a_planted_wrong_truth_table_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Normalizer._from_anf

    def wrong(table: int, leaves: list[Term], width: int, vanishing: list[int] | None = None) -> Term:
        return real(table ^ 0b0100_0000 if len(leaves) == 3 else table, leaves, width, vanishing)  # one entry

    monkeypatch.setattr(Normalizer, "_from_anf", staticmethod(wrong))
    assert check_table(0xCA)


# -- shifts, masks and disjoint terms at 8 bits -----------------------------------------------------------

B = 8
h1, h2 = var("h", B // 2), var("l", B // 2)
HL, LH = mk_concat(h1, h2), mk_concat(h2, h1)
OPERANDS: dict[str, Term] = {  # a leaf, a concatenation (a byte-sliced word), a sum and an XOR network
    "leaf": var("a", B), "concat": HL, "sum": mk("add", HL, LH), "xor": mk("xor", HL, LH),
}
NAMES = {"leaf": ["a"], "concat": ["h", "l"], "sum": ["h", "l"], "xor": ["h", "l"]}


def _assignments(names: list[str]) -> list[tuple[int, ...]]:
    """Every assignment: 2^8 in all (one 8-bit word or two 4-bit halves)."""
    return list(product(*[range(1 << (B // 2 if v in "hl" else B)) for v in names]))


def _same_values(t: Term, u: Term, names: list[str]) -> bool:
    f, g = _compiled(t, names), _compiled(u, names)
    return all(f(*v) == g(*v) for v in _assignments(names))


def rotation_idioms(v: Term, k: int) -> list[Term]:
    """``v`` rotated left by ``k`` (right by ``B - k``): ORR/EOR of LSL and LSR halves, USHR then SLI
    (``(d AND NOT (ones LSL k)) OR (v LSL k)``), SHL then SRI."""
    left, right = mk("shl", v, BV(B, k)), mk("lshr", v, BV(B, B - k))
    sli = ORR(AND(right, const_term(BV(B, ~((1 << B) - 1 << k)))), left)
    sri = ORR(AND(left, const_term(BV(B, ~((1 << B) - 1 >> (B - k))))), right)
    return [ORR(left, right), ORR(right, left), EOR(left, right), sli, sri]


def check_rotations() -> list[str]:
    problems = []
    for kind, v in OPERANDS.items():
        for k in range(1, B):
            n = Normalizer()
            want = n(mk_rotr(v, B - k))
            for i, idiom in enumerate(rotation_idioms(v, k)):
                got = n(idiom)
                if got is not want:
                    problems.append(f"{kind} k={k} idiom {i}: {got} is not {want}")
                if not _same_values(got, idiom, NAMES[kind]):
                    problems.append(f"{kind} k={k} idiom {i}: wrong value")
    return problems


def test_every_rotation_idiom_is_the_rotation() -> None:
    problems = check_rotations()
    assert not problems, problems[:5]


def check_shifts_and_masks() -> list[str]:
    """Constant shifts of each operand, masked by every 8-bit constant; pairs of shifted operands combined by
    every two-input function: the normal form computes the same values on every assignment."""
    problems = []
    for kind, v in OPERANDS.items():
        names = NAMES[kind]
        for k in range(B):
            for op in ("lshr", "shl"):
                shifted = mk(op, v, BV(B, k))
                n = Normalizer()
                for c in range(1 << B):
                    t = AND(shifted, const_term(BV(B, c)))
                    if not _same_values(n(t), t, names):
                        problems.append(f"{kind} {op} {k} AND {c:#x}: wrong value")
                        break
                other = mk("lshr" if op == "shl" else "shl", v, BV(B, B - k)) if k else v
                for table, f in TWO.items():
                    t = f(shifted, other)
                    if not _same_values(n(t), t, names):
                        problems.append(f"{kind} {op} {k} table {table:04b}: wrong value")
    return problems


def test_shifts_masks_and_disjoint_terms_keep_their_values() -> None:
    problems = check_shifts_and_masks()
    assert not problems, problems[:5]


def test_disjoint_terms_meet_whatever_joins_them() -> None:
    """ORR or EOR of the two halves of a rotation inside an EOR chain: one form, whichever operator or
    association, the rotation's; their AND is 0."""
    n = Normalizer()
    for v in OPERANDS.values():
        for k in range(1, B):
            hi, lo = mk("shl", v, BV(B, k)), mk("lshr", v, BV(B, B - k))
            third = var("c", B)
            forms = {n(EOR(EOR(hi, lo), third)), n(EOR(hi, EOR(lo, third))), n(EOR(EOR(third, lo), hi)),
                     n(EOR(ORR(lo, hi), third)), n(EOR(third, mk_rotr(v, B - k)))}
            assert len(forms) == 1, forms
            assert n(AND(hi, lo)).op == "const"


def test_a_support_claiming_a_set_bit_is_zero_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Normalizer._support

    def wrong(self: Normalizer, t: Term) -> int:
        s = real(self, t)
        return s & ~1 if t.op == "concat" else s  # "bit 0 of a concatenation is always 0"

    monkeypatch.setattr(Normalizer, "_support", wrong)
    assert check_shifts_and_masks()


def test_a_shift_rewritten_one_bit_off_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Normalizer._shift

    def wrong(self: Normalizer, t: Term) -> Term:
        out = real(self, t)
        if t.op != "lshr" or out.op != "concat":
            return out
        return mk_concat(const_term(BV(1, 0)), mk_extract(out, t.width - 1, 1))  # one more bit shifted out

    monkeypatch.setattr(Normalizer, "_shift", wrong)
    assert check_shifts_and_masks()


def test_a_wrong_merge_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = Normalizer._slice

    def wrong(t: Term, hi: int, lo: int) -> Term:
        out = real(t, hi, lo)
        return mk("not", out) if hi == lo else out

    monkeypatch.setattr(Normalizer, "_slice", staticmethod(wrong))
    assert check_rotations()


# -- end to end -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, assumption", [
    ("sha1_block_data_order", "OPENSSL_armcap_P = 0x0: the integer path"),
    ("sha256_block_data_order[neon]", "OPENSSL_armcap_P = 0x1: the NEON (sha256_block_neon) path"),
])
def test_openssl_sha1_integer_and_sha256_neon_prove_in_seconds(name: str, assumption: str) -> None:
    from openssl_fixture import libcrypto

    from lnsym.contracts.openssl import contract
    from lnsym.prove.prover import verify

    c = contract(name, str(libcrypto()))
    start = time.perf_counter()
    result = verify(c, timeout_s=60)
    assert result.verdict == "proved", result.detail
    assert assumption in result.assumptions
    assert {o.method for o in result.obligations} <= {"normal-form", "structural"}
    seconds = time.perf_counter() - start
    assert seconds < 30, seconds
    print(f"\n{name}: proved in {seconds:.2f}s")
