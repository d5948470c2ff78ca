"""The public page behind a ticket's QR code, parsed as HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient

from tests.server.conftest import Unit, login


class ById(HTMLParser):
    """Collects the text of every element that has an id."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("meta", "link", "br", "img", "input"):
            return
        element_id = dict(attrs).get("id")
        self._open.append(element_id)
        if element_id:
            self.text[element_id] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag not in ("meta", "link", "br", "img", "input"):
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element_id in self._open:
            if element_id:
                self.text[element_id] += data


def parse(html: str) -> dict[str, str]:
    parser = ById()
    parser.feed(html)
    return {k: " ".join(v.split()) for k, v in parser.text.items()}


def test_tracking_page_follows_the_ticket(
    client: TestClient, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    first = client.post(
        "/api/v1/tickets", json={"service_id": unit.service_ids[3]}, headers=kiosk
    ).json()
    second = client.post(
        "/api/v1/tickets", json={"service_id": unit.service_ids[3]}, headers=kiosk
    ).json()
    page = parse(client.get(f"/t/{second['tracking_token']}").text)
    assert page["track-number"] == "R002"
    assert page["track-service"] == "Rekomendasi Kegiatan Statistik"
    assert page["track-status"] == "Menunggu dipanggil"
    assert page["track-ahead"] == "1"

    client.post(f"/api/v1/counters/{unit.counter_ids[1]}/call-next", headers=staff)
    called = parse(client.get(f"/t/{first['tracking_token']}?lang=en").text)
    assert called["track-status"] == "Called — please go to Loket 2"
    assert called["track-service"] == "Statistical Activity Recommendation"
    assert "track-ahead" not in called


def test_unknown_tracking_code_is_a_friendly_404(client: TestClient) -> None:
    response = client.get("/t/nothing-here")
    assert response.status_code == 404
    assert parse(response.text)["track-unknown"].startswith("Nomor antrean tidak ditemukan")


def test_tracking_page_and_api_show_the_offices_opening_hours(
    client: TestClient, unit: Unit, kiosk: dict[str, str]
) -> None:
    """The hours an admin sets reach the visitor: the tracking page lists the open days
    in week order with their hours (a day left empty is closed), in either language."""
    ticket = client.post(
        "/api/v1/tickets", json={"service_id": unit.service_ids[0]}, headers=kiosk
    ).json()
    before = parse(client.get(f"/t/{ticket['tracking_token']}").text)
    assert "track-hours" not in before  # nothing set: no empty block
    hours = {"fri": "08:00-16:00", "mon": "08:00-15:30", "sat": ""}
    admin = login(client)
    changed = client.put("/api/v1/admin/office", json={"opening_hours": hours}, headers=admin)
    assert changed.status_code == 200, changed.text
    page = parse(client.get(f"/t/{ticket['tracking_token']}").text)
    assert page["track-hours"] == "Senin 08:00-15:30 Jumat 08:00-16:00"
    english = parse(client.get(f"/t/{ticket['tracking_token']}?lang=en").text)
    assert english["track-hours"] == "Monday 08:00-15:30 Friday 08:00-16:00"
    api = client.get(f"/api/v1/track/{ticket['tracking_token']}").json()
    assert list(api["opening_hours"].items()) == [("mon", "08:00-15:30"), ("fri", "08:00-16:00")]
