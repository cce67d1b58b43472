"""The pipeline's vocabulary: places, their kind and status, and problems. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a place is to the home city."""

    OFFICE = "office"
    PARTNER_CITY = "partner_city"
    FRIENDSHIP_TOWN = "friendship_town"


class Status(StrEnum):
    """Whether a relation is alive. The office has no status."""

    ACTIVE = "active"
    DORMANT = "dormant"


class Severity(StrEnum):
    """Errors stop a build; warnings are reported and let it go on."""

    ERROR = "error"
    WARNING = "warning"


# One snake_case name per layer everywhere: file stem, dict key, option value, map group.
LAYER_OF_KIND: dict[Kind, str] = {
    Kind.OFFICE: "office",
    Kind.PARTNER_CITY: "partner_cities",
    Kind.FRIENDSHIP_TOWN: "friendship_towns",
}
CONNECTIONS = "connections"
ALL = "all"
LAYERS: tuple[str, ...] = (*LAYER_OF_KIND.values(), CONNECTIONS)


@dataclass(frozen=True)
class Place:
    """One validated row of the source table."""

    id: str
    kind: Kind
    status: Status | None
    name_sv: str
    name_en: str
    name_local: str
    country: str
    lon: float
    lat: float
    since: int | None
    since_note: str | None
    description_sv: str
    description_en: str
    geonames_id: int
    geonames_note: str | None
    wikidata: str | None
    source: str
    as_of: str
    visiting_address: str | None = None
    postal_address: str | None = None
    phone: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located and explained.

    Rendered as ``<where>:<line> (<id>): <what>; expected <expected>. <hint> [<code>]``.
    """

    code: str
    what: str
    where: str
    line: int | None = None
    place_id: str | None = None
    field: str | None = None
    expected: str | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def location(self) -> str:
        loc = self.where if self.line is None else f"{self.where}:{self.line}"
        return f"{loc} ({self.place_id})" if self.place_id else loc

    def __str__(self) -> str:
        text = f"{self.location()}: "
        if self.severity is Severity.WARNING:
            text += "warning: "
        text += self.what
        if self.expected:
            text += f"; expected {self.expected}"
        text += "."
        if self.hint:
            text += f" {self.hint}"
        return f"{text} [{self.code}]"
