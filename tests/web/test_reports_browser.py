"""The report pages in real Chromium: charts drawn, tables filled, live updates, under the CSP.

The server is the real one (uvicorn in a thread) with the hand-counted month of
tests/reports/month.py seeded into its SQLite file. Screenshots go to
artifacts/web/reports_*.png.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.seed_year import prepare_unit, seed_visits
from server.cli.common import open_database
from server.privacy.keys import key_file_for
from server.store import accounts
from tests.reports.month import SUPERVISOR_PASSWORD, month_visits, seed_ratings
from tests.web.server_harness import WebServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    live = WebServer(tmp_path_factory.mktemp("reports")).setup_web()
    db = open_database(live.settings)
    unit_id = prepare_unit(db)
    with db.write() as conn:
        accounts.add_user(
            conn,
            unit_id=unit_id,
            username="kepala",
            password=SUPERVISOR_PASSWORD,
            role="supervisor",
            full_name="Kepala Unit",
        )
    ring = key_file_for(live.settings.resolved_key_file).ring()
    seed_visits(db, ring, unit_id=unit_id, visits=month_visits())
    seed_ratings(db, unit_id)
    db.dispose()
    live.start()
    yield live
    live.stop()


def wait_js(page: Any, expression: str, timeout: float = 15.0) -> Any:
    """Poll ``expression`` until it is truthy (page.evaluate works under the page's CSP)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.1)


def signed_in_page(browser: Any, server: WebServer, username: str, password: str) -> Any:
    context = browser.new_context()  # the pages' own CSP stays on
    token = server.login(username, password)
    context.add_cookies([{"name": "loket_session", "value": token, "url": server.url}])
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    return page


# Canvas pixels that are not transparent: a drawn chart has many.
PAINTED = """(id) => {
  const c = document.querySelector(`canvas[data-chart="${id}"]`);
  if (!c || !c.width || !c.height) return 0;
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}"""


def test_period_page_draws_charts_and_tables(
    browser: Any, server: WebServer, artifacts: Path
) -> None:
    page = signed_in_page(browser, server, "kepala", SUPERVISOR_PASSWORD)
    page.goto(f"{server.url}/reports/period?period=month&date=2026-11-15&lang=en")
    wait_js(page, "window.loketReports && window.loketReports.ready")
    assert page.evaluate("window.loketReports.error") is None
    charts = page.evaluate("window.loketReports.charts.map(c => c.id)")
    assert {"services", "service_times", "daily", "sex", "heatmap"} <= set(charts)
    for chart_id in ("services", "daily", "sex", "heatmap", "counter_times", "ikm", "ikm_trend"):
        assert page.evaluate(PAINTED, chart_id) > 2000, chart_id
    assert page.locator("#period-label").inner_text().startswith("2026-11")
    sex = page.locator("table[data-table=sex] tbody tr")
    assert sex.nth(0).inner_text().split("\t") == ["Female", "5"]
    assert sex.nth(1).inner_text().split("\t") == ["Male", "< 3"]
    services = page.locator("table[data-table=services] tbody tr").nth(1).inner_text()
    assert services.split("\t")[:4] == ["Statistical Consultation", "3", "2", "1"]
    ikm = page.locator("table[data-table=ikm] tbody tr").last.inner_text()
    assert ikm.split("\t") == ["All services", "4", "85.42", "B"]
    skm = page.locator("#download-skm").get_attribute("href")
    assert skm.startswith("/api/v1/reports/skm.pdf?period=month&date=2026-11-15")
    xlsx = page.locator("#download-xlsx").get_attribute("href")
    assert xlsx.startswith("/api/v1/reports/period.xlsx?period=month&date=2026-11-15")
    with page.expect_download() as download:
        page.locator("a[data-csv=sex]").click()
    assert download.value.suggested_filename == "loket-1906-2026-11-sex.csv"
    page.screenshot(path=str(artifacts / "reports_period.png"), full_page=True)
    assert page.problems == []
    page.context.close()


def test_today_page_updates_live(browser: Any, server: WebServer, artifacts: Path) -> None:
    page = signed_in_page(browser, server, "kepala", SUPERVISOR_PASSWORD)
    page.goto(f"{server.url}/reports?lang=en")
    wait_js(page, "window.loketReportsToday && window.loketReportsToday.loads >= 1")
    wait_js(page, "window.loketReportsToday.events.online")
    cell = page.locator("tr[data-service=K] td.waiting")
    before = int(cell.inner_text())
    loads = page.evaluate("window.loketReportsToday.loads")
    server.issue("K")
    server.issue("K")
    wait_js(
        page,
        f"document.querySelector('tr[data-service=K] td.waiting').textContent === '{before + 2}'",
    )
    assert page.evaluate("window.loketReportsToday.loads") > loads
    server.call_next(1)
    wait_js(
        page, "document.querySelector('tr[data-counter=\"1\"] td.state').textContent === 'Calling'"
    )
    assert page.evaluate(PAINTED.replace('canvas[data-chart="${id}"]', "#chart-today"), "") > 1000
    page.screenshot(path=str(artifacts / "reports_today.png"), full_page=True)
    assert page.problems == []
    page.context.close()


def test_pages_refuse_staff_and_anonymous(browser: Any, server: WebServer) -> None:
    page = signed_in_page(browser, server, "petugas1", "staff-password-123")
    response = page.goto(f"{server.url}/reports/period?lang=en")
    assert response.status == 403
    assert "may not see reports" in page.locator("#denied-reason").inner_text()
    page.context.clear_cookies()
    response = page.goto(f"{server.url}/reports")
    assert response.status == 401
    page.context.close()
