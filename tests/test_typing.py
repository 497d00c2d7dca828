"""The public API is typed: mypy finds 0 errors in course_lib and course_tools (configuration in pyproject.toml)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# mypy's own incremental cache, kept between runs in build/ (ignored by git): a run after a change
# re-checks the files changed and those that import them (under a second, against about 50 CPU-seconds
# for a cold check of everything); a fresh clone checks everything once. The verdict is the same.
MYPY_CACHE = ROOT / "build" / "mypy-cache"


@pytest.mark.slow  # mypy over course_lib and its dependencies' types: tens of seconds on a cold cache
def test_mypy_finds_no_error_in_course_lib():
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(MYPY_CACHE / "package")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "Success: no issues found" in result.stdout


def test_the_package_says_it_is_typed():
    assert (ROOT / "course_lib" / "py.typed").is_file()


def _public_functions():
    import importlib
    import inspect
    import pkgutil

    import course_lib
    import course_tools

    seen = {}
    for package in (course_lib, course_tools):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if info.name.endswith("__main__") or ".datasets" in info.name:
                continue
            module = importlib.import_module(info.name)
            for name in getattr(module, "__all__", []):
                value = getattr(module, name, None)
                if inspect.isfunction(value) and value.__module__.startswith(package.__name__):
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


@pytest.mark.slow
def test_mypy_sees_a_topic_s_names_and_rejects_a_typo(tmp_path):
    """A topic's facade is lazy, yet typed (its __init__.pyi): a misspelt name is an error, the right one is not."""
    script = tmp_path / "script.py"
    script.write_text("from course_lib import economics, zeri\n"
                      "zeri.run_cascade(1)\n"
                      "zeri.run_cascadee(1)\n"
                      "economics.appraise('zeri').npv\n")
    # Third-party packages are not followed: only course_lib's own names matter here (and it is fast).
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n"
                      "[mypy-pandas.*,numpy.*,altair.*,pint.*,ipywidgets.*,networkx.*,IPython.*]\nfollow_imports = skip\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(MYPY_CACHE / "typo"), "--config-file", str(config),
                             str(script)],
                            cwd=tmp_path, capture_output=True, text=True, env=env)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "script.py:3:" in errors[0], result.stdout + result.stderr
    assert 'has no attribute "run_cascadee"; maybe "run_cascade"?' in errors[0]
