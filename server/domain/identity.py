"""Identity-document rules: NIK, SIM, passport numbers and ICAO 9303 TD3 MRZ.

Pure functions with no I/O, shared by the kiosk (to check input as it is
typed) and the server (to validate a registration). Every failure raises
:class:`IdentityError` with a stable ``code`` (``nik_length``, ``mrz_doc_check``
...); clients translate the code for the visitor. Values are never put into
exception messages, so an error can be logged without leaking personal data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Sex = Literal["F", "M"]

#: Province codes (the first two NIK digits): the union of every code the Home
#: Ministry (Kemendagri) and BPS lists have used. A NIK keeps its code when a
#: province splits, and the two lists number the Papua provinces differently
#: (Kemendagri 91-96, BPS 91, 92, 94-97), so all of 91-97 are accepted.
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(code) for code in range(11, 20)]
    + ["21"]
    + [str(code) for code in range(31, 37)]
    + ["51", "52", "53"]
    + [str(code) for code in range(61, 66)]
    + [str(code) for code in range(71, 77)]
    + ["81", "82"]
    + [str(code) for code in range(91, 98)]
)

ID_TYPES = ("ktp", "sim", "passport", "other")
NIK_LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-/]")
_MRZ_LINE_LENGTH = 44
_MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")
_MRZ_WEIGHTS = (7, 3, 1)


class IdentityError(ValueError):
    """An identity value failed a rule; ``code`` says which (never the value)."""

    def __init__(self, code: str, codes: tuple[str, ...] | None = None) -> None:
        super().__init__(code)
        self.code = code
        #: every failed check, for MRZ errors where several may fail at once
        self.codes = codes or (code,)


@dataclass(frozen=True)
class NikInfo:
    """What a valid NIK encodes."""

    province_code: str
    regency_code: str
    district_code: str
    birth_date: dt.date
    sex: Sex


@dataclass(frozen=True)
class IdCheck:
    """A validated identity number, normalised for storage and comparison."""

    id_type: str
    number: str
    nik: NikInfo | None = None


@dataclass(frozen=True)
class MrzInfo:
    """The fields of a passport's TD3 machine-readable zone, all checks passed."""

    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date
    sex: Sex | None
    expiry_date: dt.date
    optional_data: str

    def is_expired(self, today: dt.date | None = None) -> bool:
        """True when the passport's expiry date has passed."""
        return self.expiry_date < (today or dt.date.today())


