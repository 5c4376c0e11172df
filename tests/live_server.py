"""The app served by a real uvicorn server on a loopback port, for clients that need a socket."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import uvicorn

from vlmgraph.web.app import Settings, create_app


@contextmanager
def serving(store_dir: Path, **settings) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT``) of the app over ``store_dir``."""
    app = create_app(Settings(store_dir, **settings))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
