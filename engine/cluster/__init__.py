"""The batch command on a Ray cluster (`funscribe transcribe --cluster ray[=ADDRESS]`).

Only this package imports ray, and only its `driver` and `actor` modules do; nothing imports
them unless `--cluster` is given, so the desktop app and the frozen build never load Ray.
"""
