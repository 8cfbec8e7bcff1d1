"""Benchmarks, reported as ratios against a baseline run in the same process (``lnsym bench``): concrete
stepping against Unicorn (``concrete``), OpenSSL's SHA-256/AES-CTR Crypto Extension code (``simd``),
symbolic execution (``symbolic``) and every bundled and built-in proof (``proofs``)."""
