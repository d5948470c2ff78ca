"""Tests for the identity rules: NIK, SIM, passport numbers and TD3 MRZ check digits."""

from __future__ import annotations

import datetime as dt

import pytest

from server.domain.identity import (
    PROVINCE_CODES,
    IdentityError,
    is_indonesian_passport_number,
    mrz_check_digit,
    normalise_passport,
    parse_mrz_td3,
    validate_id,
    validate_nik,
    validate_passport,
    validate_sim,
)

TODAY = dt.date(2026, 11, 23)

# ICAO 9303 part 4 specimen (Utopia)
SPECIMEN_L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
SPECIMEN_L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


def code_of(func, *args, **kwargs) -> str:
    with pytest.raises(IdentityError) as info:
        func(*args, **kwargs)
    return info.value.code


# --- NIK -----------------------------------------------------------------------------


def test_valid_male_nik():
    info = validate_nik("1906011203850001", today=TODAY)
    assert info.province_code == "19"
    assert info.regency_code == "1906"
    assert info.district_code == "190601"
    assert info.birth_date == dt.date(1985, 3, 12)
    assert info.sex == "M"


def test_female_day_plus_forty():
    info = validate_nik("3174055208990123", today=TODAY)
    assert info.sex == "F"
    assert info.birth_date == dt.date(1999, 8, 12)


def test_separators_are_ignored():
    assert validate_nik("19.0601 120385-0001", today=TODAY).birth_date.year == 1985


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("", "nik_empty"),
        ("19060112038500", "nik_length"),
        ("190601120385000123", "nik_length"),
        ("19060112038500A1", "nik_digits"),
        ("１９０６０１１２０３８５０００１", "nik_digits"),  # full-width digits
        ("1006011203850001", "nik_province"),
        ("2006011203850001", "nik_province"),
        ("9806011203850001", "nik_province"),
        ("1906013203850001", "nik_bad_date"),  # day 32
        ("1906014003850001", "nik_bad_date"),  # day 40 = women's 0
        ("1906017203850001", "nik_bad_date"),  # day 72 = women's 32
        ("1906010013850001", "nik_bad_date"),  # month 13
        ("1906010000850001", "nik_bad_date"),  # day 0, month 0
        ("1906013104850001", "nik_bad_date"),  # 31 April
        ("1906012902010001", "nik_bad_date"),  # 29 Feb 2001
        ("1906016902010001", "nik_bad_date"),  # women's 29 Feb 2001
        ("1906011203850000", "nik_serial"),
    ],
)
def test_invalid_niks(nik: str, code: str):
    assert code_of(validate_nik, nik, today=TODAY) == code


def test_leap_day_2000_and_1900_rule():
    assert validate_nik("1906012902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)
    # 29 Feb 1996 is real; 96 > 26 so the 1900s
    assert validate_nik("1906012902960001", today=TODAY).birth_date == dt.date(1996, 2, 29)


def test_century_never_in_the_future():
    # year 26 on 23 Nov 2026: earlier this year -> 2026; later this year -> 1926
    assert validate_nik("1906010101260001", today=TODAY).birth_date == dt.date(2026, 1, 1)
    assert validate_nik("1906012311260001", today=TODAY).birth_date == dt.date(2026, 11, 23)
    assert validate_nik("1906012412260001", today=TODAY).birth_date == dt.date(1926, 12, 24)
    assert validate_nik("1906010101270001", today=TODAY).birth_date == dt.date(1927, 1, 1)
    assert validate_nik("1906010101000001", today=TODAY).birth_date == dt.date(2000, 1, 1)


def test_province_codes_cover_both_lists():
    for code in ["11", "19", "21", "31", "36", "51", "53", "61", "65", "71", "76", "81", "82"]:
        assert code in PROVINCE_CODES
    # Kemendagri Papua 91-96 and BPS Papua 91, 92, 94-97
    for code in ["91", "92", "93", "94", "95", "96", "97"]:
        assert code in PROVINCE_CODES
    for code in ["10", "20", "22", "30", "37", "50", "54", "60", "66", "70", "77", "83", "90"]:
        assert code not in PROVINCE_CODES
    assert len(PROVINCE_CODES) == 9 + 1 + 6 + 3 + 5 + 6 + 2 + 7


def test_district_digits_are_not_validated():
    # regency/district 99.99 does not exist anywhere, still accepted
    assert validate_nik("9799991203850001", today=TODAY).district_code == "979999"


def test_error_never_contains_the_value():
    with pytest.raises(IdentityError) as info:
        validate_nik("1906011203850000", today=TODAY)
    assert "1906" not in str(info.value)


# --- SIM, passport, other, dispatcher --------------------------------------------------


def test_sim_with_nik_is_checked_as_nik():
    check = validate_sim("1906011203850001", today=TODAY)
    assert check.nik is not None and check.nik.birth_date.year == 1985
    assert code_of(validate_sim, "1906011203850000", today=TODAY) == "nik_serial"


@pytest.mark.parametrize("number", ["123456789012", "1234-5678-9012", "12345678901234"])
def test_old_sim_numbers(number: str):
    check = validate_sim(number, today=TODAY)
    assert check.nik is None and check.number.isdigit()


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "sim_empty"),
        ("12345678901", "sim_length"),
        ("12345678901234567", "sim_length"),
        ("12345678901X", "sim_digits"),
    ],
)
def test_bad_sim(number: str, code: str):
    assert code_of(validate_sim, number, today=TODAY) == code


