"""The query (geo.crosscheck.query), run for real: rdflib, an independent SPARQL 1.1 engine,
executes it on a small graph written in Wikidata's RDF model (statements with ranks and
qualifiers, truthy wdt: triples), its answer is serialised by rdflib as SPARQL JSON results and
read back by geo. Only the label service, which exists on Wikidata's endpoint alone, is left out
here."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery

from geo.crosscheck.query import build_query
from geo.crosscheck.result import load_result

GRAPH = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wds: <http://www.wikidata.org/entity/statement/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix wikibase: <http://wikiba.se/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

wd:Q25287 wdt:P1566 "2711537" .                      # Göteborg, found by its GeoNames id
wd:Q1297 wdt:P1566 "4887398" .
wd:Q999 wdt:P1566 "633679" .                         # another item with a place's GeoNames id
wd:Q90 wdt:P1566 "2988507" .

wd:Q25287 p:P190 wds:a . wds:a ps:P190 wd:Q1297 ; wikibase:rank wikibase:NormalRank ;
    pq:P580 "1987-01-01T00:00:00Z"^^xsd:dateTime .
wd:Q1297 p:P190 wds:b . wds:b ps:P190 wd:Q25287 ; wikibase:rank wikibase:NormalRank .
wd:Q1707 p:P190 wds:c . wds:c ps:P190 wd:Q25287 ; wikibase:rank wikibase:PreferredRank ;
    pq:P582 "2019-12-31T00:00:00Z"^^xsd:dateTime .
wd:Q25287 p:P190 wds:d . wds:d ps:P190 wd:Q456 ; wikibase:rank wikibase:DeprecatedRank .
wd:Q25287 p:P190 wds:e . wds:e ps:P190 <http://www.wikidata.org/.well-known/genid/f00> ;
    wikibase:rank wikibase:NormalRank .
wd:Q585 p:P190 wds:f . wds:f ps:P190 wd:Q25287 ; wikibase:rank wikibase:NormalRank .
wd:Q1297 p:P190 wds:g . wds:g ps:P190 wd:Q90 ; wikibase:rank wikibase:NormalRank .
wd:Q90 p:P190 wds:h . wds:h ps:P190 wd:Q64 ; wikibase:rank wikibase:NormalRank .
"""


def without_label_service(query: str) -> str:
    lines = [line for line in query.splitlines() if "SERVICE wikibase:label" not in line]
    return "\n".join(lines)


def run(query: str):
    graph = rdflib.Graph().parse(data=GRAPH, format="turtle")
    answer = graph.query(without_label_service(query)).serialize(format="json")
    return load_result(answer, "rdflib")


def test_the_query_is_sparql_11():
    prepareQuery(build_query(["Q25287", "Q52502"], 2711537, ["Q1297"], [4887398]))


def test_every_twinning_of_the_nodes_both_ways_and_nothing_else():
    result = run(build_query([], 2711537, ["Q1297", "Q1707", "Q456"], [4887398, 633679]))
    got = {
        (t.item, t.twin, t.start and t.start.year, t.end and t.end.year) for t in result.twinnings
    }
    assert got == {
        ("Q25287", "Q1297", 1987, None),  # on the home city (found by GeoNames), with its start
        ("Q1297", "Q25287", None, None),  # naming it
        ("Q1707", "Q25287", None, 2019),  # a preferred statement, with its end
        ("Q585", "Q25287", None, None),  # a city the table lacks
        ("Q1297", "Q90", None, None),  # a table place's twinning with another city
    }  # not: the deprecated Q456, the unknown value, Paris-Berlin
    assert set(result.geonames) == {
        ("Q25287", "2711537"),
        ("Q1297", "4887398"),
        ("Q999", "633679"),
    }


def test_the_home_items_of_the_settings_are_asked_for_too():
    result = run(build_query(["Q585"], 1, [], []))
    assert {(t.item, t.twin) for t in result.twinnings} == {("Q585", "Q25287")}


@pytest.mark.parametrize(
    ("home", "items", "geonames", "languages"),
    [
        (["Q1 } ; DROP ALL ; #"], [], [], ("en",)),
        ([], ["Q1>"], [], ("en",)),
        ([], ["q1"], [], ("en",)),
        ([], [], [-1], ("en",)),
        ([], [], [True], ("en",)),
        ([], [], ['1" }'], ("en",)),
        ([], [], [], ('en" . } #',)),
    ],
)
def test_nothing_but_checked_ids_reaches_the_text(home, items, geonames, languages):
    with pytest.raises(ValueError):
        build_query(home, 2711537, items, geonames, languages)
