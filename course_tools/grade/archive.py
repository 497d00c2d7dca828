"""Submissions handed in as one zip file, unpacked safely into a folder of their own.

A learning platform's "download all submissions" (Moodle: a folder per student; Canvas: one file
per student, named ``<student>_<id>_<id>_<file>``) gives a zip; so may a student. The grader takes
it as it is: ``python -m course_lib.grade submissions.zip --out grades.csv``. The notebooks
(``*.ipynb``) are taken out, each named by its path inside the zip, into a temporary folder that
is removed when the grader's process ends; so are, at the zip's root only, the two files of the
in-browser course's "Download all my work" zip (a *work zip*): its description
:data:`WORK_MANIFEST` and the attempt log :data:`ATTEMPT_LOG`.

A member that is itself a zip (a platform's "download all" of students' work zips: Canvas names
each ``<student>_<id>_<id>_course-work-2026-12-07.zip``, Moodle puts each in a folder per student)
is unpacked one level deep, into a folder named by its path without ``.zip``
(``alice_12_34_course-work-2026-12-07/01_energy_tables.ipynb``), by the same rules: notebooks
anywhere, the two work files at its root. A zip inside that one (a zip inside a zip inside a zip)
is not followed: it is skipped like any other file.

The zip is only read, and it is not trusted:

* a member's path cannot leave the folder (``..``, an absolute path or a drive letter are dropped
  from it: ``../../etc/x.ipynb`` becomes ``etc/x.ipynb``), nor can a member of a zip inside it;
* hidden files and folders (``.ipynb_checkpoints``) and macOS's ``__MACOSX`` copies are skipped
  (the attempt log, hidden by its name, only at a zip's root);
* a member is read at most :data:`MAX_MEMBER_MB` MB unpacked (a zip inside: the zip itself, and
  each of its members), everything together :data:`MAX_TOTAL_MB` MB, counted as the bytes come
  out (a zip's own sizes can lie): a "zip bomb", in the zip or in a zip inside it, stops with an
  error naming the member, before the disk fills; an encrypted member too.

>>> member_path("../../jdoe/01_energy_tables.ipynb"), member_path("__MACOSX/jdoe/._01_energy_tables.ipynb")
('jdoe/01_energy_tables.ipynb', None)
>>> member_path(".course_attempts.jsonl"), member_path("jdoe/.course_attempts.jsonl"), member_path("jdoe/notes.txt")
('.course_attempts.jsonl', None, None)
>>> member_path("Jane Doe_123_/course-work-2026-12-07.zip"), member_path("jdoe/x.zip", nested=True)
('Jane Doe_123_/course-work-2026-12-07.zip', None)
"""

from __future__ import annotations

import atexit
import functools
import io
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

__all__ = ["MAX_MEMBER_MB", "MAX_TOTAL_MB", "WORK_MANIFEST", "ATTEMPT_LOG", "member_path", "unpack"]

#: The most one notebook may take unpacked (a notebook full of stored charts is a few MB).
MAX_MEMBER_MB = 64
#: The most a whole zip may take unpacked.
MAX_TOTAL_MB = 4096
#: The description at the root of a work zip (``{"kind": "course-work", "version": 1, ...}``).
WORK_MANIFEST = "course-work.json"
#: The attempt log at the root of a work zip (the file name of :data:`course_lib.attempts.FILE_NAME`).
ATTEMPT_LOG = ".course_attempts.jsonl"
_AT_ROOT = (WORK_MANIFEST, ATTEMPT_LOG)
_CHUNK = 1024 * 1024
_MB = 1024 * 1024


def member_path(name: str, nested: bool = False) -> str | None:
    """Where the zip member ``name`` goes inside the folder, or None when it is not taken out.

    Notebooks; :data:`WORK_MANIFEST` and :data:`ATTEMPT_LOG` at the root; a zip (unless ``nested``:
    the member of a zip inside the zip); no part that could leave the folder; nothing else hidden,
    nothing of ``__MACOSX``.
    """
    parts = [p for p in PurePosixPath(name.replace("\\", "/")).parts
             if p not in ("", ".", "..", "/") and not (len(p) == 2 and p[1] == ":")]
    if not parts or name.endswith("/"):
        return None
    if len(parts) == 1 and parts[0] in _AT_ROOT:
        return parts[0]
    suffix = parts[-1].lower()
    if not (suffix.endswith(".ipynb") or (suffix.endswith(".zip") and not nested and len(suffix) > 4)):
        return None
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return None
    return "/".join(parts)


