"""The ``[publisher]`` section of the settings: who publishes the open data, for the metadata and
the landing page, each value checked when read (the e-mail a real address, links http(s), the
Swedish organisation number by its check digit). Part of :mod:`geo.config`, which reads the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.tomlcheck import TableChecker, show
from geo.urls import email_problem

DESCRIPTION_LIMIT = 2000


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

    @property
    def organisation_number(self) -> str | None:
        """The organisation number's ten digits (no hyphen), if `identifier` gives one."""
        return self.identifier.replace("-", "") if self.identifier else None


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


def _identifier(c: TableChecker) -> str | None:
    identifier = c.text("publisher", "identifier")
    if identifier is not None and (problem := org_number_problem(identifier)):
        c.fail(
            "settings/bad-org-number",
            "publisher.identifier",
            f"`publisher.identifier` {show(identifier)} {problem}",
            "the publisher's Swedish organisation number, such as 212000-1355",
            "Leave it out if the publisher has none.",
        )
        return None
    return identifier


def read_publisher(c: TableChecker) -> Publisher | None:
    if "publisher" not in c.table:
        return None
    email = c.text("publisher", "email", required=True)
    if email is not None and (problem := email_problem(email)):
        c.fail(
            "settings/bad-email",
            "publisher.email",
            f"`publisher.email` {show(email)} {problem}",
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
    }
    if values["name"] is None or email is None:
        return None
    return Publisher(**{k: v for k, v in values.items() if v is not None})
