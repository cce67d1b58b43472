"""The editor's requests and answers, apart from the server that carries them.

:meth:`Editor.handle` takes a :class:`Request` and gives a :class:`Response`; the HTTP server of
:mod:`geo.editor.server` only translates. Every request passes the same gate first
(:meth:`Editor.refusal`):

- the ``Host`` header names this server (``127.0.0.1:PORT`` or ``localhost:PORT``), so a page
  of another site that rebinds its name to 127.0.0.1 is refused (DNS rebinding);
- the path starts with the random token the command printed (compared in constant time), so
  nothing that was not given the address can read or change the table;
- a request another site sent (``Sec-Fetch-Site`` cross-site or same-site, an ``Origin`` that
  is not this server) is refused, and a change (``POST``) must name this server as its
  ``Origin`` and carry JSON (which no form of another site can send): CSRF.

Answers carry a strict Content-Security-Policy (scripts and styles from the editor's own files
only, no inline script), ``nosniff``, no referrer, no caching, and may not be framed (the map
preview by the editor only). The page is an autoescaped template (:mod:`geo.templating`); its
script sets text as text. The work is done by the pure modules: :mod:`geo.editor.fields`
(the form) and :mod:`geo.editor.document` (check, save, conflicts).
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from geo.config import Settings
from geo.editor import document, fields
from geo.editor.document import Document, EditConflict, SaveRefused
from geo.errors import GeoError, UsageError, ValidationError
from geo.schema import Kind
from geo.templating import render
from geo.text import FALLBACK, catalogue, texts

STATIC = Path(__file__).parent / "static"
STATIC_TYPES = {"editor.js": "text/javascript", "editor.css": "text/css"}
MAX_BODY = 16 * 1024 * 1024
PREVIEWS_KEPT = 3
SEARCH_LIMIT = 8
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# The preview is the published map page, whose own <meta> policy allows its hashed script.
PREVIEW_POLICY = "frame-ancestors 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
MEDIA = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
MEDIA.update({".json": "application/json", ".geojson": "application/geo+json"})


@dataclass(frozen=True)
class Request:
    method: str
    target: str  # the request target: path and query
    headers: Mapping[str, str]  # names in lower case
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: bytes
    media: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)

    def all_headers(self) -> dict[str, str]:
        charset = "; charset=utf-8" if self.media.startswith(("text/", "application/j")) else ""
        return {
            "Content-Type": self.media + charset,
            "Content-Security-Policy": POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
            "Cross-Origin-Resource-Policy": "same-origin",
            "Cross-Origin-Opener-Policy": "same-origin",
            "X-Frame-Options": "DENY",
            **self.headers,
        }


def text(status: int, message: str) -> Response:
    return Response(status, (message + "\n").encode())


def answer(value: Any, status: int = 200) -> Response:
    data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode()
    return Response(status, data, "application/json")


def problem_dict(problem: Any, row: int | None) -> dict[str, Any]:
    """A problem for the page: what ``--json`` gives, and the draft's row it is on."""
    return {**problem.to_dict(), "row": row}


