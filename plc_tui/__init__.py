"""plc: a terminal application for school professional learning communities."""

__version__ = "0.1.0"
