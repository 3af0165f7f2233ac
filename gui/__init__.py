"""FunScribe desktop window: PySide6 widgets over the engine's worker pool."""
