"""The rating journey without a window: flow rules, scanned codes, the payload the server gets."""

from __future__ import annotations

import pytest

from kiosk.rating.cli import settings_from_args
from kiosk.rating.flow import Flow, Step, offline_blocks
from kiosk.scanner import token_from_scan
from server.domain import skm


def test_scanned_codes() -> None:
    token = "AbCdEfGhIjKlMnOpQrStUv"
    assert token_from_scan(f"https://pst.example/t/{token}\r") == token
    assert token_from_scan(f"http://127.0.0.1:8000/t/{token}?lang=en") == token
    assert token_from_scan(token) == token
    assert token_from_scan("4006381333931") is None  # a product barcode
    assert token_from_scan("https://example.com/other") is None


def test_high_score_skips_follow_up_and_skipped_elements_are_left_out() -> None:
    flow = Flow(token="t" * 22)
    flow.begin(None, offline_blocks())
    flow.choose_overall(4)
    assert flow.step == Step.QUESTION
    codes = []
    while flow.step == Step.QUESTION:
        codes.append(flow.question.code)
        flow.answer(None if flow.question.code == "U8" else 0)  # worst answer, except a skip
    assert codes == list(skm.current(skm.SKM).codes)
    assert flow.step == Step.SUGGESTION
    body = flow.payload()
    assert body["tracking_token"] == "t" * 22 and "ticket_number" not in body
    assert body["blocks"] == [
        {
            "questionnaire": "skm9",
            "version": 1,
            "answers": {c: 1 for c in skm.SKM_CODES if c != "U8"},
        }
    ]
    assert body["followup_reasons"] == [] and body["followup_text"] is None


def test_low_score_asks_follow_up_and_back_returns() -> None:
    flow = Flow(number="P001")
    flow.begin(None, offline_blocks())
    flow.choose_overall(2)
    assert flow.step == Step.FOLLOWUP
    flow.toggle_reason("wait")
    flow.toggle_reason("data")
    flow.toggle_reason("data")
    flow.followup_text = " lama "
    flow.followup_done()
    assert flow.step == Step.QUESTION
    flow.answer(3)
    flow.back()
    assert flow.index == 0
    flow.back()
    assert flow.step == Step.FOLLOWUP
    body = flow.payload()
    assert body["ticket_number"] == "P001"
    assert body["followup_reasons"] == ["wait"] and body["followup_text"] == "lama"
    # the validated payload is accepted by the same domain rule the server applies
    skm.validate(
        overall=body["overall"],
        blocks=[(b["questionnaire"], b["version"], b["answers"]) for b in body["blocks"]],
        followup_reasons_given=body["followup_reasons"],
        followup_text=body["followup_text"],
    )


def test_bad_choices_are_refused() -> None:
    flow = Flow(token="t" * 22)
    flow.begin(None, offline_blocks())
    with pytest.raises(ValueError):
        flow.choose_overall(5)
    flow.choose_overall(3)
    with pytest.raises(ValueError):
        flow.answer(4)


def test_loket_rating_options_full_screen_and_camera(monkeypatch: pytest.MonkeyPatch) -> None:
    from server.cli.main import build_parser

    for name in ("CAMERA", "FULLSCREEN", "CAMERA_INDEX"):
        monkeypatch.delenv(f"LOKET_RATING_{name}", raising=False)
    parser = build_parser()
    plain = settings_from_args(parser.parse_args(["rating", "--server", "http://s:8000/"]))
    assert (plain.fullscreen, plain.camera, plain.camera_index) == (False, False, 0)
    assert plain.server_url == "http://s:8000"
    args = parser.parse_args(["rating", "--fullscreen", "--camera", "--camera-index", "1"])
    chosen = settings_from_args(args)
    assert (chosen.fullscreen, chosen.camera, chosen.camera_index) == (True, True, 1)
    monkeypatch.setenv("LOKET_RATING_FULLSCREEN", "yes")
    monkeypatch.setenv("LOKET_RATING_CAMERA", "1")
    from_env = settings_from_args(parser.parse_args(["rating"]))
    assert from_env.fullscreen is True and from_env.camera is True
    off = settings_from_args(parser.parse_args(["rating", "--no-fullscreen", "--no-camera"]))
    assert off.fullscreen is False and off.camera is False
