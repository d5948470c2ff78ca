"""Sample server answers written from docs/api.md, for the journey's unit tests.

A guestbook form and a service list shaped exactly like ``GET
/api/v1/guestbook/form`` and ``GET /api/v1/services`` (with made-up choice
values, so the tests prove the kiosk is data-driven rather than tied to the
real server's lists). The window and outbox tests use the real server.
"""

from __future__ import annotations

from typing import Any

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
        "requires_email": True,
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
