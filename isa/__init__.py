"""A64 instruction semantics: the encoding table, its decode functions and shared pseudocode."""

from __future__ import annotations

from functools import lru_cache

from isa import branch, dp_imm, dp_reg, ldst, system  # noqa: F401  (registers decode functions)
from isa.decoder import DecodeError, Decoder, Pattern, Undefined, parse_table, registry
from isa.encodings import TABLE

__all__ = ["DecodeError", "Decoder", "Pattern", "Undefined", "decoder"]


@lru_cache(maxsize=1)
def decoder() -> Decoder:
    """The decoder for every encoding in :data:`isa.encodings.TABLE`, bound to its semantics."""
    patterns = parse_table(TABLE)
    decode_fns = registry()
    for p in patterns:
        p.decode = decode_fns.get(p.name)
    return Decoder(patterns)
