"""Building the site the way the README's commands do, and serving it on 127.0.0.1."""

import contextlib
import functools
import http.server
import os
import pathlib
import subprocess
import sys
import threading


def mkdocs_build(root, site_dir, config="mkdocs.yml", **env) -> subprocess.CompletedProcess:
    """Run from another directory on purpose: includes must not depend on the cwd."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(root / config),
            "-d",
            str(site_dir),
        ],
        cwd=site_dir.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def page_html(stem: str) -> str:
    return "index.html" if stem == "index" else f"{stem}/index.html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: pathlib.Path, handler=QuietHandler):
    """Serve `directory` on a free port until the block ends; yields the base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
