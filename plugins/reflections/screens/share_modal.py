"""Share a reflection with coaches, or stop: sealed again to whoever is chosen."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Label

from plc_tui.api import Context
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.form_modal import FormModal

from ..service import Reflections


class ShareModal(FormModal[tuple[list[str], list[str]]]):
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
            "A coach you choose can read and comment. Unchoose one to stop: what you "
            "wrote is sealed again without them.",
        )

    def compose_fields(self) -> ComposeResult:
        yield Label("This reflection:")
        yield ChoiceList(
            [(m.name, m.login) for m in self.coaches],
            list(self.row["shared_with"]),
            multiple=True,
            filterable=len(self.coaches) > 9,
            id="share-coaches",
        )
        yield Label(f"Every {self.template.title} of yours, past and to come:")
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

    def commit(self, values: tuple[set[str], set[str]]) -> tuple[list[str], list[str]]:
        """Whole templates first (a coach added there reads every one, this one
        too; one removed there reads none of them), then this reflection exactly
        as chosen above, so unchoosing a coach here always makes it private to them."""
        chosen, standing = values
        service = self.service
        added = standing - self.standing
        for login in sorted(added):
            service.share_template(self.template.id, login)
        for login in sorted(self.standing - standing):
            service.unshare_template(self.template.id, login)
        wanted = chosen | added
        current = set(service.get(self.row["id"])["shared_with"])
        for login in sorted(wanted - current):
            service.share(self.row["id"], login)
        for login in sorted(current - wanted):
            service.unshare(self.row["id"], login)
        return sorted(wanted), sorted(standing)

    def saved(self, result: tuple[list[str], list[str]]) -> None:
        coaches, standing = result
        names = {m.login: m.name for m in self.coaches}
        said = (
            f"This reflection is shared with {', '.join(names.get(c, c) for c in coaches)}."
            if coaches
            else "This reflection is private to you."
        )
        if standing != sorted(self.standing):
            every = ", ".join(names.get(c, c) for c in standing) or "no one"
            said += f" Every {self.template.title}: {every}."
        self.app.notify(said, markup=False)
