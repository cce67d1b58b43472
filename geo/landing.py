"""Stage 6d, landing page: the dataset, its downloads and its last change in, HTML bytes out.

One page per language, Swedish (``index.html``) and English (``en.html``), each linking the other.
They list every download in a table with header cells (file, format, size, licence, SHA-256,
last change), link the maps and the metadata, and show the latest change. Accessible as the map
is: ``lang``, a ``<title>``, one ``h1`` and ordered headings, a captioned table with ``th``
scopes, contrast well above 4.5:1, zoom not blocked, no script. Every string from the data or
the settings is HTML-escaped. Deterministic: no clock, no random ids. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from geo.config import Publisher
from geo.metadata import CC0_URL, Dataset, Download

PAGES = {"sv": "index.html", "en": "en.html"}
FORMAT_LABELS = {"geojson": "GeoJSON", "csv": "CSV", "gpkg": "GeoPackage"}

TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "other": "In English",
        "other_lang": "en",
        "intro": "Öppna data från {publisher}, fria att använda utan villkor (CC0).",
        "map": "Karta",
        "map_page": "Kartan",
        "map_embed": "Kartan för inbäddning (iframe)",
        "map_none": "Ingen karta ingår i den här publiceringen.",
        "downloads": "Nedladdningar",
        "caption": "Filer att ladda ner, med format, storlek, licens, kontrollsumma och "
        "senaste ändring",
        "file": "Fil",
        "format": "Format",
        "size": "Storlek",
        "licence": "Licens",
        "sha": "SHA-256",
        "changed": "Senast ändrad",
        "metadata": "Metadata",
        "datapackage": "Datapaket (Frictionless Data Package)",
        "catalog": "DCAT-AP-SE-katalog för Sveriges dataportal (RDF/XML)",
        "sums": "Kontrollsummor (sha256sum --check SHA256SUMS)",
        "changelog": "Ändringslogg",
        "changes_json": "Ändringar, maskinläsbart (JSON)",
        "latest": "Senaste ändring",
        "first": "Första publiceringen: {n} platser.",
        "added": "Tillagd",
        "removed": "Borttagen",
        "changed_field": "Ändrad",
        "csv_note": "Textceller i CSV-filen som skulle börja med =, +, -, @, tabb eller "
        "vagnretur får ett inledande ' så att inget kalkylprogram kör dem som formler. "
        "Kolumnerna lon, lat, since och geonames_id är tal och skrivs som de är.",
        "contact": "Kontakt",
        "title_suffix": "öppna data",
    },
    "en": {
        "other": "På svenska",
        "other_lang": "sv",
        "intro": "Open data from {publisher}, free to use without conditions (CC0).",
        "map": "Map",
        "map_page": "The map",
        "map_embed": "The map for embedding (iframe)",
        "map_none": "No map is part of this publication.",
        "downloads": "Downloads",
        "caption": "Files to download, with format, size, licence, checksum and last change",
        "file": "File",
        "format": "Format",
        "size": "Size",
        "licence": "Licence",
        "sha": "SHA-256",
        "changed": "Last change",
        "metadata": "Metadata",
        "datapackage": "Data package (Frictionless Data Package)",
        "catalog": "DCAT-AP-SE catalogue for the Swedish data portal (RDF/XML)",
        "sums": "Checksums (sha256sum --check SHA256SUMS)",
        "changelog": "Change log",
        "changes_json": "Changes, machine-readable (JSON)",
        "latest": "Latest change",
        "first": "First publication: {n} places.",
        "added": "Added",
        "removed": "Removed",
        "changed_field": "Changed",
        "csv_note": "Text cells in the CSV that would start with =, +, -, @, a tab or a "
        "carriage return get a leading ' so that no spreadsheet runs them as formulas. "
        "The columns lon, lat, since and geonames_id are numbers and are written as they are.",
        "contact": "Contact",
        "title_suffix": "open data",
    },
}

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;
color:#1a1a1a;background:#fff;margin:0 auto;max-width:72rem;padding:1rem}
a{color:#0b4f8a}a:focus-visible{outline:3px solid #0b4f8a;outline-offset:2px}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{border:1px solid #767676;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef2f6}td{white-space:nowrap}td.sha{white-space:normal;min-width:12rem}
code{font-size:.85em;word-break:break-all}
.wrap{overflow-x:auto}
"""


@dataclass(frozen=True)
class MapLink:
    """A page of the map, by path inside the folder."""

    path: str
    embed: bool


