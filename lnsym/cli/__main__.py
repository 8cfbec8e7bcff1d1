"""``python -m lnsym.cli``: the ``lnsym`` command."""

import sys

from lnsym.cli.main import main

sys.exit(main())
