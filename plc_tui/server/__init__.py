"""Serving plc to members on a shared server: their SSH keys, the confinement of
a served session, and the servers (``plc serve ssh``, ``plc serve web``)."""
