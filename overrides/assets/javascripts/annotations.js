// Material numbers its code annotation markers with CSS alone, which leaves the marker
// links without an accessible name; give each one, as Material adds them to the page.
new MutationObserver(() => {
  for (const link of document.querySelectorAll("a.md-annotation__index:not([aria-label])")) {
    const marker = link.querySelector("[data-md-annotation-id]");
    link.setAttribute("aria-label", `Note ${marker ? marker.dataset.mdAnnotationId : ""}`.trim());
  }
}).observe(document.body, { childList: true, subtree: true });
