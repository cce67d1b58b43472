"""The editor's HTTP server: the standard library's, on 127.0.0.1, in a thread.

Python's ``http.server`` carries the requests; :class:`geo.editor.app.Editor` answers them. It
listens on the loopback address only (a free port, or the one asked for), handles each request
in a thread of its own, and logs nothing to the terminal but the address. No framework: the
editor serves one person on one machine, a handful of routes, and the standard library's server
does that without a dependency.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import Any

from geo.editor.app import MAX_BODY, Editor, Request, text
from geo.errors import UsageError

HOST = "127.0.0.1"


class Handler(http.server.BaseHTTPRequestHandler):
    """Turns each request into a :class:`Request` and the editor's answer into bytes."""

    editor: Editor
    server_version = "geo-edit"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the address, not every request (nor its token)

    def _answer(self, method: str) -> None:
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit() or int(length) > MAX_BODY:
            response = text(413, "Refused: the request is too large.")
            self.close_connection = True
        else:
            body = self.rfile.read(int(length)) if method == "POST" else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            try:
                response = self.editor.handle(Request(method, self.path, headers, body))
            except Exception as exc:  # a bug: said, never a dropped connection or a traceback
                response = text(500, f"Internal error: {type(exc).__name__}: {exc}"[:500])
        self.send_response(response.status)
        for name, value in response.all_headers().items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_PUT(self) -> None:
        self._answer("PUT")

    def do_DELETE(self) -> None:
        self._answer("DELETE")


@contextlib.contextmanager
def serving(editor: Editor, port: int = 0) -> Iterator[str]:
    """Serve `editor` on 127.0.0.1 (`port`, or a free one) in a thread; yield its address."""
    handler = type("EditorHandler", (Handler,), {"editor": editor})
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise UsageError(
            f"--port {port}: cannot listen there ({exc.strerror or exc}); expected a free port, "
            "or leave --port out for any free one."
        ) from exc
    server.daemon_threads = True
    editor.bind(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, name="geo-edit", daemon=True)
    thread.start()
    try:
        yield editor.address
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run(
    editor: Editor,
    port: int = 0,
    browser: bool = True,
    notify: Any = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve `editor` until interrupted (Ctrl+C) or `stop` is set; open the browser first."""
    import webbrowser

    with serving(editor, port) as address:
        notify(f"Editing {editor.load().where} at {address}")
        notify("Open that address in a browser on this computer; Ctrl+C stops the editor.")
        if browser:
            webbrowser.open(address)
        stop = stop or threading.Event()
        with contextlib.suppress(KeyboardInterrupt):
            while not stop.wait(0.5):
                pass
    notify("The editor has stopped.")
