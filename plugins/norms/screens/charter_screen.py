"""One team's norms: the charter by category and who agreed to it, the open
proposals with their votes and comments, and the way to the norms check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from plc_tui.api import Context, Tally, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import (
    load_in_background,
    open_in_background,
    save_in_background,
)
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.save_file_modal import save_to_file
from plc_tui.widgets.table_cursor import cursor_key, highlighted_key, restore_cursor

from ..model import CATEGORIES, category_name
from ..service import Norms

KIND_WORDS = {"add": "new", "edit": "change", "remove": "remove", "rule": "rule"}


def share_words(share: float) -> str:
    return "everyone agrees" if share >= 1 else f"{round(share * 100)}% agree, no objection"


def category_order(norms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Norms grouped by category: the seed's categories first, then the team's own."""
    known = list(CATEGORIES)
    return sorted(
        norms,
        key=lambda n: (
            known.index(n["category"]) if n["category"] in known else len(known),
            category_name(n["category"]).casefold(),
            n["id"],
        ),
    )


def names_of(logins: Any, names: dict[str, str]) -> str:
    return ", ".join(names.get(login, login) for login in logins)


class CharterScreen(DataScreenMixin, Screen[None]):
    CSS_PATH = "../norms.tcss"
    TITLE = "Norms"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "read", "Read all", show=False),
        Binding("a", "agree", "Agree"),
        Binding("o", "object", "Object"),
        Binding("p", "propose", "Propose"),
        Binding("c", "comment", "Comment"),
        Binding("k", "check", "Norms check"),
        Binding("r", "results", "Results"),
        Binding("x", "close_check", "Close the check", show=False),
        Binding("e", "change", "Change norm", show=False),
        Binding("d", "remove", "Propose removal", show=False),
        Binding("w", "withdraw", "Withdraw proposal", show=False),
        Binding("t", "starters", "Starter norms", show=False),
        Binding("h", "history", "Versions", show=False),
        Binding("u", "rule", "Consensus rule", show=False),
        Binding("s", "export", "Export charter", show=False),
    ]

    def __init__(self, ctx: Context, team: str, *, then: str | None = None) -> None:
        """``then``: an action to run once shown (``"check"``, from the palette)."""
        super().__init__()
        self.ctx = ctx
        self.service = Norms(ctx)
        self.team_id = self.service.team(team).id
        self.view = self.service.view(self.team_id)
        self.then = then

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="charter-title", classes="screen-title")
        yield DataTable(id="charter", cursor_type="row")
        yield Static(id="charter-agreed")
        with VerticalScroll(id="charter-detail"):
            yield Static(id="charter-text")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        table = self.query_one("#charter", DataTable)
        table.add_column("Category", key="category")
        table.add_column("Norm", key="norm")
        table.add_column("Status", key="status")
        table.focus()
        self._show(self.view)
        if self.then:
            self.call_after_refresh(self.app.run_action, self.then, self)

    def on_resize(self) -> None:
        self._show(self.view)

    def refresh_data(self) -> None:
        load_in_background(self, lambda: self.service.view(self.team_id), self._show)

    # -- showing ---------------------------------------------------------------------

    def _show(self, view: dict[str, Any]) -> None:
        self.view = view
        charter = view["charter"]
        self.sub_title = view["team"]["name"]
        title = f"{view['team']['name']} · "
        title += f"norms version {charter['version']}" if charter["version"] else "no norms yet"
        title += f" · rule: {share_words(charter.get('share', 1.0))}"
        self.query_one("#charter-title", Static).update(plain(one_line(title)))

        table = self.query_one("#charter", DataTable)
        keep = cursor_key(table)
        table.clear()
        norm_width = max(20, self.app.size.width - 17 - 18 - 3)
        previous = None
        for norm in category_order(charter["norms"]):
            name = category_name(norm["category"])
            kept = view["kept"].get(norm["id"])
            status = (
                Text(f"kept {kept:.1f}/5", style="green" if kept >= 4 else "yellow")
                if kept is not None
                else Text("adopted", style="green")
            )
            table.add_row(
                plain(one_line(name, 15)) if name != previous else "",
                plain(one_line(norm["text"], norm_width)),
                status,
                key=f"n{norm['id']}",
            )
            previous = name
        for proposal in view["proposals"]:
            tally: Tally = proposal["tally"]
            kind = KIND_WORDS[proposal["kind"]]
            words = f"{kind}: {len(tally.agreed)}/{len(tally.members)} agree"
            style = "bold yellow" if tally.objections else "cyan"
            if tally.objections:
                count = len(tally.objections)
                words = f"{kind}: {count} objection{'' if count == 1 else 's'}"
            elif view["me"] in tally.waiting:
                words = f"{kind}: your vote"  # the count is in the detail below
            table.add_row(
                Text("Proposal", style="cyan"),
                plain(one_line(proposal["text"], norm_width)),
                Text(words, style=style),
                key=f"p{proposal['id']}",
            )
        restore_cursor(table, keep)
        if not getattr(self, "_placed", False):
            # First look: the cursor starts on what waits for this member's vote.
            self._placed = True
            waiting = next((p for p in view["proposals"] if view["me"] in p["tally"].waiting), None)
            if waiting is not None:
                table.move_cursor(row=table.get_row_index(f"p{waiting['id']}"))
        self._show_agreed()
        self._show_detail()
        self.refresh_bindings()

    def _show_agreed(self) -> None:
        view = self.view
        charter = view["charter"]
        names = view["names"]
        text = Text()
        if charter["version"]:
            agreed = [m for m in view["members"] if m not in view["waiting"]]
            text.append(f"Version {charter['version']} agreed by ", style="")
            text.append(names_of(agreed, names) or "no one yet")
            if view["waiting"]:
                text.append(" · not yet: ", style="bold yellow")
                text.append(names_of(view["waiting"], names))
                if view["me"] in view["waiting"]:
                    text.append(" (press a to agree)", style="bold")
        else:
            text.append("No adopted norms yet. ")
            text.append("p proposes one; t proposes the starter set to adapt.", style="bold")
        schedule = view["schedule"]
        if schedule:
            text.append("\n")
            current = schedule["open"]
            if current:
                rated = current["responses"]
                text.append(f"Norms check open until {current['closes']}, {rated} rated: ")
                text.append(
                    "you rated it (x closes it)." if current["answered"] else "press k to rate.",
                    style="" if current["answered"] else "bold",
                )
            elif schedule["due"] <= self.ctx.today().isoformat():
                text.append(f"Norms check due (every {schedule['weeks']} weeks): ")
                text.append("press k to start it.", style="bold")
            else:
                text.append(f"Next norms check due {schedule['due']}.")
        self.query_one("#charter-agreed", Static).update(text)

    def _selected(self) -> tuple[str, dict[str, Any]] | None:
        key = highlighted_key(self.query_one("#charter", DataTable))
        if not key:
            return None
        number = int(key[1:])
        if key[0] == "n":
            found = next((n for n in self.view["charter"]["norms"] if n["id"] == number), None)
            return ("norm", found) if found else None
        found = next((p for p in self.view["proposals"] if p["id"] == number), None)
        return ("proposal", found) if found else None

    def _proposal(self) -> dict[str, Any] | None:
        selected = self._selected()
        return selected[1] if selected and selected[0] == "proposal" else None

    def _norm(self) -> dict[str, Any] | None:
        selected = self._selected()
        return selected[1] if selected and selected[0] == "norm" else None

    def _show_detail(self) -> None:
        names = self.view["names"]
        selected = self._selected()
        text = Text()
        if selected is None:
            text.append("A norm is a commitment the whole team makes, like ")
            text.append("“We start and end on time.”", style="italic")
        elif selected[0] == "norm":
            norm = selected[1]
            text.append(norm["text"], style="bold")
            text.append(f"\n{category_name(norm['category'])} · norm {norm['id']}", style="dim")
            text.append(f" · since {norm.get('since', '?')}", style="dim")
            kept = self.view["kept"].get(norm["id"])
            if kept is not None:
                text.append(f"\nKept {kept:.1f} of 5 at the latest norms check (r: trend).")
            text.append(
                "\ne proposes new words, d its removal; the team agrees again.", style="dim"
            )
        else:
            proposal = selected[1]
            tally: Tally = proposal["tally"]
            text.append(proposal["text"], style="bold")
            what = {
                "add": "new norm",
                "edit": f"new words for norm {proposal['norm']}",
                "remove": f"remove norm {proposal['norm']}",
                "rule": "the consensus rule",
            }[proposal["kind"]]
            author = names.get(proposal["author"], proposal["author"])
            text.append(
                f"\nProposal {proposal['id']} · {what} · {category_name(proposal['category'])}"
                f" · by {author}, {proposal['created'][:10]}",
                style="dim",
            )
            text.append(f"\n{len(tally.agreed)} of {len(tally.members)} agreed, ")
            text.append(f"{tally.needed} needed.")
            if tally.agreed:
                text.append(f" Agreed: {names_of(tally.agreed, names)}.", style="dim")
            if tally.waiting:
                text.append(f" Not yet: {names_of(tally.waiting, names)}.", style="dim")
            for login, reason in tally.objections:
                text.append(f"\n{names.get(login, login)} objects: ", style="bold yellow")
                text.append(one_line(reason))
            for comment in proposal.get("comments", []):
                text.append(f"\n{names.get(comment['by'], comment['by'])}, {comment['date']}: ")
                text.append(comment["text"], style="italic")
        self.query_one("#charter-text", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_read()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer what the highlighted row and the member's place allow."""
        view = getattr(self, "view", None)
        if view is None:
            return True
        member = self.ctx.member
        may_edit = self.ctx.can("team.edit", team=self.team_id)
        proposal = self._proposal()
        has_norms = bool(view["charter"]["norms"])
        if action == "agree":
            if proposal is not None:
                return view["in_team"] and view["me"] not in proposal["tally"].agreed
            return view["me"] in view["waiting"]
        if action in ("object", "comment"):
            return proposal is not None and may_edit
        if action == "withdraw":
            return proposal is not None and (
                proposal["author"] == view["me"] or bool(member and member.is_leader)
            )
        if action in ("change", "remove"):
            return self._norm() is not None and may_edit
        if action in ("propose", "starters", "rule"):
            return may_edit
        if action == "check":
            return has_norms and view["in_team"]
        if action == "results":
            return has_norms
        if action == "close_check":
            schedule = view["schedule"]
            return bool(schedule and schedule["open"]) and may_edit
        if action == "history":
            return bool(view["charter"]["history"])
        return True

    # -- actions -----------------------------------------------------------------

    def action_read(self) -> None:
        """Focus the detail under the table, to scroll through every comment."""
        self.query_one("#charter-detail").focus()

    def _save(self, work: Callable[[], Any], said: Callable[[Any], str]) -> None:
        def done(result: Any) -> None:
            self.notify(said(result), markup=False)
            self.refresh_data()

        save_in_background(self, work, done)

    def action_agree(self) -> None:
        proposal = self._proposal()
        names = self.view["names"]
        if proposal is None:
            if self.view["me"] in self.view["waiting"]:
                self._save(
                    lambda: self.service.agree_to_charter(self.team_id),
                    lambda version: f"You agreed to version {version} of the norms.",
                )
            return

        def said(tally: Tally) -> str:
            if tally.reached:
                return "Adopted: the norms have a new version."
            return f"Thank you. {tally.summary(names)}"

        self._save(lambda: self.service.agree(proposal["id"]), said)

    def action_object(self) -> None:
        proposal = self._proposal()
        if proposal is None:
            return
        from plc_tui.widgets.reason_modal import ReasonModal

        def done(reason: str | None) -> None:
            if reason:
                self._save(
                    lambda: self.service.object(proposal["id"], reason),
                    lambda tally: "Your objection is recorded; the proposal stays open.",
                )

        self.app.push_screen(
            ReasonModal(
                "Why do you object?",
                f"“{one_line(proposal['text'], 120)}” Your reason is shown to the team.",
                placeholder="e.g. We cannot promise this on Fridays, when…",
            ),
            done,
        )

    def action_comment(self) -> None:
        proposal = self._proposal()
        if proposal is None:
            return
        from plc_tui.widgets.text_modal import TextModal

        self.app.push_screen(
            TextModal(
                "Comment on the proposal",
                f"“{one_line(proposal['text'], 150)}” The team sees your name with it.",
                save=lambda text: self.service.comment(proposal["id"], text),
                placeholder="e.g. Could we say 'within five minutes'?",
                said="Comment added.",
                save_label="Add comment",
            ),
            lambda _: self.refresh_data(),
        )

    def action_withdraw(self) -> None:
        proposal = self._proposal()
        if proposal is None:
            return
        ask(
            self,
            "Withdraw this proposal?",
            one_line(proposal["text"], 200),
            confirm="Withdraw",
            then=lambda: self._save(
                lambda: self.service.withdraw(proposal["id"]),
                lambda _: "The proposal is withdrawn.",
            ),
        )

    def action_propose(self) -> None:
        from .propose_modal import ProposeModal

        self.app.push_screen(ProposeModal(self.ctx, self.team_id), lambda _: self.refresh_data())

    def action_change(self) -> None:
        norm = self._norm()
        if norm is None:
            return
        from .propose_modal import ProposeModal

        self.app.push_screen(
            ProposeModal(self.ctx, self.team_id, norm=norm), lambda _: self.refresh_data()
        )

    def action_remove(self) -> None:
        norm = self._norm()
        if norm is None:
            return
        ask(
            self,
            "Propose removing this norm?",
            f"“{one_line(norm['text'], 200)}” It stays in the charter until the team agrees.",
            confirm="Propose removal",
            then=lambda: self._save(
                lambda: self.service.propose_removal(self.team_id, norm["id"]),
                lambda pid: f"Proposal {pid}: remove the norm. The team votes on it.",
            ),
        )

    def action_starters(self) -> None:
        from .starters_modal import StartersModal

        self.app.push_screen(
            StartersModal(self.ctx, self.team_id, self.view), lambda _: self.refresh_data()
        )

    def action_check(self) -> None:
        from .check_modal import CheckModal

        schedule = self.view["schedule"]
        current = schedule and schedule["open"]
        if current and current["answered"]:
            self.notify(
                f"You rated this check already; it is open until {current['closes']}. "
                "Press r for the results.",
                markup=False,
            )
            return
        self.app.push_screen(CheckModal(self.ctx, self.view), lambda _: self.refresh_data())

    def action_close_check(self) -> None:
        schedule = self.view["schedule"]
        current = schedule and schedule["open"]
        if not current:
            return
        ask(
            self,
            "Close the norms check now?",
            f"{current['responses']} of {len(self.view['members'])} have rated. No one can "
            "rate after this, and the team sees the results (where 3 or more rated).",
            confirm="Close the check",
            then=lambda: self._save(
                lambda: self.service.close_check(self.team_id),
                lambda _: "The norms check is closed; r shows the results.",
            ),
        )

    def action_results(self) -> None:
        from .check_results_screen import CheckResultsScreen

        open_in_background(self, lambda: CheckResultsScreen(self.ctx, self.team_id))

    def action_history(self) -> None:
        from .history_screen import HistoryScreen

        self.app.push_screen(HistoryScreen(self.view))

    def action_rule(self) -> None:
        from .rule_modal import RuleModal

        self.app.push_screen(
            RuleModal(self.ctx, self.team_id, self.view["charter"].get("share", 1.0)),
            lambda _: self.refresh_data(),
        )

    def action_export(self) -> None:
        name = "".join(c if c.isalnum() else "-" for c in self.view["team"]["name"].lower())
        save_to_file(
            self,
            "the norms charter",
            f"norms-{name.strip('-') or 'team'}.md",
            lambda: self.service.markdown(self.team_id),
        )
