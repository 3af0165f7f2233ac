"""Which models a worker loads: four folders (or hub ids), ASR required, the rest optional."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

ROLES = ("asr", "vad", "punc", "spk")


@dataclass(frozen=True)
class ModelSet:
    """Model locations by role; `None` leaves a stage out (no VAD, no punctuation, no speakers)."""

    asr: str
    vad: str | None = None
    punc: str | None = None
    spk: str | None = None

    @classmethod
    def from_dir(cls, root: str | Path) -> ModelSet:
        """The `--models DIR` convention: DIR/asr, DIR/vad, DIR/punc, DIR/spk (asr required)."""
        base = Path(root)
        found = {role: str(base / role) if (base / role).is_dir() else None for role in ROLES}
        if found["asr"] is None:
            raise FileNotFoundError(f"no ASR model folder at {base / 'asr'}")
        return cls(asr=found["asr"], vad=found["vad"], punc=found["punc"], spk=found["spk"])

    def as_dict(self) -> dict[str, str | None]:
        """Role → location, for `hello` and transcripts."""
        return asdict(self)

    def worker_args(self) -> list[str]:
        """The worker's command-line arguments naming these models (`--asr DIR --vad DIR ...`)."""
        return [
            arg for role, where in self.as_dict().items() if where for arg in (f"--{role}", where)
        ]
