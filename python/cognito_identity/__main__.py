"""``python -m cognito_identity``: the ``cognito-identity`` command."""

from __future__ import annotations

import sys

from cognito_identity.cli import main

if __name__ == "__main__":
    sys.exit(main())
