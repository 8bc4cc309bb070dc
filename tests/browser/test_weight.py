"""Every page's first view within the weight target of the site report (`./dev report`):
a page that grows past it, or an override that stops holding something back, fails here
rather than in a report nobody ran."""

import pytest

from harness.browser import PAGES
from tools import site_report


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "home")
def test_first_view_within_the_weight_target(browser, site_url, path):
    (weight,) = site_report.weigh_in(browser, [site_url + path]).values()
    kb = site_report.gzip_kb(weight["by_kind"])
    assert kb <= site_report.TARGET_KB, (path, round(kb, 1), weight["by_kind"])
