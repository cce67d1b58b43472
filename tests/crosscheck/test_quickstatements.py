"""The corrections handed back (geo.crosscheck.quickstatements), checked against the QuickStatements
V1 command syntax as Wikidata's help page describes it (Help:QuickStatements), written here
independently of the code: one command a line; parts separated by tabs; the item, the property
and the value, then pairs of a qualifier (P…) or a source (S…) and its value; item values Q…;
strings in double quotes; times +YYYY-MM-DDThh:mm:ssZ/precision (9 a year, its month and day
00; 11 a day)."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from geo.cli import cli
from geo.crosscheck.quickstatements import string_value
from tests.crosscheck.answers import CITY, agreeing, item_of
from tests.support import ROOT, make_project

ITEM = re.compile(r"Q[1-9][0-9]*")
PROPERTY = re.compile(r"P[1-9][0-9]*")
SOURCE = re.compile(r"S[1-9][0-9]*")
STRING = re.compile(r'"([^"\t\r\n]*)"')
TIME = re.compile(r"([+-])([0-9]{1,16})-([0-9]{2})-([0-9]{2})T00:00:00Z/([0-9]|1[0-4])")
BASE_URL = "https://goteborg.se/opendata/international-relations/"


def value_kind(text: str) -> str:
    """Which kind of V1 value `text` is, or AssertionError."""
    if ITEM.fullmatch(text):
        return "item"
    if STRING.fullmatch(text):
        return "string"
    match = TIME.fullmatch(text)
    assert match, f"not a V1 value: {text!r}"
    _, year, month, day, precision = match.groups()
    if precision == "9":
        assert (month, day) == ("00", "00"), text  # a year alone
    else:
        assert precision == "11", text
        date(int(year), int(month), int(day))  # a real day
    return f"time/{precision}"


def parse_v1(line: str) -> tuple[str, str, str, list[tuple[str, str]], list[tuple[str, str]]]:
    """A V1 command: (item, property, value, qualifiers, sources), or AssertionError."""
    assert "\n" not in line and "\r" not in line
    parts = line.split("\t")
    assert len(parts) >= 3 and len(parts) % 2 == 1, parts
    item, prop, value, rest = parts[0], parts[1], parts[2], parts[3:]
    assert ITEM.fullmatch(item) and PROPERTY.fullmatch(prop), parts
    value_kind(value)
    qualifiers, sources = [], []
    for key, val in zip(rest[::2], rest[1::2], strict=True):
        value_kind(val)
        if SOURCE.fullmatch(key):
            sources.append((key, val))
        else:
            assert PROPERTY.fullmatch(key) and not sources, f"{key} after the sources"
            qualifiers.append((key, val))
    return item, prop, value, qualifiers, sources


def check_command(line: str, as_of: str = "2026-11-27") -> tuple[str, str, list]:
    """A P190 addition as issue 24 asks: an item value, a reference URL and a retrieved date."""
    item, prop, value, qualifiers, sources = parse_v1(line)
    assert prop == "P190" and value_kind(value) == "item" and item != value
    assert [key for key, _ in sources] == ["S854", "S813"]  # one reference: URL and retrieved
    url = unquote(STRING.fullmatch(sources[0][1]).group(1))
    assert urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname
    assert sources[1][1] == f"+{as_of}T00:00:00Z/11"
    for key, val in qualifiers:
        assert key == "P580" and value_kind(val) == "time/9"
    return item, value, qualifiers


@pytest.fixture
def project(tmp_path):
    make_project(tmp_path)
    return tmp_path


def crosscheck(project, answer, *args):
    path = answer.write(project / "answer.json") if answer is not None else None
    return CliRunner().invoke(
        cli,
        [
            "crosscheck",
            "--from",
            str(path or ROOT / "docs" / "examples" / "wikidata-goteborg-illustrative.json"),
            "--config",
            str(project / "geo.toml"),
            "--quickstatements",
            str(project / "add.qs"),
            *args,
        ],
    )


def commands(project) -> list[str]:
    text = (project / "add.qs").read_text("utf-8")
    assert text == "" or text.endswith("\n")
    return text.splitlines()


def test_goteborg_example_both_directions_of_each_missing_or_one_way_relation(project):
    result = crosscheck(project, None)
    assert result.exit_code == 1
    lines = commands(project)
    for line in lines:
        check_command(line)
    pairs = [tuple(line.split("\t")[:3:2]) for line in lines]
    assert pairs == [
        (CITY, "Q1707"),  # kiel: stated on Kiel only
        ("Q456", CITY),  # lyon: on Göteborg only
        (CITY, "Q1425428"),  # newcastle-upon-tyne: missing, both
        ("Q1425428", CITY),
        (CITY, "Q1770"),  # tallinn: missing, both
        ("Q1770", CITY),
        ("Q5826", CITY),  # xian: on Göteborg only
    ]
    assert all(f'\tS854\t"{BASE_URL}"\t' in line for line in lines)
    assert "For Wikidata: 7 statements for kiel, lyon, newcastle-upon-tyne, tallinn, xian in " in (
        result.stdout
    )
    assert "geo sent nothing to Wikidata" in result.stdout


def test_a_sure_start_year_is_a_p580_qualifier(project):
    chicago = item_of("chicago")  # since 1987, no since_note
    crosscheck(project, agreeing().drop(CITY, chicago).drop(chicago, CITY))
    lines = commands(project)
    assert [check_command(line) for line in lines] == [
        (CITY, chicago, [("P580", "+1987-00-00T00:00:00Z/9")]),
        (chicago, CITY, [("P580", "+1987-00-00T00:00:00Z/9")]),
    ]


def test_a_doubted_start_year_is_left_to_the_editor(project):
    krakow = item_of("krakow")  # since 1988 with a since_note
    crosscheck(project, agreeing().drop(krakow, CITY))
    (line,) = commands(project)
    assert check_command(line) == (krakow, CITY, [])


def test_nothing_to_add_writes_an_empty_file(project):
    result = crosscheck(project, agreeing())
    assert result.exit_code == 0 and commands(project) == []
    assert "For Wikidata: no statements to add;" in result.stdout


def test_a_row_whose_id_is_in_doubt_gets_no_statements(project):
    turku = item_of("turku")
    answer = agreeing().drop(CITY, turku).drop(turku, CITY)
    answer.links.remove((turku, "633679"))
    answer.links.append((turku, "633680"))
    crosscheck(project, answer)
    assert commands(project) == []


def test_source_url_option_and_its_checks(project):
    crosscheck(project, agreeing().drop(CITY, "Q1707"), "--source-url", "https://example.se/list")
    (line,) = commands(project)
    assert '\tS854\t"https://example.se/list"\t' in line
    for bad in ("javascript:alert(1)", 'https://example.se/"\tS1\tQ1', "relative/path"):
        result = crosscheck(project, agreeing(), "--source-url", bad)
        assert result.exit_code == 2 and "--source-url: " in result.stderr


def test_without_a_source_url_the_file_cannot_be_written(project):
    config = (project / "geo.toml").read_text("utf-8")
    config = config.replace(
        'base_url = "https://goteborg.se/opendata/international-relations/"', ""
    )
    (project / "geo.toml").write_text(config, "utf-8")
    result = crosscheck(project, agreeing())
    assert result.exit_code == 2
    assert "expected --source-url URL or `base_url` under [publisher]" in result.stderr
    assert not (project / "add.qs").exists()


@given(st.text(max_size=40).filter(lambda t: "%" not in t))  # % starts an escape already
def test_any_url_text_stays_one_string_value(text):
    url = "https://example.se/" + text
    value = string_value(url)
    match = STRING.fullmatch(value)
    assert match is not None and "|" not in value and " " not in value
    assert unquote(match.group(1)) == url
