"""Private text in shared files: sealed to the people who may read it.

In a shared group folder every member can read every data file, so text that
belongs to a few people (a leader's reflection, shared with one coach) is stored
encrypted to them. Each member has a key pair: the private key in their own user
data folder (``0600``, see :mod:`plc_tui.private_store`), the public key in the
community, published the first time they need one. A sealed value is an
envelope: the value encrypted with a fresh random key (``SecretBox``), and that
key sealed to each reader's public key (``SealedBox``, PyNaCl's libsodium). So
the value is written once whatever the number of readers, a reader can add an
item (a comment) under the same key, and removing a reader means sealing the
value again under a new key.

What an envelope shows to someone who reads the files: the logins of its
readers. Everything else is ciphertext.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import PermissionDenied, PLCError, StorageError, ValidationError
from .private_store import PrivateStore

if TYPE_CHECKING:
    from nacl.public import PrivateKey, SealedBox

    from .storage import Storage

# PyNaCl (libsodium) is imported where a key or an envelope is used, not with
# this module: the plugin API names KeyMissing, and most commands seal nothing.

KEYS_TABLE = ("core", "keys")
KEY_DOCUMENT = "member-key"


class KeyMissing(PLCError):
    """The member's private key is not where plc keeps it."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _whole_key(doc: dict[str, Any]) -> bool:
    """Whether a key document holds a whole private key (32 bytes of base64),
    checked without PyNaCl."""
    try:
        return len(_unb64(doc["secret"])) == 32
    except (KeyError, ValueError, TypeError):
        return False


def fingerprint(public: bytes) -> str:
    """A short, readable name for a public key (to compare two copies by eye)."""
    digest = hashlib.sha256(public).hexdigest()[:16]
    return ":".join(digest[i : i + 4] for i in range(0, 16, 4))


@lru_cache(maxsize=8)
def _opener(secret: bytes) -> SealedBox:
    """The box that opens what was sealed to ``secret``'s public key. Made once per
    key: making it derives the public key, which cost more than opening a value
    when a coach's card opened two hundred shared reflections."""
    from nacl.public import PrivateKey, SealedBox

    return SealedBox(PrivateKey(secret))