def _copy_capped(source: IO[bytes], target: IO[bytes], name: str, zip_path: Path, budget: int, what: str = "a notebook") -> int:
    """Copy at most :data:`MAX_MEMBER_MB` MB (and ``budget`` bytes) of ``source``; the bytes written."""
    written = 0
    while chunk := source.read(_CHUNK):
        written += len(chunk)
        if written > MAX_MEMBER_MB * _MB:
            raise ValueError(f"submissions {str(zip_path)!r}: {name!r} is larger than {MAX_MEMBER_MB} MB unpacked, "
                             f"far more than {what}: the zip is not graded")
        if written > budget:
            raise ValueError(f"submissions {str(zip_path)!r}: more than {MAX_TOTAL_MB} MB unpacked "
                             f"(at {name!r}): the zip is not graded")
        target.write(chunk)
    return written


def unpack(zip_path: str | Path) -> Path:
    """Take the notebooks (and work zips' files) out of the zip at ``zip_path`` into a temporary folder.

    Returns the folder. It is removed when the process ends; the same unchanged zip is unpacked
    once per process. ``ValueError`` (naming the zip and the member) when it, or a zip inside it,
    is not a zip, is encrypted, or unpacks larger than the limits.
    """
    stat = Path(zip_path).stat()
    return _unpack(Path(zip_path).resolve(), stat.st_mtime_ns, stat.st_size)


def _free(path: Path, is_folder: bool = False) -> Path:
    """``path``, or ``path`` with ``-2``, ``-3`` ... added to its name while that is taken (two
    members that differ only in what was dropped from their paths: both kept)."""
    target, n = path, 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}-{n}" if is_folder else f"{path.stem}-{n}{path.suffix}")
    return target


def _extract(archive: zipfile.ZipFile, folder: Path, zip_path: Path, budget: int, prefix: str = "") -> int:
    """Take the members of ``archive`` out into ``folder``; the bytes left of ``budget``.

    ``prefix`` is the path of ``archive`` inside the zip given (a zip inside it), for messages; such
    a zip's own zips are not followed.
    """
    nested = bool(prefix)
    zips = []
    for info in archive.infolist():
        path = member_path(info.filename, nested)
        if path is None or info.is_dir():
            continue
        name = f"{prefix}/{info.filename}" if nested else info.filename
        if info.flag_bits & 0x1:
            raise ValueError(f"submissions {str(zip_path)!r}: {name!r} is encrypted: unzip it yourself "
                             "with its password, then grade the folder")
        if path.lower().endswith(".zip"):
            zips.append((info, path))  # after the plain members, into a folder not taken by them
            continue
        target = _free(folder / path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as source, open(target, "wb") as out:
            budget -= _copy_capped(source, out, name, zip_path, budget)
    for info, path in zips:
        # Read into memory (at most MAX_MEMBER_MB): zipfile needs to seek in it.
        data = io.BytesIO()
        with archive.open(info) as source:
            _copy_capped(source, data, info.filename, zip_path, MAX_MEMBER_MB * _MB, "a student's work")
        target = _free(folder / path[:-4], is_folder=True)
        target.mkdir(parents=True)
        try:
            with zipfile.ZipFile(data) as inner:
                budget = _extract(inner, target, zip_path, budget, info.filename)
        except zipfile.BadZipFile as error:
            raise ValueError(f"submissions {str(zip_path)!r}: {info.filename!r} is not a zip file that can be read "
                             f"({error}): take it out of the zip, or repair it, and grade again") from None
    return budget


@functools.lru_cache(maxsize=8)
def _unpack(zip_path: Path, mtime_ns: int, size: int) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="course-grade-zip-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            _extract(archive, folder, zip_path, MAX_TOTAL_MB * _MB)
    except zipfile.BadZipFile as error:
        raise ValueError(f"submissions {str(zip_path)!r} is not a zip file that can be read ({error})") from None
    return folder
