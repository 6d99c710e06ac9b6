"""Share a reflection with coaches, or stop: sealed again to whoever is chosen."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label

from plc_tui.api import Context
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal

from ..service import Reflections


class ShareModal(FormModal[list[str]]):
    save_label = "Save sharing"

    def __init__(self, ctx: Context, row: dict[str, Any]) -> None:
        self.service = Reflections(ctx)
        self.row = row
        self.template = self.service.template(row["template"])
        self.coaches = self.service.coaches()
        self.standing = {
            s["coach"] for s in self.service.standing_shares() if s["template"] == row["template"]
        }
        super().__init__(
            "Share with a coach",
            "A coach you choose can read this reflection and comment on it. Unchoose "
            "one to stop: it is sealed again without them.",
        )

    def compose_fields(self) -> ComposeResult:
        yield ChoiceList(
            [(m.name, m.login) for m in self.coaches],
            list(self.row["shared_with"]),
            multiple=True,
            filterable=len(self.coaches) > 9,
            id="share-coaches",
        )
        yield Label(f"Every {self.template.title} of yours, from now on:")
        yield ChoiceList(
            [(m.name, m.login) for m in self.coaches],
            sorted(self.standing),
            multiple=True,
            filterable=len(self.coaches) > 9,
            id="share-standing",
        )

    def on_mount(self) -> None:
        self.query_one("#share-coaches", ChoiceList).focus()

    def collect(self) -> tuple[set[str], set[str]]:
        return (
            set(self.query_one("#share-coaches", ChoiceList).value or []),
            set(self.query_one("#share-standing", ChoiceList).value or []),
        )

    def commit(self, values: tuple[set[str], set[str]]) -> list[str]:
        chosen, standing = values
        service = self.service
        for login in sorted(standing - self.standing):
            service.share_template(self.template.id, login)
        for login in sorted(self.standing - standing):
            service.unshare_template(self.template.id, login)
        current = set(service.get(self.row["id"])["shared_with"])
        for login in sorted((chosen | standing) - current):
            service.share(self.row["id"], login)
        for login in sorted(current - chosen - standing):
            service.unshare(self.row["id"], login)
        return sorted(chosen | standing)

    def saved(self, coaches: list[str]) -> None:
        names = {m.login: m.name for m in self.coaches}
        if coaches:
            self.app.notify(
                f"Shared with {', '.join(names.get(c, c) for c in coaches)}.", markup=False
            )
        else:
            self.app.notify("Private to you again.", markup=False)
