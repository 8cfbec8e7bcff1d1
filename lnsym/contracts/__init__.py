"""Built-in contracts for third-party code, addressed as ``openssl:<symbol>`` by ``lnsym verify``."""
