"""Concrete bit-vectors: a width plus a Python int masked to that width."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class WidthError(ValueError):
    """Operands of a bit-vector operation have incompatible widths."""


class BV:
    """An unsigned ``width``-bit value; the fast, concrete side of the bit-vector interface."""

    __slots__ = ("val", "width")
    is_const = True

    def __init__(self, width: int, val: int) -> None:
        if width <= 0:
            raise WidthError(f"bit-vector width must be positive, got {width}")
        self.width = width
        self.val = val & ((1 << width) - 1)

    # -- inspection ---------------------------------------------------------------------------
    def as_int(self) -> int:
        return self.val

    @property
    def sval(self) -> int:
        """The value read as two's complement."""
        w = self.width
        v = self.val
        return v - (1 << w) if v >> (w - 1) else v

    def __repr__(self) -> str:
        return f"BV({self.width}, {self.val:#x})"

    def __eq__(self, other: object) -> bool:  # structural equality (tests, dict keys)
        return isinstance(other, BV) and other.width == self.width and other.val == self.val

    def __hash__(self) -> int:
        return hash((self.width, self.val))

    def __bool__(self) -> bool:
        raise TypeError("a bit-vector has no truth value; use ite() or .as_int()")

    # -- operand coercion -----------------------------------------------------------------------
    def _other(self, other: Any) -> int | None:
        if type(other) is BV:
            if other.width != self.width:
                raise WidthError(f"width mismatch: {self.width} vs {other.width}")
            return other.val
        if isinstance(other, int):
            return other
        return None

    # -- arithmetic and bitwise -------------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, self.val + o)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, self.val - o)

    def __rsub__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, o - self.val)

    def __mul__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, self.val * o)

    __rmul__ = __mul__

    def __and__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, self.val & o)

    __rand__ = __and__

    def __or__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, self.val | o)

    __ror__ = __or__

    def __xor__(self, other: Any) -> Any:
        o = self._other(other)
        return NotImplemented if o is None else BV(self.width, self.val ^ o)

    __rxor__ = __xor__

    def __invert__(self) -> BV:
        return BV(self.width, ~self.val)

    def __neg__(self) -> BV:
        return BV(self.width, -self.val)

    def udiv(self, other: Any) -> Any:
        """Unsigned division, SMT-LIB convention: ``x / 0`` is all ones."""
        o = self._other(other)
        if o is None:
            return _promote(self, "udiv", other)
        o &= (1 << self.width) - 1
        return BV(self.width, self.val // o if o else -1)

    def urem(self, other: Any) -> Any:
        """Unsigned remainder, SMT-LIB convention: ``x % 0`` is ``x``."""
        o = self._other(other)
        if o is None:
            return _promote(self, "urem", other)
        o &= (1 << self.width) - 1
        return BV(self.width, self.val % o if o else self.val)

    def sdiv(self, other: Any) -> Any:
        """Signed division rounding toward zero (SMT-LIB ``bvsdiv``)."""
        o = self._other(other)
        if o is None:
            return _promote(self, "sdiv", other)
        b = BV(self.width, o).sval
        a = self.sval
        if b == 0:
            return BV(self.width, 1 if a < 0 else -1)
        q = abs(a) // abs(b)
        return BV(self.width, -q if (a < 0) != (b < 0) else q)

    # -- shifts and rotates (amount: int, or a bit-vector of any width read unsigned) --------------
    def lsl(self, amount: Any) -> Any:
        n = _amount(amount)
        if n is None:
            return _promote(self, "lsl", amount)
        return BV(self.width, self.val << n if n < self.width else 0)

    def lsr(self, amount: Any) -> Any:
        n = _amount(amount)
        if n is None:
            return _promote(self, "lsr", amount)
        return BV(self.width, self.val >> n)

    def asr(self, amount: Any) -> Any:
        n = _amount(amount)
        if n is None:
            return _promote(self, "asr", amount)
        return BV(self.width, self.sval >> min(n, self.width))

    def ror(self, amount: Any) -> Any:
        n = _amount(amount)
        if n is None:
            return _promote(self, "ror", amount)
        w = self.width
        n %= w
        v = self.val
        return BV(w, (v >> n) | (v << (w - n))) if n else self

    # -- slicing and width changes ----------------------------------------------------------------
    def extract(self, hi: int, lo: int) -> BV:
        if not 0 <= lo <= hi < self.width:
            raise WidthError(f"extract<{hi}:{lo}> out of range for width {self.width}")
        return BV(hi - lo + 1, self.val >> lo)

    def __getitem__(self, key: int | slice) -> BV:
        """ASL-style slicing: ``x[63:32]`` is ``x<63:32>``; ``x[5]`` is bit 5."""
        if isinstance(key, slice):
            return self.extract(key.start, key.stop)
        return self.extract(key, key)

    def zext(self, width: int) -> BV:
        if width < self.width:
            raise WidthError(f"zero-extend from {self.width} to smaller width {width}")
        return BV(width, self.val)

    def sext(self, width: int) -> BV:
        if width < self.width:
            raise WidthError(f"sign-extend from {self.width} to smaller width {width}")
        return BV(width, self.sval)

    def concat(self, *lows: Any) -> Any:
        """``self : lows[0] : lows[1] ...`` with ``self`` in the most significant bits."""
        width, val = self.width, self.val
        for low in lows:
            if type(low) is not BV:
                return _symbolic(self, "concat", low).concat(*lows)
            width += low.width
            val = (val << low.width) | low.val
        return BV(width, val)

    # -- comparisons, each a 1-bit result ----------------------------------------------------------
    def eq(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "eq", other) if o is None else (TRUE if self.val == o & self.mask else FALSE)

    def ne(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "ne", other) if o is None else (FALSE if self.val == o & self.mask else TRUE)

    def ult(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "ult", other) if o is None else (TRUE if self.val < o & self.mask else FALSE)

    def ule(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "ule", other) if o is None else (TRUE if self.val <= o & self.mask else FALSE)

    def ugt(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "ugt", other) if o is None else (TRUE if self.val > o & self.mask else FALSE)

    def uge(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "uge", other) if o is None else (TRUE if self.val >= o & self.mask else FALSE)

    def slt(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "slt", other) if o is None else (TRUE if self.sval < BV(self.width, o).sval else FALSE)

    def sle(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "sle", other) if o is None else (TRUE if self.sval <= BV(self.width, o).sval else FALSE)

    def sgt(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "sgt", other) if o is None else (TRUE if self.sval > BV(self.width, o).sval else FALSE)

    def sge(self, other: Any) -> Any:
        o = self._other(other)
        return _promote(self, "sge", other) if o is None else (TRUE if self.sval >= BV(self.width, o).sval else FALSE)

    @property
    def mask(self) -> int:
        return (1 << self.width) - 1

    # -- bit counting -------------------------------------------------------------------------------
    def clz(self) -> BV:
        """Count of leading zero bits, as a value of the same width."""
        return BV(self.width, self.width - self.val.bit_length())

    def popcount(self) -> BV:
        return BV(self.width, bin(self.val).count("1"))


# The symbolic side, registered by :mod:`bitvec.term` when it is imported (a term operand cannot exist before
# that): its term type and its ``lift``.  Concrete values depend on nothing; terms depend on them.
_symbolic_side: tuple[type, Callable[[Any, int | None], Any]] | None = None


def register_symbolic(term_type: type, lift: Callable[[Any, int | None], Any]) -> None:
    """Let concrete values combine with operands of ``term_type`` by lifting themselves with ``lift``."""
    global _symbolic_side
    _symbolic_side = (term_type, lift)


def _symbolic(value: BV, method: str, other: Any) -> Any:
    """``value`` as a term, when ``other`` is one; else the operand is not a bit vector."""
    if _symbolic_side is None or not isinstance(other, _symbolic_side[0]):
        raise TypeError(f"cannot use {other!r} as a bit-vector operand of {method}")
    return _symbolic_side[1](value, None)


def _promote(value: BV, method: str, other: Any) -> Any:
    """Apply ``method`` on the symbolic side when the other operand is a term."""
    return getattr(_symbolic(value, method, other), method)(other)


def _amount(amount: Any) -> int | None:
    if isinstance(amount, int):
        if amount < 0:
            raise ValueError(f"negative shift amount {amount}")
        return amount
    if type(amount) is BV:
        return amount.val
    return None


TRUE = BV(1, 1)
FALSE = BV(1, 0)


def const(val: int, width: int) -> BV:
    """A concrete ``width``-bit constant (the value is reduced modulo 2**width)."""
    return BV(width, val)
