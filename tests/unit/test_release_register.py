"""A month's release state, from the register's lines (lib/release/register.py): the rules
the release cycle rests on, on a register written line by line as the cycle writes it."""

from __future__ import annotations

import datetime as dt

from orchestration.lib.release import register

T = dt.datetime(2025, 7, 1)
CALENDAR = {"2025-06": dt.datetime(2025, 7, 16, 2)}  # 10:00 Beijing time


def state(tmp_path, now=T):
    return register.states(register.read(tmp_path), CALENDAR)["2025-06"]


def test_a_draft_approved_then_changed_needs_approving_again(tmp_path):
    register.append(tmp_path, "prepared", "2025-06", T, fingerprint="a")
    assert (state(tmp_path).state, state(tmp_path).version) == ("draft", 1)
    register.append(tmp_path, "approved", "2025-06", T, fingerprint="a", by="张三")
    approved = state(tmp_path)
    assert (approved.state, approved.approved_by) == ("approved", "张三")
    assert not approved.due(T) and approved.due(dt.datetime(2025, 7, 16, 2))
    assert "embargoed until 2025-07-16 10:00 Beijing time" in approved.says(T)
    register.append(tmp_path, "prepared", "2025-06", T, fingerprint="b")
    assert (state(tmp_path).state, state(tmp_path).approved_by) == ("draft", None)


def test_a_released_month_changed_waits_as_the_draft_of_its_next_version(tmp_path):
    register.append(tmp_path, "prepared", "2025-06", T, fingerprint="a")
    register.append(tmp_path, "approved", "2025-06", T, fingerprint="a", by="张三")
    register.append(
        tmp_path, "released", "2025-06", T, version=1, fingerprint="a", approved_by="张三",
        approved_at=T.isoformat(), release_at=CALENDAR["2025-06"].isoformat(),
        folder="2025-06/v1",
    )  # fmt: skip
    assert (state(tmp_path).state, state(tmp_path).version) == ("released", 1)
    register.append(tmp_path, "prepared", "2025-06", T, fingerprint="b")
    assert (state(tmp_path).state, state(tmp_path).version) == ("draft", 2)
    # the correction undone: the figures are those of v1 again, released
    register.append(tmp_path, "prepared", "2025-06", T, fingerprint="a")
    assert (state(tmp_path).state, state(tmp_path).version) == ("released", 1)


def test_an_approval_of_other_figures_approves_nothing(tmp_path):
    register.append(tmp_path, "approved", "2025-06", T, fingerprint="old", by="张三")
    register.append(tmp_path, "prepared", "2025-06", T, fingerprint="new")
    assert state(tmp_path).state == "draft"
