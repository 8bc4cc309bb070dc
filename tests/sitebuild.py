"""Building the site the way the README's commands do."""

import os
import subprocess
import sys


def mkdocs_build(root, site_dir) -> subprocess.CompletedProcess:
    """Run from another directory on purpose: includes must not depend on the cwd."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
         "-d", str(site_dir)],
        cwd=site_dir.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def page_html(stem: str) -> str:
    return "index.html" if stem == "index" else f"{stem}/index.html"
