"""The live server as the browser tests and the board benchmark set it up.

``WebServer`` is ``tests.live.LiveServer`` with two staff accounts, a board and
a kiosk device and the running text, plus a few queue helpers for the tests.
"""

from __future__ import annotations

from typing import Any, Self

from tests.live import ADMIN_PASSWORD, STAFF_PASSWORD, LiveServer

__all__ = ["ADMIN_PASSWORD", "RUNNING_TEXT", "STAFF_PASSWORD", "WebServer"]

RUNNING_TEXT = "Selamat datang di PST BPS Kabupaten Belitung Timur — layanan gratis."


class WebServer(LiveServer):
    def setup_web(self, *, staff_count: int = 2) -> Self:
        return self.setup(
            staff_count=staff_count,
            devices={"board": "Papan lobi", "kiosk": "Kios lobi"},
            unit_settings={"running_text": RUNNING_TEXT},
        )

    def issue(self, service_prefix: str = "P", *, priority: bool = False) -> dict[str, Any]:
        with self.client(self.kiosk_token) as c:
            services = {s["prefix"]: s["id"] for s in c.get("/services").json()}
            body: dict[str, Any] = {"service_id": services[service_prefix], "priority": priority}
            if priority:
                body["priority_reason"] = "elderly"
            r = c.post("/tickets", json=body)
            r.raise_for_status()
            out: dict[str, Any] = r.json()
            return out

    def reset(self) -> None:
        """Empty the queue and put every counter back to serving all services."""
        token = self.login()
        with self.client(token) as c:
            queue = c.get("/queue").json()
            for service in queue["services"]:
                for ticket in service["waiting"]:
                    c.post(f"/tickets/{ticket['id']}/cancel", json={})
            for counter in queue["counters"]:
                current = counter.get("current")
                if current and current["status"] == "called":
                    c.post(f"/tickets/{current['id']}/cancel", json={})
                elif current and current["status"] == "serving":
                    c.post(f"/tickets/{current['id']}/finish", json={})
            service_ids = [s["id"] for s in c.get("/services").json()]
            for counter in c.get("/counters").json():
                if counter["paused"]:
                    c.post(f"/counters/{counter['id']}/resume")
                c.put(f"/counters/{counter['id']}/services", json={"service_ids": service_ids})

    def call_next(self, counter_number: int = 1, token: str | None = None) -> dict[str, Any] | None:
        token = token or self.login()
        with self.client(token) as c:
            counters = {k["number"]: k["id"] for k in c.get("/counters").json()}
            r = c.post(f"/counters/{counters[counter_number]}/call-next")
            r.raise_for_status()
            return None if r.status_code == 204 else dict(r.json())


AGE_GROUP = "35_44"  # an SKD age group (the test NIK says born 1990), stored as sent


def register_visitor(server: WebServer, **overrides: Any) -> dict[str, Any]:
    """One kiosk registration through the API, as a kiosk sends it (not confirmed as a
    returning visitor); ``overrides`` change fields of the test visitor."""
    import uuid

    from tests.privacy.conftest import visitor_payload

    with server.client(server.kiosk_token) as c:
        form = c.get("/guestbook/form").json()
        service_id = c.get("/services").json()[1]["id"]
        r = c.post(
            "/registrations",
            json={
                "client_request_id": str(uuid.uuid4()),
                "language": "id",
                "consent": {"notice_version": form["notice"]["version"], "accepted": True},
                "service_id": service_id,
                "visitor": visitor_payload(age_group=AGE_GROUP, **overrides),
            },
        )
        assert r.status_code == 201, r.text
        return dict(r.json())
