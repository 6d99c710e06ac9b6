"""Build or edit a survey: details, audience, dates, and its questions."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from plc_tui.api import Context, PLCError, ValidationError, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import save_in_background
from plc_tui.widgets.choice_list import ChoiceList
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.line_input import LineInput

from ..conditions import describe as describe_condition
from ..definition import DEFAULT_THRESHOLD, ROLES, export_definition, section_of
from ..question_types import value_words
from ..service import Surveys
from .question_modal import QuestionModal

ROLE_LABELS = {"admin": "Admins", "coach": "Coaches", "teacher": "Teachers"}


class QuestionList(OptionList):
    """The survey's questions; keys to add, edit, remove and reorder."""

    BINDINGS = [
        Binding("a", "screen.add_question", "Add"),
        Binding("d,delete", "screen.remove_question", "Remove"),
        Binding("u", "screen.undo_remove", "Undo remove", show=False),
        Binding("shift+up,minus", "screen.move_question(-1)", "Move up", show=False),
        Binding("shift+down,plus", "screen.move_question(1)", "Move down", show=False),
        Binding("s", "screen.edit_section", "Section"),
    ]


class BuilderScreen(Screen[None]):
    CSS_PATH = "../surveys.tcss"
    TITLE = "Survey builder"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft"),
        Binding("ctrl+o", "save_and_open", "Save & open"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, ctx: Context, survey_id: int | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Surveys(ctx)
        self.survey_id = survey_id
        self.teams = ctx.community.teams()
        self.questions: list[dict[str, Any]] = []
        # Each section's description, score and condition (kept by title).
        self.sections: list[dict[str, Any]] = []
        self.start: dict[str, Any] = {}
        if survey_id is not None:
            self.start = export_definition(
                self.service.get(survey_id), {t.id: t.name for t in self.teams}
            )
            stored = self.service.get(survey_id)
            self.questions = stored["questions"]
            self.sections = [dict(info) for info in stored.get("sections") or []]
        # Removed questions, newest last, to undo: (place, question, conditions on it).
        self._removed: list[tuple[int, dict[str, Any], dict[str, Any]]] = []

    def compose(self) -> ComposeResult:
        s = self.start
        yield Header()
        with VerticalScroll(id="builder-body"):
            if self.survey_id is None:
                yield Label("Start from")
                yield Select(
                    [(plain(t.title), t.id) for t in self.service.templates()],
                    prompt="A blank survey",
                    id="b-template",
                )
            yield Label("Title")
            yield LineInput(
                s.get("title", ""),
                id="b-title",
                max_length=120,
                placeholder="e.g. Spring needs survey",
            )
            yield Label("Description (shown to people before they answer)")
            yield LineInput(s.get("description", ""), id="b-description", max_length=1000)
            with Horizontal(classes="b-row"):
                yield ChoiceList.toggle("Anonymous", s.get("anonymous", True), id="b-anonymous")
                yield Label("Show results from")
                yield LineInput(
                    str(s.get("threshold", DEFAULT_THRESHOLD)),
                    id="b-threshold",
                    type="integer",
                    max_length=5,
                    classes="b-short",
                )
                yield Label("people")
            with Horizontal(classes="b-row"):
                yield Label("Opens")
                yield LineInput(
                    s.get("opens") or "", id="b-opens", placeholder="YYYY-MM-DD", classes="b-date"
                )
                yield Label("Closes")
                yield LineInput(
                    s.get("closes") or "", id="b-closes", placeholder="YYYY-MM-DD", classes="b-date"
                )
            yield Label("Who is asked: pick teams and roles (none picked = everyone)")
            chosen_teams = {t.casefold() for t in s.get("audience", {}).get("teams", [])}
            chosen_roles = set(s.get("audience", {}).get("roles", []))
            with Horizontal(id="b-audience"):
                with VerticalScroll(id="b-teams-box", can_focus=False):
                    yield ChoiceList(
                        [(t.name, t.id) for t in self.teams],
                        [t.id for t in self.teams if t.name.casefold() in chosen_teams],
                        multiple=True,
                        id="b-teams",
                    )
                yield ChoiceList(
                    [(ROLE_LABELS[r], r) for r in ROLES],
                    [r for r in ROLES if r in chosen_roles],
                    multiple=True,
                    id="b-roles",
                )
            yield Label("Questions: a adds, enter edits, d removes, shift+↑/↓ moves, s section")
            yield QuestionList(id="b-questions")
            yield Static(id="b-error")
            with Horizontal(id="b-buttons"):
                yield Button("Add question", id="b-add")
                yield Button("Save draft", id="b-save", variant="primary")
                yield Button("Save & open", id="b-open", variant="success")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        self._render_questions()
        self.query_one("#b-title", Input).focus()
        # What the builder holds once shown: leaving asks only if it changed.
        self.call_after_refresh(self._remember_loaded)

    def _remember_loaded(self) -> None:
        try:
            self._loaded: dict[str, Any] | None = self.definition()
        except PLCError:
            self._loaded = None

    # -- questions -----------------------------------------------------------------

    def _render_questions(self, highlight: int | None = None) -> None:
        # The questions changed: an error from the last save may no longer hold, and
        # the next save checks them again.
        self.query_one("#b-error", Static).update("")
        listing = self.query_one("#b-questions", QuestionList)
        listing.clear_options()
        if not self.questions:
            listing.add_option(
                Option(plain("No questions yet: press a to add one."), disabled=True)
            )
            return
        numbers = {q["id"]: n for n, q in enumerate(self.questions, 1)}
        for n, q in enumerate(self.questions, 1):
            kind = self.service.types.get(q["type"])
            about = [kind.label if kind else q["type"]]
            if not q["required"]:
                about.append("optional")
            if q.get("section"):
                info = section_of({"sections": self.sections}, q["section"])
                marks = [
                    w
                    for w, on in (
                        ("scored", info.get("score")),
                        ("conditional", info.get("show_if")),
                    )
                    if on
                ]
                about.append(q["section"] + (f" ({', '.join(marks)})" if marks else ""))
            if q.get("show_if"):
                names = {qid: f"question {n}" for qid, n in numbers.items()}
                say = value_words(self.questions, self.service.types)
                about.append(f"asked if {describe_condition(q['show_if'], names, say)}")
            line = Text(f"{n:>2}. {one_line(q['text'])}\n")
            line.append(f"    {' · '.join(about)}", style="dim")
            listing.add_option(Option(line))
        if highlight is not None:
            listing.highlighted = highlight

    def _selected(self) -> int | None:
        index = self.query_one("#b-questions", QuestionList).highlighted
        return index if index is not None and index < len(self.questions) else None

    def action_add_question(self) -> None:
        self._edit(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.questions:
            self._edit(event.option_index)

    def _edit(self, index: int | None) -> None:
        position = len(self.questions) if index is None else index
        existing = self.questions[index] if index is not None else None
        ids = {q["id"] for q in self.questions}
        number = position + 1
        if existing is None:
            while f"q{number}" in ids:
                number += 1

        def done(question: dict[str, Any] | None) -> None:
            if question is None:
                return
            if index is None:
                self.questions.append(question)
            else:
                self.questions[index] = question
            self._render_questions(highlight=position)

        self.app.push_screen(
            QuestionModal(self.service.types, self.questions[:position], existing, number), done
        )

    def action_remove_question(self) -> None:
        index = self._selected()
        if index is None:
            return
        removed = self.questions.pop(index)
        conditions = {
            q["id"]: q.pop("show_if")
            for q in self.questions
            if q.get("show_if", {}).get("question") == removed["id"]
        }
        self._removed.append((index, removed, conditions))
        self._render_questions(
            highlight=min(index, len(self.questions) - 1) if self.questions else None
        )
        note = (
            f" {len(conditions)} question(s) that depended on it are now always asked."
            if conditions
            else ""
        )
        title = one_line(removed["text"], 40)
        self.notify(f"Removed question {index + 1}: {title}.{note} Press u to undo.", markup=False)

    def action_undo_remove(self) -> None:
        if not self._removed:
            self.notify("Nothing to undo.", markup=False)
            return
        index, question, conditions = self._removed.pop()
        self.questions.insert(min(index, len(self.questions)), question)
        for q in self.questions:
            if q["id"] in conditions:
                q["show_if"] = conditions[q["id"]]
        self._render_questions(highlight=index)
        self.notify(f"Question {index + 1} is back.", markup=False)

    def action_move_question(self, step: int) -> None:
        index = self._selected()
        if index is None or not 0 <= index + step < len(self.questions):
            return
        q = self.questions
        q[index], q[index + step] = q[index + step], q[index]
        self._render_questions(highlight=index + step)

    # -- templates ------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "b-template" or event.value in (Select.NULL, None):
            return
        template = next(t for t in self.service.templates() if t.id == event.value)
        typed = self.questions or any(
            self.query_one(f"#{box}", Input).value.strip() for box in ("b-title", "b-description")
        )
        if not typed:
            self._use_template(template)
            return

        ask(
            self,
            "Replace what you typed?",
            f"{template.title} brings its own title, description and questions; "
            "what you typed there and your questions are replaced.",
            confirm="Use the template",
            then=lambda: self._use_template(template),
        )

    def _use_template(self, template: Any) -> None:
        try:
            parsed = self.service.parse(template.body)
        except PLCError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.questions = parsed["questions"]
        self.sections = [dict(info) for info in parsed.get("sections") or []]
        self.query_one("#b-title", Input).value = parsed["title"]
        self.query_one("#b-description", Input).value = parsed["description"]
        self.query_one("#b-anonymous", ChoiceList).value = [True] if parsed["anonymous"] else []
        self.query_one("#b-threshold", Input).value = str(parsed["threshold"])
        self._render_questions()
        self.notify(f"Loaded {len(self.questions)} questions from {template.title}.", markup=False)

    # -- saving ----------------------------------------------------------------------

    def definition(self) -> dict[str, Any]:
        threshold_text = self.query_one("#b-threshold", Input).value.strip()
        try:
            threshold = int(threshold_text) if threshold_text else DEFAULT_THRESHOLD
        except ValueError:
            raise ValidationError("the results threshold must be a whole number.") from None
        return {
            "title": self.query_one("#b-title", Input).value,
            "description": self.query_one("#b-description", Input).value,
            "anonymous": self.query_one("#b-anonymous", ChoiceList).is_on,
            "threshold": threshold,
            "audience": {
                "teams": self.query_one("#b-teams", ChoiceList).value,
                "roles": self.query_one("#b-roles", ChoiceList).value,
            },
            "opens": self.query_one("#b-opens", Input).value.strip() or None,
            "closes": self.query_one("#b-closes", Input).value.strip() or None,
            **self._questions_layout(),
        }

    def _questions_layout(self) -> dict[str, Any]:
        """The questions, grouped in sections where any section has more than a
        title (a description, a score, a condition), so none of it is lost."""
        questions = [dict(q) for q in self.questions]
        infos = {info["title"]: info for info in self.sections}
        if not any(set(info) - {"title"} for info in infos.values()):
            return {"questions": questions}
        groups: list[dict[str, Any]] = []
        for q in questions:
            title = q.pop("section", "") or ""
            if not groups or groups[-1]["title"] != title:
                info = infos.get(title, {"title": title})
                groups.append({**info, "questions": []})
            groups[-1]["questions"].append(q)
        return {"sections": groups}

    def action_edit_section(self) -> None:
        index = self._selected()
        if index is None:
            return
        title = self.questions[index].get("section") or ""
        if not title:
            self.notify(
                "This question is in no section: edit it (enter) and give it one first.",
                markup=False,
            )
            return
        from .section_modal import SectionModal

        def done(info: dict[str, Any] | None) -> None:
            if info is None:
                return
            for q in self.questions:
                if q.get("section") == title:
                    q["section"] = info["title"]
            self.sections = [s for s in self.sections if s["title"] not in (title, info["title"])]
            self.sections.append(info)
            self._render_questions(highlight=index)

        names = {q["id"]: f"question {n}" for n, q in enumerate(self.questions, 1)}
        said = value_words(self.questions, self.service.types)
        info = section_of({"sections": self.sections}, title)
        asked = describe_condition(info["show_if"], names, said) if info.get("show_if") else ""
        self.app.push_screen(SectionModal(info, asked), done)

    def _not_saved(self, exc: PLCError) -> None:
        message = self._by_number(exc.message)
        message = message[0].upper() + message[1:]
        self.query_one("#b-error", Static).update(plain(message, style="bold red"))
        self.notify(message, severity="error", markup=False)

    def _by_number(self, message: str) -> str:
        """A definition's errors name a question by its id ("question q7 text cannot
        be empty"), which the builder never shows: name it by its number here."""
        numbers = {q.get("id"): n for n, q in enumerate(self.questions, 1)}

        def number(match: re.Match[str]) -> str:
            n = numbers.get(match.group(1))
            return match.group(0) if n is None else f"question {n}"

        return re.sub(r"\bquestion ([A-Za-z0-9_-]+)(?=[ :])", number, message)

    def _save(self, *, open_after: bool = False) -> None:
        """Save in a worker (a wait for the lock never freezes the builder), then say so."""
        try:
            definition = self.definition()
        except PLCError as exc:
            self._not_saved(exc)
            return
        known = self.survey_id

        def work() -> tuple[int, PLCError | None]:
            if known is None:
                sid = self.service.create(definition)
            else:
                self.service.update(known, definition)
                sid = known
            if not open_after:
                return sid, None
            try:
                self.service.open(sid)
            except PLCError as exc:  # saved, but not opened: keep the id all the same
                return sid, exc
            return sid, None

        def done(result: tuple[int, PLCError | None]) -> None:
            sid, open_error = result
            self.survey_id = sid
            self.query_one("#b-error", Static).update("")
            self._remember_loaded()
            if open_error is not None:
                self.notify(open_error.message, severity="error", markup=False)
            elif open_after:
                self.notify(f"Survey {sid} is open for answers.", markup=False)
                self.dismiss()
            else:
                self.notify(
                    f"Saved as draft survey {sid}.{self._passed_note(definition)}", markup=False
                )

        save_in_background(self, work, done, failed=self._not_saved)

    def _passed_note(self, definition: dict[str, Any]) -> str:
        """A draft may keep a closing date that has passed (it is only a draft), but
        it cannot open so: say it when saving, not only when opening."""
        closes = definition.get("closes")
        if closes and closes < self.ctx.today().isoformat():
            return f" Its closing date ({closes}) has passed: set a later one to open it."
        return ""

    def action_save(self) -> None:
        self._save()

    def action_save_and_open(self) -> None:
        try:
            definition = self.definition()
        except PLCError as exc:
            self._not_saved(exc)
            return
        closes = definition.get("closes")
        if self._passed_note(definition):
            self._not_saved(
                PLCError(f"the closing date ({closes}) has passed; set a later one to open it.")
            )
            return
        ask(
            self,
            "Save and open this survey?",
            "The people it asks can answer it at once"
            + (f", until {closes}." if closes else ", with no closing date: close it with x.")
            + " Its questions cannot change once someone has answered.",
            confirm="Open survey",
            then=lambda: self._save(open_after=True),
        )

    def _unchanged(self) -> bool:
        try:
            return self.definition() == self._loaded
        except PLCError:
            return False

    def action_leave(self) -> None:
        if self._unchanged():
            self.dismiss()
            return

        ask(
            self,
            "Leave without saving?",
            "Your changes to this survey will be lost.",
            confirm="Leave",
            then=lambda: self.dismiss(),
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "b-add":
            self.action_add_question()
        elif event.button.id == "b-save":
            self.action_save()
        elif event.button.id == "b-open":
            self.action_save_and_open()
