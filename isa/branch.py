"""Branches (Arm ARM C4.1.93): conditional, compare-and-branch, test-and-branch, immediate, register.

Every branch writes its successor with ``branch_to``; a conditional one passes an if-then-else of the
target and the fall-through address, which the concrete machine resolves at once and the symbolic
stepper may split on.
"""

from __future__ import annotations

from bitvec import ite
from isa.decoder import Executor, decodes
from isa.machine import BranchType, Machine
from isa.pseudocode import ConditionHolds, SInt


@decodes("B_only_condbranch")
def b_cond(imm19: int, cond: int) -> Executor:
    """B.cond (C6.2.26): branch to PC + offset if ``ConditionHolds(cond)``."""
    offset = SInt(imm19, 19) << 2

    def execute(s: Machine) -> None:
        pc = s.PC
        s.branch_to(ite(ConditionHolds(cond, s.nzcv()), pc + offset, pc + 4), BranchType.DIR)

    return execute


@decodes("B_only_branch_imm", "BL_only_branch_imm")
def b_imm(op: int, imm26: int) -> Executor:
    """B and BL (C6.2.25, C6.2.34)."""
    offset = SInt(imm26, 26) << 2
    link = op == 1

    def execute(s: Machine) -> None:
        pc = s.PC
        if link:
            s.set_X(30, pc + 4)
        s.branch_to(pc + offset, BranchType.DIRCALL if link else BranchType.DIR)

    return execute


@decodes("CBZ_32_compbranch", "CBNZ_32_compbranch", "CBZ_64_compbranch", "CBNZ_64_compbranch")
def compare_branch(sf: int, op: int, imm19: int, Rt: int) -> Executor:
    """CBZ / CBNZ (C6.2.47, C6.2.46)."""
    datasize = 64 if sf else 32
    offset = SInt(imm19, 19) << 2
    iszero = op == 0

    def execute(s: Machine) -> None:
        operand = s.X(Rt, datasize)
        taken = operand.eq(0) if iszero else operand.ne(0)
        pc = s.PC
        s.branch_to(ite(taken, pc + offset, pc + 4), BranchType.DIR)

    return execute


@decodes("TBZ_only_testbranch", "TBNZ_only_testbranch")
def test_branch(b5: int, op: int, b40: int, imm14: int, Rt: int) -> Executor:
    """TBZ / TBNZ (C6.2.379, C6.2.378): branch on one bit of a register."""
    bit_pos = (b5 << 5) | b40
    datasize = 64 if b5 else 32
    offset = SInt(imm14, 14) << 2
    bit_val = op  # TBZ branches on 0, TBNZ on 1

    def execute(s: Machine) -> None:
        taken = s.X(Rt, datasize)[bit_pos].eq(bit_val)
        pc = s.PC
        s.branch_to(ite(taken, pc + offset, pc + 4), BranchType.DIR)

    return execute


@decodes("BR_64_branch_reg", "BLR_64_branch_reg", "RET_64R_branch_reg")
def branch_register(opc: int, Rn: int) -> Executor:
    """BR, BLR, RET (C6.2.37, C6.2.35, C6.2.254): branch to a register; BLR links after reading Rn."""
    kind = {0: BranchType.INDIR, 1: BranchType.INDCALL, 2: BranchType.RET}[opc]

    def execute(s: Machine) -> None:
        target = s.X(Rn, 64)
        if kind is BranchType.INDCALL:
            s.set_X(30, s.PC + 4)
        s.branch_to(target, kind)

    return execute
