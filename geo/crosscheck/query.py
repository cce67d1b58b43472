"""The cross-check's one SPARQL query to the Wikidata Query Service, made from the settings and
the table (no I/O).

The query asks for every P190 ("twinned administrative body") statement whose subject or object
is one of the *nodes* (the home city's items from ``[home] wikidata``, the item Wikidata links to
the home city's GeoNames id, and the table's ``wikidata`` ids), with its start and end time
qualifiers (P580, P582) and the labels of both items; and for the GeoNames links (P1566) of the
same items and of the places' GeoNames ids, which let the check see a wrong or missing id.
Deprecated statements are left out (Wikidata marks them as known to be wrong), and so are
"unknown value" twins. docs/crosscheck.md shows the query as made for Göteborg.

Only checked values reach the text: item ids that match ``Q[1-9][0-9]*`` and GeoNames ids that
are positive whole numbers, so nothing from the table or the settings can change the query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from geo.crosscheck.result import is_qid, qid_key

ENDPOINT = "https://query.wikidata.org/sparql"


def _items(qids: Iterable[str]) -> str:
    qids = list(qids)
    for qid in qids:
        if not is_qid(qid):
            raise ValueError(f"not a Wikidata item id: {qid!r}")
    return " ".join(f"wd:{qid}" for qid in sorted(set(qids), key=qid_key))


def _geonames(ids: Iterable[int]) -> str:
    ids = list(ids)
    for gid in ids:
        if not isinstance(gid, int) or isinstance(gid, bool) or gid <= 0:
            raise ValueError(f"not a GeoNames id: {gid!r}")
    return " ".join(f'"{gid}"' for gid in sorted(set(ids)))


def _languages(languages: Sequence[str]) -> str:
    for lang in languages:
        if not (lang.isascii() and lang.replace("-", "").isalnum()):
            raise ValueError(f"not a language code: {lang!r}")
    return ",".join(dict.fromkeys(languages))


def build_query(
    home_items: Iterable[str],
    home_geonames: int,
    items: Iterable[str],
    geonames: Iterable[int],
    languages: Sequence[str] = ("en", "mul"),
) -> str:
    """The SPARQL text: twinnings of `home_items`, of the item of `home_geonames` and of
    `items`; GeoNames links of those items and of `geonames`; labels in `languages`, first
    found first. ValueError for an id that is not one (callers pass checked values)."""
    nodes = _items([*home_items, *items])
    numbers = _geonames([home_geonames, *geonames])
    return f"""\
# geo crosscheck: Wikidata's twinnings (P190) of the home city and of the table's places.
# Each row is a P190 statement (item, twin, start, end) or a GeoNames link (item, geonames).
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX bd: <http://www.bigdata.com/rdf#>
SELECT DISTINCT ?item ?twin ?start ?end ?geonames ?itemLabel ?twinLabel WHERE {{
  {{
    {{
      # The home city's items ([home] wikidata) and the table's `wikidata` ids ...
      VALUES ?node {{ {nodes} }}
    }} UNION {{
      # ... and the item Wikidata links to the home city's GeoNames id.
      ?node wdt:P1566 "{home_geonames}" .
    }}
    {{
      # Statements on a node ...
      ?node p:P190 ?statement .
      ?statement ps:P190 ?twin .
      BIND(?node AS ?item)
    }} UNION {{
      # ... and statements on other items that name one.
      ?item p:P190 ?statement .
      ?statement ps:P190 ?node .
      BIND(?node AS ?twin)
    }}
    ?statement wikibase:rank ?rank .
    FILTER(?rank != wikibase:DeprecatedRank)
    FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/Q"))
    FILTER(STRSTARTS(STR(?twin), "http://www.wikidata.org/entity/Q"))
    OPTIONAL {{ ?statement pq:P580 ?start . }}
    OPTIONAL {{ ?statement pq:P582 ?end . }}
  }} UNION {{
    # GeoNames links (P1566) of the same items and of the places' GeoNames ids.
    {{
      VALUES ?item {{ {nodes} }}
      ?item wdt:P1566 ?geonames .
    }} UNION {{
      VALUES ?geonames {{ {numbers} }}
      ?item wdt:P1566 ?geonames .
    }}
  }}
  SERVICE wikibase:label {{ bd:serviceParam wikibase:language "{_languages(languages)}" . }}
}}
"""
