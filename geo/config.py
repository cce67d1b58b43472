"""Settings: which municipality publishes, where its table is, where outputs go, how maps load.

Read from a small TOML file (``geo.toml`` at the project root by default) so that another
municipality publishes its own relations with its own table and settings. This module owns the
whole file, every section included. Settings are data: each value is checked for its type and
form when read (URLs http or https, an e-mail a real address, text by the rules of
:mod:`geo.textrules` and within a sane length), and every problem is reported at once, naming
the file, the key and the rule (:class:`~geo.errors.SettingsError`, exit status 2). The only I/O
is :func:`read_settings`, which opens the file. The ``[publisher]`` section is read by
:mod:`geo.publisher`, the ``[map]`` section by :mod:`geo.mapsettings`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from geo import textrules
from geo.codes import Problem
from geo.errors import NotAFileError, SettingsError, UsageError
from geo.io.own import open_input, reason
from geo.mapsettings import MapSettings, read_map
from geo.publisher import Publisher, read_publisher
from geo.schema import Schema, schema
from geo.text import FALLBACK
from geo.text import languages as catalogue_languages
from geo.tomlcheck import TableChecker as _Checker
from geo.tomlcheck import show as _show

__all__ = [
    "Home",
    "MapSettings",
    "Publisher",
    "Settings",
    "read_settings",
]  # MapSettings and Publisher: their sections' own modules

DEFAULT_CONFIG_NAME = "geo.toml"
MAX_MEGABYTES = 512.0  # [source] max_megabytes: a table of a million places and more
SETTINGS_LIMIT = 1 << 20  # bytes of a settings file (the shipped one has 3,000)
# The languages of the pages, maps and metadata (``[output] languages``); the first is the main
# one (its landing page is index.html).
DEFAULT_LANGUAGES: tuple[str, ...] = ("sv", "en")


@dataclass(frozen=True)
class Home:
    """The home city that the office belongs to, with its name in each language."""

    names: Mapping[str, str]  # by language: every page language and English (``name_xx``)
    country: str
    geonames_id: int
    office_radius_km: float = 10.0

    def name(self, lang: str) -> str:
        """The home city's name in `lang` (in English if the settings give none)."""
        return self.names.get(lang) or self.names[FALLBACK]


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
    max_megabytes: float = MAX_MEGABYTES  # the size limit of the table (``[source]``)
    languages: tuple[str, ...] = DEFAULT_LANGUAGES  # of the pages; the first is the main one
    # The home city's Wikidata items (``[home] wikidata``), for ``geo crosscheck``. Kept out of
    # `home`, whose fields key the maps' renders: the maps do not show them.
    home_wikidata: tuple[str, ...] = ()

    @property
    def schema(self) -> Schema:
        """The table's columns: the shared ones and a name and description per language."""
        return schema(self.languages)

    def checked_publisher(self) -> Publisher:
        """The ``[publisher]`` section, which publishing needs; :class:`SettingsError` if the
        settings have none."""
        if self.publisher is None:
            raise SettingsError(
                f"{self.file}: missing section `[publisher]`; expected name, email (and "
                "base_url, phone, homepage). See docs/publishing.md."
            )
        return self.publisher

    def display(self, path: Path) -> str:
        """Return `path` relative to the project root where possible, for messages."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
            return str(path)


# --- sections ----------------------------------------------------------------------------------

SECTIONS: dict[str, tuple[str, ...]] = {
    "home": (
        *(f"name_{lang}" for lang in catalogue_languages()),
        "country",
        "geonames_id",
        "office_radius_km",
        "wikidata",
    ),
    "source": ("places", "encoding", "max_megabytes"),
    "validation": ("tolerance_km",),
    "output": ("layers", "maps", "languages"),
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


def languages_ok(value: object) -> bool:
    """Whether `value` can be the page languages: a list of codes of languages with a text
    catalogue (:func:`geo.text.languages`), at least one, each once."""
    known = catalogue_languages()
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(v in known for v in value)
        and len(set(value)) == len(value)
    )


def parse_languages(text: str, where: str) -> tuple[str, ...]:
    """``de,en`` (an option's value, named `where` in the message) as page languages."""
    langs = tuple(code.strip() for code in text.split(","))
    if not languages_ok(langs):
        raise UsageError(
            f"{where}: {text!r} is not a list of languages; expected codes with a text "
            "catalogue, each once, separated by commas, such as de,en (known: "
            f"{', '.join(catalogue_languages())})."
        )
    return langs


def _languages(c: _Checker) -> tuple[str, ...]:
    """``[output] languages``: codes of catalogued languages, each once; the default if unset."""
    value = c.get("output", "languages")
    if value is None:
        return DEFAULT_LANGUAGES
    if not languages_ok(value):
        c.fail(
            "settings/bad-choice",
            "output.languages",
            f"`output.languages` is {_show(value)}",
            "a list of language codes, each once, from " + ", ".join(catalogue_languages()),
            "A language needs its text catalogue in geo/text/ (see docs/architecture.md).",
        )
        return DEFAULT_LANGUAGES
    return tuple(value)


def _home(c: _Checker, languages: tuple[str, ...]) -> Home | None:
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
    needed = dict.fromkeys((*languages, FALLBACK))
    names = {lang: c.text("home", f"name_{lang}", lang in needed) for lang in catalogue_languages()}
    radius = c.number("home", "office_radius_km", 10.0)
    if any(names[lang] is None for lang in needed) or country is None or gid is None:
        return None
    own = {lang: name for lang, name in names.items() if name is not None}
    return Home(own, country, gid, office_radius_km=radius)


def _home_wikidata(c: _Checker) -> tuple[str, ...]:
    """``[home] wikidata``: one item id or a list of them (the city's, its municipality's)."""
    from geo.crosscheck.result import is_qid

    ids = c.strings("home", "wikidata", 'an item id or a list of them: ["Q25287", "Q52502"]')
    if bad := [_show(v) for v in ids if not is_qid(v)]:
        c.fail(
            "settings/bad-wikidata",
            "home.wikidata",
            f"`home.wikidata` holds {', '.join(bad[:3])}",
            "Wikidata item ids, Q followed by digits, such as Q25287",
        )
        return ()
    return tuple(dict.fromkeys(ids))


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
    languages = _languages(c)
    home = _home(c, languages)
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
        map=read_map(c),
        publisher=read_publisher(c),
        file=where,
        encoding=encoding,
        max_megabytes=c.number("source", "max_megabytes", MAX_MEGABYTES, "a positive number of MB"),
        languages=languages,
        home_wikidata=_home_wikidata(c),
    )
    if c.problems or home is None:
        raise SettingsError.of(*c.problems)
    return settings


