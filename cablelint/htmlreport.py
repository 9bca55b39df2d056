"""The corpus report (``cablelint report PATH -o report.html``): one self-contained HTML file.

The corpus at a glance: totals, findings per rule, per year and per post as inline SVG bar
charts, the worst cables, and every finding with its line, linked to its cable's section. No
script, no font, no image and no style sheet is loaded from anywhere: the file opens offline
and can be mailed or archived as it is.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from . import __version__
from .config import Settings
from .engine import SEVERITIES, Finding, severity_rank
from .model import Cable

_WEIGHT = {"error": 3, "warning": 2, "info": 1}
_COLOURS = {"error": "#b3261e", "warning": "#a15c00", "info": "#2d5f8a"}
_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;
background:#fafafa}
header,main{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}h1{font-size:1.6em;margin:.2em 0}h2{margin-top:1.6em}
.totals{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.totals div{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px}
.totals b{display:block;font-size:1.4em}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px}
figure{background:#fff;border:1px solid #ddd;border-radius:6px;margin:0;padding:10px}
figcaption{font-weight:600;margin-bottom:6px}svg text{font-size:12px;fill:#333}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e4e4e4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;margin:2px 0;background:#f6f6f6;padding:2px 6px}
.sev-error{color:#b3261e}.sev-warning{color:#a15c00}.sev-info{color:#2d5f8a}
section.cable{background:#fff;border:1px solid #ddd;border-radius:6px;padding:4px 14px;
margin:14px 0}section.cable:target{outline:3px solid #2d5f8a}
.muted{color:#666}
"""


@dataclass
class CableSummary:
    """What the report shows of one cable."""

    path: str
    anchor: str
    href: str  # the file, relative to the report
    date: str
    post: str
    findings: list[Finding] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # line number -> its text

    @property
    def weight(self) -> int:
        return sum(_WEIGHT.get(f.severity, 1) for f in self.findings)


def summarise(pairs: Iterable[tuple[Cable, list[Finding]]],
              report_dir: Path) -> list[CableSummary]:
    from .extract import row

    summaries = []
    for index, (cable, findings) in enumerate(pairs, 1):
        meta = row(cable, findings)
        href = Path(os.path.relpath(Path(cable.path).resolve(), report_dir.resolve())).as_posix()
        summary = CableSummary(cable.path, f"cable-{index}", quote(href), meta["date"],
                               meta["post"], list(findings))
        for finding in findings:
            summary.lines[finding.line] = _line_text(cable, finding.line)
        summaries.append(summary)
    return summaries


def _line_text(cable: Cable, line: int) -> str:
    """The text of a line of the file (for a web page, of the page), at most 300 chars."""
    textmap = getattr(cable.textmap, "raw", None) or cable.textmap
    starts = textmap.starts
    if not 0 < line < len(starts):
        return ""
    return textmap.text[starts[line - 1]: starts[line] - 1][:300]


