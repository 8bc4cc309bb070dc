"""The author's loop, measured: `./dev serve` on a copy of the sources, a page open in Chromium,
an edit saved, and the time until the edited text is in the page's DOM. `./dev bench --only
reload` runs it and writes the figures into MAINTAINING.md; tests/site/test_serve.py checks that the
served site equals a full build after such edits."""

import contextlib
import dataclasses
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

from harness.processes import stop_with_parent
from harness.support import ROOT
from tools import postgres

# What ./dev serve runs (tests/site/test_serve.py holds the two to each other).
SERVE = ["serve", "--dirty"]
SOURCES = ["docs", "snippets", "overrides", "mkdocs.yml"]
# The two kinds of edit an author makes, with the Safety page open: to the page, and to a sample
# it includes; what each adds to the file.
PAGE = "safety/"
EDITS = {
    "page": ("docs/safety.md", "\n{marker}\n"),
    "sample": ("snippets/safety/borrowing/borrowing.py", "# {marker}\n"),
}
# The hook's line at the end of each build (overrides/hooks/incremental_serve.py).
BUILD = re.compile(r"Build (\d+)(?:: (.*) in (\d+) ms| failed)")


@dataclasses.dataclass
class Served:
    url: str
    root: pathlib.Path
    log: list[str]

    def builds(self) -> list[re.Match]:
        """Each build so far, the first (of every page) included: what it wrote, how long it took
        (None if it failed)."""
        return [m for line in self.log if (m := BUILD.search(line))]

    def wait_for_build(self, number: int, timeout: float = 60) -> re.Match:
        """Until build `number` (the first is 1) ended, well or not."""
        deadline = time.monotonic() + timeout
        while len(built := self.builds()) < number:
            if time.monotonic() > deadline:
                raise TimeoutError(f"build {number} did not end:\n" + "".join(self.log))
            time.sleep(0.02)
        return built[number - 1]


# Zensical (Material's successor, tests/site/test_zensical.py) reads mkdocs.yml with these
# changes, from a config and an output folder inside the project.
ZENSICAL_CHANGES = {"- !relative $config_dir": "- ."}


def command(server: str, root: pathlib.Path, address: str) -> list[str]:
    """How each server of VARIANTS starts, in the copy `root`."""
    if server == "zensical serve":
        text = (root / "mkdocs.yml").read_text()
        for old, new in ZENSICAL_CHANGES.items():
            text = text.replace(old, new)
        (root / ".zensical.yml").write_text(f"site_dir: .zensical-site\n{text}")
        return [sys.executable, "-m", "zensical", "serve", "-f", ".zensical.yml", "-a", address]
    mkdocs = SERVE if server == "./dev serve" else SERVE[:1]
    return [sys.executable, "-m", "mkdocs", *mkdocs, "-f", "mkdocs.yml", "--dev-addr", address]


@contextlib.contextmanager
def served(workdir: pathlib.Path, server: str = "./dev serve"):
    """One of VARIANTS serving a copy of the sources in `workdir`, on a free port, from when the
    Safety page is there."""
    root = workdir / "sources"
    root.mkdir(parents=True)
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, root / name)
    address = f"127.0.0.1:{postgres.free_port()}"
    process = subprocess.Popen(
        command(server, root, address),
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=stop_with_parent,  # interrupted, even if this process is killed
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stdout), daemon=True)
    reader.start()
    url = f"http://127.0.0.1:{address.split(':')[1]}/"
    try:
        deadline = time.monotonic() + 120
        while not shows(url + PAGE):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{server} did not start:\n" + "".join(log))
            time.sleep(0.05)
        yield Served(url, root, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)


