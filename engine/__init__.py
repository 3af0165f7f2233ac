"""FunScribe engine: worker, protocol, transcripts."""

__version__ = "0.1.0"
