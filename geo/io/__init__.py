"""Reading and writing files: the table, the basemap, render stamps, and the only writer."""

import hashlib


def sha256(data: bytes) -> str:
    """Hex SHA-256 of `data`: checksums of published files and render stamps."""
    return hashlib.sha256(data).hexdigest()
