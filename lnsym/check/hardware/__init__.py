"""Conformance against real Arm machines: a versioned trace format (:mod:`.trace`), a generator of
self-contained C harnesses that record traces on an Arm Linux machine or under ``qemu-aarch64``
(:mod:`.generate`), and the replay of traces on lnsym (:mod:`.replay`).  See docs/conformance-traces.md."""
