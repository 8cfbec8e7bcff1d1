"""Reference specifications of the cryptographic primitives lnsym proves programs against.

Each module is written from its standard (FIPS 180-4, FIPS 197, NIST SP 800-38D, FIPS 202,
RFC 8439, the ISO-HDLC and Castagnoli CRCs) against the :mod:`bitvec` interface only, so the same
code runs on concrete :class:`bitvec.BV` values and on symbolic :class:`bitvec.Term` values.
Bytes-level convenience functions (``sha256(b"...")`` and so on) run the same generic code on
concrete values.  The package imports nothing but :mod:`bitvec` and the standard library.

Modules: :mod:`~crypto_specs.sha1`, :mod:`~crypto_specs.sha2`, :mod:`~crypto_specs.aes`,
:mod:`~crypto_specs.ghash`, :mod:`~crypto_specs.keccak`, :mod:`~crypto_specs.chacha20`,
:mod:`~crypto_specs.poly1305`, :mod:`~crypto_specs.crc32`.
"""
