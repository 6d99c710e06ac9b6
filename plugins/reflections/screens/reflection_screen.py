"""One reflection, to read: its parts, who it is shared with, and the comments."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from plc_tui.api import Context, one_line, plain
from plc_tui.widgets.actions import reports_errors
from plc_tui.widgets.background import load_in_background, open_in_background, save_in_background
from plc_tui.widgets.confirm_modal import ask
from plc_tui.widgets.data_screen import DataScreenMixin
from plc_tui.widgets.footer import Footer
from plc_tui.widgets.save_file_modal import save_to_file

from ..service import Reflections, words


class ReflectionScreen(DataScreenMixin, Screen[None]):
    CSS_PATH = "../reflections.tcss"
    TITLE = "Reflection"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("c", "comment", "Comment"),
        Binding("s", "share", "Share"),
        Binding("e", "edit", "Edit"),
        Binding("x", "export", "Export", show=False),
        Binding("delete", "delete", "Delete", show=False),
    ]

    def __init__(self, ctx: Context, rid: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.service = Reflections(ctx)
        self.rid = rid
        self.row: dict[str, Any] | None = None
        self.names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="reflection-title", classes="screen-title")
        with VerticalScroll(id="reflection-body"):
            yield Static(id="reflection-text")
        yield Footer()

    @reports_errors
    def on_mount(self) -> None:
        self.query_one("#reflection-body").focus()
        self.refresh_data()

    def refresh_data(self) -> None:
        def read() -> tuple[dict[str, Any], dict[str, str]]:
            row = self.service.get(self.rid)
            self.service.mark_seen(row["id"], len(row["comments"]))
            return row, self.ctx.community.names()

        def failed(exc: Any) -> None:
            self.notify(exc.message[:1].upper() + exc.message[1:], severity="error", markup=False)
            self.app.pop_screen()

        load_in_background(self, read, self._show, failed=failed)

    def _show(self, data: tuple[dict[str, Any], dict[str, str]]) -> None:
        self.row, self.names = data
        row = self.row
        template = self.service.template(row["template"])
        self.sub_title = template.title
        mine = row["author"] == self.ctx.require_member().login
        total = sum(words(t) for t in row["parts"].values())
        who = "you" if mine else self.names.get(row["author"], row["author"])
        shared = ", ".join(self.names.get(c, c) for c in row["shared_with"])
        title = f"{template.title}, {row['date']} · by {who} · {total} words · "
        title += f"shared with {shared}" if shared else "private to you"
        self.query_one("#reflection-title", Static).update(plain(one_line(title)))
        blocks: list[Any] = []
        for part in template.body["parts"]:
            text = row["parts"].get(part["id"])
            if not text:
                continue
            blocks.append(Text(part["title"], style="bold underline"))
            blocks.append(plain(text))
            blocks.append(Text(""))
        if row["comments"]:
            blocks.append(Text("Comments", style="bold underline"))
            for comment in row["comments"]:
                line = Text(
                    f"{self.names.get(comment['by'], comment['by'])}, {comment['date']}: ",
                    style="bold",
                )
                line.append(comment["text"], style="")
                blocks.append(line)
        elif shared or not mine:
            blocks.append(Text("No comments yet; c adds one.", style="dim"))
        self.query_one("#reflection-text", Static).update(Group(*blocks))
        self.refresh_bindings()

    def _mine(self) -> bool:
        member = self.ctx.member
        return bool(self.row and member and self.row["author"] == member.login)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("share", "edit", "delete"):
            return self._mine()
        if action == "comment":
            return bool(self.row) and (
                not self._mine() or bool(self.row and self.row["shared_with"])
            )
        return True

    # -- actions -----------------------------------------------------------------

    def action_comment(self) -> None:
        if self.row is None:
            return
        from plc_tui.widgets.text_modal import TextModal

        rid = self.row["id"]
        self.app.push_screen(
            TextModal(
                "Comment",
                "Only the author and the coaches it is shared with can read it.",
                save=lambda text: self.service.comment(rid, text),
                placeholder="A question back, what you noticed, a resource",
                said="Comment added.",
                save_label="Add comment",
            ),
            lambda _: self.refresh_data(),
        )

    def action_share(self) -> None:
        if self.row is None or not self._mine():
            return
        from .share_modal import ShareModal

        self.app.push_screen(ShareModal(self.ctx, self.row), lambda _: self.refresh_data())

    def action_edit(self) -> None:
        if self.row is None or not self._mine():
            return
        from .editor_screen import EditorScreen

        row = self.row
        open_in_background(self, lambda: EditorScreen(self.ctx, row["template"], row["id"]))

    def action_export(self) -> None:
        if self.row is None:
            return
        row = self.row
        save_to_file(
            self,
            "the reflection",
            f"reflection-{row['date']}-{row['template']}.md",
            lambda: self.service.markdown([row]),
            private=True,
        )

    def action_delete(self) -> None:
        if self.row is None or not self._mine():
            return

        def delete() -> None:
            def done(_: Any) -> None:
                self.notify("The reflection is deleted.", markup=False)
                self.app.pop_screen()

            save_in_background(self, lambda: self.service.delete(self.rid), done)

        ask(
            self,
            "Delete this reflection?",
            "It cannot be brought back, and the coaches it is shared with lose it too.",
            confirm="Delete",
            then=delete,
            danger=True,
        )
