"""Benchmarks (``lnsym bench``), reported against a baseline run in the same process: real OpenSSL code on
lnsym and Unicorn (``workloads``, timed by ``runner`` over the engine helpers of ``simd``), a synthetic loop
(``concrete``), symbolic execution (``symbolic``) and every bundled and built-in proof (``proofs``)."""
