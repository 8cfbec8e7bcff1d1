"""The call: AAPCS64 register roles and the fixed addresses at which lnsym calls a routine, shared by the
prover's symbolic initial state, the counterexample replays (lnsym's machine and Unicorn), the out-of-bounds
replay, mutation analysis and the consistency checks (the ``lnsym run`` harness places its buffers with
guard pages of its own, :mod:`lnsym.machine.harness`)."""

SENTINEL = 0xFFFF_FFFF_FFF0_0000  # the return address in X30: reaching it ends the call (outside any image)
STACK_BASE, STACK_SIZE = 0x7F00_0000, 0x1_0000  # the stack region (64 KiB)
ENTRY_SP = STACK_BASE + STACK_SIZE - 256  # SP at the call; the 256 bytes above it are the caller's frame
CALLER_FRAME = ENTRY_SP - STACK_BASE  # offset in the stack region of the first byte of the caller's frame
BUFFER_BASE, BUFFER_STRIDE = 0x5000_0000, 0x10_0000  # concrete buffers when a model's addresses cannot be used

CALLEE_SAVED_X = range(19, 30)  # AAPCS64 6.1.1: X19-X29 are restored by the callee
CALLEE_SAVED_D = range(8, 16)  # AAPCS64 6.1.2: the low 64 bits of V8-V15
PLATFORM_REGISTER = 18  # AAPCS64 6.1.1: X18; lnsym's policy is that a routine preserves it
MASK64 = (1 << 64) - 1