def _digits_only(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def _past_century_date(yy: int, month: int, day: int, today: dt.date) -> dt.date:
    """A birth date from a 2-digit year, in the century that is not in the future.

    ``20yy`` unless that date is after ``today``, then ``19yy``. Raises
    ``ValueError`` when the day does not exist in that year (31 April, 29 Feb 2001).
    """
    year = 2000 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return dt.date(year, month, day)


def validate_nik(nik: str, *, today: dt.date | None = None) -> NikInfo:
    """Check a 16-digit NIK (``PP KK CC DDMMYY NNNN``) and return what it encodes.

    Spaces, dots and dashes are ignored. Raises :class:`IdentityError` with
    ``nik_empty``, ``nik_digits``, ``nik_length``, ``nik_province``,
    ``nik_bad_date`` or ``nik_serial``.
    """
    value = _digits_only(nik)
    if not value:
        raise IdentityError("nik_empty")
    if not value.isascii() or not value.isdigit():
        raise IdentityError("nik_digits")
    if len(value) != NIK_LENGTH:
        raise IdentityError("nik_length")
    if value[:2] not in PROVINCE_CODES:
        raise IdentityError("nik_province")
    day, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex: Sex = "M"
    if day > 40:
        day -= 40
        sex = "F"
    if not 1 <= day <= 31 or not 1 <= month <= 12:
        raise IdentityError("nik_bad_date")
    try:
        birth = _past_century_date(yy, month, day, today or dt.date.today())
    except ValueError:
        raise IdentityError("nik_bad_date") from None
    if value[12:] == "0000":
        raise IdentityError("nik_serial")
    return NikInfo(
        province_code=value[:2],
        regency_code=value[:4],
        district_code=value[:6],
        birth_date=birth,
        sex=sex,
    )


def normalise_nik(nik: str) -> str:
    """The NIK without separators (not validated)."""
    return _digits_only(nik)


def validate_sim(number: str, *, today: dt.date | None = None) -> IdCheck:
    """A driving licence number: new cards carry the NIK, older ones 12-16 digits."""
    value = _digits_only(number)
    if not value:
        raise IdentityError("sim_empty")
    if not value.isascii() or not value.isdigit():
        raise IdentityError("sim_digits")
    if len(value) == NIK_LENGTH:
        return IdCheck("sim", value, validate_nik(value, today=today))
    if not 12 <= len(value) <= NIK_LENGTH:
        raise IdentityError("sim_length")
    return IdCheck("sim", value)


def normalise_passport(number: str) -> str:
    """Upper-case, without spaces, separators or MRZ filler characters."""
    return re.sub(r"[\s.\-/<]", "", (number or "").upper())


def validate_passport(number: str) -> IdCheck:
    """A passport number: 1-9 letters and digits (generic ICAO 9303).

    Indonesian passports have 1-2 letters then 6-7 digits
    (:func:`is_indonesian_passport_number`), but any ICAO number is accepted.
    """
    value = normalise_passport(number)
    if not value:
        raise IdentityError("passport_empty")
    if not value.isascii() or not value.isalnum():
        raise IdentityError("passport_chars")
    if len(value) > 9:
        raise IdentityError("passport_length")
    return IdCheck("passport", value)


def is_indonesian_passport_number(number: str) -> bool:
    """True for the Indonesian pattern: 1-2 letters followed by 6-7 digits."""
    return re.fullmatch(r"[A-Z]{1,2}[0-9]{6,7}", normalise_passport(number)) is not None


def validate_other(number: str) -> IdCheck:
    """Any other ID (student card, KITAS ...): 3-30 letters, digits and separators."""
    value = " ".join((number or "").split()).upper()
    if not value:
        raise IdentityError("id_empty")
    if not re.fullmatch(r"[A-Z0-9 ./\-]+", value):
        raise IdentityError("id_chars")
    if not 3 <= len(value) <= 30:
        raise IdentityError("id_length")
    return IdCheck("other", value)


def validate_id(id_type: str, number: str, *, today: dt.date | None = None) -> IdCheck:
    """Validate ``number`` as an ID of ``id_type`` (``ktp``, ``sim``, ``passport``, ``other``)."""
    kind = (id_type or "").strip().lower()
    if kind == "ktp":
        value = _digits_only(number)
        return IdCheck("ktp", value, validate_nik(value, today=today))
    if kind == "sim":
        return validate_sim(number, today=today)
    if kind == "passport":
        return validate_passport(number)
    if kind == "other":
        return validate_other(number)
    raise IdentityError("id_type")


# --- ICAO 9303 machine-readable zone -------------------------------------------------


def mrz_char_value(char: str) -> int:
    """ICAO 9303 value of one MRZ character: digits as such, A-Z = 10-35, ``<`` = 0."""
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise IdentityError("mrz_chars")


def mrz_check_digit(data: str) -> int:
    """The check digit of ``data``: weights 7, 3, 1 repeated, sum modulo 10."""
    return sum(mrz_char_value(c) * _MRZ_WEIGHTS[i % 3] for i, c in enumerate(data)) % 10


def _check_ok(data: str, check: str, *, filler_allowed: bool = False) -> bool:
    """A check digit matches; ``<`` stands for 0 only where 9303 allows it."""
    if check == "<":
        return filler_allowed and set(data) == {"<"}
    return check.isdigit() and int(check) == mrz_check_digit(data)


def _mrz_date(yymmdd: str, *, birth: bool, today: dt.date) -> dt.date | None:
    if not yymmdd.isdigit():
        return None
    yy, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    try:
        if birth:
            return _past_century_date(yy, month, day, today)
        # expiry: passports are valid at most ~10 years, so the 2000s unless far off
        year = 2000 + yy if 2000 + yy <= today.year + 50 else 1900 + yy
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_mrz_td3(line1: str, line2: str, *, today: dt.date | None = None) -> MrzInfo:
    """Parse and fully check the two 44-character lines of a passport (TD3) MRZ.

    Raises :class:`IdentityError`: ``mrz_length``, ``mrz_chars``, ``mrz_format``
    for malformed lines; otherwise every failed check is listed in ``codes``
    (``mrz_doc_check``, ``mrz_birth_check``, ``mrz_expiry_check``,
    ``mrz_optional_check``, ``mrz_composite_check``, ``mrz_birth_date``,
    ``mrz_expiry_date``) and ``code`` is the first of them.
    """
    l1 = (line1 or "").strip().upper()
    l2 = (line2 or "").strip().upper()
    if len(l1) != _MRZ_LINE_LENGTH or len(l2) != _MRZ_LINE_LENGTH:
        raise IdentityError("mrz_length")
    if not _MRZ_CHARS.match(l1) or not _MRZ_CHARS.match(l2):
        raise IdentityError("mrz_chars")
    if l1[0] != "P":
        raise IdentityError("mrz_format")
    today = today or dt.date.today()
    failures: list[str] = []
    checks = (
        ("mrz_doc_check", l2[0:9], l2[9]),
        ("mrz_birth_check", l2[13:19], l2[19]),
        ("mrz_expiry_check", l2[21:27], l2[27]),
        ("mrz_optional_check", l2[28:42], l2[42]),
        ("mrz_composite_check", l2[0:10] + l2[13:20] + l2[21:43], l2[43]),
    )
    failures.extend(
        code
        for code, data, check in checks
        if not _check_ok(data, check, filler_allowed=code == "mrz_optional_check")
    )
    birth = _mrz_date(l2[13:19], birth=True, today=today)
    expiry = _mrz_date(l2[21:27], birth=False, today=today)
    if birth is None:
        failures.append("mrz_birth_date")
    if expiry is None:
        failures.append("mrz_expiry_date")
    if failures or birth is None or expiry is None:
        codes = tuple(failures)
        raise IdentityError(codes[0], codes)
    surname, _, given = l1[5:].partition("<<")
    sex_char = l2[20]
    return MrzInfo(
        document_type=l1[0:2].replace("<", ""),
        issuing_state=l1[2:5].replace("<", ""),
        surname=surname.replace("<", " ").strip(),
        given_names=given.replace("<", " ").strip(),
        document_number=l2[0:9].replace("<", ""),
        nationality=l2[10:13].replace("<", ""),
        birth_date=birth,
        sex="F" if sex_char == "F" else "M" if sex_char == "M" else None,
        expiry_date=expiry,
        optional_data=l2[28:42].replace("<", ""),
    )
