"""``python -m geo`` runs the ``geo`` command; without its dependencies it says how to get them
(``make build``) instead of ending in a traceback."""

import sys

from geo.errors import missing_dependency

try:
    from geo.cli import main
except ModuleNotFoundError as exc:
    advice = missing_dependency(exc)
    if advice is None:
        raise
    print(advice, file=sys.stderr)
    sys.exit(2)

main()
