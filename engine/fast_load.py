"""Load FunASR weights by mapping model.pt, so that workers share the pages of one file.

FunASR's `load_pretrained_model` reads the whole checkpoint into private memory, deep-copies
it, then copies every tensor once more into the freshly built model: a second worker costs
as much as the first. Inside `fast_load()` the same function runs with three changes:
`torch.load` maps the file (`mmap=True`), the deep copy is skipped (nothing reads the
original afterwards), and `load_state_dict` adopts the mapped tensors (`assign=True`)
instead of copying them. The pages stay backed by the file (copy-on-write, never written
back), so every worker that maps the same model.pt shares them through the page cache.
FunASR's own key mapping, shape checks and `strict=True` still run; nothing is forked.

Set FUNSCRIBE_FAST_LOAD=0 to load the FunASR way (benchmarks compare the two).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ENV = "FUNSCRIBE_FAST_LOAD"
_CALLERS = ("funasr.auto.auto_model", "funasr.auto.auto_frontend")
_lock = threading.Lock()


@dataclass
class LoadedFile:
    """One checkpoint loaded under `fast_load`: how many tensors were adopted or converted."""

    path: str
    mapped: bool
    adopted: int = 0  # tensors the model now uses straight from the mapped file
    converted: int = 0  # tensors copied because the model wants another dtype
    keys: set[str] = field(default_factory=set)


def enabled() -> bool:
    """False when FUNSCRIBE_FAST_LOAD is set to 0/false/no/off."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


@contextlib.contextmanager
def fast_load(active: bool | None = None) -> Iterator[list[LoadedFile]]:
    """While active, FunASR checkpoints load mapped and adopted; yields a record per file.

    Patches module globals of FunASR's loader for the duration, so do not build two
    AutoModels on different threads at once (a lock makes a second caller wait).
    """
    records: list[LoadedFile] = []
    if not (enabled() if active is None else active):
        yield records
        return
    import funasr.auto.auto_model  # noqa: F401 - the caller whose name we rebind
    import torch
    from funasr.train_utils import load_pretrained_model as loader_module

    original = loader_module.load_pretrained_model

    def load_pretrained_model(path: str, model: torch.nn.Module, **kwargs: Any) -> Any:
        record = LoadedFile(path=str(path), mapped=_can_map(path, kwargs))
        records.append(record)
        if not record.mapped:
            return original(path=path, model=model, **kwargs)
        wanted = {k: v.dtype for k, v in model.state_dict().items()}
        model.load_state_dict = _adopting(model, wanted, record)  # type: ignore[method-assign]
        try:
            with _patched(loader_module, torch=_MappedTorch(torch), copy=_NO_DEEP_COPY):
                return original(path=path, model=model, **kwargs)
        finally:
            del model.load_state_dict

    with _lock:
        callers = [sys.modules[name] for name in _CALLERS if name in sys.modules]
        try:
            for module in callers:
                module.load_pretrained_model = load_pretrained_model  # type: ignore[attr-defined]
            yield records
        finally:
            for module in callers:
                module.load_pretrained_model = original  # type: ignore[attr-defined]


def release_freed_memory() -> bool:
    """Hand memory that Python and torch freed back to the OS (glibc `malloc_trim`).

    Model construction allocates random initial weights that the mapped ones replace; glibc
    keeps those freed pages in the heap unless asked. Returns False where there is no glibc.
    """
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c") or "libc.so.6"
    try:
        libc = ctypes.CDLL(name)
        return bool(libc.malloc_trim(0))
    except (OSError, AttributeError):
        return False


def _can_map(path: Any, kwargs: dict[str, Any]) -> bool:
    # A checkpoint fetched from an OSS bucket arrives as bytes, and only files can be mapped.
    return (
        kwargs.get("oss_bucket") is None and isinstance(path, str | Path) and Path(path).is_file()
    )


def _adopting(model: Any, wanted: dict[str, Any], record: LoadedFile) -> Any:
    """`model.load_state_dict` with assign=True, converting only tensors of another dtype."""
    bound = type(model).load_state_dict.__get__(model)

    def load_state_dict(state: dict[str, Any], strict: bool = True, assign: bool = False) -> Any:
        ready = {}
        for key, tensor in state.items():
            dtype = wanted.get(key)
            if dtype is not None and getattr(tensor, "dtype", dtype) != dtype:
                ready[key] = tensor.to(dtype)  # what a copying load would have done
                record.converted += 1
            else:
                ready[key] = tensor
                record.adopted += 1
            record.keys.add(key)
        return bound(ready, strict=strict, assign=True)

    return load_state_dict


class _MappedTorch:
    """`torch` as FunASR's loader sees it: `load` of a file path maps the file."""

    def __init__(self, torch: Any) -> None:
        self._torch = torch

    def __getattr__(self, name: str) -> Any:
        return getattr(self._torch, name)

    def load(self, f: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(f, str | Path) and "mmap" not in kwargs:
            try:
                return self._torch.load(f, *args, mmap=True, **kwargs)
            except RuntimeError:
                pass  # a legacy (non-zip) checkpoint cannot be mapped: read it whole
        return self._torch.load(f, *args, **kwargs)


# FunASR deep-copies the loaded checkpoint and never touches the original again.
_NO_DEEP_COPY = SimpleNamespace(deepcopy=lambda value, memo=None: value)


@contextlib.contextmanager
def _patched(module: Any, **names: Any) -> Iterator[None]:
    saved = {name: getattr(module, name) for name in names}
    try:
        for name, value in names.items():
            setattr(module, name, value)
        yield
    finally:
        for name, value in saved.items():
            setattr(module, name, value)
