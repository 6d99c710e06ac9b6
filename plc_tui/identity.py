"""Who is running plc: the operating-system user, the server's own notion of identity."""

from __future__ import annotations

import getpass
import os


def current_login() -> str:
    """The login name of the user running this process."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return getpass.getuser()


def current_full_name() -> str:
    """The user's full name from the password database, or their login."""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        gecos = ""
    return gecos or current_login()
