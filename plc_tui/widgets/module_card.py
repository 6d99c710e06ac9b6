"""A dashboard card for one module: title, description, what needs attention."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from ..api import Card
from ..text import one_line


class ModuleCard(Widget, can_focus=True):
    """Focusable card; Enter or a click opens the module."""

    DEFAULT_CSS = """
    ModuleCard {
        height: auto;
        min-height: 5;
        border: round $primary 40%;
        padding: 0 1;
    }
    ModuleCard:focus {
        border: round $accent;
        background: $boost;
    }
    ModuleCard.-attention {
        border: round $warning;
    }
    ModuleCard.-attention:focus {
        border: round $accent;
    }
    ModuleCard.-failed {
        border: round $error;
    }
    """

    BINDINGS = [Binding("enter", "open", "Open", show=False)]

    class Opened(Message):
        def __init__(self, module_id: str) -> None:
            super().__init__()
            self.module_id = module_id

    def __init__(
        self,
        module_id: str,
        title: str,
        description: str,
        *,
        shortcut: str = "",
        card: Card | None = None,
        error: str = "",
        id: str | None = None,
    ) -> None:
        # Marked as it is made, so mounting it restyles nothing.
        super().__init__(id=id, classes=" ".join(self._marks(card, error)))
        self.module_id = module_id
        self.title_text = title
        self.description = description
        self.shortcut = shortcut
        self.card = card
        self.error = error

    def update_card(self, card: Card | None, error: str = "") -> None:
        if getattr(self, "shown", None) == (card, error):
            return  # coming back to the dashboard, most cards are as they were
        self.shown = (card, error)
        self.card = card
        self.error = error
        marks = self._marks(card, error)
        self.set_class("-attention" in marks, "-attention")
        self.set_class("-failed" in marks, "-failed")
        self.refresh(layout=True)

    @staticmethod
    def _marks(card: Card | None, error: str) -> list[str]:
        if error:
            return ["-failed"]
        return ["-attention"] if card and card.attention else []

    def on_mount(self) -> None:
        self.update_card(self.card, self.error)

    def render(self) -> RenderableType:
        title = Text()
        if self.shortcut:
            title.append(f"{self.shortcut} ", style="bold")
        title.append(one_line(self.title_text), style="bold")
        if self.card and self.card.attention and not self.error:
            title.append(f"  ● {self.card.attention} for you", style="bold yellow")
        parts: list[Text] = [title, Text(one_line(self.description), style="dim")]
        if self.error:
            parts.append(Text(f"Unavailable: {one_line(self.error)}", style="red"))
        elif self.card:
            parts.extend(Text(one_line(line)) for line in self.card.lines[:4])
        for part in parts:
            # One line each, cut with an ellipsis, so every card keeps its shape.
            part.no_wrap = True
            part.overflow = "ellipsis"
        return Group(*parts)

    def action_open(self) -> None:
        self.post_message(self.Opened(self.module_id))

    def on_click(self) -> None:
        self.focus()
        self.action_open()
