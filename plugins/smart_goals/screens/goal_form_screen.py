"""Write or edit a goal, with the SMART check updating beside the form as you type."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Label, Select, Static

from plc_tui.api import Context, PLCError, ValidationError, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background, save_in_background
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.line_input import LineInput
from plc_tui.widgets.text_box import TextBox

from ..model import person_login
from ..service import Goals

# (section, field, label, placeholder)
FIELDS = [
    ("specific", "what", "Specific: what will improve", "Reading comprehension at grade level"),
    ("specific", "for_whom", "…for whom", "All Grade 3 students, focus on the 14 below"),
    ("measurable", "metric", "Measurable: metric", "Students at or above benchmark"),
    ("measurable", "baseline", "Baseline", "62"),
    ("measurable", "target", "Target", "80"),
    ("measurable", "unit", "Unit", "%"),
    ("measurable", "data_source", "Data source", "Winter and spring benchmark"),
    ("ambitious", "why_stretch", "Ambitious: why it is a stretch", "Our best year was 71%"),
    ("ambitious", "data", "…which student data it came from", "Fall benchmark: 62% at benchmark"),
    ("reflective", "how", "Reflective: how the team reflects", "Look at running records together"),
    ("reflective", "when", "…and when", "Every other PLC meeting"),
    ("timely", "start", "Timely: start (YYYY-MM-DD)", "2026-09-08"),
    ("timely", "deadline", "Deadline", "2027-05-21"),
    (
        "timely",
        "checkpoints",
        "Review checkpoints (dates, comma-separated)",
        "2026-12-11, 2027-03-05",
    ),
]


SECTION_LETTER = {
    "specific": "S",
    "measurable": "M",
    "ambitious": "A",
    "reflective": "R",
    "timely": "T",
}


def _input_id(section: str, field: str) -> str:
    return f"f-{section}-{field}"


class GoalFormScreen(Screen[None]):
    CSS_PATH = "../goals.tcss"
    TITLE = "Write a SMART goal"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "leave", "Cancel"),
    ]

    def __init__(self, ctx: Context, goal_id: int | None = None, team: str | None = None) -> None:
        """``team``: the team a new goal starts in (the one highlighted on the board)."""
        super().__init__()
        if goal_id is not None:
            self.title = "Edit a SMART goal"
        self.team_hint = team
        self.ctx = ctx
        self.service = Goals(ctx)
        self.goal_id = goal_id
        member = ctx.member
        teams = ctx.community.teams()
        self.teams = [t for t in teams if member and (member.is_leader or member.in_team(t.id))]
        self.start: dict[str, Any] = self.service.export_goal(goal_id) if goal_id else {}
        # Each team's members, to pick owners by name: one read of the community,
        # grouped here (a district has 60 teams; one read each would be 60).
        everyone = ctx.community.members()
        self.everyone = everyone
        self.names = {m.login: m.name for m in everyone}
        self._focused_section = "specific"
        self.members = {t.id: [m for m in everyone if t.id in m.teams] for t in self.teams}

    def _owner_choices(self, team: Any) -> list[tuple[str, str]]:
        """The team's members by name; owners from elsewhere (a coach) stay listed."""
        members = [(m.name, m.login) for m in self.members.get(team, [])]
        known = {login for _, login in members}
        others = [o for o in self.start.get("owners") or [] if o not in known]
        return members + [(f"{self.names.get(o, o)} (not in this team)", o) for o in others]

    def compose(self) -> ComposeResult:
        s = self.start
        yield Header()
        with Horizontal(id="form-row"):
            # Only the fields take focus: tab should never stop on a container.
            with VerticalScroll(id="goal-form", can_focus=False):
                if self.goal_id is None:
                    yield Label("Start from a template (optional)")
                    yield Select(
                        [(plain(t.title), t.id) for t in self.service.templates()],
                        prompt="A blank goal",
                        id="f-template",
                    )
                yield Label("Team")
                member = self.ctx.member
                own = [t.id for t in self.teams if member and member.in_team(t.id)]
                wanted = s.get("team") or self.team_hint
                current = next(
                    (t.id for t in self.teams if t.name == wanted or t.id == wanted),
                    own[0] if own else self.teams[0].id if self.teams else Select.NULL,
                )
                yield Select(
                    [(plain(t.name), t.id) for t in self.teams],
                    value=current,
                    allow_blank=not self.teams,
                    id="f-team",
                )
                yield Label("Title")
                yield LineInput(
                    s.get("title", ""),
                    id="f-title",
                    max_length=120,
                    placeholder="e.g. Grade 3 reading: 62% → 80% at benchmark by May",
                )
                for section, field, label, placeholder in FIELDS:
                    value = (s.get(section) or {}).get(field)
                    if field == "checkpoints":
                        value = ", ".join(value or [])
                    yield Label(label)
                    yield LineInput(
                        "" if value is None else str(value),
                        id=_input_id(section, field),
                        placeholder=f"e.g. {placeholder}",
                    )
                yield Label("Owners (space ticks a name)")
                yield ChoiceList(
                    self._owner_choices(current),
                    s.get("owners") or [],
                    multiple=True,
                    id="f-owners",
                )
                share = s.get("consensus_share", 1)
                yield Label("Agreement needed: % of the team (50-100)")
                yield LineInput(
                    f"{round(float(share) * 100)}",
                    id="f-share",
                    type="integer",
                    placeholder="e.g. 100",
                )
                yield Label(
                    "Action steps, one a line: what | who | due date; [x] first when done",
                    markup=False,
                )
                yield TextBox(
                    self._actions_text(s.get("actions") or []),
                    placeholder="e.g. Small-group guided reading daily | Ana Lopez | 2026-12-11",
                    id="f-actions",
                )
                yield Label("Evidence: links or notes, one a line")
                yield TextBox(
                    "\n".join(e["text"] for e in s.get("evidence") or []),
                    placeholder="e.g. Benchmark results, shared drive > Grade 3 > Winter",
                    id="f-evidence",
                )
                yield Static(id="f-error")
            with VerticalScroll(id="checker-panel", can_focus=False):
                yield Static(id="checker")
        yield Footer()

    def _actions_text(self, actions: list[dict[str, Any]]) -> str:
        """Action steps as the lines the person edits, owners by name."""
        return "\n".join(
            ("[x] " if a.get("done") else "")
            + " | ".join(
                str(v or "")
                for v in (
                    a.get("text"),
                    self.names.get(a.get("owner") or "", a.get("owner")),
                    a.get("due"),
                )
            ).rstrip(" |")
            for a in actions
        )

    def _owner_login(self, typed: str) -> str:
        """The login a typed owner names, teammates first; as typed when no one matches."""
        team = self.query_one("#f-team", Select).value
        for people in (self.members.get(team, []), self.everyone):
            try:
                login = person_login(typed, people)
            except ValidationError:
                return typed
            if login:
                return login
        return typed

    def _owner_problem(self, actions: list[dict[str, Any]]) -> str | None:
        """What is wrong with an action step's owner, in the form's own words."""
        for n, step in enumerate(actions, start=1):
            owner = step.get("owner")
            if not owner or owner in self.names:
                continue
            try:
                person_login(owner, self.everyone)
            except ValidationError as exc:
                return f"Action step {n}: {exc.message}"
            return (
                f"Action step {n}: no member is called {owner!r}. "
                "Type a teammate's name (or login) after the first |."
            )
        return None

    @reports_errors
    def on_mount(self) -> None:
        self._loaded = self.form()
        self.update_checker()
        self.query_one("#f-title", Input).focus()

    # -- the form as data -----------------------------------------------------------

    def form(self) -> dict[str, Any]:
        team = self.query_one("#f-team", Select).value
        raw: dict[str, Any] = {
            "team": team if team is not Select.NULL else "",
            "title": self.query_one("#f-title", Input).value,
        }
        for section, field, _, _ in FIELDS:
            value: Any = self.query_one(f"#{_input_id(section, field)}", Input).value.strip()
            if field == "checkpoints":
                value = [v.strip() for v in value.split(",") if v.strip()]
            elif value == "":
                continue
            raw.setdefault(section, {})[field] = value
        raw["owners"] = self.query_one("#f-owners", ChoiceList).value
        actions = []
        for line in self.query_one("#f-actions", TextBox).text.splitlines():
            line = line.strip()
            if not line:
                continue
            done = line.lower().startswith("[x]")
            parts = [p.strip() for p in line[3 if done else 0 :].split("|")]
            step: dict[str, Any] = {"text": parts[0], "done": done}
            if len(parts) > 1 and parts[1]:
                step["owner"] = self._owner_login(parts[1])
            if len(parts) > 2 and parts[2]:
                step["due"] = parts[2]
            actions.append(step)
        raw["actions"] = actions
        raw["evidence"] = [
            {"text": line.strip()}
            for line in self.query_one("#f-evidence", TextBox).text.splitlines()
            if line.strip()
        ]
        share = self.query_one("#f-share", Input).value.strip()
        if share:
            # Shown as a percentage; stored as a share. Out-of-range values reach
            # the model's validation, which explains the limits.
            raw["consensus_share"] = int(share) / 100 if share.lstrip("-").isdigit() else share
        return raw

    def on_resize(self) -> None:
        # Below 100 columns the check beside the form left its boxes 45
        # columns wide; there it becomes two lines under the form instead.
        narrow = self.size.width < 100
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.update_checker()

    def on_descendant_focus(self, event: Any) -> None:
        section = (event.widget.id or "").split("-")
        if len(section) > 2 and section[0] == "f" and section[1] in SECTION_LETTER:
            self._focused_section = section[1]
            if self.has_class("-narrow"):
                self.update_checker()

    def update_checker(self, form: dict[str, Any] | None = None) -> None:
        results = self.service.check(form if form is not None else self.form())
        if self.has_class("-narrow"):
            self.query_one("#checker", Static).update(self._checker_strip(results))
            return
        text = Text("SMART check\n\n", style="bold")
        for letter in results:
            mark, style = ("✓", "bold green") if letter.met else ("✗", "bold red")
            text.append(f"{mark} {letter.letter} ", style=style)
            text.append(f"{letter.name}\n", style="bold" if not letter.met else "")
            if letter.hint:
                hint = one_line(letter.hint).removeprefix(f"{letter.name}: ")
                text.append(f"  {hint}\n", style="yellow")
        met = sum(1 for r in results if r.met)
        text.append(
            f"\n{met} of 5 met."
            + (" Ready for the team to agree." if met == 5 else " You can save and finish later."),
            style="dim",
        )
        self.query_one("#checker", Static).update(text)

    def _checker_strip(self, results: list[Any]) -> Text:
        """The check in two lines: every letter, then the hint that matters now.

        The hint is the focused part's when it is not met yet, else the first
        unmet letter's, so what to add next is always under the person's eyes.
        """
        text = Text("SMART ", style="bold")
        for letter in results:
            mark, style = ("✓", "bold green") if letter.met else ("✗", "bold red")
            text.append(f"{mark}{letter.letter} ", style=style)
        met = sum(1 for r in results if r.met)
        text.append(f" {met} of 5 met", style="dim")
        unmet = [r for r in results if not r.met]
        if not unmet:
            text.append("\nReady for the team to agree.", style="dim")
            return text
        focused = SECTION_LETTER.get(self._focused_section)
        first = next((r for r in unmet if r.letter == focused), unmet[0])
        hint = one_line(first.hint).removeprefix(f"{first.name}: ")
        text.append(f"\n{first.letter} {first.name}: ", style="bold")
        text.append(hint, style="yellow")
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        self.update_checker()

    def on_text_area_changed(self, event: TextBox.Changed) -> None:
        form = self.form()  # read once for the check and the owners
        self.update_checker(form)
        if event.text_area.id == "f-actions":
            # Say at once what is wrong with a step's owner, not only on save.
            problem = self._owner_problem(form["actions"])
            error = self.query_one("#f-error", Static)
            error.update(plain(problem or "", style="bold yellow"))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-template" and event.value is not Select.NULL:
            self._offer_template(str(event.value))
        if event.select.id == "f-team":
            self.query_one("#f-owners", ChoiceList).set_choices(self._owner_choices(event.value))
        self.update_checker()

    def _typed(self) -> bool:
        """Whether the person typed anything the form would lose."""
        return any(box.value.strip() and box.id != "f-share" for box in self.query(Input)) or any(
            area.text.strip() for area in self.query(TextBox)
        )

    def _offer_template(self, template_id: str) -> None:
        if not self._typed():
            self.load_template(template_id)
            return

        ask(
            self,
            "Replace what you typed?",
            "The template fills in the title, the SMART parts and the action steps; "
            "what you typed there is replaced.",
            confirm="Use the template",
            then=lambda: self.load_template(template_id),
        )

    def action_leave(self) -> None:
        if self.form() == self._loaded:  # nothing changed: nothing to lose
            self.dismiss()
            return

        ask(
            self,
            "Leave without saving?",
            "What you typed in this goal will be lost.",
            confirm="Leave",
            then=lambda: self.dismiss(),
        )

    def load_template(self, template_id: str) -> None:
        team = self.query_one("#f-team", Select).value
        load_in_background(
            self,
            lambda: self.service.template_draft(
                template_id, None if team is Select.NULL else str(team)
            ),
            self._fill,
        )

    def _fill(self, draft: dict[str, Any]) -> None:
        self.query_one("#f-title", Input).value = draft.get("title", "")
        for section, field, _, _ in FIELDS:
            value = (draft.get(section) or {}).get(field)
            if field == "checkpoints":
                value = ", ".join(value or [])
            self.query_one(f"#{_input_id(section, field)}", Input).value = (
                "" if value is None else str(value)
            )
        self.query_one("#f-actions", TextBox).text = self._actions_text(draft.get("actions") or [])
        self.notify("Template loaded: fill in your team's numbers and dates.", markup=False)

    # -- saving -----------------------------------------------------------------------

    def action_save(self) -> None:
        form = self.form()
        problem = self._owner_problem(form["actions"])
        if problem:
            self._not_saved(PLCError(problem))
            return
        unmet = [r.name for r in self.service.check(form) if not r.met]
        later = (
            f" It is not SMART yet ({', '.join(unmet)}): the team can agree once all five are met."
            if unmet
            else ""
        )
        if self.goal_id is None:

            def work() -> str:
                gid = self.service.add(form)
                if later:
                    return f"Proposed goal {gid}, saved as it is.{later}"
                return f"Proposed goal {gid}: your team can now read it and agree."

        else:
            # The revision it was loaded at: a teammate's change meanwhile is
            # merged in, or the save is refused and the form keeps what was typed.
            edited = {**form, "revision": self.start.get("revision")}

            def work() -> str:
                self.service.update(self.goal_id, edited, base=self.start)
                return f"Goal saved.{later}"

        save_in_background(self, work, self._saved, failed=self._not_saved)

    def _saved(self, message: str) -> None:
        self.notify(message, markup=False)
        self.dismiss()

    def _not_saved(self, exc: PLCError) -> None:
        text = exc.message[0].upper() + exc.message[1:]
        self.query_one("#f-error", Static).update(plain(text, style="bold red"))
        self.notify(text, severity="error", markup=False)
