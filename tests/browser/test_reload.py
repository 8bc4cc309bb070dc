"""The author's loop measurement (tools/author_loop.py, ./dev bench --only reload) runs: one save
of each kind, in the session's Chromium, gives figures that add up. The served site's identity
with a full build is tests/site/test_serve.py's."""

import pytest

from tools import author_loop


@pytest.mark.slow
def test_the_reload_measurement_runs(browser, tmp_path):
    results = author_loop.measure(browser, 1, tmp_path)
    for kind in author_loop.EDITS:
        shown, build, load = (
            results[kind][key]["median"] for key in ("save_to_dom_ms", "build_ms", "page_load_ms")
        )
        assert 0 < build < shown and 0 < load < shown, results
