"""Settings: which municipality publishes, where its table is, where outputs go, how maps load.

Read from a small TOML file (``geo.toml`` at the project root by default) so that another
municipality publishes its own relations with its own table and settings. This module owns the
whole file, every section included. Settings are data: each value is checked for its type and
form when read (URLs http or https, an e-mail a real address, text by the rules of
:mod:`geo.textrules` and within a sane length), and every problem is reported at once, naming
the file, the key and the rule (:class:`~geo.errors.SettingsError`, exit status 2). The only I/O
is :func:`read_settings`, which opens the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from geo import textrules
from geo.codes import Problem
from geo.errors import SettingsError
from geo.tomlcheck import TableChecker as _Checker
from geo.tomlcheck import show as _show
from geo.urls import email_problem, url_problem

DEFAULT_CONFIG_NAME = "geo.toml"
ASSET_MODES: tuple[str, ...] = ("local", "inline", "cdn")
TEXT_LIMIT = 300  # characters of a one-line setting
DESCRIPTION_LIMIT = 2000


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
    identifier: str | None = None  # the Swedish organisation number, NNNNNN-NNNN (checked)
    ogcapi: bool = False  # the folder is served with its OGC API (docs/publishing.md)

    @property
    def organisation_number(self) -> str | None:
        """The organisation number's ten digits (no hyphen), if `identifier` gives one."""
        return self.identifier.replace("-", "") if self.identifier else None


@dataclass(frozen=True)
class MapSettings:
    """The ``[map]`` section: how the maps load their assets and where the snippet points."""

    assets: str = "local"
    tiles: str | None = None
    tiles_attribution: str | None = None
    url: str = ""  # where maps/ is published, for the iframe snippet (empty: relative links)
    data_url: str = "../data/layers/all.geojson"
    layers_url: str = "../data/layers/"  # where a large table's pages fetch the layers


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know besides the table itself."""

    home: Home
    places: Path
    layers_dir: Path
    maps_dir: Path
    tolerance_km: float = 25.0
    root: Path = field(default_factory=Path.cwd)
    basemap: Path | None = None  # None: the outlines shipped inside the package
    map: MapSettings = field(default_factory=MapSettings)
    publisher: Publisher | None = None  # needed by ``geo publish`` only
    file: str = DEFAULT_CONFIG_NAME  # the settings file used, as messages name it
    encoding: str | None = None  # of a CSV table that is not UTF-8 (``[source] encoding``)

    def display(self, path: Path) -> str:
        """Return `path` relative to the project root where possible, for messages."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
            return str(path)


# --- sections ----------------------------------------------------------------------------------

SECTIONS: dict[str, tuple[str, ...]] = {
    "home": ("name_sv", "name_en", "country", "geonames_id", "office_radius_km"),
    "source": ("places", "encoding"),
    "validation": ("tolerance_km",),
    "output": ("layers", "maps"),
    "map": ("assets", "tiles", "tiles_attribution", "basemap", "url", "data_url", "layers_url"),
    "publisher": (
        "name",
        "email",
        "base_url",
        "type",
        "phone",
        "homepage",
        "contact_name",
        "description",
        "identifier",
        "ogcapi",
    ),
}


def _home(c: _Checker) -> Home | None:
    country = c.text("home", "country", required=True)
    if country is not None and not (len(country) == 2 and country.isascii() and country.isupper()):
        c.fail(
            "settings/bad-text",
            "home.country",
            f"`home.country` is {_show(country)}",
            "an ISO 3166-1 alpha-2 code such as SE",
        )
    gid = c.typed("home", "geonames_id", int, required=True)
    if gid is not None and gid <= 0:
        c.fail(
            "settings/bad-number",
            "home.geonames_id",
            f"`home.geonames_id` is {gid}",
            "a GeoNames id, a positive whole number",
        )
    values = (c.text("home", "name_sv", True), c.text("home", "name_en", True), country, gid)
    radius = c.number("home", "office_radius_km", 10.0)
    if any(v is None for v in values):
        return None
    return Home(*values, office_radius_km=radius)  # type: ignore[arg-type]