@pytest.mark.parametrize("number", ["B1234567", "X123456", "AB1234567", "L898902C3", "c 1234567"])
def test_passport_numbers(number: str):
    assert validate_passport(number).number == normalise_passport(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "passport_empty"),
        ("<<<", "passport_empty"),
        ("AB12345678", "passport_length"),
        ("AB#12345", "passport_chars"),
        ("ÄB123456", "passport_chars"),
    ],
)
def test_bad_passport_numbers(number: str, code: str):
    assert code_of(validate_passport, number) == code


def test_indonesian_passport_pattern():
    assert is_indonesian_passport_number("B1234567")
    assert is_indonesian_passport_number("AB123456")
    assert not is_indonesian_passport_number("L898902C3")
    assert not is_indonesian_passport_number("ABC12345")


def test_validate_id_dispatcher():
    assert validate_id("ktp", "1906011203850001", today=TODAY).nik is not None
    assert validate_id("KTP", "1906 0112 0385 0001", today=TODAY).number == "1906011203850001"
    assert validate_id("sim", "123456789012", today=TODAY).id_type == "sim"
    assert validate_id("passport", "b1234567").number == "B1234567"
    assert validate_id("other", " kitas  2C11 ").number == "KITAS 2C11"
    assert code_of(validate_id, "ktp", "123", today=TODAY) == "nik_length"
    assert code_of(validate_id, "other", "ab") == "id_length"
    assert code_of(validate_id, "other", "a$bc") == "id_chars"
    assert code_of(validate_id, "npwp", "123") == "id_type"


# --- MRZ -------------------------------------------------------------------------------


def test_check_digit_examples():
    assert mrz_check_digit("L898902C3") == 6
    assert mrz_check_digit("740812") == 2
    assert mrz_check_digit("120415") == 9
    assert mrz_check_digit("ZE184226B<<<<<") == 1
    assert mrz_check_digit("<<<<<<<<<<<<<<") == 0
    # the ICAO worked example: 520727 -> 3
    assert mrz_check_digit("520727") == 3


def test_icao_specimen():
    info = parse_mrz_td3(SPECIMEN_L1, SPECIMEN_L2, today=TODAY)
    assert info.document_type == "P"
    assert info.issuing_state == "UTO"
    assert info.surname == "ERIKSSON"
    assert info.given_names == "ANNA MARIA"
    assert info.document_number == "L898902C3"
    assert info.nationality == "UTO"
    assert info.birth_date == dt.date(1974, 8, 12)
    assert info.sex == "F"
    assert info.expiry_date == dt.date(2012, 4, 15)
    assert info.optional_data == "ZE184226B"
    assert info.is_expired(TODAY)


def test_lines_with_crlf_and_lowercase_are_accepted():
    info = parse_mrz_td3(SPECIMEN_L1.lower() + "\r\n", " " + SPECIMEN_L2 + "\n", today=TODAY)
    assert info.document_number == "L898902C3"


def _mutate(line: str, index: int, char: str) -> str:
    return line[:index] + char + line[index + 1 :]