class Sealing:
    """Seal and open values as one member (``login``), with the key in ``keys``."""

    def __init__(self, storage: Storage, keys: PrivateStore, login: str) -> None:
        self.storage = storage
        self.keys = keys
        self.login = login

    # -- keys ---------------------------------------------------------------------

    def public_keys(self) -> dict[str, bytes]:
        with self.storage.read() as tx:
            return {d["login"]: _unb64(d["public"]) for d in tx.table(*KEYS_TABLE).all()}

    def _private(self) -> PrivateKey | None:
        from nacl.exceptions import CryptoError
        from nacl.public import PrivateKey

        doc = self.keys.get(KEY_DOCUMENT)
        if doc is None:
            return None
        try:
            return PrivateKey(_unb64(doc["secret"]))
        except (KeyError, ValueError, TypeError, CryptoError):
            raise KeyMissing(
                f"your private key in {self.keys.folder} is damaged; restore it with "
                "`plc keys restore FILE`, or start a new one with `plc keys new`."
            ) from None

    def check_key(self) -> None:
        """Raise :class:`KeyMissing` when the member's private key is missing or
        damaged, so nothing sealed to them could be opened; opens and writes
        nothing (for a summary that counts sealed values without opening them).
        PyNaCl is not loaded for it: a key is 32 bytes of base64 in its document."""
        doc = self.keys.get(KEY_DOCUMENT)
        if doc is not None:
            if not _whole_key(doc):
                self._private()  # says it is damaged, and what to do
            return
        raise KeyMissing(
            f"your private key is missing from {self.keys.folder}: restore your backup "
            "with `plc keys restore FILE`."
        )

    def ensure_key(self) -> bytes:
        """The member's public key, made and published now if they have none yet.

        Refuses to replace a published key whose private half is missing: what was
        sealed to it could never be opened again, so that takes ``plc keys new``.
        """
        doc = self.keys.get(KEY_DOCUMENT)
        published = self.public_keys().get(self.login)
        if doc is not None and published is not None and doc.get("public") == _b64(published):
            # The key here is the one published: checked without loading PyNaCl,
            # which every start of plc would otherwise pay for (about 1 MB).
            return published
        if doc is None and published is not None and self._adopt_moved_key(published):
            return published
        private = self._private()
        if private is not None:
            public = bytes(private.public_key)
            if published != public:
                self._publish(public)
            if doc is not None and doc.get("public") != _b64(public):
                self.keys.put(KEY_DOCUMENT, {**doc, "public": _b64(public)})
            return public
        if published is not None:
            raise KeyMissing(
                f"your private key is missing from {self.keys.folder}, so what was shared "
                "with you cannot be opened: restore your backup with `plc keys restore "
                "FILE`, or start a new key with `plc keys new` (what was sealed to the old "
                "one stays unreadable)."
            )
        return self.new_key()

    def _adopt_moved_key(self, published: bytes) -> bool:
        """Copy the member's published key from this account's folder for another
        community, if it is there: where a plc older than community ids kept it
        before the community was moved (it named the folder by the data
        directory's path). Only the key whose public half is the one published
        here is taken, so a namesake's key in another community never is."""
        folder = self.keys.folder  # <private root>/<community>/<login>/_keys
        root = folder.parent.parent.parent
        wanted = _b64(published)
        pattern = f"*/{folder.parent.name}/{folder.name}/{KEY_DOCUMENT}.json"
        for candidate in sorted(root.glob(pattern)):
            if candidate.parent == folder:
                continue
            try:
                doc = PrivateStore(candidate.parent).get(KEY_DOCUMENT)
            except StorageError:
                continue
            if doc is not None and _whole_key(doc) and doc.get("public") == wanted:
                self.keys.put(KEY_DOCUMENT, doc)
                return True
        return False

    def new_key(self) -> bytes:
        """Make a new key pair and publish it (after a lost key)."""
        from nacl.public import PrivateKey

        private = PrivateKey.generate()
        public = bytes(private.public_key)
        self.keys.put(
            KEY_DOCUMENT,
            {
                "secret": _b64(bytes(private)),
                "public": _b64(public),
                "created": datetime.now(UTC).isoformat(),
            },
        )
        self._publish(public)
        return public

    def restore(self, secret: str) -> bytes:
        """Put back a backed-up private key (``plc keys backup``)."""
        from nacl.exceptions import CryptoError
        from nacl.public import PrivateKey

        try:
            private = PrivateKey(_unb64(secret.strip()))
        except (ValueError, TypeError, CryptoError):
            raise ValidationError("that is not a plc key backup.") from None
        public = bytes(private.public_key)
        published = self.public_keys().get(self.login)
        if published is not None and published != public:
            raise ValidationError(
                f"that key ({fingerprint(public)}) is not your published key "
                f"({fingerprint(published)}); restore the backup made for this community."
            )
        self.keys.put(
            KEY_DOCUMENT,
            {
                "secret": _b64(bytes(private)),
                "public": _b64(public),
                "created": datetime.now(UTC).isoformat(),
            },
        )
        self._publish(public)
        return public

    def backup(self) -> str:
        """The private key as text, to keep somewhere safe."""
        if self._private() is None:
            self.ensure_key()
        doc = self.keys.get(KEY_DOCUMENT)
        assert doc is not None
        return doc["secret"]

    def _publish(self, public: bytes) -> None:
        with self.storage.transaction() as tx:
            table = tx.table(*KEYS_TABLE)
            doc = {"login": self.login, "public": _b64(public)}
            existing = [d.doc_id for d in table.all() if d["login"] == self.login]
            if existing:
                table.update(doc, doc_ids=existing)
            else:
                table.insert(doc)

    # -- envelopes ----------------------------------------------------------------

    def seal(self, value: Any, readers: Iterable[str]) -> dict[str, Any]:
        """``value`` (JSON) sealed to ``readers``; the member must be one of them."""
        from nacl.secret import SecretBox
        from nacl.utils import random as random_bytes

        key = random_bytes(SecretBox.KEY_SIZE)
        return {
            "v": 1,
            "value": self._encrypt(key, value),
            "keys": self._seal_key(key, readers),
        }

    def reseal(self, envelope: dict[str, Any], readers: Iterable[str]) -> dict[str, Any]:
        """The same value and items under a new key for ``readers``: a reader
        removed can open nothing sealed from now on."""
        from nacl.secret import SecretBox
        from nacl.utils import random as random_bytes

        key = self._key_of(envelope)
        fresh = random_bytes(SecretBox.KEY_SIZE)
        return {
            **envelope,
            "value": self._encrypt(fresh, self._decrypt(key, envelope["value"])),
            "items": [
                {**item, "value": self._encrypt(fresh, self._decrypt(key, item["value"]))}
                for item in envelope.get("items", [])
            ],
            "keys": self._seal_key(fresh, readers),
        }

    def replace(self, envelope: dict[str, Any], value: Any) -> dict[str, Any]:
        """The envelope with a new value (the author's edit), for the same readers."""
        return {**envelope, "value": self._encrypt(self._key_of(envelope), value)}

    def open(self, envelope: dict[str, Any]) -> Any:
        """The value, for a reader."""
        return self._decrypt(self._key_of(envelope), envelope["value"])

    def add_item(self, envelope: dict[str, Any], value: Any) -> dict[str, Any]:
        """The envelope with one more item (a comment), sealed under its key, that
        any reader can open; the value itself is left as its author wrote it."""
        key = self._key_of(envelope)
        item = {"by": self.login, "value": self._encrypt(key, value)}
        return {**envelope, "items": [*envelope.get("items", []), item]}

    def open_items(self, envelope: dict[str, Any]) -> list[tuple[str, Any]]:
        """``(login, value)`` of each item, oldest first."""
        key = self._key_of(envelope)
        return [(i["by"], self._decrypt(key, i["value"])) for i in envelope.get("items", [])]

    @staticmethod
    def readers(envelope: dict[str, Any]) -> list[str]:
        return sorted(envelope.get("keys", {}))

    def can_open(self, envelope: dict[str, Any]) -> bool:
        return self.login in envelope.get("keys", {})

    def _seal_key(self, key: bytes, readers: Iterable[str]) -> dict[str, str]:
        from nacl.public import PublicKey, SealedBox

        wanted = sorted(set(readers))
        if self.login not in wanted:
            raise ValidationError("you cannot seal what you could not read back yourself.")
        self.ensure_key()
        published = self.public_keys()
        missing = [login for login in wanted if login not in published]
        if missing:
            raise ValidationError(
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no key yet: "
                "a key is made the first time someone opens plc; ask them to open it once."
            )
        return {
            login: _b64(SealedBox(PublicKey(published[login])).encrypt(key)) for login in wanted
        }

    def _key_of(self, envelope: dict[str, Any]) -> bytes:
        from nacl.exceptions import CryptoError

        sealed = envelope.get("keys", {}).get(self.login)
        if sealed is None:
            raise PermissionDenied("this was not shared with you.")
        private = self._private()
        if private is None:
            self.ensure_key()  # finds a moved key, or says what to do when it is lost
            private = self._private()
        if private is None:
            raise KeyMissing("this was sealed to a key you no longer have.")
        try:
            return _opener(bytes(private)).decrypt(_unb64(sealed))
        except (CryptoError, ValueError):
            raise KeyMissing(
                "this was sealed to an older key of yours; restore that key's backup "
                "with `plc keys restore FILE` to read it."
            ) from None

    @staticmethod
    def _encrypt(key: bytes, value: Any) -> str:
        from nacl.secret import SecretBox

        data = json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
        return _b64(bytes(SecretBox(key).encrypt(data)))

    @staticmethod
    def _decrypt(key: bytes, text: str) -> Any:
        from nacl.exceptions import CryptoError
        from nacl.secret import SecretBox

        try:
            return json.loads(SecretBox(key).decrypt(_unb64(text)).decode("utf-8"))
        except (CryptoError, ValueError):
            raise PLCError(
                "a sealed record is damaged and cannot be opened; restore it with `plc db restore`."
            ) from None
