"""The edition built by `./dev offline` reads from disk (file://), search included."""

import subprocess

import pytest

from harness.support import ROOT


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("offline") / "site"
    done = subprocess.run(
        ["bash", "dev", "offline", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return out


def test_offline_site_searches_from_disk(browser, offline_site):
    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((offline_site / "index.html").as_uri())
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("ownership", delay=30)
        link = page.locator(".md-search-result__link[href*='safety.html']").first
        link.wait_for(timeout=10_000)
        link.click()
        page.wait_for_url("**/safety.html*")
        assert page.title().startswith("Safety")
    finally:
        page.close()
    assert errors == []
    assert [url for url in requests if not url.startswith("file://")] == []
