"""Stage 6, the ``lnsym`` command: one module per group of subcommands (``main``: the parser and the
small subcommands; ``verify``, ``image`` (disasm, coverage, run, fetch), ``mutate``) and the HTML
``report``.  The entry point is ``lnsym.cli.main:main``.  Imports every stage; ``lnsym bench`` reaches
the ``benchmarks`` package beside ``lnsym``."""
