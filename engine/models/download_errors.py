"""Turn what the ModelScope client raises into a download error code and a message with a fix."""

from __future__ import annotations

import errno
import os

from engine.models.download_protocol import DownloadErrorCode
from engine.models.presets import ROLE_TITLES, ModelRef

_DISK_ERRNOS = (errno.ENOSPC, errno.EACCES, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC))
_NETWORK_CLASSES = {
    "NetworkError",
    "RequestTimeoutError",
    "ServerError",
    "RateLimitError",
    "ConnectionError",
    "Timeout",
    "ChunkedEncodingError",
    "ProtocolError",
    "IncompleteRead",
    "_IncompleteBodyError",
    "_DownloadDeadlineError",
    "_LowSpeedError",
}
_MISSING_CLASSES = {"NotExistError", "NoValidRevisionError"}
_DENIED_CLASSES = {"AuthenticationError", "PermissionDeniedError"}
_INTEGRITY_CLASSES = {"FileIntegrityError", "FileSizeMismatchError"}


class DownloadFailed(Exception):
    """A download that stopped, with its error code and a message for the user."""

    def __init__(self, code: DownloadErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def endpoint() -> str:
    """The hub the client talks to, as the endpoint variables set it."""
    return (
        os.environ.get("MODELSCOPE_ENDPOINT", "").strip()
        or os.environ.get("MODELSCOPE_DOMAIN", "").strip()
        or "https://modelscope.cn"
    )


def classify(exc: BaseException, ref: ModelRef, role: str) -> DownloadFailed:
    """The DownloadFailed for `exc`, raised while fetching `ref` for `role`."""
    failed = getattr(exc, "failed_files", None) or {}
    file = next(iter(failed), "")
    chain = _chain(exc) + [e for inner in failed.values() for e in _chain(inner)]
    names = {cls.__name__ for e in chain for cls in type(e).__mro__}
    what = f"the {ROLE_TITLES.get(role, role)} model {ref.label}"
    where = f", file {file}" if file else ""
    status = next((s for e in chain if (s := _status(e)) is not None), None)
    if names & _MISSING_CLASSES or status == 404:
        return DownloadFailed(
            DownloadErrorCode.NOT_FOUND,
            f"{endpoint()} does not have {what}. Check the mirror in MODELSCOPE_ENDPOINT, or "
            "update FunScribe if the model moved.",
        )
    if names & _DENIED_CLASSES or status in (401, 403):
        return DownloadFailed(
            DownloadErrorCode.NOT_FOUND,
            f"{endpoint()} refused access to {what}. Check the mirror in MODELSCOPE_ENDPOINT "
            "or your ModelScope token.",
        )
    if names & _INTEGRITY_CLASSES:
        return DownloadFailed(
            DownloadErrorCode.INTEGRITY,
            f"{endpoint()} kept sending damaged data for {what}{where} (wrong size or "
            "checksum). Try again later or use another mirror.",
        )
    disk = next((e for e in chain if _is_disk_error(e)), None)
    if disk is not None:
        return DownloadFailed(
            DownloadErrorCode.DISK,
            f"Could not write {what}{where}: {disk}. Free some disk space or choose another "
            "model folder (FUNSCRIBE_MODEL_CACHE).",
        )
    if names & _NETWORK_CLASSES or (status is not None and status >= 500):
        return DownloadFailed(
            DownloadErrorCode.NETWORK,
            f"Lost the connection to {endpoint()} while downloading {what}{where}. Check your "
            "network (or the mirror in MODELSCOPE_ENDPOINT) and download again: the files "
            "that arrived are kept and the rest resumes.",
        )
    return DownloadFailed(
        DownloadErrorCode.INTERNAL,
        f"Downloading {what}{where} failed: {type(exc).__name__}: {exc}",
    )


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and its causes/contexts, outermost first."""
    out: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in out:
        out.append(current)
        current = current.__cause__ or current.__context__
    return out


def _status(exc: BaseException) -> int | None:
    """The HTTP status an exception carries, if any."""
    status = getattr(exc, "status_code", None)
    response = getattr(exc, "response", None)
    if status is None and response is not None:
        status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _is_disk_error(exc: BaseException) -> bool:
    return (
        isinstance(exc, OSError)
        and not isinstance(exc, ConnectionError | TimeoutError)
        and exc.errno in _DISK_ERRNOS
    )