def size_text(n: int, lang: str) -> str:
    """Human size: bytes below 1 kB, else kB or MB with one decimal (decimal comma in sv)."""
    if n < 1000:
        text = f"{n} B"
    elif n < 1_000_000:
        text = f"{n / 1000:.1f} kB"
    else:
        text = f"{n / 1_000_000:.1f} MB"
    return text.replace(".", ",") if lang == "sv" else text


def _latest(entry: Mapping[str, Any] | None, t: Mapping[str, str]) -> list[str]:
    if entry is None:
        return []
    out = [f"<h2>{t['latest']}: {escape(entry['date'])}</h2>"]
    if entry.get("first_publication"):
        return [*out, f"<p>{escape(t['first'].format(n=len(entry['added'])))}</p>"]
    items = [f"{t['added']}: {escape(str(s.get('name_en') or s['id']))}" for s in entry["added"]]
    items += [
        f"{t['removed']}: {escape(str(s.get('name_en') or s['id']))}" for s in entry["removed"]
    ]
    for change in entry["changed"]:
        fields = ", ".join(escape(f["field"]) for f in change["fields"])
        items.append(f"{t['changed_field']}: {escape(change['name_en'])} ({fields})")
    return [*out, "<ul>", *[f"<li>{i}</li>" for i in items], "</ul>"]


def render_landing(
    lang: str,
    data: Dataset,
    downloads: Sequence[Download],
    publisher: Publisher,
    maps: Sequence[MapLink],
    latest: Mapping[str, Any] | None,
) -> bytes:
    """The landing page in `lang` (``sv`` or ``en``) as UTF-8 HTML."""
    t = TEXT[lang]
    other = t["other_lang"]
    title = f"{data.title[lang]}: {t['title_suffix']}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f'<link rel="alternate" hreflang="{other}" href="{PAGES[other]}">',
        f"<style>{STYLE.strip()}</style>",
        "</head>",
        "<body>",
        "<header>",
        f'<p><a href="{PAGES[other]}" lang="{other}" hreflang="{other}">{t["other"]}</a></p>',
        f"<h1>{escape(data.title[lang])}</h1>",
        f"<p>{escape(data.description[lang])}</p>",
        f"<p>{escape(t['intro'].format(publisher=publisher.name))}</p>",
        "</header>",
        "<main>",
        f"<h2>{t['map']}</h2>",
    ]
    if maps:
        out.append("<ul>")
        for link in maps:
            label = t["map_embed"] if link.embed else t["map_page"]
            out.append(f'<li><a href="{escape(link.path)}">{label}</a></li>')
        out.append("</ul>")
    else:
        out.append(f"<p>{t['map_none']}</p>")
    out += [
        f"<h2>{t['downloads']}</h2>",
        '<div class="wrap">',
        "<table>",
        f"<caption>{t['caption']}</caption>",
        "<thead><tr>",
        *[
            f'<th scope="col">{t[k]}</th>'
            for k in ("file", "format", "size", "licence", "sha", "changed")
        ],
        "</tr></thead>",
        "<tbody>",
    ]
    for d in downloads:
        out += [
            "<tr>",
            f'<th scope="row"><a href="{escape(d.path)}">{escape(d.title[lang])}</a>'
            f"<br><code>{escape(d.path)}</code></th>",
            f"<td>{FORMAT_LABELS.get(d.format, escape(d.format))}</td>",
            f"<td>{size_text(d.bytes, lang)}</td>",
            f'<td><a href="{CC0_URL}" hreflang="en">CC0 1.0</a></td>',
            f'<td class="sha"><code>{d.sha256}</code></td>',
            f"<td>{escape(d.last_change)}</td>",
            "</tr>",
        ]
    out += ["</tbody>", "</table>", "</div>", f"<p>{t['csv_note']}</p>"]
    out += [
        f"<h2>{t['metadata']}</h2>",
        "<ul>",
        f'<li><a href="datapackage.json">datapackage.json</a>: {t["datapackage"]}</li>',
        f'<li><a href="catalog.rdf">catalog.rdf</a>: {t["catalog"]}</li>',
        f'<li><a href="SHA256SUMS">SHA256SUMS</a>: {t["sums"]}</li>',
        f'<li><a href="CHANGELOG.md">CHANGELOG.md</a>: {t["changelog"]}</li>',
        f'<li><a href="changes.json">changes.json</a>: {t["changes_json"]}</li>',
        "</ul>",
        *_latest(latest, t),
        "</main>",
        "<footer>",
        f"<h2>{t['contact']}</h2>",
        f"<p>{escape(publisher.contact_name or publisher.name)}: "
        f'<a href="mailto:{escape(quote(publisher.email, safe="@"))}">'
        f"{escape(publisher.email)}</a></p>",
        "</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(out).encode("utf-8")
