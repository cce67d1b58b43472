"""Reading answers strictly (geo.crosscheck.result): the SPARQL 1.1 JSON results format, every
malformed or hostile answer refused with every problem listed (exit status 2, no traceback),
labels escaped wherever shown, and the canonical form --save writes."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from geo.cli import cli
from geo.crosscheck.result import Result, dump_result, is_qid, load_result
from geo.errors import SourceError
from tests.crosscheck.answers import CITY, ENTITY, Answer, agreeing, label, uri
from tests.support import make_project


def doc(*bindings, variables=("item", "twin", "start", "end", "itemLabel", "twinLabel")):
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": list(bindings)}})


def load(text: str | bytes) -> Result:
    return load_result(text.encode() if isinstance(text, str) else text, "answer.json")


def test_a_statement_a_link_and_labels():
    answer = Answer(labels={CITY: "Gothenburg", "Q1297": "Chicago"})
    answer.state(CITY, "Q1297", 1987, 2019).links.append(("Q1297", "4887398"))
    result = load(json.dumps(answer.document()))
    (twinning,) = result.twinnings
    assert (twinning.item, twinning.twin) == (CITY, "Q1297")
    assert (twinning.start.year, twinning.end.year) == (1987, 2019)
    assert result.geonames == (("Q1297", "4887398"),)
    assert result.label("Q1297") == "Chicago" and result.has_geonames


def test_years_before_the_common_era_and_far_ahead():
    binding = {"item": uri("Q1"), "twin": uri("Q2"), "start": {
        "type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#dateTime",
        "value": "-0500-01-01T00:00:00Z"}}  # fmt: skip
    assert load(doc(binding)).twinnings[0].start.year == -500


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "answer.json: empty; expected SPARQL 1.1 JSON results"),
        ("  \n", "answer.json: empty;"),
        ("{", "answer.json: not JSON ("),
        ("[]", "answer.json: not SPARQL results;"),
        ('{"head": {}, "boolean": true}', "answer.json: the answer of an ASK query;"),
        ('{"head": {"vars": ["a"]}, "results": {"bindings": {}}}', "not SPARQL results"),
        ('{"head": {"vars": ["item"]}, "results": {"bindings": []}}', "without twin;"),
        ("[" * 100_000, "nested too deep"),
        ('{"head": {"vars": "item twin"}, "results": {"bindings": []}}', "not SPARQL results"),
    ],
)
def test_not_sparql_results(text, says):
    with pytest.raises(SourceError, match="^" if not says else None) as caught:
        load(text)
    assert says in str(caught.value)


def test_not_utf8():
    with pytest.raises(SourceError, match=r"answer.json: byte 1 is not UTF-8"):
        load(b'{\xff"head"}')


BAD_BINDINGS = [
    ({"item": uri("P31"), "twin": uri("Q1")}, "`item` is 'http://www.wikidata.org/entity/P31'"),
    ({"item": {"type": "literal", "value": ENTITY + "Q1"}, "twin": uri("Q2")}, "`item` is"),
    ({"item": {"type": "uri", "value": "https://www.wikidata.org/entity/Q1"}, "twin": uri("Q2")},
     "`item` is"),
    ({"item": uri("Q01"), "twin": uri("Q2")}, "`item` is"),
    ({"item": uri("Q1\n"), "twin": uri("Q2")}, "`item` is"),
    ({"item": uri("Q1 } DROP ALL"), "twin": uri("Q2")}, "`item` is"),
    ({"item": uri("Q" + "9" * 20), "twin": uri("Q2")}, "`item` is"),
    ({"item": uri("Q1"), "twin": "Q2"}, "`twin` is 'Q2'; expected an RDF term"),
    ({"item": uri("Q1"), "twin": {"type": "uri"}}, "`twin` is"),
    ({"item": uri("Q1"), "twin": uri("Q2"), "start": {"type": "literal", "value": "1987"}},
     "`start` is '1987'; expected an xsd:dateTime"),
    ({"item": uri("Q1"), "twin": uri("Q2"), "end": {"type": "literal", "value": "2019-13",
      "datatype": "http://www.w3.org/2001/XMLSchema#dateTime"}}, "`end` is '2019-13'"),
    ({"item": uri("Q1"), "geonames": {"type": "literal", "value": "12a"}}, "`geonames` is '12a'"),
    ({"item": uri("Q1"), "geonames": {"type": "uri", "value": "123"}}, "`geonames` is"),
    ({"item": uri("Q1"), "twin": uri("Q2"), "geonames": {"type": "literal", "value": "1"}},
     "has both `twin` and `geonames`"),
    ({"item": uri("Q1")}, "has neither `twin` and `geonames`"),
    ({"twin": uri("Q1")}, "no `item`"),
    ({"item": uri("Q1"), "twin": uri("Q2"), "itemLabel": uri("Q3")}, "`itemLabel` is a 'uri'"),
    ("a binding", "binding 1: is 'a binding'; expected an object"),
]  # fmt: skip


@pytest.mark.parametrize(("binding", "says"), BAD_BINDINGS)
def test_a_binding_that_is_not_what_the_query_gives(binding, says):
    with pytest.raises(SourceError) as caught:
        load(doc(binding, variables=("item", "twin", "geonames", "start", "end")))
    message = str(caught.value)
    assert message.startswith("answer.json: 1 problem(s) in the results:\n  binding 1: ")
    assert says in message
    assert message.endswith("Expected the answer of the query in docs/crosscheck.md.")


def test_every_problem_at_once_up_to_twenty():
    bindings = [{"item": uri("P1"), "twin": uri("Q2")}] * 25
    with pytest.raises(SourceError) as caught:
        load(doc(*bindings))
    lines = str(caught.value).splitlines()
    assert lines[0] == "answer.json: 25 problem(s) in the results:"
    assert lines[1].startswith("  binding 1: ") and lines[20].startswith("  binding 20: ")
    assert lines[21] == "  ... and 5 more"


def test_a_problem_message_cannot_drive_the_terminal():
    with pytest.raises(SourceError) as caught:
        load(doc({"item": uri("Q1\x1b[2J\u202e"), "twin": uri("Q2")}))
    assert "\x1b" not in str(caught.value) and "\u202e" not in str(caught.value)


def test_unknown_values_are_times_without_a_year():
    genid = {"type": "bnode", "value": "b0"}
    result = load(doc({"item": uri("Q1"), "twin": uri("Q2"), "start": genid, "end": genid}))
    assert result.twinnings[0].start.year is None and str(result.twinnings[0].end) == (
        "an unknown time"
    )


def test_variables_other_than_ours_are_ignored():
    binding = {"item": uri("Q1"), "twin": uri("Q2"), "extra": {"type": "literal", "value": "x"}}
    assert len(load(doc(binding, variables=("item", "twin", "extra"))).twinnings) == 1


def test_without_the_geonames_variable_ids_cannot_be_checked():
    assert not load(doc({"item": uri("Q1"), "twin": uri("Q2")})).has_geonames


def test_canonical_form_round_trips_and_ignores_the_order_of_bindings():
    document = agreeing().state(CITY, "Q585", {"type": "bnode", "value": "x"}).document()
    original = load(json.dumps(document))
    saved = dump_result(original)
    assert load(saved) == original
    shuffled = dict(document)
    bindings = list(document["results"]["bindings"])
    random.Random(4).shuffle(bindings)
    shuffled["results"] = {"bindings": bindings}
    assert dump_result(load(json.dumps(shuffled))) == saved
    parsed = json.loads(saved)  # the standard format, read back with the json module
    assert parsed["head"]["vars"] == [
        "item", "twin", "start", "end", "geonames", "itemLabel", "twinLabel"
    ]  # fmt: skip
    on_home = [b for b in parsed["results"]["bindings"] if b["item"]["value"] == ENTITY + CITY]
    assert on_home[0]["itemLabel"] == label("Gothenburg")
    assert on_home[0]["twin"] == {"type": "uri", "value": ENTITY + "Q456"}  # Q456 before Q1297


@given(st.text(max_size=30))
def test_is_qid_accepts_only_q_and_digits(text):
    expected = (
        len(text) >= 2
        and text[0] == "Q"
        and text[1] in "123456789"
        and all(c in "0123456789" for c in text[1:])
        and len(text) <= 13
    )
    assert is_qid(text) is expected


# --- through the command: exit status 2, a message, never a traceback -------------------------


@pytest.fixture
def project(tmp_path):
    make_project(tmp_path)
    return tmp_path


def geo(project, *args):
    return subprocess.run(
        [sys.executable, "-m", "geo", "crosscheck", "--config", str(project / "geo.toml"), *args],
        capture_output=True,
        text=True,
        cwd=project,
    )


@pytest.mark.parametrize(
    "content", [b"", b"not json", b'{"head": {"vars": ["item", "twin"]}}', b"\xff\xfe"]
)
def test_a_malformed_answer_exits_2_with_a_message(project, content):
    (project / "answer.json").write_bytes(content)
    result = geo(project, "--from", "answer.json")
    assert result.returncode == 2
    assert result.stderr.startswith("Error: answer.json: ")
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_missing_file_a_folder_and_a_device_exit_2(project):
    assert "file not found" in geo(project, "--from", "nothing.json").stderr
    (project / "folder").mkdir()
    assert "is a folder" in geo(project, "--from", "folder").stderr
    result = geo(project, "--from", "/dev/zero")  # would never end if read
    assert result.returncode == 2 and "is not a regular file" in result.stderr


def test_a_pipe_is_refused_without_waiting_for_a_writer(project):
    os.mkfifo(project / "pipe")
    result = geo(project, "--from", "pipe")
    assert result.returncode == 2 and "is not a regular file" in result.stderr


def test_hostile_labels_are_escaped_and_each_difference_stays_on_one_line(project):
    answer = agreeing().state("Q585", CITY)
    answer.labels["Q585"] = "Oslo\n[crosscheck/forged] \x1b]0;owned\x07 \u202egnp.exe\u2028x"
    answer.write(project / "answer.json")
    result = CliRunner().invoke(
        cli, ["crosscheck", "--from", str(project / "answer.json"), "--config",
              str(project / "geo.toml")],
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert len(lines) == 3  # the count, the difference, what to do
    assert (
        "Oslo\\u000a[crosscheck/forged] \\u001b]0;owned\\u0007 \\u202egnp.exe\\u2028x" in lines[1]
    )
    assert not any(c in result.stdout for c in "\x1b\x07\u202e\u2028")
