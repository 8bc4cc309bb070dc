"""The author's loop, measured: `./dev serve` on a copy of the sources, a page open in Chromium,
an edit saved, and the time until the edited text is in the page's DOM. `./dev bench --only
reload` runs it and writes the figures into README; tests/site/test_serve.py checks that the
served site equals a full build after such edits."""

import contextlib
import dataclasses
import json
import os
import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid

from tests.support import ROOT

# What ./dev serve runs (tests/site/test_serve.py holds the two to each other).
SERVE = ["serve", "--dirty"]
SOURCES = ["docs", "snippets", "overrides", "mkdocs.yml"]
# The two kinds of edit an author makes, each to a file the Safety page shows.
EDITS = {
    "page": ("docs/safety.md", "safety/", "\n{marker}\n"),
    "sample": ("snippets/safety/borrowing/borrowing.py", "safety/", "# {marker}\n"),
}
BUILT = re.compile(r"Documentation built in ([\d.]+) seconds")


@dataclasses.dataclass
class Served:
    url: str
    root: pathlib.Path
    log: list[str]

    def builds(self) -> list[float]:
        """How long each build took, as MkDocs logs it."""
        return [float(m[1]) for line in self.log if (m := BUILT.search(line))]

    def wait_for_builds(self, count: int, timeout: float = 60) -> None:
        """Until `count` builds ended (well or not): reloads and errors both say so."""
        deadline = time.monotonic() + timeout
        while len(self.ended()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{count} builds did not end:\n" + "\n".join(self.log))
            time.sleep(0.02)

    def ended(self) -> list[str]:
        return [line for line in self.log if "Reloading browsers" in line or "the rebuild" in line]

    def edit(self, path: str, text: str) -> None:
        (self.root / path).write_text(text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(workdir: pathlib.Path, *args: str):
    """`mkdocs serve` as ./dev runs it, on a copy of the sources in `workdir` and a free port."""
    root = workdir / "sources"
    root.mkdir(parents=True)
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, root / name)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", *SERVE, "-f", str(root / "mkdocs.yml")]
        + ["--dev-addr", f"127.0.0.1:{port}", *args],
        cwd=workdir,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any("Serving on" in line for line in log):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mkdocs serve did not start:\n" + "".join(log))
            time.sleep(0.05)
        yield Served(f"http://127.0.0.1:{port}/", root, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)


# When the page that the browser shows holds the marker, the wall-clock time it was parsed.
SEEN = """marker => document.readyState !== "loading"
    && document.body.textContent.includes(marker) ? window.loadedAt : 0"""
LOADED_AT = """document.addEventListener("DOMContentLoaded",
    () => { window.loadedAt = performance.timeOrigin + performance.now(); });"""


def measure(edits: int, workdir: pathlib.Path) -> dict:
    """Save → edited text in the DOM, in milliseconds, `edits` times for each kind of edit."""
    from playwright.sync_api import Error, sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    results = {}
    with served(workdir) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for kind, (path, page_path, addition) in EDITS.items():
                page = browser.new_page()
                page.add_init_script(LOADED_AT)
                page.goto(site.url + page_path)
                original = (site.root / path).read_text()
                took, builds = [], []
                for _ in range(edits):
                    time.sleep(0.3)  # the page idle, as after an author's pause
                    marker = f"reload probe {uuid.uuid4().hex}"
                    before = len(site.builds())
                    started = time.time() * 1000
                    site.edit(path, original + addition.format(marker=marker))
                    deadline = time.monotonic() + 20
                    while True:
                        with contextlib.suppress(Error):  # the page reloading just then
                            if seen := page.evaluate(SEEN, marker):
                                break
                        if time.monotonic() > deadline:
                            raise TimeoutError(f"{kind} edit never shown:\n" + "".join(site.log))
                        time.sleep(0.005)
                    took.append(seen - started)
                    builds.append(site.builds()[before] * 1000)
                site.edit(path, original)
                page.close()
                results[kind] = {"save_to_dom_ms": summary(took), "build_ms": summary(builds)}
        finally:
            browser.close()
    return results


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values)),
        "min": round(min(values)),
        "max": round(max(values)),
        "n": len(values),
    }


def table(data: dict) -> str:
    """README's block: a pure function of docs/benchmarks/reload.json."""
    rows = [
        "| Edit | Save → new text in the browser (median, min–max) "
        "| MkDocs' build of it (median) |",
        "| --- | --- | --- |",
    ]
    for kind, what in [("page", "a page (`docs/safety.md`)"), ("sample", "a sample it includes")]:
        shown, build = data["results"][kind]["save_to_dom_ms"], data["results"][kind]["build_ms"]
        rows.append(
            f"| {what} | {shown['median']} ms ({shown['min']}–{shown['max']} ms, "
            f"{shown['n']} edits) | {build['median']} ms |"
        )
    return "\n".join(rows)


def run(args, out: pathlib.Path) -> str:
    import tempfile

    with tempfile.TemporaryDirectory() as workdir:
        data = {"machine": args.machine, "results": measure(args.edits, pathlib.Path(workdir))}
    (out / "reload.json").write_text(json.dumps(data, indent=2) + "\n")
    return table(data)
