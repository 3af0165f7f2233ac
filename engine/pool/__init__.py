"""The worker pool: a queue of jobs run on warm worker processes (QtCore only)."""
