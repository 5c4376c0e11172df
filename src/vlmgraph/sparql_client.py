"""Talk to a SPARQL server over HTTP: the W3C protocols only, every failure one clear line.

The SPARQL 1.1 Protocol (queries and updates as form POSTs) and the Graph Store HTTP
Protocol (PUT/POST of N-Triples) are all vlmgraph needs from Virtuoso, Oxigraph server,
Fuseki, GraphDB or Neptune. This module owns the connection, the credentials and the
translation of what can go wrong (no server, refused credentials, a timeout, an answer that
is not SPARQL, a rejected request) into ``RemoteStoreError``s whose message names the URL.
"""

from __future__ import annotations

import html
import re
import time
from typing import Iterable
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx

from .execution import QueryError

FORM = "application/x-www-form-urlencoded"
RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


class RemoteStoreError(QueryError):
    """A SPARQL server could not do what was asked. A QueryError, so the CLI prints it as one line."""


class ServerUnreachable(RemoteStoreError):
    pass


class AuthenticationRefused(RemoteStoreError):
    pass


class RemoteTimeout(RemoteStoreError):
    pass


class NotSparql(RemoteStoreError):
    """The URL answers, but not as a SPARQL endpoint (a web page, a 404…)."""


class RequestRejected(RemoteStoreError):
    """The server understood the request and refused it: a bad query, data it cannot store."""


class ResultTooLarge(RemoteStoreError):
    pass


class UserPasswordAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server's challenge asks for.

    Virtuoso's /sparql-auth answers only Digest, Fuseki and GraphDB usually Basic; the user
    should not have to know. The first request goes without credentials; a 401 tells the
    scheme, which is then remembered, so later requests are authenticated at once (Digest
    through httpx's own nonce reuse).
    """

    def __init__(self, user: str, password: str):
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request):
        if self._scheme is None:
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "")
            self._scheme = "digest" if challenge.lower().startswith("digest") else "basic"
            if self._scheme == "digest":  # hand httpx's Digest flow the challenge it just got
                flow = self._digest.auth_flow(request)
                next(flow)
                authenticated = flow.send(response)
                yield from _finish(flow, (yield authenticated))
                return
        yield from (self._digest if self._scheme == "digest" else self._basic).auth_flow(request)


def _finish(flow, response):
    """Let a delegated auth flow see the last response (it may retry once more)."""
    try:
        request = flow.send(response)
    except StopIteration:
        return
    response = yield request
    yield from _finish(flow, response)


class TokenAuth(httpx.Auth):
    def __init__(self, token: str):
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request):
        request.headers["Authorization"] = self._header
        yield request


def credentials(auth: str | tuple[str, str] | None = None, token: str | None = None) -> httpx.Auth | None:
    """``USER:PASSWORD`` (or a pair) for Basic/Digest, or a bearer token; not both."""
    if auth and token:
        raise RemoteStoreError("give --auth USER:PASSWORD or --token, not both")
    if token:
        return TokenAuth(token)
    if not auth:
        return None
    if isinstance(auth, str):
        user, sep, password = auth.partition(":")
        if not sep or not user:
            raise RemoteStoreError("--auth takes USER:PASSWORD")
        return UserPasswordAuth(user, password)
    return UserPasswordAuth(*auth)


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """``http://user:pw@host/sparql`` -> (``http://host/sparql``, (user, pw)): credentials in a --store URL."""
    parts = urlsplit(url)
    if not parts.username:
        return url, None
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc)), (unquote(parts.username), unquote(parts.password or ""))


