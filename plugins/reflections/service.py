"""A leader's reflective journal, private by default, shared with a coach by choice.

Table ``reflections`` (declared in ``register_tables``, without kept history:
an old version would keep a coach's access after sharing stopped), one document
per reflection. In the clear: ``author``, ``template``, ``date`` (the report's),
``created``, ``updated`` and ``revision``. Sealed (``ctx.sealing``) to the author
and the coaches it is shared with: the parts the author wrote, and each comment
(an item of the envelope, by its writer's login). Table ``shares``: the standing
rules "share every <template> of <author> with <coach>", so each new report of
that template is sealed to the coach too.

Rules (each tested for every role): only the author and the coaches a reflection
is shared with can read it or comment on it; admins see nothing private unless
shared with them; only the author shares, stops sharing, edits or deletes; a
reflection is shared only with coaches. Plain Python over the public plugin API.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from plc_tui.api import (
    Context,
    NotFound,
    PermissionDenied,
    ValidationError,
    check_revision,
    clean,
    has_words,
    parse_id,
)

PART_MAX = 10_000
COMMENT_MAX = 2_000
EVERY_DAYS = 14


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _id(value: Any) -> int:
    return parse_id(value, "reflection", "plc reflect list")


def words(text: str) -> int:
    return len(text.split())


class Reflections:
    """The reflections the signed-in member wrote, or that were shared with them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def member(self) -> Any:
        return self.ctx.require_member()

    # -- templates and cadence -----------------------------------------------------

    def templates(self) -> list[Any]:
        return [t for t in self.ctx.templates("reflection") if t.body.get("parts")]

    def template(self, template_id: str) -> Any:
        for template in self.templates():
            if template.id == template_id:
                return template
        known = ", ".join(t.id for t in self.templates())
        raise NotFound(f"there is no reflection template {template_id!r}; templates: {known}.")

    def every_days(self, template: Any) -> int | None:
        """The template's cadence; ``[plugins.reflections] every_days`` sets the 5-15
        report's (default 14)."""
        if template.id == "5-15":
            value = self.ctx.settings.get("every_days", EVERY_DAYS)
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 90:
                return value
            return EVERY_DAYS
        days = template.body.get("every_days")
        return days if isinstance(days, int) and days > 0 else None

    def due(self) -> list[dict[str, Any]]:
        """For each template with a cadence the member keeps (a leader always keeps
        the 5-15 report): ``{"template", "title", "last", "due", "overdue"}``."""
        member = self.member
        mine = [
            {"template": template, "date": day}
            for _, template, day, _ in self._index()["own"].get(member.login, [])
        ]
        today = self.ctx.today()
        out = []
        for template in self.templates():
            days = self.every_days(template)
            if days is None:
                continue
            dates = [d["date"] for d in mine if d["template"] == template.id]
            if not dates and not (member.is_leader and template.id == "5-15"):
                continue
            last = max(dates) if dates else None
            due = date.fromisoformat(last) + timedelta(days=days) if last else today
            out.append(
                {
                    "template": template.id,
                    "title": template.title,
                    "last": last,
                    "due": due.isoformat(),
                    "overdue": due <= today,
                }
            )
        return out

    # -- writing ---------------------------------------------------------------------

    def _clean_parts(self, template: Any, parts: dict[str, Any]) -> dict[str, str]:
        if not isinstance(parts, dict):
            raise ValidationError('the parts are an object like {"achievement": "..."}.')
        known = {p["id"]: p["title"] for p in template.body["parts"]}
        unknown = sorted(set(parts) - set(known))
        if unknown:
            raise ValidationError(
                f"{template.title} has no part {unknown[0]!r}; its parts: {', '.join(known)}."
            )
        out = {}
        for part_id, title in known.items():
            value = parts.get(part_id) or ""
            if not isinstance(value, str):
                raise ValidationError(f"{title} must be text.")
            if value.strip():
                out[part_id] = clean(value, field=title, max_length=PART_MAX, multiline=True)
        if not out:
            raise ValidationError("write at least one part before saving.")
        return out

    def _readers(self, tables: Any, author: str, template_id: str) -> list[str]:
        standing = [
            d["coach"]
            for d in tables.table("shares").all()
            if d["author"] == author and d["template"] == template_id
        ]
        return sorted({author, *standing})

    def write(self, template_id: str, parts: dict[str, Any], on: date | None = None) -> int:
        """Save a new reflection; returns its id. Sealed to the author and to the
        coaches who see every reflection of this template."""
        template = self.template(template_id)
        member = self.member
        cleaned = self._clean_parts(template, parts)
        day = on or self.ctx.today()
        if day > self.ctx.today():
            raise ValidationError(f"{day} is in the future; date a reflection today or earlier.")
        with self.ctx.transaction() as tables:
            readers = self._readers(tables, member.login, template.id)
            envelope = self.ctx.sealing.seal({"parts": cleaned}, readers)
            rid = tables.table("reflections").insert(
                {
                    "author": member.login,
                    "template": template.id,
                    "date": day.isoformat(),
                    "created": _now(),
                    "updated": _now(),
                    "revision": 1,
                    "envelope": envelope,
                }
            )
        self.ctx.private.delete(draft_key(template.id))
        return rid

    def update(self, rid: Any, parts: dict[str, Any], revision: int | None = None) -> int:
        """Change what the author wrote; ``revision`` (the one they started from)
        catches a change made meanwhile from another plc. Returns the new revision."""
        number = _id(rid)
        with self.ctx.transaction() as tables:
            doc = self._doc(tables, number)
            self._require_author(doc, "edit")
            check_revision(
                "this reflection",
                {**doc, "changed_by": doc["author"]},
                revision,
                names={doc["author"]: "you, in another plc,"},
            )
            template = self.template(doc["template"])
            cleaned = self._clean_parts(template, parts)
            envelope = self.ctx.sealing.replace(doc["envelope"], {"parts": cleaned})
            new_revision = doc.get("revision", 1) + 1
            tables.table("reflections").update(
                {"envelope": envelope, "updated": _now(), "revision": new_revision},
                doc_ids=[number],
            )
        self.ctx.private.delete(draft_key(number))
        return new_revision

    def delete(self, rid: Any) -> None:
        number = _id(rid)
        with self.ctx.transaction() as tables:
            doc = self._doc(tables, number)
            self._require_author(doc, "delete")
            tables.table("reflections").remove(doc_ids=[number])

    # -- reading ---------------------------------------------------------------------

    def _doc(self, tables: Any, number: int) -> Any:
        """The stored reflection (a TinyDB document, with ``doc_id``)."""
        doc = tables.table("reflections").get(doc_id=number)
        if doc is None:
            raise NotFound(f"there is no reflection {number}; see `plc reflect list`.")
        return doc

    def _require_author(self, doc: Any, what: str) -> None:
        if doc["author"] != self.member.login:
            raise PermissionDenied(f"only its author can {what} a reflection.")

    def _open(self, doc: Any) -> dict[str, Any]:
        sealing = self.ctx.sealing
        envelope = doc["envelope"]
        if not sealing.can_open(envelope):
            raise PermissionDenied(
                "this reflection is private to its author; they can share it with a coach."
            )
        value = sealing.open(envelope)
        comments = [{"by": by, **item} for by, item in sealing.open_items(envelope)]
        readers = sealing.readers(envelope)
        return {
            "id": doc["id"] if "id" in doc else doc.doc_id,
            "author": doc["author"],
            "template": doc["template"],
            "date": doc["date"],
            "updated": doc.get("updated"),
            "revision": doc.get("revision", 1),
            "parts": value["parts"],
            "comments": comments,
            "shared_with": [r for r in readers if r != doc["author"]],
        }

    def get(self, rid: Any) -> dict[str, Any]:
        number = _id(rid)
        with self.ctx.read() as tables:
            doc = self._doc(tables, number)
        return self._open(doc)

    def _index(self) -> dict[str, dict[str, list[Any]]]:
        """What is in the clear about every reflection, by member: their own
        (``[id, template, date, comment authors]``) and those shared with them
        (``[id, comment authors]``). Kept beside the file (see ``tables.summary``),
        so the dashboard card reads neither the reports nor the whole file."""
        with self.ctx.read() as tables:
            return tables.summary("reflections", "index", _index)

    @staticmethod
    def _readable(doc: Any, login: str, shared: bool) -> bool:
        if shared:
            return doc["author"] != login and login in doc["envelope"].get("keys", {})
        return doc["author"] == login

    def _docs(self, shared: bool) -> list[Any]:
        """The member's own documents, or those others shared with them (unopened,
        with ``id``; shared with the read cache: read them, never change them)."""
        login = self.member.login
        with self.ctx.read() as tables:
            return [d for d in tables.documents("reflections") if self._readable(d, login, shared)]

    def _all_opened(self, shared: bool) -> tuple[dict[str, Any], ...]:
        """The member's own reflections, or those shared with them, opened, newest
        first; opened once per version of the file, in this process's memory only
        (a coach's card and list would otherwise open every shared report each time)."""
        login = self.member.login

        def open_all(docs: Any) -> tuple[dict[str, Any], ...]:
            rows = (
                self._open({**doc, "id": int(key)})
                for key, doc in docs.items()
                if self._readable(doc, login, shared)
            )
            return tuple(sorted(rows, key=lambda r: (r["date"], r["id"]), reverse=True))

        key = f"opened:{'shared' if shared else 'own'}:{login}"
        with self.ctx.read() as tables:
            return tables.summary("reflections", key, open_all, keep=False)

    def mine(self) -> list[dict[str, Any]]:
        """The member's own reflections, newest first (read them, never change them)."""
        return list(self._all_opened(shared=False))

    def shared_with_me(self) -> list[dict[str, Any]]:
        """Others' reflections shared with this member, newest first (read them,
        never change them)."""
        return list(self._all_opened(shared=True))

    def part_id(self, name: str) -> str:
        """A part by its id or its title, in any case ("Challenges", "challenges")."""
        folded = name.strip().casefold()
        parts = {p["id"]: p["title"] for t in self.templates() for p in t.body["parts"]}
        for part_id, title in parts.items():
            if folded in (part_id.casefold(), title.casefold()):
                return part_id
        raise ValidationError(f"there is no part {name!r}; parts: {', '.join(parts)}.")

    def search(
        self,
        text: str = "",
        *,
        part: str | None = None,
        template: str | None = None,
        since: date | None = None,
        until: date | None = None,
        shared: bool = False,
    ) -> list[dict[str, Any]]:
        """The member's reflections (or those shared with them) matching every
        filter: words of ``text`` anywhere (or in ``part``), a template, a date range.
        Searching happens here, after opening: nothing readable is indexed."""
        rows = [
            r
            for r in self._all_opened(shared)
            if (not template or r["template"] == template)
            and (not since or r["date"] >= since.isoformat())
            and (not until or r["date"] <= until.isoformat())
        ]
        out = []
        for row in rows:
            if part and part not in row["parts"]:
                continue
            haystack = row["parts"].get(part, "") if part else " ".join(row["parts"].values())
            if has_words(haystack, text):
                out.append(row)
        return out

    def previous(self, template_id: str, before: str | None = None) -> dict[str, Any] | None:
        """The member's latest reflection of ``template_id`` (before the date ``before``);
        only that one is opened."""
        docs = [
            d
            for d in self._docs(shared=False)
            if d["template"] == template_id and (before is None or d["date"] < before)
        ]
        if not docs:
            return None
        return self._open(max(docs, key=lambda d: (d["date"], d["id"])))

    # -- sharing ---------------------------------------------------------------------

    def coaches(self) -> list[Any]:
        """Whom a reflection can be shared with: the community's coaches."""
        login = self.member.login
        return [m for m in self.ctx.community.members() if m.role == "coach" and m.login != login]

    def _coach(self, login: str) -> Any:
        found = self.ctx.community.member(login)
        if found is None or found.role != "coach":
            names = ", ".join(m.login for m in self.coaches()) or "none"
            raise ValidationError(f"{login!r} is not a coach; coaches: {names}.")
        if found.login == self.member.login:
            raise ValidationError("a reflection is always yours; share it with a coach.")
        return found

    def share(self, rid: Any, coach: str) -> list[str]:
        """Let ``coach`` read (and comment on) one reflection; returns its coaches."""
        return self._set_readers(_id(rid), add=self._coach(coach).login)

    def unshare(self, rid: Any, coach: str) -> list[str]:
        """Stop sharing: sealed again without the coach (what they read stays read)."""
        return self._set_readers(_id(rid), remove=coach)

    def _set_readers(
        self, number: int, add: str | None = None, remove: str | None = None
    ) -> list[str]:
        with self.ctx.transaction() as tables:
            doc = self._doc(tables, number)
            self._require_author(doc, "share")
            self._reseal(tables, doc, add=add, remove=remove)
            return [
                r
                for r in self.ctx.sealing.readers(self._doc(tables, number)["envelope"])
                if r != doc["author"]
            ]

    def _reseal(
        self, tables: Any, doc: Any, add: str | None = None, remove: str | None = None
    ) -> None:
        sealing = self.ctx.sealing
        readers = set(sealing.readers(doc["envelope"]))
        if add:
            readers.add(add)
        if remove:
            if remove not in readers or remove == doc["author"]:
                raise ValidationError(f"reflection {doc.doc_id} is not shared with {remove}.")
            readers.discard(remove)
        tables.table("reflections").update(
            {"envelope": sealing.reseal(doc["envelope"], sorted(readers)), "updated": _now()},
            doc_ids=[doc.doc_id],
        )

    def share_template(self, template_id: str, coach: str) -> int:
        """Share every reflection of a template, now and to come, with ``coach``;
        returns how many were shared now."""
        template = self.template(template_id)
        login = self._coach(coach).login
        me = self.member.login
        with self.ctx.transaction() as tables:
            shares = tables.table("shares")
            if not any(
                d["author"] == me and d["template"] == template.id and d["coach"] == login
                for d in shares.all()
            ):
                shares.insert({"author": me, "template": template.id, "coach": login})
            docs = [
                d
                for d in tables.table("reflections").all()
                if d["author"] == me
                and d["template"] == template.id
                and login not in d["envelope"].get("keys", {})
            ]
            for doc in docs:
                self._reseal(tables, doc, add=login)
        return len(docs)

    def unshare_template(self, template_id: str, coach: str) -> int:
        """Stop sharing a template with ``coach``: every reflection of it is sealed
        again without them; returns how many."""
        template = self.template(template_id)
        me = self.member.login
        with self.ctx.transaction() as tables:
            shares = tables.table("shares")
            rules = [
                d.doc_id
                for d in shares.all()
                if d["author"] == me and d["template"] == template.id and d["coach"] == coach
            ]
            shares.remove(doc_ids=rules)
            docs = [
                d
                for d in tables.table("reflections").all()
                if d["author"] == me
                and d["template"] == template.id
                and coach in d["envelope"].get("keys", {})
            ]
            if not rules and not docs:
                raise ValidationError(f"your {template.title} reports are not shared with {coach}.")
            for doc in docs:
                self._reseal(tables, doc, remove=coach)
        return len(docs)

    def standing_shares(self) -> list[dict[str, str]]:
        me = self.member.login
        with self.ctx.read() as tables:
            return [
                {"template": d["template"], "coach": d["coach"]}
                for d in tables.table("shares").all()
                if d["author"] == me
            ]

    # -- comments --------------------------------------------------------------------

    def comment(self, rid: Any, text: str) -> None:
        """A comment from a reader (the coach it is shared with, or the author)."""
        words_ = clean(text, field="The comment", max_length=COMMENT_MAX, multiline=True)
        number = _id(rid)
        with self.ctx.transaction() as tables:
            doc = self._doc(tables, number)
            sealing = self.ctx.sealing
            if not sealing.can_open(doc["envelope"]):
                raise PermissionDenied(
                    "only the author and the coaches it is shared with can comment."
                )
            envelope = sealing.add_item(
                doc["envelope"], {"text": words_, "date": self.ctx.today().isoformat()}
            )
            tables.table("reflections").update({"envelope": envelope}, doc_ids=[number])
        self.mark_seen(number, len(envelope["items"]))

    def mark_seen(self, rid: int, count: int) -> None:
        seen = self.ctx.private.get("seen") or {}
        seen[str(rid)] = count
        self.ctx.private.put("seen", seen)

    def unseen(self, row: dict[str, Any]) -> int:
        """Comments on ``row`` by others that this member has not opened yet."""
        return self.unseen_counts([row])[row["id"]]

    def unseen_counts(self, rows: list[dict[str, Any]]) -> dict[int, int]:
        """:meth:`unseen` for each of ``rows``, by id (the member's record of what
        they read is read once)."""
        return self._unseen({row["id"]: [c["by"] for c in row["comments"]] for row in rows})

    def _unseen(self, authors: dict[int, list[str]]) -> dict[int, int]:
        seen = self.ctx.private.get("seen") or {}
        login = self.member.login
        return {
            rid: sum(1 for by in bys[seen.get(str(rid), 0) :] if by != login)
            for rid, bys in authors.items()
        }

    def comment_counts(self, *, shared: bool) -> dict[int, tuple[int, int]]:
        """For the member's own reflections (or those shared with them), by id:
        ``(comments, comments by others not opened yet)``. Who wrote each comment
        is in the clear beside it, so nothing is opened: the dashboard card counts
        a coach's two hundred shared reports without decrypting one."""
        index = self._index()
        login = self.member.login
        if shared:
            authors = {rid: bys for rid, bys in index["shared"].get(login, [])}
        else:
            authors = {rid: bys for rid, _, _, bys in index["own"].get(login, [])}
        unseen = self._unseen(authors)
        return {rid: (len(bys), unseen[rid]) for rid, bys in authors.items()}

    # -- goals -----------------------------------------------------------------------

    def from_goals(self, since: str | None) -> str:
        """What happened to the member's goals since ``since`` (their last report),
        as text to start the Achievement part from (``smart_goals.progress``)."""
        progress = self.ctx.service("smart_goals.progress")
        checkins = progress.checkins_since(date.fromisoformat(since) if since else None)
        if not checkins:
            return ""
        lines = []
        for c in checkins:
            line = f"- {c['date']}, {c['title']}: {c['value']}{c['unit']}"
            if c["target"] is not None:
                line += f" (target {c['target']}{c['unit']})"
            if c["confidence"]:
                line += f", confidence {c['confidence']}/5"
            if c["note"]:
                line += f". {c['note']}"
            lines.append(line)
        return "Since my last report, on our goals:\n" + "\n".join(lines) + "\n\nWhat I learnt: "

    # -- export ----------------------------------------------------------------------

    def markdown(self, rows: list[dict[str, Any]]) -> str:
        names = self.ctx.community.names()
        out = []
        for row in rows:
            template = self.template(row["template"])
            out += [f"# {template.title}, {row['date']}", ""]
            if row["author"] != self.member.login:
                out += [f"By {names.get(row['author'], row['author'])}.", ""]
            for part in template.body["parts"]:
                if part["id"] in row["parts"]:
                    out += [f"## {part['title']}", "", row["parts"][part["id"]].strip(), ""]
            if row["comments"]:
                out += ["## Comments", ""]
                for c in row["comments"]:
                    out.append(f"- {names.get(c['by'], c['by'])}, {c['date']}: {c['text']}")
                out.append("")
        return "\n".join(out)


def draft_key(what: str | int) -> str:
    """Where an unsaved reflection waits, in the author's private store."""
    return f"draft-{what}"


def _index(docs: Any) -> dict[str, dict[str, list[Any]]]:
    own: dict[str, list[Any]] = {}
    shared: dict[str, list[Any]] = {}
    for key, doc in docs.items():
        envelope = doc["envelope"]
        authors = [item["by"] for item in envelope.get("items", [])]
        own.setdefault(doc["author"], []).append([int(key), doc["template"], doc["date"], authors])
        for reader in envelope.get("keys", {}):
            if reader != doc["author"]:
                shared.setdefault(reader, []).append([int(key), authors])
    return {"own": own, "shared": shared}
