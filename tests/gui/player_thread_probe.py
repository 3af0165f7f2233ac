"""Drive `Player` as the player bar does (play, seek, speed, pause, another source, stop,
delete); run by tests/gui/test_player_threads.py under gdb, which watches which threads take
the GIL. Prints "probe done" at the end."""

from __future__ import annotations

import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from gui.player import Player

    app = QApplication.instance() or QApplication([])

    def spin(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    for _ in range(2):
        player = Player()
        player.play_from(DATA / "speech.wav", 500)
        spin(0.8)
        player.seek(3000)
        player.set_rate(1.5)
        spin(0.3)
        player.pause()
        spin(0.2)
        player.play_from(DATA / "speech.mp4", 0)  # a new source tears the old one down
        spin(0.8)
        player.stop()
        spin(0.3)
        player.deleteLater()
        spin(0.3)
    print("probe done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
