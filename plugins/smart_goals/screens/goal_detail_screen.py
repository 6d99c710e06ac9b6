"""One goal: status and why, the progress chart, the SMART parts, consensus, actions."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from plc_tui.api import Context, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import (
    load_in_background,
    open_in_background,
    save_in_background,
)
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.messages import DataChanged

from ..chart import progress_plot
from ..service import Goals
from .goals_screen import STATUS_STYLE

PARTS = [
    ("Specific", "specific", [("what", "What"), ("for_whom", "For whom")]),
    (
        "Measurable",
        "measurable",
        [
            ("metric", "Metric"),
            ("baseline", "Baseline"),
            ("target", "Target"),
            ("unit", "Unit"),
            ("data_source", "Data source"),
        ],
    ),
    ("Ambitious", "ambitious", [("why_stretch", "Why a stretch"), ("data", "From the data")]),
    ("Reflective", "reflective", [("how", "How"), ("when", "When")]),
]


def consensus_text(goal: dict[str, Any], names: dict[str, str]) -> Text:
    """Where the team's agreement stands, in words: who agreed, who has not
    voted yet, and each objection with its author and reason."""
    consensus = goal["consensus"]
    members = len(consensus["members"])
    agreed = [names.get(m, m) for m in consensus["agreed"]]
    text = Text("Consensus  ", style="bold")
    if goal["state"] != "proposed":
        text.append(f"adopted on {goal.get('agreed_on') or '?'}", style="green")
        text.append(f" ({len(agreed)} of {members} agreed)", style="dim")
        return text
    if not agreed and not consensus["objections"]:
        text.append(f"no votes yet; {consensus['needed']} of {members} must agree. ")
        text.append("Press a to agree or o to object.", style="dim")
    else:
        text.append(f"{len(agreed)} of {members} agreed, {consensus['needed']} needed")
    if agreed:
        text.append(f"\n  Agreed: {', '.join(agreed)}", style="dim")
    waiting = [names.get(m, m) for m in consensus["waiting"]]
    if waiting and (agreed or consensus["objections"]):
        text.append(f"\n  Not voted yet: {', '.join(waiting)}", style="dim")
    for objection in consensus["objections"]:
        who = names.get(objection["member"], objection["member"])
        text.append(f"\n  {who} objects: ", style="bold yellow")
        text.append(one_line(objection["reason"]))
    if consensus["objections"]:
        text.append(
            "\n  The goal stays proposed until whoever objected agrees (a), or the "
            "goal is changed (e) and the team votes again.",
            style="dim",
        )
    return text


class ActionList(OptionList):
    BINDINGS = [Binding("space", "select", "Done / not done")]


class GoalDetailScreen(Screen[None]):
    CSS_PATH = "../goals.tcss"
    TITLE = "SMART goal"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("c", "check_in", "Check in"),
        Binding("a", "agree", "Agree"),
        Binding("o", "object", "Object"),
        Binding("e", "edit", "Edit"),
    ]

    def __init__(self, ctx: Context, goal_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Goals(ctx)
        self.goal_id = goal_id
        self.detail, self.names = self._read()

    def _read(self) -> tuple[dict[str, Any], dict[str, str]]:
        return self.service.detail(self.goal_id), self.service.names()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="goal-title", classes="screen-title")
        with VerticalScroll(id="goal-body"):
            yield Static(id="goal-status")
            yield Static(id="goal-consensus")
            yield Static(id="goal-chart")
            yield Static(id="goal-smart")
            yield Static(id="goal-parts")
            yield Static("Action steps (enter or space marks done)", classes="section-title")
            yield ActionList(id="goal-actions")
            yield Static(id="goal-checkins")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.detail.get("ended_year") is not None and action in (
            "check_in",
            "agree",
            "object",
            "edit",
        ):
            return False  # its school year ended: kept as it was
        state = self.detail["state"]
        if action in ("agree", "object"):
            return state == "proposed"
        if action == "check_in":
            return state != "proposed"
        return True

    @reports_errors
    def on_mount(self) -> None:
        self.render_detail()
        self.query_one("#goal-body").focus()

    @reports_errors
    def on_screen_resume(self) -> None:
        self.reload()

    @reports_errors
    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def on_resize(self) -> None:
        self.render_detail()

    def reload(self) -> None:
        load_in_background(self, self._read, self._show)

    def _show(self, data: tuple[dict[str, Any], dict[str, str]]) -> None:
        self.detail, self.names = data
        self.render_detail()
        self.refresh_bindings()

    def render_detail(self) -> None:
        d = self.detail
        names = self.names
        self.query_one("#goal-title", Static).update(plain(f"{d['title']} · {d['team']}"))

        status = Text()
        status.append(d["status"], style=STATUS_STYLE.get(d["status"], ""))
        status.append("  ")
        status.append("; ".join(one_line(r) for r in d.get("reasons") or [d["reason"]]))
        latest = d.get("latest")
        if latest:
            unit = (d.get("measurable") or {}).get("unit") or ""
            status.append(
                f"\nLatest {latest['value']:g}{unit} on {latest['date']}, "
                f"confidence {latest['confidence']}/5",
                style="dim",
            )
        owners = ", ".join(names.get(o, o) for o in d.get("owners") or []) or "no owner yet"
        status.append(f"\nOwners: {owners}", style="dim")
        self.query_one("#goal-status", Static).update(status)

        width = max(self.size.width - 6, 40)
        chart = progress_plot(d, d.get("checkins") or [], self.ctx.today(), width=width)
        self.query_one("#goal-chart", Static).update(chart)

        smart = Text("SMART check\n", style="bold")
        for letter in d["smart"]:
            mark, style = ("✓", "green") if letter["met"] else ("✗", "red")
            smart.append(f" {mark} ", style=style)
            smart.append(f"{letter['name']}")
            if letter["hint"]:  # a hint names its letter first ("Specific: say ...")
                hint = one_line(letter["hint"]).removeprefix(f"{letter['name']}: ")
                smart.append(f": {hint}", style="yellow")
            smart.append("\n")
        self.query_one("#goal-smart", Static).update(smart)

        blocks: list[Any] = []
        for title, key, fields in PARTS:
            section = d.get(key) or {}
            lines = Text(f"{title}\n", style="bold")
            for field, label in fields:
                value = section.get(field)
                if value not in (None, ""):
                    lines.append(f"  {label}: ", style="dim")
                    lines.append(one_line(value) + "\n")
            blocks.append(lines)
        timely = d.get("timely") or {}
        when = Text("Timely\n", style="bold")
        when.append(f"  {timely.get('start') or '?'} to {timely.get('deadline') or '?'}")
        checkpoints = timely.get("checkpoints") or []
        if checkpoints:
            when.append(f"; review on {', '.join(checkpoints)}")
        blocks.append(when)
        evidence = d.get("evidence") or []
        if evidence:
            ev = Text("\nEvidence\n", style="bold")
            for item in evidence:
                ev.append(f"  • {one_line(item['text'])}\n")
            blocks.append(ev)
        self.query_one("#goal-parts", Static).update(Group(*blocks))

        self.query_one("#goal-consensus", Static).update(consensus_text(d, names))

        actions = self.query_one("#goal-actions", ActionList)
        highlighted = actions.highlighted
        actions.clear_options()
        for step in d.get("actions") or []:
            box = "[x]" if step.get("done") else "[ ]"
            who = names.get(step.get("owner") or "", step.get("owner") or "")
            due = f", due {step['due']}" if step.get("due") else ""
            actions.add_option(Option(plain(f"{box} {one_line(step['text'], 60)} ({who}{due})")))
        if not d.get("actions"):
            actions.add_option(
                Option(plain("No action steps yet (add them with e)."), disabled=True)
            )
        elif highlighted is not None:
            actions.highlighted = min(highlighted, len(d["actions"]) - 1)

        history = Text("\nCheck-ins\n", style="bold")
        for entry in reversed(d.get("checkins") or []):
            who = names.get(entry.get("by") or "", entry.get("by") or "")
            history.append(
                f"  {entry['date']}  {entry['value']:>6g}  confidence {entry['confidence']}/5  "
            )
            history.append(f"{who}", style="dim")
            if entry.get("note"):
                history.append(f"\n      {one_line(entry['note'])}", style="italic")
            history.append("\n")
        if not d.get("checkins"):
            history.append("  None yet.\n", style="dim")
        self.query_one("#goal-checkins", Static).update(history)

    # -- actions --------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        steps = self.detail.get("actions") or []
        if event.option_index >= len(steps):
            return
        done = not steps[event.option_index].get("done")
        number = event.option_index + 1
        save_in_background(
            self,
            lambda: self.service.set_action_done(self.goal_id, number, done),
            lambda _step: self.reload(),
        )

    def action_check_in(self) -> None:
        from .checkin_modal import CheckInModal

        open_in_background(
            self, lambda: CheckInModal(self.ctx, self.goal_id), lambda _: self.reload()
        )

    def action_agree(self) -> None:
        def agreed(tally: Any) -> None:
            note = "The team agreed: the goal is active." if tally.reached else "Thank you."
            self.notify(f"{note} {tally.summary(self.names)}", markup=False)
            self.reload()

        save_in_background(self, lambda: self.service.agree(self.goal_id), agreed)

    def action_object(self) -> None:
        from plc_tui.widgets.reason_modal import ReasonModal

        def recorded(_tally: Any) -> None:
            self.notify("Your objection is recorded; the goal stays proposed.", markup=False)
            self.reload()

        def done(reason: str | None) -> None:
            if reason:
                save_in_background(
                    self, lambda: self.service.object(self.goal_id, reason), recorded
                )

        self.app.push_screen(
            ReasonModal(
                "Why do you object?",
                "Your reason is shown to the team.",
                placeholder="e.g. The target ignores…",
            ),
            done,
        )

    def action_edit(self) -> None:
        from .goal_form_screen import GoalFormScreen

        open_in_background(self, lambda: GoalFormScreen(self.ctx, self.goal_id))