UNREADABLE_HINT = (
    "Run geo from the project's folder, or name the file with --config "
    "(in Python: read_settings(path))."
)


def read_settings(path: Path | str | None = None) -> Settings:
    """Read settings from `path`, or from ``geo.toml`` in the current directory."""
    where = textrules.terminal_safe(str(path) if path is not None else DEFAULT_CONFIG_NAME)
    path = Path(path) if path is not None else Path.cwd() / DEFAULT_CONFIG_NAME
    try:
        with open_input(path, "a settings file (TOML)", SETTINGS_LIMIT, where) as fp:
            return load_settings(fp, root=path.resolve().parent, where=where)
    except NotAFileError as exc:  # a named pipe, a device, a folder: refused before any read
        raise SettingsError.of(
            Problem(
                "settings/unreadable",
                exc.found,
                where,
                expected="a TOML file such as geo.toml, a regular file"
                + (f" of at most {SETTINGS_LIMIT:,} bytes" if exc.too_large else ""),
                hint=UNREADABLE_HINT,
            )
        ) from exc
    except OSError as exc:
        said = {
            FileNotFoundError: "settings file not found",
            IsADirectoryError: "is a folder, not a settings file",
            PermissionError: "cannot be read (permission denied)",
        }.get(type(exc), f"cannot be read ({reason(exc)})")
        raise SettingsError.of(
            Problem(
                "settings/unreadable",
                said,
                where,
                expected="a TOML file such as geo.toml",
                hint=UNREADABLE_HINT,
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