def _map(c: _Checker) -> MapSettings:
    assets = c.text("map", "assets") or "local"
    if assets not in ASSET_MODES:
        c.fail(
            "settings/bad-choice",
            "map.assets",
            f"`map.assets` is {_show(assets)}",
            "one of " + ", ".join(ASSET_MODES),
        )
    tiles = c.text("map", "tiles")
    if tiles is not None:
        filled = tiles.replace("{z}", "1").replace("{x}", "1").replace("{y}", "1")
        filled = filled.replace("{s}", "a").replace("{r}", "")
        if (
            not all(p in tiles for p in ("{z}", "{x}", "{y}"))
            or "{" in filled
            or "}" in filled
            or (url_problem(filled, relative=False) or not filled.startswith("https://"))
        ):
            c.fail(
                "settings/bad-tiles",
                "map.tiles",
                f"`map.tiles` {_show(tiles)} is not usable",
                "an https URL template with {z}, {x} and {y}",
            )
            tiles = None
    attribution = c.text("map", "tiles_attribution")
    if c.get("map", "tiles") is not None and not attribution:
        c.fail(
            "settings/missing",
            "map.tiles_attribution",
            "`map.tiles` needs `tiles_attribution`",
            "the text the tile provider asks for, such as '© OpenStreetMap contributors'",
        )
    defaults = MapSettings()
    return MapSettings(
        assets=assets,
        tiles=tiles,
        tiles_attribution=attribution,
        url=c.url("map", "url", relative=True, default="") or "",
        data_url=c.url("map", "data_url", relative=True, default=defaults.data_url) or "",
        layers_url=c.url("map", "layers_url", relative=True, default=defaults.layers_url) or "",
    )


ORG_NUMBER = re.compile(r"[0-9]{6}-?[0-9]{4}")


