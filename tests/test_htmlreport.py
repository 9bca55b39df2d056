"""`cablelint report`: one self-contained HTML file, checked as a file and in headless Chromium
(a screenshot, no console errors, nothing loaded from outside)."""

from __future__ import annotations

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cablelint.cli import main
from cablelint.config import Settings
from cablelint.runner import lint
from conftest import SAMPLES


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "action", "data", "poster") and value:
                self.refs.append((tag, name, value))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(SAMPLES), "-o", str(out), "--title", "Samples"]) == 0
    return out


def test_every_finding_is_in_the_report_linked_to_its_cable(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    findings = lint([str(SAMPLES)], Settings(), jobs=1).findings
    assert findings
    for f in findings:
        assert re.search(rf">{f.line}:{f.column}</a></td><td class=\"sev-{f.severity}\">"
                         rf"{f.severity}</td><td><code>{f.code}</code>", page), f
    links = Links()
    links.feed(page)
    anchors = [v[1:] for _t, a, v in links.refs if a == "href" and v.startswith("#")]
    assert anchors and set(anchors) <= links.ids  # every in-page link has its target
    files = [v for _t, a, v in links.refs if a == "href" and not v.startswith("#")]
    assert files and all((report.parent / v).resolve().is_file() for v in files)
    assert "MEXICQ" in page  # the line of a finding is shown with it


def test_the_report_references_nothing_outside_itself(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    links = Links()
    links.feed(page)
    external = [r for r in links.refs if re.match(r"(?i)^(?:[a-z][a-z0-9+.-]*:|//)", r[2])]
    assert external == []
    assert "@import" not in page and "url(" not in page and "<script" not in page


def _chromium() -> str | None:
    return os.environ.get("CABLELINT_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium on this machine (apt install "
                    "chromium, or set CABLELINT_CHROMIUM)")
def test_the_report_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    console: list[str] = []
    outside: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(("file:", "data:", "about:")) else None)
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        assert page.title() == "Samples"
        assert page.locator("figure svg rect").count() >= 3  # the charts are drawn
        page.locator("table a[href^='#cable-']").first.click()
        assert re.search(r"#cable-\d+$", page.url)
        browser.close()
    assert console == [] and outside == []
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
