"""The pure guestbook rules: reasons for access and what a registration may change."""

from __future__ import annotations

import pytest

from server.domain.guestbook import Outcome, ReasonRequired, registration_outcome, require_reason


@pytest.mark.parametrize("reason", [None, "", "   ", " a ", "ab", "\t\n x"])
def test_blank_or_short_reasons_are_refused(reason: str | None) -> None:
    with pytest.raises(ReasonRequired, match="reason is required"):
        require_reason(reason)


def test_reasons_are_trimmed_and_capped() -> None:
    assert require_reason("  permintaan   salinan ") == "permintaan salinan"
    assert len(require_reason("x" * 900)) == 500


@pytest.mark.parametrize(
    ("on_file", "confirmed", "changed", "expected"),
    [
        (False, False, False, Outcome.NEW),
        (False, True, True, Outcome.NEW),
        (True, False, False, Outcome.JOIN),
        (True, False, True, Outcome.REVIEW),
        (True, True, False, Outcome.JOIN),
        (True, True, True, Outcome.UPDATE),
    ],
)
def test_registration_outcome(
    on_file: bool, confirmed: bool, changed: bool, expected: Outcome
) -> None:
    assert registration_outcome(on_file=on_file, confirmed=confirmed, changed=changed) is expected
