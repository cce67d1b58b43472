"""Asking the Wikidata Query Service (geo.crosscheck.service), without any network: a local HTTP
server on 127.0.0.1 answers as the service can (429 with Retry-After, 5xx, a redirect, no answer,
an answer that trickles, a malformed or oversized body), and the command is run against it."""

from __future__ import annotations

import email.utils
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from click.testing import CliRunner

from geo.cli import cli
from geo.crosscheck import service, user_agent
from geo.crosscheck.result import MEDIA_TYPE
from geo.crosscheck.service import fetch, retry_after
from geo.errors import RemoteError
from tests.crosscheck.answers import agreeing
from tests.support import make_project

BODY = b'{"head": {"vars": ["item", "twin"]}, "results": {"bindings": []}}'


class Service:
    """A scripted SPARQL endpoint: each request gets the next answer of `script`."""

    def __init__(self, script: list) -> None:
        self.script = list(script)
        self.requests: list[dict] = []
        self.release = threading.Event()  # ends the slow answers at the end of the test

    def answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length", 0))
        self.requests.append(
            {"method": handler.command, "headers": dict(handler.headers),
             "form": parse_qs(handler.rfile.read(length).decode())}
        )  # fmt: skip
        step = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if callable(step):
            step(handler, self.release)
            return
        status, headers, body = step
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def endpoint(monkeypatch) -> Iterator:
    """`endpoint(script)` starts a scripted service; returns (its URL, the Service)."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    servers = []

    def start(script):
        state = Service(script)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                state.answer(self)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append((server, state))
        return f"http://127.0.0.1:{server.server_address[1]}/sparql", state

    yield start
    for server, state in servers:
        state.release.set()
        server.shutdown()
        server.server_close()


def ok(body=BODY):
    return (200, {"Content-Type": MEDIA_TYPE}, body)


def test_the_request_is_a_post_with_the_media_type_and_a_user_agent(endpoint):
    url, state = endpoint([ok()])
    assert fetch("SELECT ?item ?twin {}", url, "geo-crosscheck/test (x@example.se)") == BODY
    (request,) = state.requests
    assert request["method"] == "POST"
    assert request["headers"]["Accept"] == MEDIA_TYPE
    assert request["headers"]["User-Agent"] == "geo-crosscheck/test (x@example.se)"
    assert request["form"] == {"query": ["SELECT ?item ?twin {}"]}


def test_429_waits_as_long_as_retry_after_says(endpoint):
    url, state = endpoint([(429, {"Retry-After": "3"}, b"Too Many Requests"), ok()])
    waits = []
    assert fetch("q", url, "ua", sleep=waits.append) == BODY
    assert waits == [3.0] and len(state.requests) == 2


def test_retry_after_as_an_http_date(endpoint):
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    url, _ = endpoint([(503, {"Retry-After": later}, b""), ok()])
    waits = []
    fetch("q", url, "ua", sleep=waits.append)
    assert len(waits) == 1 and 25 <= waits[0] <= 30


def test_5xx_without_retry_after_backs_off_then_gives_up(endpoint):
    url, state = endpoint([(500, {}, b"java.util.concurrent.TimeoutException\nat ...")])
    waits = []
    with pytest.raises(RemoteError) as caught:
        fetch("q", url, "ua", sleep=waits.append)
    assert waits == [2.0, 4.0, 8.0] and len(state.requests) == 4
    message = str(caught.value)
    assert message.startswith(f"{url}: answered HTTP 500 (java.util.concurrent.TimeoutException)")
    assert (
        "4 attempts; expected SPARQL results. Try again later, or run the query by hand" in message
    )


def test_a_wait_longer_than_two_minutes_is_not_waited_for(endpoint):
    url, state = endpoint([(429, {"Retry-After": "3600"}, b"")])
    with pytest.raises(RemoteError, match="asks to wait 3,600 s, more than 120 s"):
        fetch("q", url, "ua", sleep=pytest.fail)
    assert len(state.requests) == 1


def test_a_refused_query_is_not_tried_again_and_its_text_is_made_safe(endpoint):
    url, state = endpoint([(400, {}, b"\x1b[31mMALFORMED QUERY: \xe2\x80\xae Lexical error\n")])
    with pytest.raises(RemoteError) as caught:
        fetch("q", url, "ua", sleep=pytest.fail)
    message = str(caught.value)
    assert "answered HTTP 400 (\\u001b[31mMALFORMED QUERY: \\u202e Lexical error)" in message
    assert "\x1b" not in message and len(state.requests) == 1


def slow(handler, release):
    release.wait(10)


def test_no_answer_within_the_timeout(endpoint):
    url, _ = endpoint([slow])
    waits = []
    started = time.monotonic()
    with pytest.raises(RemoteError, match=r"no answer within 0.5 s, 2 attempts"):
        fetch("q", url, "ua", timeout=0.5, attempts=2, sleep=waits.append)
    assert waits == [2.0] and time.monotonic() - started < 5


def trickle(handler, release):
    handler.send_response(200)
    handler.send_header("Content-Type", MEDIA_TYPE)
    handler.end_headers()
    for _ in range(50):  # a byte every 0.1 s: each read is in time, the whole answer is not
        if release.wait(0.1):
            return
        handler.wfile.write(b" ")
        handler.wfile.flush()


def test_an_answer_that_trickles_is_cut_at_the_timeout(endpoint):
    url, _ = endpoint([trickle])
    started = time.monotonic()
    with pytest.raises(RemoteError, match=r"no answer within 1 s, 1 attempt;"):
        fetch("q", url, "ua", timeout=1, attempts=1)
    assert time.monotonic() - started < 4  # not the five seconds the service would take


def test_a_closed_port_cannot_be_reached():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(RemoteError, match=r"cannot be reached \(.*refused"):
        fetch("q", f"http://127.0.0.1:{port}/sparql", "ua", attempts=1)


def test_a_redirect_is_not_followed(endpoint):
    url, state = endpoint([(302, {"Location": "http://elsewhere.example/sparql"}, b"")])
    with pytest.raises(RemoteError, match=r"a redirect to http://elsewhere\.example/sparql"):
        fetch("q", url, "ua", sleep=pytest.fail)
    assert len(state.requests) == 1


def test_an_oversized_answer_is_refused(endpoint, monkeypatch):
    monkeypatch.setattr(service, "MAX_BYTES", 1000)
    url, _ = endpoint([ok(b" " * 5000)])
    with pytest.raises(RemoteError, match="larger than"):
        fetch("q", url, "ua")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120.0), (" 7 ", 7.0), ("-5", None), ("soon", None), (None, None), ("1e3", None)],
)
def test_retry_after_values(header, seconds):
    assert retry_after(header) == seconds


def test_retry_after_a_date_in_the_past_is_now():
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_user_agent_names_geo_and_the_publishers_contact(tmp_path):
    agent = user_agent(make_project(tmp_path))
    assert agent.startswith("geo-crosscheck/0.1.0 (geo crosscheck, a city's twin towns")
    assert "https://goteborg.se/; goteborg@goteborg.se) Python-urllib/3." in agent
    agent.encode("ascii")  # an HTTP header


# --- the command against the local service ----------------------------------------------------


@pytest.fixture
def project(tmp_path):
    make_project(tmp_path)
    return tmp_path


def run(project, *args):
    return CliRunner().invoke(cli, ["crosscheck", "--config", str(project / "geo.toml"), *args])


def test_fetch_save_and_read_back(project, endpoint):
    import json

    url, state = endpoint([ok(json.dumps(agreeing().document()).encode())])
    fetched = run(project, "--endpoint", url, "--save", str(project / "saved.json"))
    assert fetched.exit_code == 0, fetched.output
    first, second = fetched.stdout.splitlines()
    assert first.endswith("26 P190 statements, 14 GeoNames links): they agree.")
    assert second == "Saved Wikidata's answer to saved.json (for --from)."
    query = state.requests[0]["form"]["query"][0]
    assert "wd:Q25287 wd:Q25319" in query and '"2711537"' in query
    saved = json.loads((project / "saved.json").read_text("utf-8"))
    assert len(saved["results"]["bindings"]) == 40
    again = run(project, "--from", str(project / "saved.json"))
    assert again.exit_code == 0
    assert again.stdout.split(" (")[0] == fetched.stdout.split(" (")[0]


def test_network_failure_exits_2_with_advice(project, endpoint, monkeypatch):
    monkeypatch.setattr(service.time, "sleep", lambda seconds: None)
    url, _ = endpoint([(503, {}, b"")])
    result = run(project, "--endpoint", url, "--save", str(project / "saved.json"))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"Error: {url}: answered HTTP 503, 4 attempts")
    assert "--from" in result.stderr and not (project / "saved.json").exists()


def test_a_malformed_answer_from_the_service_exits_2(project, endpoint):
    url, _ = endpoint([ok(b"<html>Wikimedia Error</html>")])
    result = run(project, "--endpoint", url)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {url} (its answer): not JSON")


@pytest.mark.parametrize("bad", ["file:///etc/passwd", "ftp://example.org/sparql", "sparql"])
def test_an_endpoint_must_be_http(project, bad):
    result = run(project, "--endpoint", bad)
    assert result.exit_code == 2 and result.stderr.startswith("Error: --endpoint: ")


def test_save_and_from_together_is_a_usage_error(project):
    result = run(project, "--from", "a.json", "--save", "b.json")
    assert result.exit_code == 2 and "without --from" in result.stderr
