"""Proof scripts for OpenSSL routines (they fetch Debian's libcrypto.a on first use: ``lnsym fetch openssl``)."""
