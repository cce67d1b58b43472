"""Settings: which municipality publishes, where its table is and where outputs go.

Read from a small TOML file (``geo.toml`` at the project root by default) so that another
municipality publishes its own relations by swapping the table and this file. Pure data; the only
I/O is :func:`read_settings`, which opens the file.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from geo.errors import SettingsError

DEFAULT_CONFIG_NAME = "geo.toml"
DEFAULT_BASEMAP = "data/basemap/countries-110m.geojson"


@dataclass(frozen=True)
class Home:
    """The home city that the office belongs to."""

    name_sv: str
    name_en: str
    country: str
    geonames_id: int
    office_radius_km: float = 10.0


@dataclass(frozen=True)
class Publisher:
    """Who publishes the open data, for the metadata and the landing page (``[publisher]``)."""

    name: str
    email: str
    base_url: str | None = None  # default of ``geo publish --base-url``
    type: str = "http://purl.org/adms/publishertype/LocalAuthority"
    phone: str | None = None
    homepage: str | None = None
    contact_name: str | None = None  # vcard:fn of the contact point; default: the name
    description: str | None = None  # a line about the publisher (dcterms:description)
    identifier: str | None = None  # e.g. the organisation number (dcterms:identifier)


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know besides the table itself."""

    home: Home
    places: Path
    layers_dir: Path
    maps_dir: Path
    tolerance_km: float = 25.0
    root: Path = field(default_factory=Path.cwd)
    basemap: Path = Path(DEFAULT_BASEMAP)
    extra: dict[str, Any] = field(default_factory=dict)
    publisher: Publisher | None = None  # needed by ``geo publish`` only

    def display(self, path: Path) -> str:
        """Return `path` relative to the project root where possible, for messages."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


# The sections a settings file may hold, and the keys of each (`map` is checked by geo.render).
SECTIONS: dict[str, set[str] | None] = {
    "home": {"name_sv", "name_en", "country", "geonames_id", "office_radius_km"},
    "source": {"places"},
    "validation": {"tolerance_km"},
    "output": {"layers", "maps"},
    "map": None,
    "publisher": {
        "name",
        "email",
        "base_url",
        "type",
        "phone",
        "homepage",
        "contact_name",
        "description",
        "identifier",
    },
}


def _check_sections(table: dict[str, Any], where: str) -> None:
    for name, value in table.items():
        if name not in SECTIONS:
            raise SettingsError(
                f"{where}: unknown section `[{name}]`; expected one of "
                + ", ".join(f"[{s}]" for s in SECTIONS)
                + ". Is it misspelt?"
            )
        if not isinstance(value, dict):
            raise SettingsError(f"{where}: `{name}` must be a section ([{name}]); got {value!r}.")
        keys = SECTIONS[name]
        for key in value:
            if keys is not None and key not in keys:
                raise SettingsError(
                    f"{where}: unknown setting `{name}.{key}`; expected one of "
                    + ", ".join(sorted(keys))
                    + "."
                )


def _require(table: dict[str, Any], section: str, key: str, kind: type, where: str) -> Any:
    value = table.get(section, {}).get(key)
    if value is None:
        raise SettingsError(
            f"{where}: missing setting `{section}.{key}`; expected a {kind.__name__}."
        )
    return _typed(value, section, key, kind, where)


def _typed(value: Any, section: str, key: str, kind: type, where: str) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise SettingsError(
            f"{where}: setting `{section}.{key}` has the wrong type; "
            f"expected a {kind.__name__}, got {value!r}."
        )
    if kind is float and not (math.isfinite(value) and value > 0):
        raise SettingsError(
            f"{where}: setting `{section}.{key}` is {value!r}; expected a positive number of km."
        )
    return value


def _optional(
    table: dict[str, Any], section: str, key: str, kind: type, default: Any, where: str
) -> Any:
    value = table.get(section, {}).get(key)
    return default if value is None else _typed(value, section, key, kind, where)


def load_settings(fp: BinaryIO, root: Path, where: str = DEFAULT_CONFIG_NAME) -> Settings:
    """Parse settings from an open TOML file; relative paths are taken from `root`."""
    try:
        table = tomllib.load(fp)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{where}: not valid TOML; {exc}.") from exc
    _check_sections(table, where)
    home = Home(
        name_sv=_require(table, "home", "name_sv", str, where),
        name_en=_require(table, "home", "name_en", str, where),
        country=_require(table, "home", "country", str, where),
        geonames_id=_require(table, "home", "geonames_id", int, where),
        office_radius_km=_optional(table, "home", "office_radius_km", float, 10.0, where),
    )
    known = {"home", "source", "validation", "output", "publisher"}
    return Settings(
        home=home,
        places=root / _require(table, "source", "places", str, where),
        layers_dir=root / _optional(table, "output", "layers", str, "data/layers", where),
        maps_dir=root / _optional(table, "output", "maps", str, "maps", where),
        tolerance_km=_optional(table, "validation", "tolerance_km", float, 25.0, where),
        root=root,
        basemap=root / _optional(table, "map", "basemap", str, DEFAULT_BASEMAP, where),
        extra={k: v for k, v in table.items() if k not in known},
        publisher=_publisher(table, where),
    )


def _publisher(table: dict[str, Any], where: str) -> Publisher | None:
    if "publisher" not in table:
        return None
    section = table["publisher"]
    optional = {}
    for key in (
        "base_url",
        "type",
        "phone",
        "homepage",
        "contact_name",
        "description",
        "identifier",
    ):
        if key in section:
            optional[key] = _require(table, "publisher", key, str, where)
    return Publisher(
        name=_require(table, "publisher", "name", str, where),
        email=_require(table, "publisher", "email", str, where),
        **optional,
    )


def read_settings(path: Path | str | None = None) -> Settings:
    """Read settings from `path`, or from ``geo.toml`` in the current directory."""
    path = Path(path) if path is not None else Path.cwd() / DEFAULT_CONFIG_NAME
    try:
        with path.open("rb") as fp:
            return load_settings(fp, root=path.resolve().parent, where=str(path))
    except FileNotFoundError as exc:
        raise SettingsError(
            f"{path}: settings file not found; expected a TOML file such as geo.toml. "
            "Run geo from the project root or pass --config."
        ) from exc
