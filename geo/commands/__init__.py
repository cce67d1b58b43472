"""The commands beyond the core four (validate, build, publish, diff), one module each.

Each module holds one click command, its options in and one call into the Python API; the
command group in :mod:`geo.cli` registers them (``cli.add_command``) and runs every one inside
its one error handler. The options several commands share are in :mod:`geo.commands.options`.
"""