class Editor:
    """The editor of one project's table: its state and the answer to each request."""

    def __init__(
        self, settings: Settings, lang: str, table: Path | None = None, token: str | None = None
    ) -> None:
        self.settings, self.lang = settings, lang
        self.path = table if table is not None else settings.places
        self.token = token or secrets.token_urlsafe(24)
        self.hosts: frozenset[str] = frozenset()
        self._lock = threading.Lock()
        self._versions: OrderedDict[str, Document] = OrderedDict()
        self._previews: OrderedDict[str, dict[str, bytes]] = OrderedDict()
        self.load()  # fails early for a table the editor cannot open whole

    def bind(self, port: int) -> None:
        """The port the server listens on: the only Host and Origin answered."""
        self.hosts = frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})

    @property
    def address(self) -> str:
        host = min(h for h in self.hosts if h.startswith("127."))
        return f"http://{host}/{self.token}/"

    # --- the table -----------------------------------------------------------------------------

    def load(self) -> Document:
        """The table as it is on disk now, kept by its version."""
        doc = document.read_document(self.path, self.settings)
        if not doc.whole:
            raise ValidationError(
                [p for p in doc.problems if p.is_error] or list(doc.problems), doc.where
            )
        self._remember(doc)
        return doc

    def _remember(self, doc: Document) -> None:
        with self._lock:
            self._versions[doc.version] = doc
            self._versions.move_to_end(doc.version)
            while len(self._versions) > 16:
                self._versions.popitem(last=False)

    def _version(self, value: Any) -> Document | None:
        with self._lock:
            return self._versions.get(value) if isinstance(value, str) else None

    # --- the gate ------------------------------------------------------------------------------

    def refusal(self, request: Request) -> Response | None:
        """Why `request` is refused (a response), or None when it may pass."""
        headers = request.headers
        host = headers.get("host", "")
        if host not in self.hosts:
            return text(403, "Refused: this editor answers only to its own address.")
        site = headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return text(403, "Refused: a request from another site.")
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return text(403, "Refused: a request from another origin.")
        if request.method == "POST":
            if origin is None:
                return text(403, "Refused: a change must say where it comes from (Origin).")
            if headers.get("content-type", "").split(";")[0].strip() != "application/json":
                return text(415, "Refused: a change is sent as JSON.")
        elif request.method != "GET":
            return text(405, "Refused: only GET and POST.")
        path = urlsplit(request.target).path
        given = path.split("/", 2)[1] if path.count("/") >= 2 else ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return text(403, "Refused: the address lacks the editor's token.")
        return None

    def handle(self, request: Request) -> Response:
        refused = self.refusal(request)
        if refused is not None:
            return refused
        parts = urlsplit(request.target)
        route = unquote(parts.path.split("/", 2)[2])
        try:
            if request.method == "GET":
                return self._get(route, parse_qs(parts.query))
            payload = json.loads(request.body or b"null")
            if not isinstance(payload, dict):
                raise UsageError("request: expected a JSON object.")
            return self._post(route, payload)
        except ValueError:
            return text(400, "Refused: the request is not JSON.")
        except UsageError as exc:
            return text(400, str(exc))

    # --- reading -------------------------------------------------------------------------------

    def _get(self, route: str, query: dict[str, list[str]]) -> Response:
        if route == "":
            return Response(200, self.page().encode(), "text/html")
        if route.startswith("static/") and route[7:] in STATIC_TYPES:
            name = route[7:]
            return Response(200, (STATIC / name).read_bytes(), STATIC_TYPES[name])
        if route == "api/search":
            q = (query.get("q") or [""])[0][:100]
            kind = (query.get("kind") or [Kind.PARTNER_CITY.value])[0]
            return answer(self.search(q, kind))
        if route.startswith("preview/"):
            return self._preview_file(route[8:])
        return text(404, "Not found.")

    def page(self) -> str:
        doc = self.load()
        t = texts(self.lang)
        form = fields.fields(self.lang, self.settings.schema)
        name = fields.name_column(self.lang, self.settings.schema)
        data = {
            "lang": self.lang,
            "where": doc.where,
            "version": doc.version,
            "header": list(doc.header),
            "rows": [{"key": r.get("id", "").strip() or None, "cells": r} for r in doc.rows],
            "fields": [f.to_dict() for f in form],
            "name": name,
            "fallback_name": fields.name_column(FALLBACK, self.settings.schema),
            "summary": list(fields.SUMMARY),
            "text": {k[7:]: v for k, v in catalogue(self.lang).items() if k.startswith("editor.")},
        }
        return render(
            "editor/page.html",
            t=t,
            lang=self.lang,
            where=doc.where,
            form=doc.form.describe(),
            fields=form,
            home=self.settings.home.name(self.lang),
            rows=[fields.summary(row, self.lang, form) for row in doc.rows],
            summary=fields.SUMMARY,
            labels={f.name: f for f in form},
            kinds=[k.value for k in Kind if k is not Kind.OFFICE],
            help_lang=fields.HELP_LANG,
            data=data,
        )

    def search(self, query: str, kind: str) -> list[dict[str, Any]]:
        """Cities the query names (``geo lookup``'s matching), each with its row for the table."""
        from geo import lookup

        if len(query.strip()) < 2:
            return []
        try:
            chosen = Kind(kind)
        except ValueError:
            raise UsageError(
                f"kind: {kind[:40]!r}; expected partner_city or friendship_town."
            ) from None
        found = lookup.search(query, limit=SEARCH_LIMIT)
        of, main = self.settings.schema, self.settings.languages[0]
        return [
            {**c.to_dict(), "row": lookup.table_row(c, chosen, date.today(), of, main)}
            for c in found
        ]

    def _preview_file(self, rest: str) -> Response:
        rev, _, name = rest.partition("/")
        with self._lock:
            files = self._previews.get(rev)
        data = files.get(name) if files is not None else None
        if data is None:
            return text(404, "Not found (the preview was replaced by a newer one).")
        media = MEDIA.get(Path(name).suffix, "application/octet-stream")
        policy = PREVIEW_POLICY if media == "text/html" else POLICY
        headers = {"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN"}
        return Response(200, data, media, headers)

    # --- changing ------------------------------------------------------------------------------

    def _post(self, route: str, payload: dict[str, Any]) -> Response:
        doc = self._version(payload.get("version"))
        if doc is None:
            doc = self.load()  # an unknown version: checked against the file as it is now
        rows = fields.rows_from_json(payload.get("rows"), doc.header, self.settings.schema)
        cells = [r["cells"] for r in rows]
        if route == "api/check":
            return answer({"problems": self._problems(doc, cells)})
        if route == "api/preview":
            return answer(self.preview(doc, cells))
        if route == "api/save":
            return self.save(payload.get("version"), doc, cells)
        if route == "api/rebase":
            theirs = self.load()
            merged, clashes = document.rebase(doc.rows, rows, theirs.rows)
            return answer(self._state(theirs, merged) | {"clashes": [c.to_dict() for c in clashes]})
        return text(404, "Not found.")

    def _problems(self, doc: Document, cells: list[dict[str, str]]) -> list[dict[str, Any]]:
        checked = document.check(doc, cells, self.settings)
        return self._located(checked.problems, checked.lines)

    @staticmethod
    def _located(problems: Any, lines: list[int | None]) -> list[dict[str, Any]]:
        at = {line: i for i, line in enumerate(lines) if line is not None}
        return [
            problem_dict(p, at.get(p.line) if p.place_id or p.field else None) for p in problems
        ]

    @staticmethod
    def _state(doc: Document, rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The version, its rows (each keyed by its id) and the draft (by default the same)."""
        saved = [{"key": (r.get("id") or "").strip() or None, "cells": r} for r in doc.rows]
        return {"version": doc.version, "saved": saved, "rows": saved if rows is None else rows}

    def save(self, version: Any, doc: Document, cells: list[dict[str, str]]) -> Response:
        if self._version(version) is None:
            theirs = self.load()
            return answer({"conflict": [], "version": theirs.version}, 409)
        try:
            new = document.save(doc, cells, self.settings)
        except SaveRefused as exc:
            checked = document.check(doc, cells, self.settings)
            return answer({"problems": self._located(exc.problems, checked.lines)}, 422)
        except EditConflict as exc:
            theirs = exc.theirs or self.load()
            self._remember(theirs)
            conflict = [c.to_dict() for c in exc.changes]
            return answer({"conflict": conflict, "version": theirs.version}, 409)
        except GeoError as exc:  # the lock is busy, the folder cannot be written
            return answer({"error": str(exc)}, 503)
        self._remember(new)
        return answer(self._state(new))

    def preview(self, doc: Document, cells: list[dict[str, str]]) -> dict[str, Any]:
        """The map of the draft's valid places, drawn by the web renderer; its page's address."""
        from geo.layers import build_array_layers
        from geo.web.render import render_maps

        checked = document.check(doc, cells, self.settings)
        places = checked.result.places
        settings = dataclasses.replace(
            self.settings, map=dataclasses.replace(self.settings.map, assets="local")
        )
        files = render_maps(build_array_layers(places), settings)
        rev = secrets.token_hex(8)
        with self._lock:
            self._previews[rev] = files
            while len(self._previews) > PREVIEWS_KEPT:
                self._previews.popitem(last=False)
        left_out = sum(1 for c in cells if any(v.strip() for v in c.values())) - len(places)
        return {"url": f"preview/{rev}/{self.lang}-embed.html", "shown": len(places),
                "left_out": left_out}  # fmt: skip
