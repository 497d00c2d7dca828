"""The public API is typed: mypy finds 0 errors in course_lib (configuration in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # mypy over course_lib and its dependencies' types: tens of seconds
def test_mypy_finds_no_error_in_course_lib():
    result = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout


def test_the_package_says_it_is_typed():
    assert (ROOT / "course_lib" / "py.typed").is_file()


def _public_functions():
    import importlib
    import inspect
    import pkgutil

    import course_lib

    seen = {}
    for info in pkgutil.walk_packages(course_lib.__path__, "course_lib."):
        if info.name.endswith("__main__") or ".datasets" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            value = getattr(module, name, None)
            if inspect.isfunction(value) and value.__module__.startswith("course_lib"):
                seen[f"{value.__module__}.{value.__qualname__}"] = value
    return sorted(seen.items())


def test_every_public_function_is_annotated():
    import inspect

    missing = []
    for name, function in _public_functions():
        signature = inspect.signature(function)
        unannotated = [p for p, param in signature.parameters.items()
                       if param.annotation is inspect.Parameter.empty and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)]
        if unannotated or signature.return_annotation is inspect.Signature.empty:
            missing.append(f"{name}({', '.join(unannotated)}){'' if signature.return_annotation is not inspect.Signature.empty else ' -> ?'}")
    assert len(_public_functions()) > 100
    assert missing == []
