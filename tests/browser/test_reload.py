"""The author's loop measurement (tools/author_loop.py, ./dev bench --only reload) runs: one save
of each kind, in the session's Chromium, gives figures that add up. The served site's identity
with a full build is tests/site/test_serve.py's."""

import json
import time

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


@pytest.mark.slow
def test_a_save_the_page_never_hears_of_is_counted_and_reloaded_by_hand(browser, tmp_path):
    """What Zensical's server does now and then: the page served anew, the browser never told. The
    live-reload poll is cut here, so that it happens every time."""
    path, addition = author_loop.EDITS["page"]
    with author_loop.served(tmp_path) as site:
        page = browser.new_page()
        try:
            page.route("**/livereload/**", lambda route: route.abort())
            page.add_init_script(author_loop.LOADED)
            page.goto(site.url + author_loop.PAGE)
            saved = time.time() * 1000
            (site.root / path).write_text(
                (site.root / path).read_text() + addition.format(marker="never heard of")
            )
            site.wait_for_build(2)  # served, however busy the machine
            seen = author_loop.shown(
                page, site, author_loop.SEEN, "never heard of", saved, "cut poll", within=2
            )
            assert seen is None
            assert "never heard of" in page.text_content("body")  # after the reload by hand
        finally:
            page.close()


@pytest.mark.slow
def test_a_page_reloaded_before_it_was_rebuilt_is_counted_and_reloaded_by_hand(browser, tmp_path):
    """What Zensical's page did in a CI run after a sample edit: it reloaded while the server
    rebuilt (an error page) and heard nothing after. Here the live-reload poll is cut, and the
    page reloads once into a 404 after the save; neither the saved state nor its undo is taken
    to be shown by that error page."""
    path, addition = author_loop.EDITS["page"]
    with author_loop.served(tmp_path) as site:
        page = browser.new_page()
        try:
            page.route("**/livereload/**", lambda route: route.abort())
            page.add_init_script(author_loop.LOADED)
            page.goto(site.url + author_loop.PAGE)
            saved = time.time() * 1000
            (site.root / path).write_text(
                (site.root / path).read_text() + addition.format(marker="rebuilt too late")
            )
            site.wait_for_build(2)  # served, however busy the machine
            page.route(
                site.url + author_loop.PAGE,
                lambda route: route.fulfill(
                    status=404, body="<p>404</p>", content_type="text/html"
                ),
                times=1,
            )
            page.reload()
            assert page.text_content("body") == "404"
            assert not page.evaluate(author_loop.UNSEEN, "rebuilt too late")
            seen = author_loop.shown(
                page, site, author_loop.SEEN, "rebuilt too late", saved, "404 page", within=2
            )
            assert seen is None
            assert "rebuilt too late" in page.text_content("body")  # after the reload by hand
        finally:
            page.close()


def test_the_table_says_how_many_saves_were_shown_only_when_reloaded_by_hand():
    data = json.loads((ROOT / "docs/benchmarks/reload.json").read_text())
    data["results"]["zensical serve"]["sample"]["missed_reloads"] = 2
    Reload.model_validate_json(json.dumps(data))
    rows = [row for row in author_loop.table(data).splitlines() if "by hand" in row]
    assert len(rows) == 1 and "a sample" in rows[0] and "`zensical serve`" in rows[0], rows
    assert "edits; 2 more not shown until reloaded by hand)" in rows[0]
