"""Each difference geo.crosscheck.compare finds, through `geo crosscheck --from` on answers made
for the purpose (tests/crosscheck/answers.py): agreement, every crosscheck/ code, and what the
report and the exit status say."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geo.cli import cli
from tests.crosscheck.answers import (
    CITY,
    MUNICIPALITY,
    agreeing,
    item_of,
    relations,
    time,
)
from tests.support import make_project


@pytest.fixture
def project(tmp_path):
    make_project(tmp_path)
    return tmp_path


def check(project, answer, *args):
    path = answer.write(project / "answer.json")
    config = str(project / "geo.toml")
    return CliRunner().invoke(cli, ["crosscheck", "--from", str(path), "--config", config, *args])


def lines_with(result, code):
    return [line for line in result.stdout.splitlines() if line.endswith(f"[{code}]")]


def differences(result):
    return {line.rsplit("[", 1)[1][:-1] for line in result.stdout.splitlines() if "[cross" in line}


def test_agreement_exits_0_and_says_so(project):
    result = check(project, agreeing())
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "data/places.csv: 13 relations compared with Wikidata (answer.json: 26 P190 "
        "statements, 14 GeoNames links): they agree.\n"
    )


def test_agreement_through_the_municipality_item_too(project):
    answer = agreeing().drop(CITY, item_of("bergen")).state(MUNICIPALITY, item_of("bergen"), 1946)
    assert check(project, answer).exit_code == 0


def test_missing_relation(project):
    chicago = item_of("chicago")
    result = check(project, agreeing().drop(CITY, chicago).drop(chicago, CITY))
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/missing")
    assert line.startswith("data/places.csv:3 (chicago): warning: Wikidata states no twinning")
    assert "Chicago (Q1297)" in line and "Gothenburg (Q25287, Q52502)" in line
    assert differences(result) == {"crosscheck/missing"}


@pytest.mark.parametrize("stated_on", ["place", "home"])
def test_one_way_names_the_item_that_states_it(project, stated_on):
    kiel = item_of("kiel")
    answer = agreeing().drop(CITY, kiel) if stated_on == "place" else agreeing().drop(kiel, CITY)
    result = check(project, answer)
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/one-way")
    if stated_on == "place":
        assert "stated on Kiel (Q1707) only, not on Gothenburg (Q25287, Q52502)" in line
        assert "Add the statement on Gothenburg" in line
    else:
        assert "stated on Gothenburg (Q25287) only, not on Kiel (Q1707)" in line
        assert "Add the statement on Kiel" in line


def test_not_in_table_gives_the_items_label_and_id(project):
    answer = agreeing().state("Q585", CITY)
    answer.labels["Q585"] = "Oslo"
    result = check(project, answer)
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/not-in-table")
    assert line.startswith("Wikidata (Q585): warning: Wikidata twins Gothenburg with Oslo (Q585)")
    assert "stated on Oslo only" in line
    assert result.stdout.splitlines()[-1] == "For the table: whether to add Oslo (Q585)."


def test_not_in_table_is_quiet_when_wikidata_says_it_ended(project):
    answer = agreeing().state(CITY, "Q585", 1950, 1990).state("Q585", CITY, None, 1990)
    assert check(project, answer).exit_code == 0


def test_a_twinning_between_two_other_cities_is_not_ours(project):
    answer = agreeing().state(item_of("chicago"), "Q90", 1996)  # Chicago and Paris
    assert check(project, answer).exit_code == 0


@pytest.mark.parametrize(
    ("place", "start", "says"),
    [
        ("krakow", 1990, "start time is 1990 on Kraków (Q31487); `since` is 1988"),
        ("kiel", 2004, "start time is 2004 on Kiel (Q1707); `since` is empty"),
    ],
)
def test_start_differs(project, place, start, says):
    qid = item_of(place)
    result = check(project, agreeing().drop(qid, CITY).state(qid, CITY, start))
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/start-differs")
    assert says in line and f"({place})" in line
    assert "For the table: check " + place + " (start-differs)." in result.stdout


def test_a_start_with_month_and_day_compares_by_year(project):
    qid = item_of("chicago")
    answer = agreeing().drop(qid, CITY).state(qid, CITY, time(1987, 10, 23))
    assert check(project, answer).exit_code == 0


def test_ended(project):
    qid = item_of("shanghai")
    answer = agreeing().drop(CITY, qid).state(CITY, qid, 1986, time(2019, 12, 31))
    result = check(project, answer)
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/ended")
    assert "end time, 2019 on Gothenburg (Q25287); the table holds it (dormant)" in line


def test_an_unknown_end_time_is_an_end(project):
    qid = item_of("bergen")
    genid = {"type": "uri", "value": "http://www.wikidata.org/.well-known/genid/0123abcd"}
    result = check(project, agreeing().drop(qid, CITY).state(qid, CITY, 1946, genid))
    (line,) = lines_with(result, "crosscheck/ended")
    assert "an unknown time on Bergen (Q26793)" in line


def test_a_renewed_statement_beside_an_ended_one_is_not_ended(project):
    qid = item_of("bergen")
    answer = agreeing().state(qid, CITY, 1946, 1950)  # and the one without an end stays
    assert check(project, answer).exit_code == 0


def test_no_wikidata_names_the_geonames_item_and_uses_it(project):
    table = (project / "data" / "places.csv").read_text("utf-8")
    (project / "data" / "places.csv").write_text(table.replace(",Q1297,", ",,"), "utf-8")
    result = check(project, agreeing().drop("Q1297", CITY))
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/no-wikidata")
    assert "(chicago): warning: `wikidata` is empty; Wikidata links GeoNames 4887398 to " in line
    assert "Chicago (Q1297)" in line
    (one_way,) = lines_with(result, "crosscheck/one-way")  # compared through Q1297
    assert "(chicago)" in one_way and "(--quickstatements" not in one_way
    assert not lines_with(result, "crosscheck/not-in-table")


def test_no_wikidata_and_no_item_for_its_geonames_id(project):
    table = (project / "data" / "places.csv").read_text("utf-8")
    (project / "data" / "places.csv").write_text(table.replace(",Q1297,", ",,"), "utf-8")
    answer = agreeing()
    answer.links.remove(("Q1297", "4887398"))
    (line,) = lines_with(check(project, answer), "crosscheck/no-wikidata")
    assert "and no item in the result has GeoNames 4887398" in line


def test_wikidata_mismatch_when_the_geonames_id_is_another_items(project):
    answer = agreeing()
    answer.links.remove(("Q38511", "633679"))
    answer.links.append(("Q999999", "633679"))  # Turku's GeoNames id on another item
    answer.labels["Q999999"] = "Åbo"
    result = check(project, answer)
    (line,) = lines_with(result, "crosscheck/wikidata-mismatch")
    assert "(turku): warning: `wikidata` is Q38511, but Wikidata links GeoNames 633679 to " in line
    assert "Åbo (Q999999)" in line


def test_wikidata_mismatch_when_the_item_has_another_geonames_id(project):
    answer = agreeing()
    answer.links = [link for link in answer.links if link[0] != "Q38511"]
    answer.links.append(("Q38511", "633680"))
    (line,) = lines_with(check(project, answer), "crosscheck/wikidata-mismatch")
    assert (
        "`wikidata` Turku (Q38511) has GeoNames 633680 in Wikidata (P1566), not the row's " in line
    )


@pytest.mark.parametrize("setting", ["", 'wikidata = ["Q52502"]\n'])
def test_home_wikidata_reports_the_geonames_item_and_uses_it(project, setting):
    config = (project / "geo.toml").read_text("utf-8")
    config = config.replace('wikidata = ["Q25287", "Q52502"]\n', setting)
    (project / "geo.toml").write_text(config, "utf-8")
    result = check(project, agreeing())
    assert result.exit_code == 1
    (line,) = lines_with(result, "crosscheck/home-wikidata")
    assert "geo.toml: warning: `home.wikidata` " in line
    assert "Gothenburg (Q25287), the item Wikidata links to the home city's GeoNames id" in line
    assert differences(result) == {"crosscheck/home-wikidata"}  # the relations agree through it


def test_without_any_home_item_the_check_cannot_run(project):
    config = (project / "geo.toml").read_text("utf-8")
    (project / "geo.toml").write_text(config.replace('wikidata = ["Q25287", "Q52502"]\n', ""))
    answer = agreeing()
    answer.links.remove((CITY, "2711537"))
    result = check(project, answer)
    assert result.exit_code == 2
    assert "Error: " in result.stderr and "`home.wikidata` is not set" in result.stderr


def test_an_answer_without_geonames_links_is_checked_without_them(project):
    answer = agreeing()
    answer.links, answer.variables = [], [v for v in answer.variables if v != "geonames"]
    result = check(project, answer)
    assert result.exit_code == 0  # a note only
    assert lines_with(result, "crosscheck/ids-unchecked")


def test_empty_answer_every_relation_is_missing(project):
    answer = agreeing()
    answer.twinnings, answer.links = [], []
    result = check(project, answer)
    assert result.exit_code == 1
    assert len(lines_with(result, "crosscheck/missing")) == len(relations()) == 13


def test_every_code_at_once_in_json(project):
    answer = agreeing()
    answer.drop(CITY, "Q1297").drop("Q1297", CITY)  # chicago: missing
    answer.drop(CITY, "Q1707")  # kiel: one-way
    answer.drop("Q31487", CITY).state("Q31487", CITY, 1990)  # krakow: start
    answer.drop(CITY, "Q8686").state(CITY, "Q8686", 1986, 2019)  # shanghai: ended
    answer.state(CITY, "Q585")  # not in the table
    answer.links.remove(("Q38511", "633679"))
    answer.links.append(("Q999999", "633679"))  # turku: mismatch
    result = check(project, answer, "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [(p["code"], p["id"]) for p in found] == [
        ("crosscheck/missing", "chicago"),
        ("crosscheck/one-way", "kiel"),
        ("crosscheck/start-differs", "krakow"),
        ("crosscheck/ended", "shanghai"),
        ("crosscheck/wikidata-mismatch", "turku"),
        ("crosscheck/not-in-table", "Q585"),
    ]
    assert {p["severity"] for p in found} == {"warning"}
    assert found[0]["where"] == "data/places.csv" and found[0]["line"] == 3


def test_the_place_item_naming_another_home_item_gets_a_hint(project):
    kiel = item_of("kiel")
    answer = agreeing().drop(CITY, kiel).drop(kiel, CITY).state(kiel, "Q1234567")
    answer.labels["Q1234567"] = "Göteborgs stad"
    (line,) = lines_with(check(project, answer), "crosscheck/missing")
    assert "It names Göteborgs stad (Q1234567): if that is the home city's item, add it" in line
