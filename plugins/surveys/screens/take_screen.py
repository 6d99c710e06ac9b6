"""Answering a survey: one question a page, drafts saved as you go, review, submit."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, ProgressBar, Static

from plc_tui.api import Context, PLCError, ValidationError, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import is_saving, save_in_background
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.keys import settled
from plc_tui.widgets.messages import AnswerChanged

from ..definition import section_of, shown_questions
from ..question_types import OTHER, describe_answer, grid_missing, no_answer
from ..service import Surveys

SAVE_DELAY = 1.5


class TakeSurveyScreen(Screen[None]):
    CSS_PATH = "../surveys.tcss"
    TITLE = "Answer a survey"
    BINDINGS = [
        # Priority, and each action first waits for the entry to handle the keys
        # typed before it (plc_tui.widgets.keys): a burst stays in order.
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+s", "submit", "Submit", priority=True),  # offered on the review page
        Binding("ctrl+b", "back", "Back", priority=True),
        Binding("ctrl+r", "review", "Review", priority=True),
        Binding("escape", "leave", "Save & leave", priority=True),
        Binding("pageup", "scroll_body('page_up')", "Scroll up", show=False),
        Binding("pagedown", "scroll_body('page_down')", "Scroll down", show=False),
    ]

    def __init__(self, ctx: Context, survey_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Surveys(ctx)
        self.survey = self.service.get(survey_id)
        self.answers: dict[str, Any] = self.service.draft(survey_id)
        self.resume_at = self.service.draft_place(survey_id) if self.answers else None
        self.page = 0
        self.reviewing = False
        self._missing: list[int] = []  # on the review page: required questions unanswered
        self._dirty = False
        self._save_timer: Any = None
        self._widget: Any = None

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain(self.survey["title"]), id="take-title", classes="screen-title")
        with Horizontal(id="take-progress-row"):
            yield Static(id="take-where")
            yield ProgressBar(show_eta=False, show_percentage=False, id="take-progress")
        with VerticalScroll(id="take-body"):
            yield Static(id="take-intro")
            yield Static(id="take-question")
            yield Static(id="take-help")
            yield Vertical(id="take-answer")
            yield Static(id="take-error")
        with Horizontal(id="take-buttons"):
            back = Button("← Back", id="back")
            # ctrl+b goes back; tab from the answer reaches Next first, so tab
            # then enter never goes backwards by surprise.
            back.can_focus = False
            yield back
            yield Button("Next →", id="next", variant="primary")
            yield Button("Submit", id="submit", variant="success")
        yield Footer()

    @reports_errors
    async def on_mount(self) -> None:
        if self.answers:
            # Resume where the member stopped, else at the first unanswered question.
            pages = self.pages()
            ids = [q["id"] for q in pages]
            self.page = (
                ids.index(self.resume_at)
                if self.resume_at in ids
                else next((i for i, q in enumerate(pages) if q["id"] not in self.answers), 0)
            )
            self.notify("Your draft was restored.", markup=False)
        await self.show_page()

    def pages(self) -> list[dict[str, Any]]:
        return shown_questions(self.survey, self.answers)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers Submit on the review page, and Next and Review before it."""
        if action == "submit":
            return self.reviewing
        if action in ("next", "review"):
            return not self.reviewing
        return True

    async def show_page(self) -> None:
        self.reviewing = False
        self.refresh_bindings()
        pages = self.pages()
        self.page = max(0, min(self.page, len(pages) - 1))
        question = pages[self.page]
        section = f"{question['section']} · " if question.get("section") else ""
        self.query_one("#take-where", Static).update(
            plain(f"{section}Question {self.page + 1} of {len(pages)}")
        )
        self.query_one("#take-progress", ProgressBar).update(total=len(pages), progress=self.page)
        intro = self.query_one("#take-intro", Static)
        opening = self.survey.get("description", "") if self.page == 0 else ""
        starts_section = question.get("section") and (
            self.page == 0 or pages[self.page - 1].get("section") != question["section"]
        )
        if starts_section:  # a new part of the survey: its title and what it is about
            info = section_of(self.survey, question["section"])
            opening = "\n\n".join(
                t for t in (opening, info["title"], info.get("description", "")) if t
            )
        intro.update(plain(opening, style="italic"))
        intro.display = bool(opening)
        marker = "" if question["required"] else "  (optional)"
        self.query_one("#take-question", Static).update(
            plain(question["text"] + marker, style="bold")
        )
        help_text = self.query_one("#take-help", Static)
        help_text.update(plain(question.get("help", "")))
        help_text.display = bool(question.get("help"))
        self._error("")
        holder = self.query_one("#take-answer", Vertical)
        await holder.remove_children()
        qtype = self.service.types.get(question["type"])
        if qtype is None or qtype.make_widget is None:
            from ..answer_widgets import TextAnswer

            widget = TextAnswer(question, self.answers.get(question["id"]))
        else:
            widget = qtype.make_widget(question, self.answers.get(question["id"]))
        if hasattr(widget, "with_sides"):
            qid = question["id"]
            widget.with_sides(
                {
                    side: self.answers[f"{qid}.{side}"]
                    for side in ("other", "comment")
                    if self.answers.get(f"{qid}.{side}")
                }
            )
        self._widget = widget
        await holder.mount(widget)
        self.query_one("#back", Button).disabled = self.page == 0
        self.query_one("#next", Button).label = (
            "Review →" if self.page == len(pages) - 1 else "Next →"
        )
        self.query_one("#submit", Button).display = False
        self.query_one("#next", Button).display = True
        if hasattr(widget, "focus_answer"):
            widget.focus_answer()
        else:  # a plugin's widget: its first focusable part (or itself)
            target = (
                widget
                if widget.can_focus
                else next((w for w in widget.query("*") if w.can_focus), None)
            )
            if target is not None:
                self.app.set_focus(target)

    def _error(self, message: str) -> None:
        error = self.query_one("#take-error", Static)
        error.update(plain(message, style="bold red"))
        error.display = bool(message)

    # -- answers -----------------------------------------------------------------

    def on_answer_changed(self, message: AnswerChanged) -> None:
        if self.answers.get(message.question_id) == message.value:
            # Already taken from the entry (a key like ctrl+n read it first); this
            # late message must not clear the error that key just showed.
            return
        if message.value is None:
            self.answers.pop(message.question_id, None)
        else:
            self.answers[message.question_id] = message.value
        self._dirty = True
        self._error("")
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.autosave)

    def autosave(self) -> None:
        """Save the draft in a worker: a wait for another plc never freezes answering."""
        if not self._dirty:
            return
        answers = dict(self.answers)

        def done(_kept: dict[str, str]) -> None:
            if self.answers == answers:
                self._dirty = False

        at = self._place()
        started = save_in_background(self, lambda: self._store_draft(answers, at), done, quiet=True)
        if started is None:  # another save is under way: try again in a moment
            self._save_timer = self.set_timer(SAVE_DELAY, self.autosave)

    def _asked_answers(self) -> dict[str, Any]:
        """The answers to the questions asked now: an answer given before an
        earlier change hid its question is not sent (it would be refused)."""
        asked = {q["id"] for q in self.pages()}
        return {k: v for k, v in self.answers.items() if k.partition(".")[0] in asked}

    def _place(self) -> str | None:
        """The question on screen (read on the app's thread, for the draft)."""
        pages = self.pages()
        return pages[min(self.page, len(pages) - 1)]["id"] if pages else None

    def _store_draft(self, answers: dict[str, Any], at: str | None) -> dict[str, str]:
        """Save ``answers`` as the draft (in a worker), with the question the
        member is ``at``. An answer not valid yet (a half-typed number, a paste
        over the limit) is kept as typed, never dropped; returns {question id:
        why} for those."""
        return self.service.keep_draft(self.survey["id"], answers, at)

    def _take_answer(self) -> None:
        """The answer as the entry holds it now: the key before this one has been
        handled, even when its message has not arrived yet."""
        if self.reviewing or self._widget is None:
            return
        qid = self._widget.question["id"]
        value = self._widget.value
        if no_answer(value):
            if self.answers.pop(qid, None) is not None:
                self._dirty = True
        elif self.answers.get(qid) != value:
            self.answers[qid] = value
            self._dirty = True
        sides = getattr(self._widget, "sides", None)
        if isinstance(sides, dict):
            for side in ("other", "comment"):
                key, text = f"{qid}.{side}", sides.get(side)
                if text and self.answers.get(key) != text:
                    self.answers[key] = text
                    self._dirty = True
                elif not text and self.answers.pop(key, None) is not None:
                    self._dirty = True

    def _check_current(self) -> bool:
        self._take_answer()
        question = self.pages()[self.page]
        value = self.answers.get(question["id"])
        if value is None:
            if question["required"]:
                self._error("Please answer this question; it is required.")
                return False
            return True
        try:
            self.answers[question["id"]] = self.service.types[question["type"]].validate(
                question, value
            )
        except ValidationError as exc:
            self._error(exc.message[0].upper() + exc.message[1:])
            return False
        if question["type"] == "grid" and question["required"]:
            left = grid_missing(question, self.answers[question["id"]])
            if left:
                numbers = [str(n) for n, row in enumerate(question["rows"], 1) if row["id"] in left]
                self._error(f"Please rate every statement; still to do: {', '.join(numbers)}.")
                return False
        chosen = self.answers[question["id"]]
        chosen = chosen if isinstance(chosen, list) else [chosen]
        if (
            question.get("other")
            and OTHER in chosen
            and not self.answers.get(f"{question['id']}.other")
        ):
            self._error(f"Please say what “{question['other']}” is, in the box under the list.")
            return False
        return True

    # -- navigation ------------------------------------------------------------------

    async def action_next(self) -> None:
        await settled(self)
        if self.reviewing:
            return
        if not self._check_current():
            return
        self.autosave()
        if self.page >= len(self.pages()) - 1:
            await self.show_review()
        else:
            self.page += 1
            await self.show_page()

    async def action_back(self) -> None:
        await settled(self)
        self._take_answer()
        if self.reviewing:
            await self.show_page()
            return
        if self.page > 0:
            self.page -= 1
            await self.show_page()

    async def action_review(self) -> None:
        await settled(self)
        self._take_answer()
        self.autosave()
        await self.show_review()

    async def show_review(self) -> None:
        self.reviewing = True
        self.refresh_bindings()
        pages = self.pages()
        self.page = len(pages) - 1
        self.query_one("#take-where", Static).update(plain("Review your answers"))
        self.query_one("#take-progress", ProgressBar).update(total=len(pages), progress=len(pages))
        note = (
            "Your answers are anonymous: they are stored without your name."
            if self.survey["anonymous"]
            else "This survey is named: coaches see your answers with your name."
        )
        self.query_one("#take-question", Static).update(plain(note, style="bold"))
        self.query_one("#take-help", Static).display = False
        self.query_one("#take-intro", Static).display = False
        holder = self.query_one("#take-answer", Vertical)
        await holder.remove_children()
        missing = []
        rows = []
        for n, question in enumerate(pages, 1):
            kind = self.service.types.get(question["type"])
            if kind is not None and not kind.asks:
                continue  # text to read: nothing to review
            value = self.answers.get(question["id"])
            if value is None and question["required"]:
                missing.append(n)
            answer = describe_answer(question, value, self.service.types)
            for side in ("other", "comment"):
                text = self.answers.get(f"{question['id']}.{side}")
                if text:
                    answer += f"\n{'Other' if side == 'other' else 'Comment'}: {text}"
            flag = "  ← required" if value is None and question["required"] else ""
            rows.append(Static(plain(f"{n}. {question['text']}", style="bold"), classes="review-q"))
            rows.append(Static(plain(f"{answer}{flag}"), classes="review-a"))
        await holder.mount_all(rows)
        self._missing = missing
        self._error(self._missing_message())
        self.query_one("#next", Button).display = False
        submit = self.query_one("#submit", Button)
        submit.display = True
        submit.disabled = bool(missing)
        self.query_one("#back", Button).disabled = False
        if missing:  # arrows, page keys, home and end scroll the review
            self.app.set_focus(self.query_one("#take-body", VerticalScroll))
        else:
            submit.focus()
        self.query_one("#take-body", VerticalScroll).scroll_home(animate=False)

    def _missing_message(self) -> str:
        if not self._missing:
            return ""
        numbers = ", ".join(map(str, self._missing))
        return f"Question(s) {numbers} still need an answer (ctrl+b to go back)."

    def action_scroll_body(self, where: str) -> None:
        body = self.query_one("#take-body", VerticalScroll)
        getattr(body, f"scroll_{where}")(animate=False)

    def action_submit(self) -> None:
        if not self.reviewing:
            return
        if self._missing:
            message = self._missing_message()
            self._error(message)
            # Under a long review the message is below the fold: shown where it is seen.
            self.query_one("#take-error", Static).scroll_visible(animate=False)
            self.notify(message, severity="warning", markup=False)
            return
        ask(
            self,
            "Submit your answers?",
            "You cannot change them after submitting.",
            confirm="Submit",
            then=lambda: self._submit(),
        )

    def _submit(self) -> None:
        if is_saving(self):  # a draft save is under way: submit right after it
            self.set_timer(0.05, self._submit)
            return
        answers = self._asked_answers()
        save_in_background(
            self,
            lambda: self.service.submit(self.survey["id"], answers),
            self._submitted,
            failed=self._not_submitted,
        )

    def _not_submitted(self, exc: PLCError) -> None:
        self._error(exc.message)
        self.notify(exc.message, severity="error", markup=False)

    def _submitted(self, _clean: Any) -> None:
        self._dirty = False
        self.notify("Thank you: your answers were submitted.", markup=False)
        self.dismiss()

    async def action_leave(self) -> None:
        await settled(self)
        self._leave()

    def _leave(self) -> None:
        if is_saving(self):  # let the draft save under way finish first, in order
            self.set_timer(0.05, self._leave)
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._take_answer()
        answers = dict(self.answers)
        dirty = self._dirty
        at = self._place()

        def work() -> dict[str, str]:
            # Saved even unchanged when there are answers: the place to resume moved.
            return self._store_draft(answers, at) if dirty or answers else {}

        def done(kept: dict[str, str]) -> None:
            if kept:
                numbers = ", ".join(
                    str(n) for n, q in enumerate(self.pages(), 1) if q["id"] in kept
                )
                self.notify(
                    f"Draft saved. Question {numbers}: {next(iter(kept.values()))} "
                    "It is kept as you typed it; fix it before you submit.",
                    severity="warning",
                    timeout=10,
                    markup=False,
                )
            elif answers:
                self.notify("Draft saved; pick up where you left off any time.", markup=False)
            self.dismiss()

        save_in_background(self, work, done)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "next":
            await self.action_next()
        elif event.button.id == "back":
            await self.action_back()
        elif event.button.id == "submit":
            self.action_submit()
