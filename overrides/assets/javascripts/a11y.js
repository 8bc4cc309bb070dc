// Accessibility fixes to what Material adds to the page at run time (checked by axe-core in
// tests/browser/test_accessibility.py):
// - code annotation markers are numbered by CSS alone, so their links have no name;
// - a wide table sits in a scroll box that a keyboard user cannot reach; made a region, it
//   needs a name of its own (axe's landmark-unique): its number and the heading it is under;
// - each code block's copy button sits in a <nav>, so every block added a nameless
//   navigation landmark: it holds a block's buttons, not navigation (role none, the one
//   of nav's allowed roles that says so).
new MutationObserver(() => {
  for (const link of document.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
    const marker = link.querySelector("[data-md-annotation-id]");
    link.setAttribute("aria-label", `Note ${marker ? marker.dataset.mdAnnotationId : ""}`.trim());
  }
  for (const nav of document.querySelectorAll("nav.md-code__nav:not([role])")) {
    nav.setAttribute("role", "none");
  }
  if (!document.querySelector(".md-typeset__scrollwrap:not([tabindex])")) return;
  const boxes = [...document.querySelectorAll(".md-typeset__scrollwrap")];
  const headings = [...document.querySelectorAll(".md-content :is(h1, h2, h3)")];
  for (const [n, box] of boxes.entries()) {
    if (box.hasAttribute("tabindex")) continue;
    const under = headings.filter(h => h.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    const topic = under ? ` (${under.textContent.replace(/¶$/, "").trim()})` : "";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", `Table ${n + 1}${topic}, scrolls sideways`);
  }
}).observe(document.body, { childList: true, subtree: true });
