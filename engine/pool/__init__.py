"""The worker pool: a queue of jobs run on warm worker processes (QtCore only)."""

from engine.pool import pyside_compat  # first: before any signal is emitted

__all__ = ["pyside_compat"]
