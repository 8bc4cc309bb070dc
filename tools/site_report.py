"""Measure each page of the built site: first-view weight, requests, Lighthouse scores.

Run with `./dev report`. It builds the site, serves it on 127.0.0.1 with gzip (as a
static host would), loads every page in a fresh Chromium profile to weigh what a first
view transfers, runs Lighthouse 12 (npm, pinned in package-lock.json; mobile preset) on
it `--runs` times (the median score of each category counts: one run's performance score
moves by ten points or more on a busy machine), prints a table, and writes the table with
the date into MAINTAINING.md. A report: it says where a page misses its targets and by how much.
The weights are held by a test too (tests/browser/test_weight.py, with weigh_in); the scores,
which move from run to run on a busy machine, are not.
"""

import argparse
import collections
import datetime
import gzip
import io
import json
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

from harness.browser import CHROMIUM, CHROMIUM_ARGS
from harness.sitebuild import QuietHandler, mkdocs_build, serve
from harness.support import ROOT, replace_between

LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGET_KB = 100
TARGET_SCORES = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
README_START, README_END = "<!-- site-report:start -->", "<!-- site-report:end -->"


class GzipHandler(QuietHandler):
    """Serves text files gzip-compressed to clients that accept it, like a static host."""

    def send_head(self):
        path = pathlib.Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()  # binary files, and the redirect to a trailing slash
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def kind(url: str, resource_type: str) -> str:
    if "search_index" in url or "search.json" in url:
        return "search index"
    path = url.split("?")[0]
    for suffix, name in ((".css", "CSS"), (".js", "JS"), (".woff2", "fonts"), (".woff", "fonts")):
        if path.endswith(suffix):
            return name
    if resource_type == "document":
        return "HTML"
    if resource_type == "image" or re.search(r"\.(png|svg|ico|jpg|webp)$", path):
        return "images"
    return "other"


def weigh(page_urls: list[str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        results = weigh_in(browser, page_urls)
        browser.close()
    return results


def weigh_in(browser, page_urls: list[str]) -> dict[str, dict]:
    """What a first view of each page transfers, by kind: raw bytes and gzip bytes (a
    browser of the caller's, so that the tests can weigh pages in theirs)."""
    results = {}
    for url in page_urls:
        context = browser.new_context()  # empty cache: a first view
        page = context.new_page()
        responses = []
        # Playwright tags its handler, so it takes a function, not a bound method.
        page.on("response", lambda response, seen=responses: seen.append(response))
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)  # what comes after load (search would, were it not held back)
        totals = collections.defaultdict(lambda: [0, 0])
        for response in responses:
            try:
                body = response.body()
            except Exception:  # redirects have no body
                continue
            content_type = response.headers.get("content-type", "")
            text = re.search(r"text/|javascript|json|svg|xml", content_type)
            packed = len(gzip.compress(body, 6)) if text else len(body)
            entry = totals[kind(response.url, response.request.resource_type)]
            entry[0] += len(body)
            entry[1] += packed
        results[url] = {"requests": len(responses), "by_kind": dict(totals)}
        context.close()
    return results


def lighthouse(url: str) -> dict[str, int]:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                f"--chrome-path={CHROMIUM}",
                f"--chrome-flags={flags}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--output=json",
                f"--output-path={out}",
                "--quiet",
            ],
            check=True,
            timeout=300,
        )
        report = json.loads(out.read_text())
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def gzip_kb(by_kind: dict) -> float:
    """A first view's weight as the targets count it: every response, gzip-compressed."""
    return sum(v[1] for v in by_kind.values()) / 1024


def table(rows: list[dict]) -> str:
    kinds = ["HTML", "CSS", "JS", "search index", "images", "fonts", "other"]
    lines = [
        "| Page | gzip KB | raw KB | requests | "
        + " | ".join(f"{k} (gzip KB)" for k in kinds)
        + " | perf. | a11y | best pr. | SEO |",
        "|" + " --- |" * (8 + len(kinds)),
    ]
    for row in rows:
        by_kind = row["by_kind"]
        gz = gzip_kb(by_kind)
        raw = sum(v[0] for v in by_kind.values()) / 1024
        cells = [row["page"], f"{gz:.1f}", f"{raw:.1f}", str(row["requests"])]
        cells += [f"{by_kind.get(k, [0, 0])[1] / 1024:.1f}" for k in kinds]
        cells += [str(row["scores"][c]) for c in CATEGORIES]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def misses(rows: list[dict]) -> list[str]:
    found = []
    for row in rows:
        gz = gzip_kb(row["by_kind"])
        if gz > TARGET_KB:
            found.append(
                f"{row['page']}: {gz:.1f} KB gzip, {gz - TARGET_KB:.1f} KB over {TARGET_KB} KB"
            )
        for category, target in TARGET_SCORES.items():
            if row["scores"][category] < target:
                runs = ""
                if category == "performance":
                    runs = f" (runs: {', '.join(map(str, row['performance_runs']))})"
                found.append(
                    f"{row['page']}: {category} {row['scores'][category]}{runs}, target {target}"
                )
    return found


def write_readme(text: str) -> None:
    readme = ROOT / "MAINTAINING.md"
    replace_between(readme, README_START, README_END, text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-readme", action="store_true", help="print only; leave MAINTAINING.md alone"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="Lighthouse runs per page (median counts)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = pathlib.Path(tmp) / "site"
        done = mkdocs_build(ROOT, site)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
        with serve(site, GzipHandler) as base:
            urls = [base + ("" if p == "." else p + "/") for p in pages]
            weights = weigh(urls)
            rows = []
            for page, url in zip(pages, urls, strict=True):
                print(f"Lighthouse, {args.runs} runs: {url}", file=sys.stderr)
                runs = [lighthouse(url) for _ in range(args.runs)]
                rows.append(
                    {
                        "page": "/" if page == "." else f"/{page}/",
                        **weights[url],
                        "scores": {c: statistics.median(r[c] for r in runs) for c in CATEGORIES},
                        "performance_runs": [r["performance"] for r in runs],
                    }
                )
    result = table(rows)
    missed = misses(rows)
    verdict = (
        "All pages meet the targets."
        if not missed
        else "Missed targets:\n" + "\n".join(f"- {m}" for m in missed)
    )
    stamp = datetime.date.today().isoformat()
    text = (
        f"Measured {stamp} with `./dev report` (Chromium {chromium_version()}, Lighthouse "
        f"{lighthouse_version()}, mobile preset, median of {args.runs} runs; first view, empty "
        f"cache):\n\n{result}\n\n{verdict}"
    )
    print(text)
    if not args.no_readme:
        write_readme(text)
    return 0


def chromium_version() -> str:
    return subprocess.run(
        [str(CHROMIUM), "--version"], capture_output=True, text=True
    ).stdout.split()[1]


def lighthouse_version() -> str:
    return subprocess.run(
        [str(LIGHTHOUSE), "--version"], capture_output=True, text=True
    ).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
