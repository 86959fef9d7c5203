# SPDX-License-Identifier: Apache-2.0
"""``python -m ruimte``: the same as the ``ruimte`` command."""

from ruimte.cli.main import main

if __name__ == "__main__":
    main()
