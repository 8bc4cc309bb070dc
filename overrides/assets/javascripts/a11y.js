// Accessibility fixes to what Material adds to the page at run time (checked by axe-core in
// tests/browser/test_accessibility.py):
// - code annotation markers are numbered by CSS alone, so their links have no name;
// - a wide table sits in a scroll box that a keyboard user cannot reach.
new MutationObserver(() => {
  for (const link of document.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
    const marker = link.querySelector("[data-md-annotation-id]");
    link.setAttribute("aria-label", `Note ${marker ? marker.dataset.mdAnnotationId : ""}`.trim());
  }
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])")) {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", "Table, scrolls sideways");
  }
}).observe(document.body, { childList: true, subtree: true });