@pytest.mark.parametrize(
    ("index", "char", "codes"),
    [
        (9, "7", ("mrz_doc_check", "mrz_composite_check")),  # doc check digit
        (0, "M", ("mrz_doc_check", "mrz_composite_check")),  # doc number changed
        (19, "3", ("mrz_birth_check", "mrz_composite_check")),
        (18, "3", ("mrz_birth_check", "mrz_composite_check")),  # 13 Aug
        (15, "1", ("mrz_birth_check", "mrz_composite_check", "mrz_birth_date")),
        (27, "8", ("mrz_expiry_check", "mrz_composite_check")),
        (42, "2", ("mrz_optional_check", "mrz_composite_check")),
        (30, "F", ("mrz_optional_check", "mrz_composite_check")),
        (43, "1", ("mrz_composite_check",)),
        (43, "<", ("mrz_composite_check",)),
    ],
)
def test_specimen_mutations(index: int, char: str, codes: tuple[str, ...]):
    with pytest.raises(IdentityError) as info:
        parse_mrz_td3(SPECIMEN_L1, _mutate(SPECIMEN_L2, index, char), today=TODAY)
    assert info.value.codes == codes
    assert info.value.code == codes[0]


def test_nationality_and_sex_are_outside_the_composite():
    # changing the nationality or sex does not break any check digit
    info = parse_mrz_td3(SPECIMEN_L1, _mutate(SPECIMEN_L2, 20, "M"), today=TODAY)
    assert info.sex == "M"
    info = parse_mrz_td3(SPECIMEN_L1, _mutate(SPECIMEN_L2, 20, "<"), today=TODAY)
    assert info.sex is None


def test_empty_optional_data_with_filler_check_digit():
    l2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<"
    body = l2[0:10] + l2[13:20] + l2[21:43]
    l2 = l2[:43] + str(mrz_check_digit(body))
    assert parse_mrz_td3(SPECIMEN_L1, l2, today=TODAY).optional_data == ""


def test_impossible_birth_date_with_matching_check_digit():
    l2 = list(SPECIMEN_L2)
    l2[13:19] = "741332"
    l2[19] = str(mrz_check_digit("741332"))
    line = "".join(l2)
    line = line[:43] + str(mrz_check_digit(line[0:10] + line[13:20] + line[21:43]))
    with pytest.raises(IdentityError) as info:
        parse_mrz_td3(SPECIMEN_L1, line, today=TODAY)
    assert info.value.codes == ("mrz_birth_date",)


@pytest.mark.parametrize(
    ("l1", "l2", "code"),
    [
        (SPECIMEN_L1[:-1], SPECIMEN_L2, "mrz_length"),
        (SPECIMEN_L1, SPECIMEN_L2 + "<", "mrz_length"),
        (SPECIMEN_L1, SPECIMEN_L2[:-1] + "#", "mrz_chars"),
        ("I" + SPECIMEN_L1[1:], SPECIMEN_L2, "mrz_format"),
    ],
)
def test_malformed_mrz(l1: str, l2: str, code: str):
    assert code_of(parse_mrz_td3, l1, l2, today=TODAY) == code


def test_generated_indonesian_passport_roundtrip():
    number, birth, expiry = "B1234567<", "850312", "310101"
    optional = "<" * 14
    l2 = (
        number
        + str(mrz_check_digit(number))
        + "IDN"
        + birth
        + str(mrz_check_digit(birth))
        + "M"
        + expiry
        + str(mrz_check_digit(expiry))
        + optional
        + "0"
    )
    l2 += str(mrz_check_digit(l2[0:10] + l2[13:20] + l2[21:43]))
    l1 = ("P<IDNSANTOSO<<BUDI").ljust(44, "<")
    info = parse_mrz_td3(l1, l2, today=TODAY)
    assert info.document_number == "B1234567"
    assert info.birth_date == dt.date(1985, 3, 12)
    assert info.expiry_date == dt.date(2031, 1, 1)
    assert not info.is_expired(TODAY)
    assert validate_id("passport", info.document_number).number == "B1234567"


def test_filler_check_digit_only_for_empty_optional_data():
    l2 = "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<"
    l2 = l2[:43] + str(mrz_check_digit(l2[0:10] + l2[13:20] + l2[21:43]))
    assert parse_mrz_td3(SPECIMEN_L1, l2, today=TODAY).optional_data == ""
    with pytest.raises(IdentityError) as info:
        parse_mrz_td3(SPECIMEN_L1, _mutate(SPECIMEN_L2, 9, "<"), today=TODAY)
    assert info.value.codes[0] == "mrz_doc_check"
