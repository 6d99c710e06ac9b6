"""Write a reflection: one text box per part, words counted, the draft kept as
you type, and last report's Plans beside this one's Achievement."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static, TextArea

from plc_tui.api import Context, PLCError, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import save_in_background
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.keys import settled
from plc_tui.widgets.text_box import TextBox

from ..service import PART_MAX, Reflections, draft_key, words

DRAFT_AFTER = 1.5  # seconds after the last key: the draft is saved


class PartsScroll(VerticalScroll, can_focus=False):
    """The parts, scrolled as the focus moves through them. Not a stop for tab
    itself: keys typed there went nowhere, so tab from the last part goes round
    to the first."""


class EditorScreen(Screen[None]):
    CSS_PATH = "../reflections.tcss"
    TITLE = "Write a reflection"
    BINDINGS = [
        Binding("escape", "leave", "Back (draft kept)"),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+g", "from_goals", "Start from my goals"),
    ]

    def __init__(self, ctx: Context, template_id: str, rid: int | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Reflections(ctx)
        self.template = self.service.template(template_id)
        self.rid = rid
        self.revision: int | None = None
        parts: dict[str, str] = {}
        date = None
        row: dict[str, Any] = {"shared_with": []}
        if rid is not None:
            row = self.service.get(rid)
            parts, self.revision, date = row["parts"], row["revision"], row["date"]
        self.key = draft_key(rid if rid is not None else self.template.id)
        draft = ctx.private.get(self.key)
        self.restored = None
        if draft and draft.get("parts") != parts:
            parts = draft["parts"]
            self.restored = draft.get("saved")
        self.parts = parts
        self.previous = self.service.previous(self.template.id, before=date)
        self._draft_timer: Any = None
        # Who will read it: the coaches it is shared with, or who sees every one of
        # this template; said in the title, so "private" is never said wrongly.
        names = ctx.community.names()
        readers = (
            row["shared_with"]
            if rid is not None
            else [
                s["coach"] for s in self.service.standing_shares() if s["template"] == template_id
            ]
        )
        self.readers = ", ".join(names.get(r, r) for r in sorted(readers))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="editor-title", classes="screen-title")
        with PartsScroll(id="editor-body"):
            for part in self.template.body["parts"]:
                yield Static(id=f"label-{part['id']}", classes="part-title")
                yield Static(plain(part["prompt"]), classes="part-prompt")
                if part["id"] == "achievement" and self.previous:
                    plans = self.previous["parts"].get("plans")
                    if plans:
                        yield Static(
                            plain(f"Your plans last time ({self.previous['date']}):\n{plans}"),
                            classes="part-previous",
                        )
                yield TextBox(self.parts.get(part["id"], ""), id=f"part-{part['id']}")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        self.sub_title = self.template.title
        first = self.template.body["parts"][0]["id"]
        self.query_one(f"#part-{first}", TextBox).focus()
        # Textual scrolls the focused box to the middle of the screen when it is
        # shown: back to the top, where the first part's title and prompt are.
        body = self.query_one("#editor-body", PartsScroll)
        self.call_after_refresh(body.scroll_home, animate=False)
        self._count()
        if self.restored:
            when = datetime.fromisoformat(self.restored).astimezone().strftime("%H:%M on %b %-d")
            self.notify(f"Your unsaved draft from {when} is back.", markup=False)

    def typed(self) -> dict[str, str]:
        return {
            part["id"]: self.query_one(f"#part-{part['id']}", TextBox).text
            for part in self.template.body["parts"]
        }

    def _count(self) -> None:
        typed = self.typed()
        for part in self.template.body["parts"]:
            count = words(typed[part["id"]])
            label = Text(part["title"], style="bold")
            label.append(f"  {count} word{'s' if count != 1 else ''}", style="dim")
            length = len(typed[part["id"]])
            if length > PART_MAX * 0.8:  # said before the limit, not only on saving
                over = length > PART_MAX
                label.append(
                    f"  {length:,} of {PART_MAX:,} characters",
                    style="bold red" if over else "yellow",
                )
            self.query_one(f"#label-{part['id']}", Static).update(label)
        total = sum(words(t) for t in typed.values())
        who = f"shared with {self.readers}" if self.readers else "private to you"
        title = f"{self.template.title} · {total} words · {who}"
        if self.rid is not None:
            title = f"Editing reflection {self.rid} · {total} words · {who}"
        self.query_one("#editor-title", Static).update(plain(one_line(title)))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._count()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_AFTER, self._keep_draft)

    def _keep_draft(self) -> None:
        parts = self.typed()
        saved = datetime.now().astimezone().isoformat(timespec="seconds")
        if not any(t.strip() for t in parts.values()):
            return

        def work() -> None:
            self.ctx.private.put(self.key, {"parts": parts, "saved": saved})

        # A local file in the member's own folder; a worker all the same, so a slow
        # disk never stalls typing.
        self.run_worker(work, thread=True, group="draft", exclusive=True, exit_on_error=False)

    def action_from_goals(self) -> None:
        if "achievement" not in {p["id"] for p in self.template.body["parts"]}:
            self.notify("This kind of reflection has no Achievement part to start.", markup=False)
            return
        since = self.previous["date"] if self.previous else None

        def done(text: str) -> None:
            if not text:
                self.notify("No check-ins on your goals since your last report.", markup=False)
                return
            box = self.query_one("#part-achievement", TextBox)
            box.text = f"{text}{box.text}" if box.text.strip() else text
            box.focus()
            box.action_cursor_text_end()

        save_in_background(self, lambda: self.service.from_goals(since), done)

    async def action_save(self) -> None:
        await settled(self)  # keys typed before ctrl+s, in one burst, are in the text
        parts = self.typed()

        def work() -> int:
            if self.rid is None:
                return self.service.write(self.template.id, parts)
            self.service.update(self.rid, parts, self.revision)
            return self.rid

        def done(rid: int) -> None:
            if self._draft_timer is not None:
                self._draft_timer.stop()
            from .reflection_screen import ReflectionScreen

            self.notify("Saved.", markup=False)
            app = self.app
            app.pop_screen()
            if self.rid is None:
                app.push_screen(ReflectionScreen(self.ctx, rid))

        def failed(exc: PLCError) -> None:
            self.notify(exc.message[:1].upper() + exc.message[1:], severity="error", markup=False)

        save_in_background(self, work, done, failed=failed)

    def action_leave(self) -> None:
        typed = self.typed()
        if typed == {k: self.parts.get(k, "") for k in typed} or not any(
            t.strip() for t in typed.values()
        ):
            self.app.pop_screen()
            return
        self._keep_draft()
        ask(
            self,
            "Leave without saving?",
            "Your draft is kept in your own folder on this computer, readable by your "
            "account alone, until you save it; writing this kind of reflection again "
            "brings it back.",
            confirm="Leave",
            then=self.app.pop_screen,
        )
