"""Fixes for FunASR 1.4.16 defects, each applied at the narrowest point and only where present.

Plain Paraformer timestamps (FunASR issue #3723, fixed upstream by PR #3716, not in 1.4.16):
`Paraformer.inference` calls `ts_prediction_lfr6_standard(us_alphas, us_peaks, ...)` with the
CIF peaks and alphas swapped, so the helper falls back to spreading tokens evenly and returns
plausible-looking wrong times. We rebind that one name in `funasr.models.paraformer.model`
(the only caller reading it from there) to a wrapper that swaps the two arguments back. Models
with their own timestamp code (SeACo, BiCif) import the helper into their own modules and are
untouched. The wrapper is installed only when the buggy call is in the installed source.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

# The call as 1.4.16 writes it: the peaks (`pre_peak_index`) first, where alphas belong.
_SWAPPED_CALL = re.compile(r"ts_prediction_lfr6_standard\(\s*timestamp_pre_peak_index\s*,")
_MARK = "_funscribe_swaps_alphas_and_peaks"


def paraformer_timestamps_swapped() -> bool:
    """Whether the installed `Paraformer.inference` passes CIF peaks and alphas swapped."""
    from funasr.models.paraformer import model as paraformer

    try:
        source = inspect.getsource(paraformer.Paraformer.inference)
    except (OSError, TypeError):
        # No sources (a frozen build without them): trust the version the bug is known in.
        import funasr

        return str(getattr(funasr, "__version__", "")) == "1.4.16"
    return bool(_SWAPPED_CALL.search(source))


def apply() -> list[str]:
    """Install every fix this FunASR needs; returns the names of those installed (idempotent)."""
    from funasr.models.paraformer import model as paraformer

    installed: list[str] = []
    original = paraformer.ts_prediction_lfr6_standard
    if getattr(original, _MARK, False):
        return ["paraformer-timestamps"]
    if paraformer_timestamps_swapped():

        def ts_prediction_lfr6_standard(
            us_peaks: Any, us_alphas: Any, *args: Any, **kw: Any
        ) -> Any:
            return original(us_alphas, us_peaks, *args, **kw)

        setattr(ts_prediction_lfr6_standard, _MARK, True)
        paraformer.ts_prediction_lfr6_standard = ts_prediction_lfr6_standard
        installed.append("paraformer-timestamps")
    return installed


def undo() -> None:
    """Remove the fixes (tests use it to show the defect they guard against)."""
    from funasr.models.paraformer import model as paraformer
    from funasr.utils.timestamp_tools import ts_prediction_lfr6_standard

    paraformer.ts_prediction_lfr6_standard = ts_prediction_lfr6_standard
