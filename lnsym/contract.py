"""The contract language for users' contract files: ``from lnsym.contract import Buffer, Contract, ...``.

The definitions live in :mod:`lnsym.prove.contract`; this module is their stable public name."""

from lnsym.prove.contract import *  # noqa: F403
from lnsym.prove.contract import __all__ as __all__