def one_line(text: str, limit: int = 300) -> str:
    """A server's error body (plain text, HTML, a stack of lines) as one readable line."""
    if "<" in text and re.search(r"</?(html|body|h\d|p|pre|xmp|title)\b", text, re.I):
        text = re.sub(r"(?is)<(script|style|title)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


class SparqlClient:
    """One HTTP connection pool, credentials and time limit for the requests to one server."""

    def __init__(self, auth: httpx.Auth | None = None, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None):
        self.timeout = timeout
        self.has_credentials = auth is not None
        self._http = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                                  follow_redirects=True, headers={"User-Agent": "vlmgraph"}, transport=transport)

    def close(self) -> None:
        self._http.close()

    def query(self, url: str, query: str, accept: str, default_graphs: Iterable[str] = (),
              named_graphs: Iterable[str] = (), max_bytes: int | None = None) -> tuple[bytes, str]:
        """POST a query as a form (SPARQL 1.1 Protocol §2.1.2): the body and its media type."""
        form = [("query", query)] + [("default-graph-uri", g) for g in default_graphs]
        form += [("named-graph-uri", g) for g in named_graphs]
        return self.send("POST", url, "query", content=urlencode(form).encode(), max_bytes=max_bytes,
                         headers={"Content-Type": FORM, "Accept": accept})

    def update(self, url: str, update: str) -> None:
        """POST an update as a form (SPARQL 1.1 Protocol §2.2.1)."""
        self.send("POST", url, "update", content=urlencode([("update", update)]).encode(),
                  headers={"Content-Type": FORM})

    def store_graph(self, url: str, graph: str, ntriples: bytes, replace: bool) -> None:
        """Graph Store Protocol: PUT (replace) or POST (add to) the graph ``?graph=IRI``."""
        target = f"{url}{'&' if '?' in url else '?'}{urlencode({'graph': graph})}"
        self.send("PUT" if replace else "POST", target, "data", content=ntriples,
                  headers={"Content-Type": N_TRIPLES})

    def send(self, method: str, url: str, what: str, *, content: bytes, headers: dict[str, str],
             max_bytes: int | None = None) -> tuple[bytes, str]:
        """Send one request; the body (up to max_bytes) and media type of a 2xx answer, else an error."""
        deadline = time.monotonic() + self.timeout
        try:
            with self._http.stream(method, url, content=content, headers=headers) as response:
                if response.status_code >= 400:
                    body = response.read()[:20_000].decode("utf-8", "replace")
                    raise _refusal(response.status_code, url, what, body, self.has_credentials)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise ResultTooLarge(f"the result is larger than {max_bytes:,} bytes; add a LIMIT")
                    if time.monotonic() > deadline:
                        raise RemoteTimeout(f"{url} did not finish answering within {self.timeout:g} s")
                    chunks.append(chunk)
                media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                _check_complete(response, url)
                return b"".join(chunks), media_type
        except httpx.TimeoutException:
            raise RemoteTimeout(f"{url} did not answer within {self.timeout:g} s") from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            reason = str(exc) or type(exc).__name__
            raise ServerUnreachable(f"cannot reach the SPARQL server at {url}: {one_line(reason, 120)}") from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise RemoteStoreError(f"{url} is not an http(s) URL: {exc}") from None
        except httpx.HTTPError as exc:
            raise ServerUnreachable(f"request to {url} failed: {one_line(str(exc), 120)}") from None


def _refusal(status: int, url: str, what: str, body: str, has_credentials: bool) -> RemoteStoreError:
    if status in (401, 403):
        if status == 401 and not has_credentials:
            return AuthenticationRefused(f"{url} asks for credentials (HTTP 401): give --auth USER:PASSWORD or --token")
        return AuthenticationRefused(f"{url} refused the credentials (HTTP {status})")
    if status in (404, 405, 406, 415):
        return NotSparql(f"{url} does not take a SPARQL {what} (HTTP {status}): is it the right endpoint?")
    if status == 413:
        return RequestRejected(f"{url} refused the {what} as too large (HTTP 413): use a smaller --batch-size")
    if status in (502, 503, 504) and not body.strip():
        return ServerUnreachable(f"the SPARQL server at {url} is unavailable (HTTP {status})")
    detail = one_line(body) or "no reason given"
    return RequestRejected(f"{url} rejected the {what} (HTTP {status}): {detail}")


def _check_complete(response: httpx.Response, url: str) -> None:
    """Virtuoso answers a query cut short by its limits with HTTP 200 and says so only in
    headers (X-SPARQL-MaxRows once the rows reach ResultSetMaxRows, X-SQL-State on an
    anytime-query timeout); a partial answer must not pass for the real one."""
    if response.headers.get("x-sql-state"):
        message = one_line(response.headers.get("x-sql-message", ""), 200)
        raise RequestRejected(f"{url} returned an incomplete result: {message or response.headers['x-sql-state']}")
    max_rows = response.headers.get("x-sparql-maxrows")
    if max_rows:
        raise ResultTooLarge(f"{url} stopped the result at its limit of {max_rows} rows, so it may be cut short "
                             "(Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)")
