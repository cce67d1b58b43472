"""``python -m geo`` runs the ``geo`` command."""

from geo.cli import main

main()
