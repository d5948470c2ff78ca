"""SKM/IKM rules against hand-computed cases: NRR, IKM, every grade boundary, skipped elements."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from server.domain import skm

CODES = skm.SKM_CODES


def test_skm9_has_the_nine_elements_in_the_forms_order() -> None:
    q = skm.current(skm.SKM)
    # The form asks facilities (U9) 8th and complaints (U8) 9th: keyed by code, not position.
    assert q.codes == ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U9", "U8")
    assert (q.low, q.high) == (1, 4)
    assert all(len(item.answers) == 4 for item in q.items)
    u4 = next(i for i in q.items if i.code == "U4")
    assert [a["id"] for a in u4.answers] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert skm.current(skm.IPAK).codes == ("K1", "K2", "K3", "K4")
    skd = skm.current(skm.SKD)
    assert (skd.low, skd.high, len(skd.items)) == (1, 10, 16)
    assert all(len(i.answers) == 10 for i in skd.items)


def test_all_fours_is_100_and_all_ones_is_25() -> None:
    assert skm.ikm_from_nrr({c: Fraction(4) for c in CODES}) == Decimal("100.00")
    assert skm.ikm_from_nrr({c: Fraction(1) for c in CODES}) == Decimal("25.00")
    # weights exactly 1/9: a calculator using 0.111 would give 99.90 here
    assert skm.grade_of(Decimal("100.00")).letter == "A"


def test_hand_computed_index_with_two_respondents() -> None:
    # respondent 1 all 4; respondent 2 all 3 except U4 = 4 (free service)
    r1 = {c: 4 for c in CODES}
    r2 = {c: 3 for c in CODES} | {"U4": 4}
    result = skm.index_of_ratings([r1, r2])
    # NRR: eight elements 3.5, U4 4.0 -> mean = (8*3.5 + 4)/9 = 32/9; IKM = 25*32/9 = 88.888..
    nrr = {e.code: e.nrr for e in result.elements}
    assert nrr["U1"] == Fraction(7, 2) and nrr["U4"] == Fraction(4)
    assert result.ikm == Decimal("88.89")
    assert result.grade is not None and result.grade.letter == "A"
    assert result.grade.label_id == "Sangat Baik"


def test_skipped_elements_count_only_in_their_own_nrr() -> None:
    r1 = {c: 4 for c in CODES}
    r2 = {c: 2 for c in CODES if c != "U8"}  # skipped U8
    result = skm.index_of_ratings([r1, r2])
    by_code = {e.code: e for e in result.elements}
    assert (by_code["U8"].respondents, by_code["U8"].nrr) == (1, Fraction(4))
    assert (by_code["U1"].respondents, by_code["U1"].nrr) == (2, Fraction(3))
    # mean = (8*3 + 4)/9 = 28/9 -> 25*28/9 = 77.777.. -> 77.78, grade B
    assert result.ikm == Decimal("77.78")
    assert result.grade is not None and result.grade.letter == "B"


def test_weakest_elements_lowest_nrr_first() -> None:
    r = {c: 4 for c in CODES} | {"U3": 1, "U9": 2, "U8": 2}
    result = skm.index_of_ratings([r])
    assert result.weakest == ("U3", "U8", "U9")


def test_no_answer_for_an_element_means_no_index() -> None:
    result = skm.index_of_ratings([{c: 4 for c in CODES if c != "U2"}])
    assert result.ikm is None and result.grade is None
    assert {e.code: e.respondents for e in result.elements}["U2"] == 0


@pytest.mark.parametrize(
    ("ikm", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_grade_boundaries(ikm: str, letter: str) -> None:
    assert skm.grade_of(Decimal(ikm)).letter == letter


def test_grade_uses_ikm_rounded_half_up_to_two_decimals() -> None:
    # 88.305 rounds to 88.31 -> A (unrounded it would be below 88.31)
    nrr = {c: Fraction(88305, 1000) / 25 for c in CODES}
    ikm = skm.ikm_from_nrr(nrr)
    assert ikm == Decimal("88.31") and skm.grade_of(ikm).letter == "A"
    # 88.3049.. rounds to 88.30 -> B
    nrr = {c: Fraction(883049, 10000) / 25 for c in CODES}
    ikm = skm.ikm_from_nrr(nrr)
    assert ikm == Decimal("88.30") and skm.grade_of(ikm).letter == "B"
    # 64.995 -> 65.00 -> C; 76.605 -> 76.61 -> B
    assert (
        skm.grade_of(skm.ikm_from_nrr({c: Fraction(64995, 1000) / 25 for c in CODES})).letter == "C"
    )
    assert (
        skm.grade_of(skm.ikm_from_nrr({c: Fraction(76605, 1000) / 25 for c in CODES})).letter == "B"
    )


def test_boundaries_on_the_1_to_4_scale_from_real_scores() -> None:
    # 50 respondents; element sums chosen so the mean NRR lands next to 3.5324 (A's floor).
    # sum of all 450 scores = S -> mean NRR = S/450 -> IKM = 25*S/450 = S/18.
    # S = 1590 -> 88.333.. (A); S = 1589 -> 88.277.. (B)
    def ratings_with_total(total: int) -> list[dict[str, int]]:
        scores = [4] * 450
        deficit = 4 * 450 - total
        i = 0
        while deficit:
            step = min(3, deficit)
            scores[i] -= step
            deficit -= step
            i += 1
        return [dict(zip(CODES, scores[r * 9 : r * 9 + 9], strict=True)) for r in range(50)]

    assert skm.index_of_ratings(ratings_with_total(1590)).ikm == Decimal("88.33")
    assert skm.index_of_ratings(ratings_with_total(1590)).grade.letter == "A"  # type: ignore[union-attr]
    assert skm.index_of_ratings(ratings_with_total(1589)).ikm == Decimal("88.28")
    assert skm.index_of_ratings(ratings_with_total(1589)).grade.letter == "B"  # type: ignore[union-attr]
    # 65.00 exactly: S = 1170 -> C; S = 1169 -> 64.94 -> D
    assert skm.index_of_ratings(ratings_with_total(1170)).ikm == Decimal("65.00")
    assert skm.index_of_ratings(ratings_with_total(1170)).grade.letter == "C"  # type: ignore[union-attr]
    assert skm.index_of_ratings(ratings_with_total(1169)).grade.letter == "D"  # type: ignore[union-attr]


def test_validation_accepts_skips_and_refuses_bad_answers() -> None:
    ok = skm.validate(overall=4, blocks=[("skm9", 1, {"U1": 4, "U8": 1})])
    assert [(a.code, a.score) for a in ok.answers] == [("U1", 4), ("U8", 1)]
    cases = [
        ({"overall": 5, "blocks": []}, "score_out_of_scale"),
        ({"overall": 0, "blocks": []}, "score_out_of_scale"),
        ({"overall": 3, "blocks": [("skm9", 1, {"U1": 5})]}, "score_out_of_scale"),
        ({"overall": 3, "blocks": [("skm9", 1, {"U1": 0})]}, "score_out_of_scale"),
        ({"overall": 3, "blocks": [("skm9", 1, {"U10": 3})]}, "unknown_element"),
        ({"overall": 3, "blocks": [("skm9", 1, {"K1": 1})]}, "unknown_element"),
        ({"overall": 3, "blocks": [("skm9", 99, {"U1": 3})]}, "unknown_questionnaire_version"),
        ({"overall": 3, "blocks": [("nope", 1, {})]}, "unknown_questionnaire_version"),
        ({"overall": 3, "blocks": [("ipak", 1, {"K1": 2})]}, "score_out_of_scale"),
        ({"overall": 1, "blocks": [], "followup_reasons_given": ["bogus"]}, "unknown_reason"),
        ({"overall": 4, "blocks": [], "followup_reasons_given": ["wait"]}, "followup_not_asked"),
        ({"overall": 3, "blocks": [("skm9", 1, {}), ("skm9", 1, {})]}, "duplicate_block"),
    ]
    for kwargs, code in cases:
        with pytest.raises(skm.RatingRuleError) as err:
            skm.validate(**kwargs)  # type: ignore[arg-type]
        assert err.value.code == code, kwargs
    low = skm.validate(
        overall=1, blocks=[], followup_reasons_given=["wait", "wait"], followup_text=" lama "
    )
    assert low.followup_reasons == ("wait",) and low.followup_text == "lama"
    assert skm.needs_followup(2) and not skm.needs_followup(3)


def test_blocks_follow_the_unit_settings() -> None:
    assert [q.id for q in skm.blocks_for({})] == ["skm9"]
    assert [q.id for q in skm.blocks_for({"rating_ipak": True})] == ["skm9", "ipak"]
    both = {"rating_ipak": True, "rating_skd16": True}
    assert [q.id for q in skm.blocks_for(both)] == ["skm9", "ipak", "skd16"]


@pytest.mark.parametrize(
    ("served", "minimum"),
    [
        (0, 0),
        (7, 7),
        (10, 10),
        (50, 44),
        (51, 48),
        (100, 80),
        (150, 108),
        (500, 217),
        (1000, 278),
        (1001, 285),
        (1_000_000, 384),
        (5_000_000, 384),
    ],
)
def test_krejcie_morgan_minimum(served: int, minimum: int) -> None:
    assert skm.minimum_respondents(served) == minimum


def test_krejcie_morgan_table_matches_its_formula() -> None:
    # s = X²NP(1-P) / (d²(N-1) + X²P(1-P)), X² = 3.841, P = 0.5, d = 0.05
    for population, sample in skm._krejcie_morgan():
        exact = 3.841 * population * 0.25 / (0.0025 * (population - 1) + 3.841 * 0.25)
        assert abs(exact - sample) <= 1.01, population
