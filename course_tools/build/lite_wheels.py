"""Wheels for the browser course: checksums, metadata, requirements, and Pyodide's lock file.

Small pure functions the browser build (:mod:`course_tools.build.lite`) is made of; each failure is
a :class:`LiteBuildError` whose message names the file or package at fault.

>>> env = marker_environment("3.12.7")
>>> env["sys_platform"], env["python_version"]
('emscripten', '3.12')
>>> canonical("Typing_Extensions")
'typing-extensions'
"""

from __future__ import annotations

import base64
import email.parser
import fnmatch
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version
from pyodide_lock import PackageSpec

__all__ = [
    "LiteBuildError", "canonical", "sha256_of", "verify_sha256", "WheelInfo", "read_wheel",
    "marker_environment", "check_requirements", "derive_pure_wheel", "lock_entry", "lock_closure",
]

_CHUNK = 1 << 20


class LiteBuildError(ValueError):
    """The browser build cannot go on: the message names the file, package or notebook at fault."""


def canonical(name: str) -> str:
    """A distribution name in its normalized form (PEP 503): lower case, runs of ``-_.`` as ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256_of(path: Path) -> str:
    """The sha256 of a file, as 64 hex digits."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str, *, source: str) -> None:
    """Raise :class:`LiteBuildError` naming ``path`` unless its sha256 is ``expected``.

    ``source`` says where the expected value comes from (a pin, the official lock file), so the
    message tells what to check.
    """
    if not path.is_file():
        raise LiteBuildError(f"{path.name} is missing (looked for {path})")
    found = sha256_of(path)
    if found != expected.lower():
        raise LiteBuildError(
            f"sha256 mismatch for {path.name}: {source} says {expected}, the file has {found} "
            f"({path}); the file is not the one pinned: delete it so that the build fetches it again, "
            "or check where it came from"
        )


@dataclass(frozen=True)
class WheelInfo:
    """What the build needs to know about a wheel: its name, version, requirements and imports."""

    name: str
    version: str
    requires_python: str
    requires: tuple[str, ...]
    imports: tuple[str, ...]
    file: str = field(default="")


