"""The author's loop measurement (tools/author_loop.py, ./dev bench --only reload) runs: one save
of each kind, in the session's Chromium, gives figures that add up. The served site's identity
with a full build is tests/site/test_serve.py's."""

import json
import time
import urllib.error
import urllib.request

import pytest

from harness.support import ROOT
from tools import author_loop
from tools.benchmark.reload import Reload


@pytest.mark.slow
def test_the_reload_measurement_runs(browser, tmp_path):
    results = author_loop.measure(browser, 1, tmp_path)
    for kind in author_loop.EDITS:
        shown, build, load = (
            results[kind][key]["median"] for key in ("save_to_dom_ms", "build_ms", "page_load_ms")
        )
        assert 0 < build < shown and 0 < load < shown, results
        assert results[kind]["missed_reloads"] == 0, results


# How the browser is left without a save the server serves: never told (Zensical, now and then);
# told too early, into the error page of a rebuild (after a sample edit); or into its stale copy,
# which Zensical calls current when the page changed within the second of that copy.
MISSES = {
    "never told": None,
    "error page": (404, "<p>404</p>"),
    "stale copy": (200, "<p>the page before the save</p>"),
}


@pytest.mark.slow
@pytest.mark.parametrize("miss", MISSES)
def test_a_save_the_page_misses_is_counted_and_reloaded_by_hand(browser, tmp_path, miss):
    """The live-reload poll is cut, so that the browser hears of no build; for the last two, it
    reloads once after the save into what the server's answer is replaced with."""
    path, addition = author_loop.EDITS["page"]
    with author_loop.served(tmp_path) as site:
        page = browser.new_page()
        try:
            page.route("**/livereload/**", lambda route: route.abort())
            page.add_init_script(author_loop.LOADED)
            page.goto(site.url + author_loop.PAGE)
            (site.root / path).write_text(
                (site.root / path).read_text() + addition.format(marker="missed")
            )
            site.wait_for_build(2)  # served, however busy the machine
            if MISSES[miss]:
                status, body = MISSES[miss]
                page.route(
                    site.url + author_loop.PAGE,
                    lambda route: route.fulfill(status=status, body=body, content_type="text/html"),
                    times=1,
                )
                page.reload()
                assert page.text_content("body") == body.removeprefix("<p>").removesuffix("</p>")
                # An undo is not taken to be shown by an error page.
                assert page.evaluate(author_loop.UNSEEN, "missed") == (status == 200)
            seen = author_loop.shown(page, site, author_loop.SEEN, "missed", miss, within=2)
            assert seen is None
            assert "missed" in page.text_content("body")  # after the reload by hand
        finally:
            page.close()


@pytest.mark.slow
def test_zensical_calls_a_copy_dated_in_the_second_the_page_changed_current(tmp_path):
    """Why a stale copy happens, and why shown() reloads by hand past the browser's cache:
    Zensical decides a revalidation by the second-resolution date alone (MAINTAINING.md)."""
    path = "docs/safety.md"
    with author_loop.served(tmp_path, "zensical serve") as site:
        url = site.url + author_loop.PAGE
        (site.root / path).write_text((site.root / path).read_text() + "\nchanged\n")
        deadline = time.monotonic() + 30
        while b"changed" not in (body := urllib.request.urlopen(url, timeout=5).read()):
            assert time.monotonic() < deadline, "the change was not served in 30 s"
            time.sleep(0.05)
        with urllib.request.urlopen(url, timeout=5) as response:
            changed = response.headers["Last-Modified"]
        copy = urllib.request.Request(url, headers={"If-Modified-Since": changed})
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(copy, timeout=5)
    assert answer.value.code == 304 and b"changed" in body


def test_the_table_says_how_many_saves_were_shown_only_when_reloaded_by_hand():
    data = json.loads((ROOT / "docs/benchmarks/reload.json").read_text())
    data["results"]["zensical serve"]["sample"]["missed_reloads"] = 2
    Reload.model_validate_json(json.dumps(data))
    rows = [row for row in author_loop.table(data).splitlines() if "by hand" in row]
    assert len(rows) == 1 and "a sample" in rows[0] and "`zensical serve`" in rows[0], rows
    assert "edits; 2 more not shown until reloaded by hand)" in rows[0]