def _bars(counts: list[tuple[str, int]], colour: str = "#2d5f8a", links: bool = False) -> str:
    """A horizontal bar chart as inline SVG."""
    if not counts:
        return '<p class="muted">Nothing to show.</p>'
    top = max(n for _, n in counts) or 1
    label_w, bar_w, row_h = 190, 230, 20
    height = row_h * len(counts) + 4
    parts = [f'<svg role="img" width="100%" viewBox="0 0 {label_w + bar_w + 50} {height}">']
    for i, (label, n) in enumerate(counts):
        y = i * row_h + 2
        width = max(1, round(bar_w * n / top))
        esc, short = html.escape(label), html.escape(label[:24])
        parts.append(f'<g><title>{esc}: {n}</title>'
                     f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{short}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row_h - 6}" '
                     f'fill="{colour}"/>'
                     f'<text x="{label_w + width + 4}" y="{y + 14}">{n}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def render(summaries: list[CableSummary], title: str) -> str:
    findings = [f for s in summaries for f in s.findings]
    by_severity = Counter(f.severity for f in findings)
    per_rule = Counter(f"{f.code} {f.rule}" for f in findings)
    per_year: Counter[str] = Counter()
    per_post: Counter[str] = Counter()
    for s in summaries:
        per_year[s.date[:4] or "no date"] += len(s.findings)
        per_post[s.post or "no post"] += len(s.findings)
    clean = sum(not s.findings for s in summaries)
    worst = sorted((s for s in summaries if s.findings), key=lambda s: (-s.weight, s.path))[:20]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<header><h1>{html.escape(title)}</h1>",
        f'<p class="muted">cablelint {__version__}, '
        f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC</p>",
        '<div class="totals">',
        f"<div><b>{len(summaries)}</b>cables</div>",
        f"<div><b>{clean}</b>clean</div>",
        f"<div><b>{len(findings)}</b>findings</div>",
        *(f'<div class="sev-{sev}"><b>{by_severity.get(sev, 0)}</b>{sev}</div>'
          for sev in reversed(SEVERITIES)),
        "</div></header><main>",
        '<h2 id="charts">At a glance</h2><div class="charts">',
        f"<figure><figcaption>Findings per rule</figcaption>"
        f"{_bars(per_rule.most_common())}</figure>",
        f"<figure><figcaption>Findings per year</figcaption>"
        f"{_bars(sorted(per_year.items()), '#6b4fa0')}</figure>",
        f"<figure><figcaption>Findings per post (top 20)</figcaption>"
        f"{_bars(per_post.most_common(20), '#3c7a4a')}</figure>",
        "</div>",
        '<h2 id="worst">The worst cables</h2>',
        _worst_table(worst),
        '<h2 id="findings">Every finding, by cable</h2>',
    ]
    out += [_cable_section(s) for s in summaries if s.findings]
    if not findings:
        out.append('<p class="muted">No findings: every cable is clean.</p>')
    out.append("</main></body></html>\n")
    return "\n".join(out)


def _worst_table(worst: list[CableSummary]) -> str:
    if not worst:
        return '<p class="muted">No cable has a finding.</p>'
    rows = ["<table><thead><tr><th>cable</th><th>date</th><th>post</th><th>errors</th>"
            "<th>warnings</th><th>infos</th></tr></thead><tbody>"]
    for s in worst:
        count = Counter(f.severity for f in s.findings)
        rows.append(f'<tr><td><a href="#{s.anchor}">{html.escape(s.path)}</a></td>'
                    f"<td>{html.escape(s.date)}</td><td>{html.escape(s.post)}</td>"
                    + "".join(f"<td>{count.get(sev, 0)}</td>" for sev in reversed(SEVERITIES))
                    + "</tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


def _cable_section(s: CableSummary) -> str:
    rows = []
    for f in sorted(s.findings, key=lambda f: (f.line, f.column, -severity_rank(f.severity))):
        line = s.lines.get(f.line, "")
        rows.append(
            f'<tr><td><a href="#{s.anchor}">{f.line}:{f.column}</a></td>'
            f'<td class="sev-{f.severity}">{f.severity}</td>'
            f"<td><code>{f.code}</code> {html.escape(f.rule)}</td>"
            f"<td>{html.escape(f.message)}"
            + (f"<pre>{html.escape(line)}</pre>" if line.strip() else "") + "</td></tr>")
    meta = " · ".join(html.escape(x) for x in (s.date, s.post) if x)
    return (f'<section class="cable" id="{s.anchor}"><h3>{html.escape(s.path)}</h3>'
            f'<p class="muted">{meta} · <a href="{html.escape(s.href)}">open the file</a></p>'
            '<table><thead><tr><th>line</th><th>severity</th>'
            f"<th>rule</th><th>message</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table></section>")


def build(paths: list[str], settings: Settings, report_dir: Path,
          errors: list[str]) -> list[CableSummary]:
    """Lint the corpus (cable rules and corpus-wide rules) and summarise every cable."""
    from .corpus import facts, run_corpus_rules
    from .extract import read_corpus
    from .runner import corpus_rules

    gathered = []

    def pairs() -> Iterator[tuple[Cable, list[Finding]]]:
        for cable, findings in read_corpus(paths, settings, errors):
            if cable.format != "unknown":
                gathered.append(facts(cable))
            yield cable, findings

    summaries = summarise(pairs(), report_dir)
    rules = corpus_rules(settings)
    if rules and len(summaries) > 1:
        by_path = {s.path: s for s in summaries}
        for finding in run_corpus_rules(gathered, rules):
            by_path[finding.path].findings.append(finding)
    return summaries