def shows(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


# When the page the browser shows holds the marker: the wall-clock time its HTML was parsed
# (DOMContentLoaded) and how long that took from the start of its navigation (the reload), and
# the time of the last change to its DOM (for a server that patches the page in place).
# (readyState turns "interactive" just before DOMContentLoaded's listeners run: wait for ours.)
SEEN = """marker => window.loaded !== undefined
    && document.body.textContent.includes(marker)
    && { ...window.loaded, changed: window.changed }"""
# The page itself, not the error page a server answers while it rebuilds (Zensical empties its
# site folder before it rebuilds, and its page reloads once its socket reconnects, ready or not).
PAGE_SHOWN = """document.readyState === "complete"
    && performance.getEntriesByType("navigation")[0]?.responseStatus === 200"""
UNSEEN = f"""marker => {PAGE_SHOWN}
    && !document.body.textContent.includes(marker)"""

# Zensical's live reload listens on a WebSocket the page opens once loaded: every socket the page
# opens is kept, and each save waits until they are open, so that no save is made before the page
# can hear of it (MkDocs' long polls ask for what they missed).
LOADED = """window.sockets = [];
window.WebSocket = class extends WebSocket {
    constructor(...args) { super(...args); window.sockets.push(this); }
};
document.addEventListener("DOMContentLoaded", () => {
    window.loaded = { at: performance.timeOrigin + performance.now(), after: performance.now() };
    new MutationObserver(() => { window.changed = performance.timeOrigin + performance.now(); })
        .observe(document, { childList: true, subtree: true, characterData: true });
});"""
LISTENING = """() => document.readyState === "complete"
    && window.sockets.every(socket => socket.readyState === WebSocket.OPEN)"""
# A save not in the page after this long is checked against what the server serves: Zensical's
# shows in 1-1.5 s here (3 s beside a CPU burner, 4-6 s beside twelve), and now and then the
# browser is left on a page without it though the server serves it: never told of the build (3
# of some 220 saves, under load, the page's socket open); after a sample edit, told before the
# page was rebuilt, so that it shows the error page it reloaded into; or, after an undo saved
# within a second or two of the edit's build, on the edited page (full runs, 2026-12-06: its
# server answers 304 Not Modified to a page modified up to a second after the browser's copy).
SHOW_WITHIN_S = 10
# How long a page is given to reach a state (a save's: this long after SHOW_WITHIN_S).
WAIT_S = 30
# Reloads missed, in one kind of edit, that still leave a measurement.
MOST_MISSED = 3
# What is measured: ./dev serve, MkDocs' own serve (every page, files polled), and Zensical's.
VARIANTS = ["./dev serve", "mkdocs serve", "zensical serve"]


def measure(browser, edits: int, workdir: pathlib.Path, server: str = "./dev serve") -> dict:
    """Save → edited text in the DOM, in milliseconds, `edits` times for each kind of edit,
    with the build's share and the reloaded page's own load time, in a Playwright browser the
    caller has (run()'s, or the tests' session one)."""
    results = {}
    with served(workdir, server) as site:
        page = browser.new_page()
        try:
            page.add_init_script(LOADED)
            page.goto(site.url + PAGE)
            for kind, (path, addition) in EDITS.items():
                original = (site.root / path).read_text()
                took, builds, loads, missed = [], [], [], 0
                while len(took) < edits:
                    time.sleep(0.3)  # the page idle, as after an author's pause
                    wait_for(page, site, LISTENING, "", f"{server}, listening before an edit")
                    marker = f"reload probe {uuid.uuid4().hex}"
                    number = len(site.builds()) + 1
                    started = time.time() * 1000
                    (site.root / path).write_text(original + addition.format(marker=marker))
                    # Playwright runs the check again in each new document (the reload).
                    seen = shown(page, site, SEEN, marker, f"{server}, {kind} edit")
                    # Zensical runs no MkDocs hook, so logs no build.
                    built = site.wait_for_build(number) if server != "zensical serve" else None
                    if seen is None:  # not shown: no time to take, the page reloaded by hand
                        missed += 1
                        if missed > MOST_MISSED:
                            raise TimeoutError(f"{server} missed {missed} reloads of {kind} edits")
                        continue
                    if seen["at"] > started:  # a new document: the reload
                        took.append(seen["at"] - started)
                        loads.append(seen["after"])
                    else:  # the same document, changed where it stood
                        took.append(seen["changed"] - started)
                    if built:
                        builds.append(int(built[3]))
                wait_for(page, site, LISTENING, "", f"{server}, listening before the undo")
                (site.root / path).write_text(original)
                undone = shown(page, site, UNSEEN, marker, f"{server}, {kind} edit undone")
                results[kind] = {
                    "save_to_dom_ms": summary(took),
                    "build_ms": summary(builds) if builds else None,
                    "page_load_ms": summary(loads) if loads else None,
                    "missed_reloads": missed + (undone is None),
                }
        finally:
            page.close()
    return results


def shown(page, site: Served, check: str, marker: str, what: str, within=SHOW_WITHIN_S):
    """The page's state `check` (SEEN or UNSEEN) for `marker`, as a value; None if, from `within`
    seconds after the save on (checked every half second for WAIT_S more), the server serves
    the saved state but the browser, its document loaded, does not show it. The page is then
    reloaded here, bypassing the browser's cache (a copy Zensical calls current may be stale),
    and checked."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline, timeout = time.monotonic() + within + WAIT_S, within
    while time.monotonic() < deadline:
        try:
            state = page.wait_for_function(check, arg=marker, polling=5, timeout=timeout * 1000)
        except PlaywrightTimeout:
            timeout = 0.5
        else:
            try:
                return state.json_value()
            except PlaywrightError:  # reloaded again meanwhile: the next document's
                continue
        if serves(site, marker, check == SEEN) and untold(page, check, marker):
            cdp = page.context.new_cdp_session(page)
            cdp.send("Page.reload", {"ignoreCache": True})
            cdp.detach()
            wait_for(page, site, check, marker, f"{what}, reloaded by hand")
            return None
    raise stuck(page, site, marker, f"{what}: not seen within {within + WAIT_S} s")


def serves(site: Served, marker: str, seen: bool) -> bool:
    """Whether the server's page holds `marker` (seen) or not."""
    try:
        with urllib.request.urlopen(site.url + PAGE, timeout=5) as response:
            return (marker in response.read().decode()) == seen
    except OSError:  # rebuilding (404) or restarting (refused): no page yet
        return False


def untold(page, check: str, marker: str) -> bool:
    """Whether the page has loaded a document, and it is not in the state `check`."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return page.evaluate(
            f"marker => document.readyState === 'complete' && !({check})(marker)", marker
        )
    except PlaywrightError:  # navigating: it was told
        return False


def wait_for(page, site: Served, check: str, marker: str, what: str):
    """The page's state `check` for `marker`, within WAIT_S."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        return page.wait_for_function(check, arg=marker, polling=5, timeout=WAIT_S * 1000)
    except PlaywrightTimeout:
        raise stuck(page, site, marker, f"{what}: not seen within {WAIT_S} s") from None


def stuck(page, site: Served, marker: str, what: str) -> TimeoutError:
    """What the page and the server were doing, for a failure that says more than Playwright's
    time-out."""
    state = page.evaluate(
        """marker => ({url: location.href, readyState: document.readyState,
            loaded: window.loaded, shows: document.body.textContent.includes(marker),
            sockets: (window.sockets || []).map(socket => socket.readyState)})""",
        marker,
    )
    return TimeoutError(f"{what}; page {state}; server's log:\n{''.join(site.log[-30:])}")


def summary(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values)),
        "min": round(min(values)),
        "max": round(max(values)),
        "n": len(values),
    }


def table(data: dict) -> str:
    """MAINTAINING.md's block: a pure function of docs/benchmarks/reload.json."""
    rows = [
        "| Edit, with `/safety/` open | Served by | Save → new text in the browser "
        "| of which the build | and the page's reload |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, what in [("page", "the page (`docs/safety.md`)"), ("sample", "a sample it includes")]:
        for variant, results in data["results"].items():
            shown, build, load = (
                results[kind][key] for key in ("save_to_dom_ms", "build_ms", "page_load_ms")
            )
            built = f"{build['median']} ms" if build else "not logged"
            reloaded = f"{load['median']} ms" if load else "none (patched in place)"
            missed = results[kind].get("missed_reloads", 0)
            note = f"; {missed} more not shown until reloaded by hand" if missed else ""
            rows.append(
                f"| {what} | `{variant}` | **{shown['median']} ms** "
                f"({shown['min']}–{shown['max']}, {shown['n']} edits{note}) "
                f"| {built} | {reloaded} |"
            )
    return "\n".join(rows) + "\n\nMedians (min–max); measured " + data["machine"]["date"] + "."
