"""Headless Chromium (Debian's ``chromium``) driven by Playwright, watching what a page does.

Every request is routed through a guard: one for a host other than the app's is recorded and
aborted, so a test proves that a page needs nothing from outside and leaks nothing.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Screenshots are test artifacts; pointing this at docs/screenshots refreshes the README's pictures.
ARTIFACTS = Path(os.environ.get("VLMGRAPH_SCREENSHOT_DIR") or Path(__file__).resolve().parent / "artifacts")
CHROMIUM = os.environ.get("VLMGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium phones home at start (updates, sync, safe browsing).
# The host-resolver rule is a second guard beneath the request routing: no name but the loopback resolves,
# so a page that is watched without routing (to keep the HTTP cache) cannot reach beyond the host either.
FLAGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"]


# Pairs of drawn nodes whose boxes (vis-network's own bounding boxes, labels included) intersect,
# given window.vlmgraphNetwork.
OVERLAPS = """state => {
    const {network, nodes} = state;
    const boxes = nodes.getIds().map(id => [nodes.get(id).name, network.getBoundingBox(id)]);
    const pairs = [];
    for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
            const [a, p] = boxes[i], [b, q] = boxes[j];
            if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) pairs.push([a, b]);
        }
    }
    return {drawn: boxes.map(([name]) => name), pairs: pairs};
}"""


def launch(playwright):
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: `bash scripts/test.sh` installs Debian's chromium")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)


@dataclass
class Watched:
    """A page and everything it complained about or tried to reach beyond the app."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problems(self, allow: tuple[str, ...] = ()) -> list[str]:
        """Everything that went wrong, except console messages containing one of ``allow``."""
        console = [m for m in self.console_errors if not any(a in m for a in allow)]
        return ([f"console: {m}" for m in console] + [f"page error: {m}" for m in self.page_errors]
                + [f"left the host: {u}" for u in self.foreign_requests]
                + [f"failed: {u}" for u in self.failed_requests])

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


def watch(context, base_url: str, cached: bool = False) -> Watched:
    """A new page of `context`, every request beyond the host of `base_url` recorded and aborted.
    Routing requests switches the browser's HTTP cache off; with `cached`, requests are only
    recorded (the resolver rule in FLAGS makes them fail), so a loop over many pages reuses the
    scripts it has loaded."""
    host = urlsplit(base_url).netloc
    page = context.new_page()
    watched = Watched(page)

    def local(url: str) -> bool:
        return urlsplit(url).netloc == host or url.startswith(("data:", "blob:", "about:"))

    def guard(route):
        url = route.request.url
        if local(url):
            route.continue_()
        else:
            watched.foreign_requests.append(url)
            route.abort()

    if cached:
        page.on("request", lambda r: None if local(r.url) else watched.foreign_requests.append(r.url))
    else:
        page.route("**/*", guard)
    page.on("console", lambda m: watched.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: watched.failed_requests.append(f"{r.url} ({r.failure})")
            if urlsplit(r.url).netloc == host else None)
    return watched


# Which characters the installed fonts can draw, asked of fontconfig once per character.
_COVERED: dict[str, bool] = {}


def missing_glyphs(page) -> set[str]:
    """Characters on the page (its text and the labels of a drawn network) that no installed font
    has: Chromium would draw them as boxes. ASCII is taken as covered."""
    import subprocess

    text = page.evaluate("""() => document.body.innerText + (window.vlmgraphNetwork && window.vlmgraphNetwork.all
        ? window.vlmgraphNetwork.all.nodes.map(n => n.label + n.title).join("") : "")""")
    for char in {c for c in text if ord(c) > 127 and not c.isspace()} - _COVERED.keys():
        found = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True)
        _COVERED[char] = bool(found.stdout.strip())
    return {c for c in text if ord(c) > 127 and not c.isspace() and not _COVERED[c]}
