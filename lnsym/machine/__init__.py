"""Stage 2, machine: concrete execution.  Byte memory with permissions, the concrete machine state, the
stepper (decode through ``isa``'s table, execute its semantics on Python integers), the compiled fast path,
the AAPCS64 call harness, Unicorn as an independent oracle, and listings (disassembly, decode coverage).
Imports ``load`` (images to map)."""
