"""Asking the Wikidata Query Service: the cross-check's only network I/O (standard library).

One POST of the query (``application/x-www-form-urlencoded``, as the SPARQL 1.1 Protocol allows;
a long query fits where a GET's URL would not), asking for ``application/sparql-results+json``,
with a User-Agent that names geo and how to reach whoever runs it, as Wikimedia's User-Agent
policy asks. The service limits its users: an answer 429 (too many requests) or 503 comes with
``Retry-After``, which is waited for (in seconds or as an HTTP date) up to :data:`MAX_WAIT`; a
5xx answer, a dropped connection or a timeout is tried again after 2, 4, 8 s. Each attempt has
`timeout` seconds for the whole answer, however slowly it trickles, and the answer at most
:data:`MAX_BYTES`. Redirects are not followed (the endpoint is named exactly). Every failure is a
:class:`~geo.errors.RemoteError` (exit status 2) that says what happened and what to do.
"""

from __future__ import annotations

import email.utils
import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from geo.crosscheck.result import MEDIA_TYPE
from geo.errors import RemoteError
from geo.textrules import terminal_safe

MAX_BYTES = 64 * 1024 * 1024  # a P190 answer for a city is a few hundred kB
MAX_WAIT = 120.0  # seconds: a longer Retry-After is not waited for
ATTEMPTS = 4
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
CHUNK = 64 * 1024


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own (an error), not a request to another address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None
    where it is absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _read(response: http.client.HTTPResponse, deadline: float, clock: Callable[[], float]) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if clock() > deadline:
            raise TimeoutError("the answer did not arrive in time")
        chunk = response.read1(CHUNK)  # what has arrived, not a full chunk's wait
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise RemoteError(
                f"the answer is larger than {MAX_BYTES // 2**20} MB; expected a few hundred kB "
                "of SPARQL results. Is --endpoint a SPARQL endpoint?"
            )
        chunks.append(chunk)


def _excerpt(error: urllib.error.HTTPError) -> str:
    """The first line of an error page, shortened and made safe (the service's text)."""
    try:
        body = error.read(2000).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    first = lines[0][:200] if lines else ""
    return f" ({terminal_safe(first)})" if first else ""


def fetch(
    query: str,
    endpoint: str,
    user_agent: str,
    timeout: float = 60.0,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The service's answer to `query`: the bytes of SPARQL JSON results, or RemoteError.
    `sleep` waits between attempts (default :func:`time.sleep`)."""
    name = f"{terminal_safe(endpoint)}"
    request = urllib.request.Request(
        endpoint,
        data=urlencode({"query": query}).encode("utf-8"),
        method="POST",
        headers={
            "Accept": MEDIA_TYPE,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": user_agent,
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    later = "Try again later, or run the query by hand and give its answer with --from (see "
    later += "docs/crosscheck.md)."
    attempts = max(1, attempts)
    for attempt in range(1, attempts + 1):
        backoff = float(2**attempt)
        try:
            with opener.open(request, timeout=timeout) as response:
                return _read(response, clock() + timeout, clock)
        except urllib.error.HTTPError as exc:
            status = exc.code
            detail = _excerpt(exc)
            if 300 <= status < 400:
                target = terminal_safe(str(exc.headers.get("Location", "?")))[:200]
                raise RemoteError(
                    f"{name}: answered {status}, a redirect to {target}; expected the results. "
                    "Give the address it names with --endpoint."
                ) from None
            if status not in RETRY_STATUS:
                raise RemoteError(
                    f"{name}: answered HTTP {status}{detail}; expected the results. "
                    + ("The query was refused: is --endpoint Wikidata's? " if status < 500 else "")
                    + later
                ) from None
            wait = retry_after(exc.headers.get("Retry-After"))
            if wait is not None and wait > MAX_WAIT:
                raise RemoteError(
                    f"{name}: answered HTTP {status} and asks to wait {wait:,.0f} s, more than "
                    f"{MAX_WAIT:.0f} s. {later}"
                ) from None
            failure = f"answered HTTP {status}{detail}"
            delay = wait if wait is not None else backoff
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            reason = getattr(exc, "reason", None) or exc
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                failure = f"no answer within {timeout:g} s"
            else:
                failure = f"cannot be reached ({terminal_safe(str(reason))[:200]})"
            delay = backoff
        if attempt == attempts:
            raise RemoteError(
                f"{name}: {failure}, {attempts} attempt{'s' if attempts > 1 else ''}; expected "
                f"SPARQL results. {later}"
            )
        (sleep or time.sleep)(delay)
    raise AssertionError("unreachable")  # pragma: no cover
