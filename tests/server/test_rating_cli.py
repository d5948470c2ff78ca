"""``loket rating-setup`` and ``loket rating --help`` as a real subprocess on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.live import loket


def test_rating_setup_turns_ipak_on_and_sets_the_skd_link(tmp_path: Path) -> None:
    env = {"LOKET_DATA_DIR": str(tmp_path), "LOKET_DEMO": "1"}
    loket("init", env=env)
    shown = loket("rating-setup", env=env).stdout
    assert "ipak: False" in shown and "skd_url: \n" in shown + "\n"
    changed = loket(
        "rating-setup", "--ipak", "--skd-url", "https://skd.bps.go.id/", env=env
    ).stdout
    assert "ipak: True" in changed and "skd_url: https://skd.bps.go.id/" in changed
    assert "skd16: False" in changed
    bad = loket("rating-setup", "--skd-url", "javascript:alert(1)", env=env, check=False)
    assert bad.returncode != 0 and "https://" in bad.stderr
    assert "ipak: True" in loket("rating-setup", "--no-skd16", env=env).stdout
    token = loket("device", "add", "--kind", "rating", "--name", "Tablet", env=env).stdout.strip()
    assert token
    assert "--scanner" in loket("rating", "--help", env=env).stdout
