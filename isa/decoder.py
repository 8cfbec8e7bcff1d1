"""Table-driven A64 decoding.

Encodings are declared in :mod:`isa.encodings` as one text table of bit patterns, in the style of
the Arm ARM encoding index and QEMU's decodetree.  A pattern line is::

    NAME   token token ...   [>OTHER ...]

read most-significant bit first, 32 bits in all, where a token is

* ``0101``        literal bits (``x`` = don't care),
* ``Rn:5``        a named field of 5 bits,
* ``sf=1``        a named field with a fixed value (the semantics still receive it),
* ``opc:2!=11``   a field that must not take the listed value(s) (comma separated),
* ``>OTHER``      this pattern deliberately overrides (is more specific than) ``OTHER``,
* ``@FEAT_X``      the architecture feature the encoding belongs to (default ``FEAT_AA64``, Armv8.0 base).

Semantics register a *decode function* per encoding name with :func:`decodes`.  Decoding calls it
with the fields as keyword arguments; it returns an *executor* ``f(state)`` or raises
:class:`Undefined` where the Arm ARM pseudocode says ``UNDEFINED``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Executor = Callable[[Any], None]
DecodeFn = Callable[..., Executor]


class Undefined(Exception):
    """The pseudocode's decode section reached ``UNDEFINED`` (an unallocated or reserved encoding)."""


class Unpredictable(Undefined):
    """The pseudocode reached ``CONSTRAINED UNPREDICTABLE``; lnsym refuses to pick a behaviour."""


class Unsupported(Exception):
    """A valid encoding whose behaviour lnsym does not model (e.g. an unmodelled system register)."""


class DecodeError(Exception):
    """No encoding matches ``word``, or the matching encoding is UNDEFINED for these field values."""

    def __init__(self, word: int, reason: str) -> None:
        super().__init__(f"{word:#010x}: {reason}")
        self.word = word
        self.reason = reason


@dataclass(frozen=True)
class Field:
    name: str
    lsb: int
    width: int
    excluded: tuple[int, ...] = ()

    def get(self, word: int) -> int:
        return (word >> self.lsb) & ((1 << self.width) - 1)


@dataclass
class Pattern:
    """One encoding: fixed bits (``mask``/``value``), named fields and overrides."""

    name: str
    mask: int
    value: int
    fields: tuple[Field, ...]
    overrides: tuple[str, ...] = ()
    group: str = ""
    feature: str = "FEAT_AA64"
    decode: DecodeFn | None = field(default=None, repr=False)

    @property
    def mnemonic(self) -> str:
        return self.name.split("_")[0]

    def matches(self, word: int) -> bool:
        if word & self.mask != self.value:
            return False
        return all(f.get(word) not in f.excluded for f in self.fields if f.excluded)

    def field_values(self, word: int) -> dict[str, int]:
        return {f.name: f.get(word) for f in self.fields}


_TOKEN = re.compile(r"^(?:(?P<bits>[01x]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                    r"(?::(?P<width>\d+)(?:!=(?P<excl>[01,]+))?|=(?P<fixed>[01]+)))$")


def parse_pattern(name: str, spec: str, group: str = "") -> Pattern:
    """Parse one table line's pattern tokens (see module docstring)."""
    mask = value = 0
    pos = 32
    fields: list[Field] = []
    overrides: list[str] = []
    feature = "FEAT_AA64"
    for tok in spec.split():
        if tok.startswith(">"):
            overrides.append(tok[1:])
            continue
        if tok.startswith("@"):
            feature = tok[1:]
            continue
        m = _TOKEN.match(tok)
        if not m:
            raise ValueError(f"{name}: bad pattern token {tok!r}")
        if m["bits"]:
            for ch in m["bits"]:
                pos -= 1
                if ch != "x":
                    mask |= 1 << pos
                    value |= int(ch) << pos
            continue
        if m["fixed"] is not None:
            width = len(m["fixed"])
            pos -= width
            mask |= ((1 << width) - 1) << pos
            value |= int(m["fixed"], 2) << pos
            fields.append(Field(m["name"], pos, width))
            continue
        width = int(m["width"])
        pos -= width
        excluded = tuple(int(v, 2) for v in m["excl"].split(",")) if m["excl"] else ()
        fields.append(Field(m["name"], pos, width, excluded))
    if pos != 0:
        raise ValueError(f"{name}: pattern covers {32 - pos} bits, not 32")
    return Pattern(name, mask, value, tuple(fields), tuple(overrides), group, feature)


def parse_table(text: str) -> list[Pattern]:
    """Parse the encoding table; ``## heading`` lines name the group of the lines that follow."""
    patterns: list[Pattern] = []
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("##"):
            group = line.lstrip("#").strip()
            continue
        if line.startswith("#"):
            continue
        name, spec = line.split(None, 1)
        patterns.append(parse_pattern(name, spec, group))
    names = [p.name for p in patterns]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ValueError(f"encoding names declared twice: {sorted(dupes)}")
    return patterns


_REGISTRY: dict[str, DecodeFn] = {}


def decodes(*names: str) -> Callable[[DecodeFn], DecodeFn]:
    """Register the decorated function as the decode section of the named encodings."""

    def register(fn: DecodeFn) -> DecodeFn:
        for n in names:
            if n in _REGISTRY:
                raise ValueError(f"encoding {n} has two decode functions")
            _REGISTRY[n] = fn
        return fn

    return register


def registry() -> dict[str, DecodeFn]:
    return dict(_REGISTRY)


class Decoder:
    """Matches words against the table; buckets patterns by bits <28:25> (the A64 ``op0``)."""

    def __init__(self, patterns: list[Pattern]) -> None:
        self.patterns = patterns
        self.by_name = {p.name: p for p in patterns}
        self._buckets: list[list[Pattern]] = [[] for _ in range(16)]
        for p in patterns:
            for op0 in range(16):
                if (op0 << 25) & p.mask == p.value & (0xF << 25) & p.mask:
                    self._buckets[op0].append(p)

    def matches(self, word: int) -> list[Pattern]:
        """All patterns matching ``word`` after applying declared overrides."""
        found = [p for p in self._buckets[(word >> 25) & 0xF] if p.matches(word)]
        if len(found) > 1:
            overridden = {o for p in found for o in p.overrides}
            found = [p for p in found if p.name not in overridden]
        return found

    def lookup(self, word: int) -> Pattern:
        found = self.matches(word)
        if not found:
            raise DecodeError(word, "no encoding in lnsym's table matches this word")
        if len(found) > 1:
            raise DecodeError(word, "ambiguous: " + ", ".join(p.name for p in found))
        return found[0]

    def decode(self, word: int) -> tuple[Pattern, Executor]:
        """Return the encoding and an executor for ``word``; raise :class:`DecodeError`."""
        pattern = self.lookup(word)
        if pattern.decode is None:
            raise DecodeError(word, f"{pattern.name} has no semantics")
        try:
            return pattern, pattern.decode(**pattern.field_values(word))
        except Unsupported as exc:
            raise DecodeError(word, f"{pattern.name}: not supported by lnsym ({exc})") from None
        except Unpredictable as exc:
            raise DecodeError(word, f"{pattern.name}: CONSTRAINED UNPREDICTABLE ({exc})") from None
        except Undefined as exc:
            raise DecodeError(word, f"{pattern.name}: UNDEFINED ({exc})") from None
