"""Browser test harness: serve a folder locally, drive Debian's Chromium, watch what a page does.

Reusable by any test that loads built pages (maps, downloads pages):

- :func:`serve` serves a folder over HTTP on 127.0.0.1 in a background thread;
- :func:`launch` starts the system Chromium (/usr/bin/chromium) through Playwright, with the flags
  the project uses everywhere; it never downloads a browser;
- :func:`open_page` opens a page in a fresh context that records and blocks every request to a host
  other than the local server, and collects console errors, uncaught page errors and dialogs;
- :func:`run_axe` injects axe-core (from ``node_modules``, pinned in package.json) and returns its
  violations for the WCAG 2.0/2.1 A and AA tags.

If Chromium is missing, :func:`launch` raises :class:`BrowserMissing`, which the fixtures turn into
a test failure (not a skip), so CI never passes without running the browser tests.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
INSTALL_HINT = "Run `bash scripts/install-system-deps.sh` (CI does this in .ci/run)."


class BrowserMissing(RuntimeError):
    """The system Chromium that the browser tests drive is not installed."""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Sends each file as it is, says nothing, and lets nothing be cached."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # Every load is a fresh one: timings and tests never see a cached asset.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(folder: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) while the block runs, through `handler`; yield
    its base URL."""
    handler = functools.partial(handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch(playwright: Playwright) -> Browser:
    """Start the system Chromium headless; raise :class:`BrowserMissing` if it is not installed."""
    if not CHROMIUM.exists():
        raise BrowserMissing(f"{CHROMIUM} not found; the browser tests need it. {INSTALL_HINT}")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))


@dataclass
class Visit:
    """A page opened by :func:`open_page` and what it did so far."""

    page: Page
    context: BrowserContext
    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def cookies(self) -> list[Any]:
        return list(self.context.cookies())

    def local_storage_size(self) -> int:
        return int(self.page.evaluate("() => window.localStorage.length"))

    def session_storage_size(self) -> int:
        return int(self.page.evaluate("() => window.sessionStorage.length"))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def open_page(
    browser: Browser,
    url: str,
    viewport: tuple[int, int] = (1280, 800),
    wait_until: str = "load",
    bypass_csp: bool = False,
) -> Iterator[Visit]:
    """Open `url` in a fresh context; block and record requests that leave its origin.

    `bypass_csp` switches the page's Content-Security-Policy off, for tests that prove the
    escaping itself (with the policy on, it alone would keep a slip of the escaping harmless).
    """
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        service_workers="block",
        bypass_csp=bypass_csp,
    )
    page = context.new_page()
    visit = Visit(page=page, context=context, origin=_origin(url))

    def route(route: Route) -> None:
        request_url = route.request.url
        visit.requests.append(request_url)
        if request_url.startswith(("data:", "blob:", "about:")) or (
            _origin(request_url) == visit.origin
        ):
            route.continue_()
        else:
            visit.blocked.append(request_url)
            route.abort()

    context.route("**/*", route)
    page.on(
        "console",
        lambda m: visit.console_errors.append(m.text) if m.type == "error" else None,
    )
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        page.goto(url, wait_until=wait_until)  # type: ignore[arg-type]
        yield visit
    finally:
        context.close()


def run_axe(page: Page, tags: tuple[str, ...] = AXE_TAGS) -> list[dict[str, Any]]:
    """Run axe-core on the page for `tags`; return its violations (empty when it passes)."""
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} not found. Run `npm ci` (make test does).")
    # Evaluated through the DevTools protocol, not added as an inline <script>: pages with a
    # strict Content-Security-Policy (the maps) would refuse such a script.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violated rule with the first offending nodes, for assertion messages."""
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"][:3]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


def wait_until(page: Page, expression: str, timeout: float = 30.0) -> None:
    """Wait until the JavaScript `expression` is true in the page.

    Polled from Python through the DevTools protocol, which the page's Content-Security-Policy
    does not govern (Playwright's own wait_for_function polls with eval inside the page, which a
    strict CSP refuses once the first check is false).
    """
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout:g} s: {expression}")
        page.wait_for_timeout(50)
