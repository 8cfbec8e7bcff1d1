"""Advanced SIMD integer data processing (Arm ARM C4.1.95): importing this module registers the decode
functions of the ``asimd*``/``asisd*`` encodings of isa/encodings_advsimd.py and of FMOV (general).

The semantics are split by group:

* :mod:`isa.advsimd_move`  -- modified immediate, copy, FMOV (general), EXT, TBL/TBX, UZP/TRN/ZIP;
* :mod:`isa.advsimd_arith` -- three same, two-register miscellaneous, across lanes, pairwise, three different;
* :mod:`isa.advsimd_shift` -- shift by immediate;
* :mod:`isa.advsimd_common` -- arrangement checks and element-wise maps they share.
"""

from __future__ import annotations

from isa import advsimd_arith, advsimd_move, advsimd_shift

__all__ = ["advsimd_arith", "advsimd_move", "advsimd_shift"]
