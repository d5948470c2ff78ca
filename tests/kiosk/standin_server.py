"""A tiny stand-in for the Loket server, built only from docs/api.md.

Used by the kiosk tests where the real server's guestbook/registration
endpoints are not available. It serves the unit, services, the guestbook
form, visitor look-up, registrations (deduplicated on ``client_request_id``,
validated with the shared identity rules) and device heartbeats, and keeps
what it received in memory for the test to assert on. Run it with
``StandinServer().start()``; ``stop()`` closes the port (the kiosk then sees
"connection refused", like a server that is down).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from server.domain.identity import IdentityError, validate_id

TOKEN = "kiosk-test-token"
UNIT = {
    "id": 1,
    "code": "1906",
    "name": "BPS Kabupaten Belitung Timur",
    "address": "Jl. Raya Manggarawan, Desa Padang Manggar 33512",
    "phone": "07199220090",
    "email": "bps1906@bps.go.id",
    "timezone": "Asia/Jakarta",
    "complaint_channels": ["WhatsApp 081278563877", "bps1906@bps.go.id", "lapor.go.id"],
    "running_text": "",
    "public_base_url": "http://127.0.0.1",
}
SERVICES = [
    {
        "id": 1,
        "code": "perpustakaan",
        "prefix": "A",
        "active": True,
        "name": {"id": "Perpustakaan", "en": "Library"},
        "description": {"id": "Membaca dan meminjam publikasi BPS", "en": "Read BPS publications"},
    },
    {
        "id": 2,
        "code": "konsultasi",
        "prefix": "B",
        "active": True,
        "name": {"id": "Konsultasi Statistik", "en": "Statistical Consultation"},
        "description": {
            "id": "Bertanya tentang data dan metode",
            "en": "Ask about data and methods",
        },
    },
    {
        "id": 3,
        "code": "penjualan",
        "prefix": "C",
        "active": True,
        "name": {"id": "Penjualan Produk Statistik", "en": "Statistical Products"},
        "description": {"id": "Publikasi, data mikro, peta", "en": "Publications, microdata, maps"},
    },
    {
        "id": 4,
        "code": "rekomendasi",
        "prefix": "D",
        "active": True,
        "name": {
            "id": "Rekomendasi Kegiatan Statistik",
            "en": "Statistical Activity Recommendation",
        },
        "description": {
            "id": "Surat rekomendasi survei sektoral",
            "en": "Recommendation letter for a sectoral survey",
        },
    },
    {
        "id": 5,
        "code": "lama",
        "prefix": "E",
        "active": False,
        "name": {"id": "Layanan lama", "en": "Old"},
        "description": {"id": "", "en": ""},
    },
]
NIK_KNOWN = "1906011203850001"


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"value": v, "label": label} for v, label in pairs]


def guestbook_form(lang: str) -> dict[str, Any]:
    en = lang == "en"
    return {
        "notice": {
            "version": "2026-11",
            "text": (
                "We collect your name, sex, age group, education, occupation, institution, "
                "e-mail, phone, the purpose of your visit and your ID number to serve you and to "
                "produce visitor statistics. Kept for 2 years, encrypted. You may ask to see, "
                "correct or delete your data (Law 27/2022)."
                if en
                else "Kami mengumpulkan nama, jenis kelamin, kelompok umur, pendidikan, pekerjaan, "
                "instansi, e-mail, nomor telepon, keperluan kunjungan, dan nomor identitas Anda "
                "untuk melayani Anda dan menyusun statistik pengunjung. Data disimpan terenkripsi "
                "selama 2 tahun. Anda berhak melihat, memperbaiki, atau meminta penghapusan data "
                "Anda (UU 27/2022)."
            ),
        },
        "fields": [
            {
                "name": "name",
                "label": "Full name" if en else "Nama lengkap",
                "kind": "text",
                "required": True,
                "choices": None,
                "personal": True,
            },
            {
                "name": "sex",
                "label": "Sex" if en else "Jenis kelamin",
                "kind": "choice",
                "required": True,
                "personal": False,
                "choices": _choices(
                    [("F", "Female" if en else "Perempuan"), ("M", "Male" if en else "Laki-laki")]
                ),
            },
            {
                "name": "age_group",
                "label": "Age" if en else "Kelompok umur",
                "kind": "choice",
                "required": True,
                "personal": False,
                "choices": _choices(
                    [
                        ("lt20", "< 20"),
                        ("20-29", "20-29"),
                        ("30-39", "30-39"),
                        ("40-49", "40-49"),
                        ("50-59", "50-59"),
                        ("60+", "60+"),
                    ]
                ),
            },
            {
                "name": "education",
                "label": "Education" if en else "Pendidikan terakhir",
                "kind": "choice",
                "required": True,
                "personal": False,
                "choices": _choices(
                    [
                        ("sma", "SMA/sederajat"),
                        ("d3", "D1/D2/D3"),
                        ("s1", "D4/S1"),
                        ("s2", "S2"),
                        ("s3", "S3"),
                    ]
                ),
            },
            {
                "name": "occupation",
                "label": "Occupation" if en else "Pekerjaan",
                "kind": "choice",
                "required": True,
                "personal": False,
                "choices": _choices(
                    [
                        ("student", "Pelajar/Mahasiswa"),
                        ("researcher", "Peneliti/Dosen"),
                        ("civil", "ASN/TNI/Polri"),
                        ("private", "Pegawai swasta"),
                        ("self", "Wiraswasta"),
                        ("other", "Lainnya"),
                    ]
                ),
            },
            {
                "name": "institution",
                "label": "Institution" if en else "Nama instansi",
                "kind": "text",
                "required": False,
                "choices": None,
                "personal": False,
            },
            {
                "name": "institution_category",
                "label": "Institution type" if en else "Kategori instansi",
                "kind": "choice",
                "required": True,
                "personal": False,
                "choices": _choices(
                    [
                        ("gov", "Pemerintah"),
                        ("edu", "Pendidikan"),
                        ("private", "Swasta"),
                        ("ngo", "LSM/Organisasi"),
                        ("individual", "Perorangan"),
                    ]
                ),
            },
            {
                "name": "email",
                "label": "E-mail",
                "kind": "email",
                "required": True,
                "choices": None,
                "personal": True,
            },
            {
                "name": "phone",
                "label": "Phone" if en else "Nomor HP",
                "kind": "phone",
                "required": False,
                "choices": None,
                "personal": True,
            },
            {
                "name": "purpose",
                "label": "Purpose of visit" if en else "Keperluan kunjungan",
                "kind": "text",
                "required": True,
                "choices": None,
                "personal": False,
            },
        ],
        "id_types": _choices(
            [
                ("ktp", "KTP"),
                ("sim", "SIM"),
                ("passport", "Passport" if en else "Paspor"),
                ("other", "Other" if en else "Lainnya"),
            ]
        ),
        "priority_reasons": _choices(
            [
                ("disability", "Disability" if en else "Penyandang disabilitas"),
                ("elderly", "Elderly 60+" if en else "Lansia (60+)"),
                ("pregnant", "Pregnant" if en else "Ibu hamil"),
                ("child", "With a small child" if en else "Membawa anak kecil"),
                ("disaster", "Disaster victim" if en else "Korban bencana"),
            ]
        ),
    }


class State:
    """Everything the stand-in received."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.registrations: dict[str, dict[str, Any]] = {}
        self.registration_posts = 0
        self.heartbeats: list[dict[str, Any]] = []
        self.lookups = 0
        self.tickets: list[dict[str, Any]] = []


