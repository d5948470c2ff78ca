"""The public page behind a ticket's QR code, parsed as HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient

from tests.server.conftest import Unit


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
