#!/usr/bin/env python3
"""Open the course in your browser from this folder: ``python serve.py`` (or ``python3 serve.py``).

The course in the browser needs to be served by a web server: opening ``index.html`` straight from
a folder or a USB stick (a ``file://`` address) does not work, because browsers refuse to start its
Python from there. This file is that server, with nothing but Python's standard library: it serves
this folder on your own computer only (the address 127.0.0.1, which no other computer can reach),
with the file types the site needs, and opens the course in your browser. Stop it with Ctrl+C.

    python serve.py                  # http://127.0.0.1:8765/, opened in your browser
    python serve.py --port 8800      # another port, if 8765 is taken
    python serve.py --no-browser     # print the address only

Your work is kept by the browser *for this address*: use the same port every time (the default),
or the notebooks you changed will not be there. To keep a copy of a notebook elsewhere, right-click
it in the file browser and choose Download.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: The port used unless told otherwise: the browser keeps a student's work per address, so it stays the same.
PORT = 8765
#: File types the site needs that some systems do not know (WebAssembly above all).
TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
         ".ipynb": "application/json", ".whl": "application/octet-stream", ".map": "application/json"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files with the right types; asks the browser to check for a newer site."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def end_headers(self) -> None:
        # "no-cache" means "ask before reusing": a rebuilt site is seen at once, an unchanged file costs
        # one short answer (304). nosniff: each file is used only as the type it is served as.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # one line per file would bury the only line that matters: the address


def make_server(folder: Path = HERE, port: int = PORT) -> http.server.ThreadingHTTPServer:
    """A server for ``folder`` on 127.0.0.1:``port`` (0: any free port), not yet serving.

    >>> server = make_server(port=0)
    >>> server.server_address[0]
    '127.0.0.1'
    >>> server.server_close()
    """
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(folder)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the course in the browser from this folder, on this computer only.")
    parser.add_argument("--port", type=int, default=PORT, help=f"the port (default {PORT}; keep the same one every time)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser, print the address only")
    args = parser.parse_args(argv)
    try:
        server = make_server(HERE, args.port)
    except OSError as error:
        print(f"Port {args.port} cannot be used ({error.strerror}): is the course already open in another window? "
              f"Use that one, or choose another port: python serve.py --port 8800 (your changed notebooks are kept "
              "per port, so use the same one next time).", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"The course is at {url}  (on this computer only). Keep this window open; press Ctrl+C to stop.", flush=True)
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
