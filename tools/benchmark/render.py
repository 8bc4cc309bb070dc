"""What the parts' tables and charts share: the markers a table is written between, the
machine a run was measured on and its description, a list of names in words, and the
horizontal bar chart (SVG)."""

import contextlib
import datetime
import os
import pathlib
import platform
import re
import subprocess


def markers(name: str) -> tuple[str, str]:
    """The lines a generated block stands between in its page."""
    # The start marker says what writes the table, for whoever meets it in a page.
    return f"<!-- bench:{name}:start, written by ./dev bench -->", f"<!-- bench:{name}:end -->"


def machine() -> dict:
    """Where and when this run measures (schema.Machine)."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        os_name = re.search(r'PRETTY_NAME="(.*)"', pathlib.Path("/etc/os-release").read_text())[1]
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": os_name,
        "python": platform.python_version(),
        "rustc": subprocess.run(
            ["rustc", "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True)
        .stdout.split("[")[0]
        .strip(),
    }


def describe(m: dict) -> str:
    """The sentence every table opens with."""
    return (
        f"Measured on {m['date']}: {m['cpu']}, {m['cores']} cores, {m['os']}, "
        f"Python {m['python']}, {m['rustc']}, {m['wrk']}."
    )


def method_last(text: str) -> str:
    """A table's opening paragraph, when it says where and how it was measured, moved below
    the table into a collapsed block: a reader meets the figures first."""
    first, _, rest = text.partition("\n\n")
    if not first.startswith("Measured on "):
        return text
    folded = "\n".join(f"    {line}" if line else "" for line in first.splitlines())
    return f'{rest}\n\n??? info "How this was measured"\n\n{folded}'


def names(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def bar_chart(title: str, bars: list[tuple[str, float, float, float]], unit: str) -> str:
    """A horizontal bar chart as SVG: (label, median, min, max) per bar, whiskers min-max."""
    width, label_w, row, top = 760, 300, 28, 40
    height = top + row * len(bars) + 30
    scale = (width - label_w - 120) / max(b[3] for b in bars)
    parts = [
        # The <title> names the chart (an aria-label is not valid on a standalone SVG).
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'font-family="sans-serif" font-size="13">',
        f"<title>{title}</title>",
        "<style>text{fill:#333}rect{fill:#3f51b5}line{stroke:#333}"
        "@media (prefers-color-scheme:dark)"
        "{text{fill:#ddd}rect{fill:#7ea6f0}line{stroke:#ddd}}</style>",
        f'<text x="0" y="20" font-weight="bold">{title}</text>',
    ]
    for i, (label, median, low, high) in enumerate(bars):
        y = top + i * row
        parts += [
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{label}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{median * scale:.1f}" height="{row - 10}"/>',
            f'<line x1="{label_w + low * scale:.1f}" x2="{label_w + high * scale:.1f}" '
            f'y1="{y + 12}" y2="{y + 12}" stroke-width="2"/>',
            f'<text x="{label_w + high * scale + 6:.1f}" y="{y + 15}">'
            + (f"{median:,.0f}" if median >= 100 else f"{median:.2f}")
            + f" {unit}</text>",
        ]
    parts.append(
        f'<text x="{label_w}" y="{height - 8}" font-size="11">Bars: median; '
        "lines: lowest to highest run.</text></svg>"
    )
    return "\n".join(parts) + "\n"


def rates(named: dict[str, dict]) -> list[tuple[str, float, float, float]]:
    """Bars of requests/s (median, lowest, highest), from figures keyed by their label."""
    return [
        (
            label,
            f["requests_per_s"]["median"],
            f["requests_per_s"]["min"],
            f["requests_per_s"]["max"],
        )
        for label, f in named.items()
    ]