class StandinServer:
    def __init__(self, port: int = 0) -> None:
        self.state = State()
        self.port = port
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StandinServer:
        state = self.state

        class Handler(_Handler):
            pass

        Handler.state = state
        ThreadingHTTPServer.allow_reuse_address = True
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


class _Handler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, *_args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str, **extra: Any) -> None:
        self._send(status, {"error": {"code": code, "message": code, **extra}})

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._error(401, "unauthorized")
            return False
        return True

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/api/v1/health":
            return self._send(200, {"status": "ok", "database": "ok", "version": "standin"})
        if not self._authorised():
            return None
        if url.path == "/api/v1/unit":
            return self._send(200, UNIT)
        if url.path == "/api/v1/services":
            return self._send(200, SERVICES)
        if url.path == "/api/v1/guestbook/form":
            lang = parse_qs(url.query).get("lang", ["id"])[0]
            return self._send(200, guestbook_form(lang))
        return self._error(404, "not_found")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if not self._authorised():
            return None
        body = self._body()
        if url.path == "/api/v1/devices/heartbeat":
            with self.state.lock:
                self.state.heartbeats.append(body)
            return self._send(204)
        if url.path == "/api/v1/visitors/lookup":
            with self.state.lock:
                self.state.lookups += 1
            if body.get("nik") == NIK_KNOWN or body.get("email") == "budi@gmail.com":
                return self._send(
                    200,
                    {
                        "visitor_id": 7,
                        "masked": {
                            "name": "B*** S******",
                            "email": "b***@gmail.com",
                            "phone": "0812****789",
                            "id_number": "1906********0001",
                        },
                        "prefill": {
                            "sex": "M",
                            "age_group": "40-49",
                            "education": "s1",
                            "occupation": "civil",
                            "institution": "Dinas Pendidikan",
                            "institution_category": "gov",
                        },
                    },
                )
            return self._error(404, "not_found")
        if url.path == "/api/v1/registrations":
            return self._register(body)
        return self._error(404, "not_found")

    def _register(self, body: dict[str, Any]) -> None:
        state = self.state
        visitor = body.get("visitor") or {}
        try:
            validate_id(visitor.get("id_type", ""), visitor.get("id_number", ""))
        except IdentityError as error:
            return self._error(422, "invalid_field", fields={"id_number": error.code})
        with state.lock:
            state.registration_posts += 1
            request_id = body["client_request_id"]
            if request_id in state.registrations:
                return self._send(200, state.registrations[request_id]["response"])
            service = next(s for s in SERVICES if s["id"] == body["service_id"])
            waiting = [t for t in state.tickets if t["service_id"] == service["id"]]
            number = f"{service['prefix']}{len(waiting) + 1:03d}"
            ticket = {
                "id": len(state.tickets) + 1,
                "number": number,
                "service_id": service["id"],
                "status": "waiting",
                "priority": bool(body.get("priority")),
                "priority_reason": body.get("priority_reason"),
                "counter_id": None,
                "issued_at": dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).isoformat(),
                "called_at": None,
                "recall_count": 0,
                "tracking_token": f"tok{len(state.tickets)}",
                "tracking_url": f"http://127.0.0.1/t/tok{len(state.tickets)}",
                "people_ahead": len(waiting),
                "estimated_wait_minutes": 7 * len(waiting),
                "visit_id": len(state.registrations) + 1,
            }
            state.tickets.append(ticket)
            response = {
                "visit_id": ticket["visit_id"],
                "visitor_id": 100 + ticket["id"],
                "ticket": ticket,
            }
            state.registrations[request_id] = {"body": body, "response": response}
        return self._send(201, response)
