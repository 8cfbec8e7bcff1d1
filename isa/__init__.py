"""A64 instruction semantics: the encoding tables, their decode functions and shared pseudocode."""

from __future__ import annotations

from functools import lru_cache

from isa import (  # noqa: F401  (registers semantics)
    advsimd,
    branch,
    crypto,
    dp_imm,
    dp_reg,
    encodings,
    encodings_advsimd,
    encodings_crypto,
    encodings_simd_ldst,
    ldst,
    simd_ldst,
    system,
)
from isa.decoder import DecodeError, Decoder, Pattern, Undefined, parse_table, registry

__all__ = ["TABLE", "DecodeError", "Decoder", "Pattern", "Undefined", "decoder"]

# base ISA, then SIMD&FP loads/stores, Advanced SIMD data processing, cryptographic extensions
TABLE = encodings.TABLE + encodings_simd_ldst.TABLE + encodings_advsimd.TABLE + encodings_crypto.TABLE


@lru_cache(maxsize=1)
def decoder() -> Decoder:
    """The decoder for every encoding in :data:`TABLE`, bound to its semantics."""
    patterns = parse_table(TABLE)
    decode_fns = registry()
    for p in patterns:
        p.decode = decode_fns.get(p.name)
    return Decoder(patterns)
