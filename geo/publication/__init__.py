"""Stage 6, publish: assemble the open-data folder (see geo.publication.assemble)."""