def luhn_ok(digits: str) -> bool:
    """Whether the last digit of `digits` is the Luhn check digit of the others (as Swedish
    organisation and personal identity numbers use it)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def org_number_problem(text: str) -> str | None:
    """Why `text` is not a Swedish organisation number (ten digits, a hyphen after the sixth
    allowed, the last a Luhn check digit), or None if it is one."""
    if not ORG_NUMBER.fullmatch(text):
        return "is not ten digits (NNNNNN-NNNN)"
    if not luhn_ok(text.replace("-", "")):
        return "has a wrong check digit (the last digit; is a digit mistyped?)"
    return None


def _identifier(c: _Checker) -> str | None:
    identifier = c.text("publisher", "identifier")
    if identifier is not None and (problem := org_number_problem(identifier)):
        c.fail(
            "settings/bad-org-number",
            "publisher.identifier",
            f"`publisher.identifier` {_show(identifier)} {problem}",
            "the publisher's Swedish organisation number, such as 212000-1355",
            "Leave it out if the publisher has none.",
        )
        return None
    return identifier


def _publisher(c: _Checker) -> Publisher | None:
    if "publisher" not in c.table:
        return None
    email = c.text("publisher", "email", required=True)
    if email is not None and (problem := email_problem(email)):
        c.fail(
            "settings/bad-email",
            "publisher.email",
            f"`publisher.email` {_show(email)} {problem}",
            "an e-mail address such as opendata@example.se",
        )
        email = None
    base_url = c.url("publisher", "base_url", relative=False)
    values = {
        "name": c.text("publisher", "name", required=True),
        "email": email,
        "base_url": base_url,
        "type": c.url("publisher", "type", relative=False),
        "phone": c.text("publisher", "phone"),
        "homepage": c.url("publisher", "homepage", relative=False),
        "contact_name": c.text("publisher", "contact_name"),
        "description": c.text("publisher", "description", limit=DESCRIPTION_LIMIT),
        "identifier": _identifier(c),
        "ogcapi": c.typed("publisher", "ogcapi", bool),
    }
    if values["name"] is None or email is None:
        return None
    return Publisher(**{k: v for k, v in values.items() if v is not None})


def _encoding(c: _Checker) -> str | None:
    from geo.io.decode import check_encoding

    name = c.text("source", "encoding")
    if name is None:
        return None
    try:
        return check_encoding(name)
    except ValueError:
        c.fail(
            "settings/bad-choice",
            "source.encoding",
            f"`source.encoding` {_show(name)} is not an encoding Python knows",
            "a name such as windows-1252 or utf-8",
        )
        return None


def load_settings(fp: BinaryIO, root: Path, where: str = DEFAULT_CONFIG_NAME) -> Settings:
    """Parse settings from an open TOML file; relative paths are taken from `root`."""
    data = fp.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SettingsError.of(
            Problem(
                "settings/not-utf8",
                f"byte {data[exc.start : exc.start + 1]!r} on line {line} is not UTF-8",
                where,
                expected="a TOML file in UTF-8",
                hint="Save it as UTF-8 (in Notepad: Save as, Encoding UTF-8).",
            )
        ) from exc
    try:
        table = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:  # arrays nested thousands deep
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise SettingsError.of(
            Problem(
                "settings/not-toml",
                f"not valid TOML ({textrules.terminal_safe(reason)})",
                where,
                expected="TOML such as the shipped geo.toml",
            )
        ) from exc
    c = _Checker(table, where)
    c.check_sections(SECTIONS)
    home = _home(c)
    places = c.text("source", "places", required=True)
    basemap = c.text("map", "basemap")
    encoding = _encoding(c)
    settings = Settings(
        home=home,  # type: ignore[arg-type]  # checked below
        places=root / (places or ""),
        layers_dir=c.path(root, "output", "layers", "data/layers"),
        maps_dir=c.path(root, "output", "maps", "maps"),
        tolerance_km=c.number("validation", "tolerance_km", 25.0),
        root=root,
        basemap=root / basemap if basemap else None,
        map=_map(c),
        publisher=_publisher(c),
        file=where,
        encoding=encoding,
    )
    if c.problems or home is None:
        raise SettingsError.of(*c.problems)
    return settings


def read_settings(path: Path | str | None = None) -> Settings:
    """Read settings from `path`, or from ``geo.toml`` in the current directory."""
    where = textrules.terminal_safe(str(path) if path is not None else DEFAULT_CONFIG_NAME)
    path = Path(path) if path is not None else Path.cwd() / DEFAULT_CONFIG_NAME
    try:
        with path.open("rb") as fp:
            return load_settings(fp, root=path.resolve().parent, where=where)
    except OSError as exc:
        reason = {
            FileNotFoundError: "settings file not found",
            IsADirectoryError: "is a folder, not a settings file",
            PermissionError: "cannot be read (permission denied)",
        }.get(type(exc), f"cannot be read ({exc.strerror or exc})")
        raise SettingsError.of(
            Problem(
                "settings/unreadable",
                reason,
                where,
                expected="a TOML file such as geo.toml",
                hint="Run geo from the project's folder, or name the file with --config "
                "(in Python: read_settings(path)).",
            )
        ) from exc


def find_settings(start: Path | None = None) -> Path:
    """Where the Python API finds the settings: ``$GEO_CONFIG`` if set, else ``geo.toml`` in
    `start` (the current folder) or the nearest folder above it, as git finds its repository.

    A notebook in ``notebooks/`` thus finds the project's ``geo.toml``; anywhere else, the error
    says how to name the file.
    """
    import os

    named = os.environ.get("GEO_CONFIG")
    if named:
        return Path(named)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise SettingsError.of(
        Problem(
            "settings/unreadable",
            f"no {DEFAULT_CONFIG_NAME} in {here} or any folder above",
            DEFAULT_CONFIG_NAME,
            expected="the project's settings file",
            hint="Name it: geo.read_settings('path/to/geo.toml'), or set the environment "
            "variable GEO_CONFIG to its path.",
        )
    )
