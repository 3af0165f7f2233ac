"""Test support: random-weight FunASR models built locally, so tests never download."""
