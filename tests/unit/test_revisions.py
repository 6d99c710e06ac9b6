"""The revision rule: three-way field merge, and refusing a stale whole-record save."""

from __future__ import annotations

import pytest

from plc_tui.api import RevisionConflict, check_revision, merge_fields

BASE = {
    "title": "Reading 60% -> 80%",
    "measurable": {"baseline": 60, "target": 80, "unit": "%"},
    "actions": [{"text": "Guided reading", "done": False}, {"text": "Family night"}],
    "owners": ["t1"],
}


def changed(**fields: object) -> dict:
    return {**BASE, **fields}


def test_no_change_on_either_side_keeps_the_record() -> None:
    assert merge_fields(BASE, BASE, BASE) == (BASE, [])


def test_fields_changed_on_one_side_each_are_both_kept() -> None:
    mine = changed(title="Reading 60% -> 85%")
    ticked = [{"text": "Guided reading", "done": True}, {"text": "Family night"}]
    theirs = changed(actions=ticked, owners=["t1", "t2"])
    merged, conflicts = merge_fields(BASE, mine, theirs)
    assert conflicts == []
    assert merged == {
        **BASE,
        "title": "Reading 60% -> 85%",
        "actions": ticked,
        "owners": ["t1", "t2"],
    }


def test_nested_fields_and_list_items_merge_one_by_one() -> None:
    mine = changed(
        measurable={"baseline": 60, "target": 85, "unit": "%"},
        actions=[{"text": "Guided reading", "done": False}, {"text": "Family reading night"}],
    )
    theirs = changed(
        measurable={"baseline": 62, "target": 80, "unit": "%"},
        actions=[{"text": "Guided reading", "done": True}, {"text": "Family night"}],
    )
    merged, conflicts = merge_fields(BASE, mine, theirs)
    assert conflicts == []
    assert merged["measurable"] == {"baseline": 62, "target": 85, "unit": "%"}
    assert merged["actions"] == [
        {"text": "Guided reading", "done": True},
        {"text": "Family reading night"},
    ]


def test_the_same_field_changed_differently_is_a_conflict_named_by_its_path() -> None:
    mine = changed(title="Mine", measurable={"baseline": 60, "target": 85, "unit": "%"})
    theirs = changed(title="Theirs", measurable={"baseline": 60, "target": 90, "unit": "%"})
    _, conflicts = merge_fields(BASE, mine, theirs)
    assert conflicts == ["title", "measurable.target"]


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = changed(title="Same")
    assert merge_fields(BASE, both, both) == (both, [])


def test_lists_of_another_length_are_one_field() -> None:
    mine = changed(actions=[*BASE["actions"], {"text": "New step"}])
    theirs = changed(actions=[{"text": "Guided reading", "done": True}, {"text": "Family night"}])
    _, conflicts = merge_fields(BASE, mine, theirs)
    assert conflicts == ["actions"]


def test_a_stale_whole_record_save_is_refused_naming_who_changed_it() -> None:
    stored = {"revision": 4, "changed_by": "dreyes"}
    check_revision("goal 3", stored, 4, names={"dreyes": "Dana Reyes"})
    check_revision("goal 3", stored, None, names={})
    with pytest.raises(RevisionConflict) as info:
        check_revision("goal 3", stored, 2, names={"dreyes": "Dana Reyes"})
    assert info.value.message.startswith("Dana Reyes changed goal 3 after you loaded it")
    assert "nothing was saved" in info.value.message
