"""What the pages' start-up speed-ups (MAINTAINING.md, "Site report") rely on in Material and
the browser.

Each one fails when a Material update changes what it counts on, instead of the pages just
getting slower or, worse, losing something a reader sees."""

from harness.browser import read_through

RECORD_HTML_CHANGES = """
window.htmlChanges = [];
new MutationObserver(records => {
    for (const r of records)
        if (r.target === document.documentElement && document.body)
            window.htmlChanges.push([r.attributeName, r.oldValue]);
}).observe(document, {attributes: true, attributeOldValue: true, subtree: true});
"""


def test_material_leaves_the_html_element_as_the_page_set_it(page):
    """overrides/main.html sets the classes Material's start-up puts on <html> before the body
    is parsed; any change Material made after that would restyle the whole page again."""
    page.add_init_script(RECORD_HTML_CHANGES)
    page.goto("frameworks/", wait_until="networkidle")
    html = page.evaluate("[...document.documentElement.attributes].map(a => [a.name, a.value])")
    final = dict(html)
    changes = page.evaluate("window.htmlChanges")
    # Material still writes these (else the override has nothing left to do)...
    assert {"class", "data-js-focus-visible"} <= {name for name, _ in changes}, changes
    # ...but only what the page already had.
    assert [c for c in changes if c[1] != final.get(c[0])] == [], (changes, final)
    assert set(final["class"].split()) == {"js", "js-focus-visible"}


RECORD_PALETTE_WRITES = """
window.paletteWrites = [];
new MutationObserver(records => {
    const parsed = document.querySelector(".md-content") !== null;
    for (const r of records) {
        const palette = r.target === document.body && r.attributeName?.startsWith("data-md-color")
            || [r.target, ...r.addedNodes].some(n => n.nodeName === "META"
                && ["color-scheme", "theme-color"].includes(n.name));
        if (palette) window.paletteWrites.push([r.attributeName || "meta", parsed]);
    }
}).observe(document, {attributes: true, childList: true, subtree: true});
"""


def test_the_palette_is_in_place_before_the_content_is_parsed(scheme_page):
    """overrides/partials/javascripts/palette.html sets the colours and the two metas from the
    header, while restyling is cheap; Material's own palette component, which did the same
    after the page was parsed (three restyles of everything), must not come back."""
    scheme_page.add_init_script(RECORD_PALETTE_WRITES)
    scheme_page.goto("", wait_until="networkidle")
    writes = scheme_page.evaluate("window.paletteWrites")
    assert writes and not any(parsed for _, parsed in writes), writes

    dark = scheme_page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    body = scheme_page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == ("slate" if dark else "default")
    metas = scheme_page.evaluate(
        """() => Object.fromEntries(["color-scheme", "theme-color"].map(name => [name,
            [...document.querySelectorAll(`meta[name="${name}"]`)].map(m => m.content)]))"""
    )
    header = scheme_page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector(".md-header"));
            return [s.colorScheme, "#" + s.backgroundColor.match(/\\d+/g)
                .map(v => (+v).toString(16).padStart(2, "0")).join("")]; }"""
    )
    assert metas == {"color-scheme": [header[0]], "theme-color": [header[1]]}
    assert header[0] == ("dark" if dark else "light")
    # Nothing is stored until the reader chooses: the page keeps following the system.
    assert scheme_page.evaluate("__md_get('__palette')") is None


def test_blocks_far_down_wait_for_the_reader_but_annotated_ones_do_not(page):
    """extra.css gives the long blocks `content-visibility: auto`, which also clips what
    overflows them: a code annotation's tooltip must not be cut off."""
    page.goto("performance/", wait_until="networkidle")
    lazy = page.evaluate(
        """() => [...document.querySelectorAll('.md-typeset *')]
            .filter(el => getComputedStyle(el).contentVisibility === 'auto' && el.checkVisibility())
            .map(el => el.firstElementChild.checkVisibility({contentVisibilityAuto: true}))"""
    )
    assert len(lazy) > 3 and lazy[-1] is False, f"rendered as the page opens: {lazy}"

    read_through(page)
    annotation = page.locator(".md-annotation").first
    annotation.scroll_into_view_if_needed()
    ancestors = annotation.evaluate(
        """el => { const seen = [];
            for (let e = el; e; e = e.parentElement)
                seen.push(getComputedStyle(e).contentVisibility);
            return seen; }"""
    )
    assert set(ancestors) == {"visible"}, ancestors
    annotation.focus()  # as a keyboard user opens it; its marker pulses, too fast to click
    tooltip = annotation.locator(".md-tooltip")
    tooltip.wait_for(state="visible")
    box = tooltip.bounding_box()
    shown = page.evaluate(
        "([x, y, tip]) => tip.contains(document.elementFromPoint(x, y))",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] - 4, tooltip.element_handle()],
    )
    assert shown, "the annotation's tooltip is hidden at its lower edge"


def test_the_frameworks_programs_start_below_what_a_phone_renders_ahead(phone_page):
    """Chromium renders `content-visibility: auto` blocks up to 1.5 screens below the viewport
    before the reader gets there. The first program on the Frameworks page (Axum's, ~900
    elements) is kept further down, behind the list of what each sample changes: rendered on
    open, it was in every restyle Material's start-up forces (Lighthouse performance 89-93 in
    five runs, 94-98 once moved). Shortening what comes before it brings it back up."""
    phone_page.goto("frameworks/", wait_until="networkidle")
    first_program = phone_page.locator(".tabbed-set .highlight").first
    assert first_program.evaluate("el => el.checkVisibility()"), "not the first tab's code"
    rendered = first_program.evaluate(
        "el => el.firstElementChild.checkVisibility({contentVisibilityAuto: true})"
    )
    top = first_program.evaluate("el => el.getBoundingClientRect().top / innerHeight")
    assert not rendered, f"rendered as the page opens; it starts {top:.2f} screens down"
