"""The bit-vector interface that all Arm semantics and crypto specifications are written against.

Two implementations share one interface:

* :class:`bitvec.concrete.BV` -- a width-carrying masked Python int (fast, for execution);
* :class:`bitvec.term.Term`  -- a hash-consed term DAG with constant folding (for symbolic
  execution), translatable to Z3 and SMT-LIB by :mod:`bitvec.z3backend`.

Semantics use operators (``+ - * & | ^ ~``) and the functions exported here; mixing a concrete
value with a term promotes the result to a term.  Booleans are 1-bit vectors.  Python ``==`` is
*structural* identity; use :meth:`eq`/:func:`eq` for the bit-vector comparison.
"""

from bitvec.concrete import BV, const
from bitvec.ops import (
    Value,
    asr,
    concat,
    eq,
    extract,
    ite,
    lookup,
    lsl,
    lsr,
    ne,
    replicate,
    ror,
    sdiv,
    sext,
    sge,
    sgt,
    sle,
    slt,
    udiv,
    uge,
    ugt,
    ule,
    ult,
    zext,
)
from bitvec.term import Term, var

__all__ = [
    "BV",
    "Term",
    "Value",
    "asr",
    "concat",
    "const",
    "eq",
    "extract",
    "ite",
    "lookup",
    "lsl",
    "lsr",
    "ne",
    "replicate",
    "ror",
    "sdiv",
    "sext",
    "sge",
    "sgt",
    "sle",
    "slt",
    "udiv",
    "uge",
    "ugt",
    "ule",
    "ult",
    "var",
    "zext",
]