def read_wheel(path: Path) -> WheelInfo:
    """Name, version, ``Requires-Python``, ``Requires-Dist`` and top-level import names of a wheel."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            metadata_name = next((n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA")), None)
            if metadata_name is None:
                raise LiteBuildError(f"{path.name} has no .dist-info/METADATA: not a wheel")
            metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
            top_level_name = metadata_name.replace("METADATA", "top_level.txt")
            if top_level_name in names:
                imports = [line.strip() for line in archive.read(top_level_name).decode().splitlines() if line.strip()]
            else:
                imports = _top_level(names)
    except zipfile.BadZipFile as error:
        raise LiteBuildError(f"{path.name} is not a readable wheel: {error}") from None
    return WheelInfo(
        name=str(metadata["Name"]), version=str(metadata["Version"]),
        requires_python=str(metadata.get("Requires-Python") or ""),
        requires=tuple(str(r) for r in metadata.get_all("Requires-Dist") or ()),
        imports=tuple(sorted(set(imports))), file=path.name,
    )


def _top_level(names: Iterable[str]) -> list[str]:
    found = set()
    for name in names:
        first = name.split("/", 1)[0]
        if first.endswith((".dist-info", ".data")) or first == "__pycache__":
            continue
        if "/" in name:
            found.add(first)
        elif first.endswith(".py"):
            found.add(first[:-3])
    return sorted(found)


def marker_environment(python: str) -> dict[str, str]:
    """The values of PEP 508 environment markers inside Pyodide running Python ``python`` (x.y.z)."""
    major_minor = ".".join(python.split(".")[:2])
    return {
        "implementation_name": "cpython", "implementation_version": python, "os_name": "posix",
        "platform_machine": "wasm32", "platform_release": "", "platform_system": "Emscripten",
        "platform_version": "", "python_full_version": python, "platform_python_implementation": "CPython",
        "python_version": major_minor, "sys_platform": "emscripten", "extra": "",
    }


def check_requirements(wheels: Iterable[WheelInfo], shipped: Mapping[str, str], python: str,
                       not_needed: Mapping[str, str]) -> None:
    """Every requirement of every wheel is met in the browser, else :class:`LiteBuildError`.

    ``shipped`` maps canonical distribution names to the versions the site holds; ``not_needed``
    maps canonical names to the reason a requirement is left out on purpose. Requirements whose
    markers do not apply in Pyodide (e.g. ``python_version < '3.9'``) are skipped. Each problem is
    listed, naming the wheel, the requirement and what the site has.
    """
    env = marker_environment(python)
    problems = []
    for wheel in wheels:
        where = f"{wheel.name} {wheel.version} ({wheel.file})" if wheel.file else f"{wheel.name} {wheel.version}"
        try:
            if wheel.requires_python and not SpecifierSet(wheel.requires_python).contains(python):
                problems.append(f"{where} needs Python {wheel.requires_python}; the browser runs Python {python}")
        except InvalidSpecifier:
            problems.append(f"{where} has an unreadable Requires-Python: {wheel.requires_python!r}")
        for text in wheel.requires:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                problems.append(f"{where} has an unreadable requirement: {text!r}")
                continue
            if requirement.marker is not None and not requirement.marker.evaluate(env):
                continue
            name = canonical(requirement.name)
            if name in not_needed:
                continue
            if name not in shipped:
                problems.append(f"{where} needs {requirement}, which the site does not include")
                continue
            try:
                ok = requirement.specifier.contains(Version(shipped[name]), prereleases=True)
            except InvalidVersion:
                ok = False
            if not ok:
                problems.append(f"{where} needs {requirement}; the site has {name} {shipped[name]}")
    if problems:
        raise LiteBuildError("unsupported package versions for the browser:\n  - " + "\n  - ".join(problems))


def derive_pure_wheel(source: Path, out_dir: Path, drop: Iterable[str], keep: Iterable[str] = ()) -> Path:
    """A ``py3-none-any`` wheel made from ``source`` by leaving out the paths matching ``drop``
    unless they match ``keep`` (e.g. every locale but the few the course reads).

    ``drop`` holds :mod:`fnmatch` patterns of paths inside the wheel (e.g. a compiled speed-up,
    ``"markupsafe/_speedups*"``). ``WHEEL`` is re-tagged and ``RECORD`` rewritten. The result is
    byte-for-byte the same on every run (fixed timestamps), so it can be cached and compared.
    """
    match = re.match(r"^([^-]+)-([^-]+)-", source.name)
    if match is None:
        raise LiteBuildError(f"{source.name} is not a wheel file name")
    dist, version = match.group(1), match.group(2)
    patterns, kept_patterns = tuple(drop), tuple(keep)
    target = out_dir / f"{dist.lower()}-{version}-py3-none-any.whl"
    files: dict[str, bytes] = {}
    dropped = 0
    with zipfile.ZipFile(source) as archive:
        for name in sorted(archive.namelist()):
            if (any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)
                    and not any(fnmatch.fnmatchcase(name, pattern) for pattern in kept_patterns)):
                dropped += 1
                continue
            if not name.endswith(".dist-info/RECORD"):
                files[name] = archive.read(name)
    if patterns and not dropped:
        raise LiteBuildError(f"{source.name}: nothing matches {', '.join(patterns)}; check the patterns in "
                             "course_tools/build/lite_versions.py")
    wheel_name = next((n for n in files if n.endswith(".dist-info/WHEEL")), None)
    if wheel_name is None:
        raise LiteBuildError(f"{source.name} has no .dist-info/WHEEL")
    kept = [line for line in files[wheel_name].decode().splitlines()
            if not line.startswith(("Tag:", "Root-Is-Purelib:")) and line.strip()]
    files[wheel_name] = ("\n".join(kept + ["Root-Is-Purelib: true", "Tag: py3-none-any"]) + "\n").encode()
    record_name = wheel_name.replace("/WHEEL", "/RECORD")
    lines = []
    for name, payload in files.items():
        encoded = base64.urlsafe_b64encode(hashlib.sha256(payload).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={encoded},{len(payload)}")
    lines.append(f"{record_name},,")
    files[record_name] = ("\n".join(lines) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, payload in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload)
    out_dir.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    return target


def lock_entry(wheel: WheelInfo, sha256: str, depends: Iterable[str]) -> PackageSpec:
    """A ``pyodide-lock.json`` entry for a wheel the site serves next to Pyodide itself.

    The entry is ``pyodide-lock``'s own model, filled from what :func:`read_wheel` found rather than
    by its ``package_spec_from_wheel``: that one guesses imports only from folders holding a ``.py``
    file, ignoring ``top_level.txt`` (a package whose module is compiled alone would be missed; on
    the wheels the site ships today both give the same names), needs ``pkginfo`` besides, and lists
    as ``depends`` every requirement whose marker applies, stopping at any the site leaves out on
    purpose (:data:`~.lite_versions.FRONTEND_ONLY`, :data:`~.lite_versions.NOT_IN_BROWSER`,
    :data:`~.lite_versions.ON_DEMAND`), where the caller here passes only what the site ships.
    The sha256 is the same either way: that of the file's bytes.

    >>> wheel = WheelInfo("Pint", "0.25.3", ">=3.11", ("flexcache>=0.3",), ("pint",), "pint-0.25.3-py3-none-any.whl")
    >>> entry = lock_entry(wheel, "0" * 64, ["flexcache", "Flexparser"])
    >>> entry.name, entry.depends, entry.imports, entry.install_dir
    ('pint', ['flexcache', 'flexparser'], ['pint'], 'site')
    """
    return PackageSpec(
        name=canonical(wheel.name), version=wheel.version, file_name=wheel.file,
        install_dir="site", sha256=sha256, package_type="package",
        imports=list(wheel.imports), depends=sorted({canonical(d) for d in depends}),
        unvendored_tests=False,
    )


def lock_closure(depends: Mapping[str, Iterable[str]], roots: Iterable[str]) -> list[str]:
    """The canonical names of ``roots`` and everything they depend on in a Pyodide lock file, given
    each package's ``depends`` (its names as the lock file spells them).

    >>> depends = {"pandas": ["numpy", "pytz"], "numpy": [], "pytz": []}
    >>> lock_closure(depends, ["pandas"])
    ['numpy', 'pandas', 'pytz']
    """
    by_name = {canonical(k): list(v) for k, v in depends.items()}
    seen: set[str] = set()
    stack = [canonical(r) for r in roots]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        if name not in by_name:
            raise LiteBuildError(f"{name} is not in the official Pyodide lock file: it cannot be shipped as compiled")
        seen.add(name)
        stack.extend(canonical(d) for d in by_name[name])
    return sorted(seen)
