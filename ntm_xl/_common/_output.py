"""Writing an output file safely: beside its destination, flushed, then renamed into place."""

from __future__ import annotations

import errno
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

from ._errors import OutputError

__all__ = ["TEMPORARY_PREFIX", "atomic_output", "output_error"]

TEMPORARY_PREFIX = ".~ntm-"
STALE_SECONDS = 24 * 3600  # where a writer's process cannot be asked whether it still runs


def output_error(path: Path, error: OSError) -> OutputError:
    """The message for an output that could not be written, by what the system said."""
    if error.errno == errno.ENOSPC:
        why = "ổ đĩa đã đầy; cần giải phóng chỗ trống rồi chạy lại"
    elif error.errno == errno.EFBIG:
        why = "tệp vượt giới hạn kích thước tệp của hệ thống"
    elif error.errno == errno.EDQUOT:
        why = "đã hết hạn mức dung lượng của người dùng"
    elif error.errno in (errno.EACCES, errno.EPERM):
        why = "không có quyền ghi vào đó"
    elif error.errno == errno.EROFS:
        why = "ổ đĩa chỉ cho đọc"
    else:
        why = error.strerror or str(error)
    return OutputError(f"Không ghi được tệp '{path}': {why}.")


def _os_error(exc: BaseException) -> OSError | None:
    """The system error behind ``exc`` (xlsxwriter wraps it in its own), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError):
            return current
        inner = next((a for a in getattr(current, "args", ()) if isinstance(a, OSError)), None)
        current = inner or current.__cause__ or current.__context__
    return None


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporary outputs a killed run left behind: removed when their writer is gone."""
    try:
        leftovers = list(folder.glob(TEMPORARY_PREFIX + "*"))
    except OSError:
        return
    now = time.time()
    for leftover in leftovers:
        pid_text = leftover.name[len(TEMPORARY_PREFIX) :].split("-", 1)[0]
        try:
            if pid_text.isdigit() and os.name == "posix":
                if _running(int(pid_text)):
                    continue
            elif now - leftover.stat().st_mtime < STALE_SECONDS:
                continue
            leftover.unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True


class atomic_output:
    """Context manager: yields a temporary path, renamed to ``path`` on success.

    The file is written beside its destination, flushed to disk, then renamed, so a
    crash never leaves half a file; a temporary a killed run left is removed by the
    next run. A full disk or a file-size limit becomes an ``OutputError``. If the
    destination cannot be replaced (open in Excel on Windows, say), the finished file
    is kept under another name and ``OutputError`` says where.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary: Path | None = None

    def __enter__(self) -> Path:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(folder)
            handle, name = tempfile.mkstemp(
                prefix=f"{TEMPORARY_PREFIX}{os.getpid()}-", suffix=self.path.suffix, dir=folder
            )
        except OSError as exc:
            raise OutputError(f"Không tạo được tệp trong thư mục '{folder}': {exc.strerror or exc}.") from exc
        os.close(handle)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        assert self.temporary is not None
        if exc is not None:
            self.temporary.unlink(missing_ok=True)
            error = _os_error(exc)
            if error is not None and not isinstance(exc, OutputError):
                raise output_error(self.path, error) from exc
            return
        try:
            _flush_to_disk(self.temporary)
        except OSError as error:
            self.temporary.unlink(missing_ok=True)
            raise output_error(self.path, error) from error
        # mkstemp makes the file private; give it the permissions of any new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)
        try:
            os.replace(self.temporary, self.path)
        except OSError as error:
            kept = self.path.with_name(f"{self.path.stem} ({datetime.now():%Y%m%d-%H%M%S}){self.path.suffix}")
            try:
                os.replace(self.temporary, kept)
            except OSError:
                kept = self.temporary
            raise OutputError(
                f"Không ghi đè được tệp '{self.path}' (tệp có thể đang mở trong Excel): "
                f"{error.strerror or error}. Kết quả đã được ghi vào '{kept}'."
            ) from error
        _flush_folder(self.path.parent)


def _flush_to_disk(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _flush_folder(folder: Path) -> None:
    """The rename itself reaches the disk (POSIX; Windows has no handle on folders)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
