"""Submissions handed in as one zip file, unpacked safely into a folder of their own.

A learning platform's "download all submissions" (Moodle: a folder per student; Canvas: one file
per student, named ``<student>_<id>_<id>_<file>``) gives a zip; so may a student. The grader takes
it as it is: ``python -m course_lib.grade submissions.zip --out grades.csv``. Only the notebooks
(``*.ipynb``) are taken out, each named by its path inside the zip, into a temporary folder that
is removed when the grader's process ends. The zip is only read, and it is not trusted:

* a member's path cannot leave the folder (``..``, an absolute path or a drive letter are dropped
  from it: ``../../etc/x.ipynb`` becomes ``etc/x.ipynb``);
* hidden files and folders (``.ipynb_checkpoints``) and macOS's ``__MACOSX`` copies are skipped;
* a member is read at most :data:`MAX_MEMBER_MB` MB unpacked, the whole zip :data:`MAX_TOTAL_MB` MB,
  counted as the bytes come out (a zip's own sizes can lie): a "zip bomb" stops with an error
  naming the member, before the disk fills; an encrypted member too.

>>> member_path("../../jdoe/01_energy_tables.ipynb"), member_path("__MACOSX/jdoe/._01_energy_tables.ipynb")
('jdoe/01_energy_tables.ipynb', None)
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

__all__ = ["MAX_MEMBER_MB", "MAX_TOTAL_MB", "member_path", "unpack"]

#: The most one notebook may take unpacked (a notebook full of stored charts is a few MB).
MAX_MEMBER_MB = 64
#: The most a whole zip may take unpacked.
MAX_TOTAL_MB = 4096
_CHUNK = 1024 * 1024
_MB = 1024 * 1024


def member_path(name: str) -> str | None:
    """Where the zip member ``name`` goes inside the folder, or None when it is not taken out.

    Only notebooks; no part that could leave the folder; nothing hidden, nothing of ``__MACOSX``.
    """
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts
             if p not in ("", ".", "..", "/") and not (len(p) == 2 and p[1] == ":")]
    if not parts or not parts[-1].lower().endswith(".ipynb") or name.endswith("/"):
        return None
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None
    return "/".join(parts)


def _copy_capped(source: IO[bytes], target: Path, name: str, zip_path: Path, budget: int) -> int:
    """Copy at most :data:`MAX_MEMBER_MB` MB (and ``budget`` bytes) of ``source``; the bytes written."""
    written = 0
    with open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > MAX_MEMBER_MB * _MB:
                raise ValueError(f"submissions {str(zip_path)!r}: {name!r} is larger than {MAX_MEMBER_MB} MB unpacked, "
                                 "far more than a notebook: the zip is not graded")
            if written > budget:
                raise ValueError(f"submissions {str(zip_path)!r}: more than {MAX_TOTAL_MB} MB unpacked "
                                 f"(at {name!r}): the zip is not graded")
            out.write(chunk)
    return written


def unpack(zip_path: str | Path) -> Path:
    """Take the notebooks out of the zip at ``zip_path`` into a temporary folder, and return it.

    The folder is removed when the process ends; the same unchanged zip is unpacked once per
    process. ``ValueError`` (naming the zip and the member) when it is not a zip, is encrypted, or
    unpacks larger than the limits.
    """
    stat = Path(zip_path).stat()
    return _unpack(Path(zip_path).resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _unpack(zip_path: Path, mtime_ns: int, size: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="course-grade-zip-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    budget = MAX_TOTAL_MB * _MB
    try:
        with zipfile.ZipFile(zip_path) as archive:
            for info in archive.infolist():
                path = member_path(info.filename)
                if path is None or info.is_dir():
                    continue
                if info.flag_bits & 0x1:
                    raise ValueError(f"submissions {str(zip_path)!r}: {info.filename!r} is encrypted: unzip it yourself "
                                     "with its password, then grade the folder")
                target, n = folder / path, 1
                while target.exists():  # two members that differ only in what was dropped: keep both
                    n += 1
                    target = (folder / path).with_name(f"{PurePosixPath(path).stem}-{n}.ipynb")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as source:
                    budget -= _copy_capped(source, target, info.filename, zip_path, budget)
    except zipfile.BadZipFile as error:
        raise ValueError(f"submissions {str(zip_path)!r} is not a zip file that can be read ({error})") from None
    return folder
