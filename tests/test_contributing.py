"""The contributor's guide stays true: its "Add a topic" is followed in a copy of the repository, and
every link of the README and of ``docs/`` leads somewhere.

The steps are the fenced blocks of the section ``## Add a topic`` of ``docs/architecture.md``; each
block's info string says what to do with it:

* ``file=PATH``: write the block to PATH;
* ``add-to=PATH#a.b.c``: add the block's entries to the list at key ``a.b.c`` of PATH, a JSON file
  (the block is a JSON list) or a TOML file (the block holds array items, one a line);
* ``run``: run the block with bash from the repository's root, ``.venv/bin/`` standing for the
  folder of the Python running these tests.

A copy of ``course_lib``, ``course_tools``, ``datasets``, ``tests`` and ``pyproject.toml`` (and no
notebook but the guide's) gets every step in order; then a Python with ``PYTHONPATH`` and
``COURSE_DATA_DIR`` pointing at the copy must find the topic, reach it as ``course_lib.<topic>``,
validate its questions against ``course_lib/questions.schema.json``, compute an answer that
``evaluate`` accepts, give two students different numbers, and validate the data package with
frictionless; and the guide's notebook, executed by the guide's own command, must hold no error and
a ✅ from its solution cell. A wrong step (a block with a typo, a resource left out, a name the
facade lists but the model lacks) fails one of these.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "architecture.md"
SECTION = "## Add a topic"
#: What the copy of the repository holds besides the guide's files.
COPIED = ("course_lib", "course_tools", "datasets", "tests")
COPIED_FILES = ("pyproject.toml", "README.md")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "artifacts", ".pytest_cache",
                                 ".hypothesis")
#: The pages whose links must resolve.
PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Step:
    """One fenced block of the guide: its language, what to do with it, and its text."""

    language: str
    action: str  # "file", "add-to" or "run"
    target: str  # the path (and #key for add-to); "" for run
    text: str
    line: int


def guide_steps(text: str) -> list[Step]:
    """The fenced blocks of the section "Add a topic" of ``text``, in order, each with its action.

    >>> guide_steps("## Add a topic\\n```python file=a.py\\nx = 1\\n```\\n## Next\\n```bash run\\nls\\n```\\n")
    [Step(language='python', action='file', target='a.py', text='x = 1\\n', line=2)]
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        raise ValueError(f"no section {SECTION!r} in the guide")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    steps, i = [], start + 1
    while i < end:
        line = lines[i]
        if line.startswith("```"):
            info = line[3:].split()
            close = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            body = "\n".join(lines[i + 1:close]) + "\n"
            actions = [word for word in info[1:] if word == "run" or word.startswith(("file=", "add-to="))]
            if len(actions) != 1:
                raise ValueError(f"guide line {i + 1}: a block of 'Add a topic' needs one of file=, add-to= or run "
                                 f"in its info string, got {line!r}")
            action, _, target = actions[0].partition("=")
            steps.append(Step(info[0] if info else "", action, target, body, i + 1))
            i = close
        i += 1
    return steps


def _add_to(path: Path, key: str, text: str) -> None:
    """Add the entries of ``text`` to the list at ``key`` (dotted) of the JSON or TOML file ``path``."""
    keys = key.split(".")
    if path.suffix == ".json":
        document = json.loads(path.read_text(encoding="utf-8"))
        target = document
        for k in keys:
            target = target[k]
        entries = json.loads(text)
        assert isinstance(target, list) and isinstance(entries, list), f"{path.name}#{key}: both must be lists"
        target.extend(entries)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return
    if path.suffix != ".toml":
        raise ValueError(f"add-to works on JSON and TOML files, not {path.name}")
    # TOML: insert the items before the closing bracket of the array, keeping the file as written.
    source = path.read_text(encoding="utf-8").split("\n")
    table, name = ".".join(keys[:-1]), keys[-1]
    header = next(i for i, line in enumerate(source) if line.strip() == f"[{table}]")
    opening = next(i for i in range(header + 1, len(source)) if re.match(rf"\s*{re.escape(name)}\s*=\s*\[", source[i]))
    closing = next(i for i in range(opening, len(source)) if source[i].rstrip().endswith("]"))
    items = [f"    {item.strip()}" for item in text.strip().split("\n") if item.strip()]
    path.write_text("\n".join(source[:closing] + items + source[closing:]), encoding="utf-8")
    value = tomllib.loads(path.read_text(encoding="utf-8"))
    for k in keys:
        value = value[k]
    added = tomllib.loads("x = [" + "".join(items) + "]")["x"]
    assert set(added) <= set(value), f"{path.name}#{key}: {added} not added"


def _environment(copy: Path) -> dict[str, str]:
    """This environment, pointed at the copy: no student identity, no answer log, no outer pytest."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST_") and k not in ("COURSE_STUDENT", "JUPYTERHUB_USER", "COURSE_ANSWER_LOG")}
    env.update(PYTHONPATH=str(copy), COURSE_DATA_DIR=str(copy / "datasets"), HOME=str(copy / "home"))
    (copy / "home").mkdir(exist_ok=True)
    # The guide's own test command runs inside this test: no cache in the copy, every result listed,
    # one process (the suite may already run in parallel workers).
    options = "-p no:cacheprovider -rA"
    if importlib.util.find_spec("xdist") is not None:
        options += " -n 0"
    env["PYTEST_ADDOPTS"] = options
    return env


def follow(steps: list[Step], copy: Path) -> list[subprocess.CompletedProcess]:
    """Do each step in ``copy``; the commands' results, in order (a failing command raises)."""
    runs = []
    env = _environment(copy)
    python_bin = str(Path(sys.executable).parent)
    for step in steps:
        if step.action == "file":
            path = copy / step.target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step.text, encoding="utf-8")
        elif step.action == "add-to":
            file, _, key = step.target.partition("#")
            _add_to(copy / file, key, step.text)
        else:
            script = step.text.replace(".venv/bin/", python_bin + "/")
            result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=copy, env=env,
                                    capture_output=True, text=True, timeout=900)
            assert result.returncode == 0, (f"guide line {step.line}: {step.text.strip()} failed:\n"
                                            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
            runs.append(result)
    return runs


def _topic(steps: list[Step]) -> str:
    (topic,) = {m.group(1) for s in steps if s.action == "file"
                for m in [re.fullmatch(r"course_lib/(\w+)/__init__\.py", s.target)] if m}
    return topic


#: What a Python pointed at the copy reports about the new topic (run with the copy's root and the topic).
PROBE = r"""
import json, pathlib, sys, tomllib, types
import jsonschema, pint
from frictionless import Package
import course_lib
from course_lib import _topics, exercises

root, topic = pathlib.Path(sys.argv[1]), sys.argv[2]
out = {"imported_from": str(pathlib.Path(course_lib.__file__).resolve().parent.parent), "topics": list(_topics.topics())}
module = getattr(course_lib, topic)
out["reachable"] = isinstance(module, types.ModuleType)
out["names"] = {name: callable(getattr(module, name)) for name in module.__all__}
schema = json.loads((root / "course_lib" / "questions.schema.json").read_text(encoding="utf-8"))
jsonschema.validate(tomllib.loads((root / "course_lib" / topic / "questions.toml").read_text(encoding="utf-8")), schema)
out["questions"] = [q for q in exercises.questions() if q.split(".")[0] == topic]
out["families"] = {}
for q in out["questions"]:
    alice, bob = exercises.expected(q, "alice"), exercises.expected(q, "bob")
    if isinstance(alice, pint.Quantity):
        out["families"][q] = {
            "alice": float(alice.magnitude), "bob": float(bob.to(alice.units).magnitude), "unit": str(alice.units),
            "alice_numbers": dict(exercises.variant(q, "alice")), "bob_numbers": dict(exercises.variant(q, "bob")),
            "accepted": exercises.evaluate(q, alice, student="alice").correct,
            "key_accepted": exercises.evaluate(q, exercises.expected_text(q, "alice"), student="alice").correct,
            "refused_for_bob": not exercises.evaluate(q, alice, student="bob").correct,
        }
report = Package(str(root / "datasets" / "datapackage.json")).validate()
out["datapackage_valid"] = report.valid
out["datapackage_errors"] = report.flatten(["resourceName", "rowNumber", "fieldName", "note"])[:10]
print(json.dumps(out))
"""


# ---- the guide's steps, read without running anything -------------------------------------------


def test_the_guide_gives_every_file_a_topic_needs_and_says_what_to_do_with_each_block():
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    topic = _topic(steps)
    written = {s.target for s in steps if s.action == "file"}
    for needed in ("__init__.py", "__init__.pyi", "questions.py", "questions.toml"):
        assert f"course_lib/{topic}/{needed}" in written, f"the guide writes no course_lib/{topic}/{needed}"
    assert f"datasets/exercise_variants_{topic}.csv" in written
    assert any(re.fullmatch(r"notebooks/\d\d_\w+\.ipynb", path) for path in written), "the guide writes no notebook"
    # Every CSV the guide writes is described by the resources it adds, and one is a parameter table.
    (resources,) = [json.loads(s.text) for s in steps if s.target == "datasets/datapackage.json#resources"]
    assert {f"datasets/{r['path']}" for r in resources} == {p for p in written if p.endswith(".csv")}
    assert any(r.get("parameterTable") is True for r in resources)
    assert any(s.action == "run" and "nbconvert" in s.text for s in steps), "the guide never runs its notebook"


def test_the_block_reader_refuses_a_block_without_an_action():
    with pytest.raises(ValueError, match="needs one of file=, add-to= or run"):
        guide_steps("## Add a topic\n```python\nx = 1\n```\n")


@pytest.mark.slow
def test_following_the_guide_adds_a_topic_that_is_found_checked_and_taught(tmp_path):
    steps = guide_steps(GUIDE.read_text(encoding="utf-8"))
    topic = _topic(steps)
    copy = tmp_path / "course"
    for name in COPIED:
        shutil.copytree(ROOT / name, copy / name, ignore=IGNORED)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, copy / name)
    assert not (ROOT / "course_lib" / topic).exists(), f"the guide's example {topic!r} is a real topic already"

    runs = follow(steps, copy)

    # The guide's test command ran something and passed (a -k that selects nothing would pass too).
    tested = [r for r in runs if "pytest" in r.args[-1]]
    assert tested and all(re.search(r"\b\d+ passed", r.stdout) and " failed" not in r.stdout for r in tested)

    probe = subprocess.run([sys.executable, "-c", PROBE, str(copy), topic], cwd=tmp_path, env=_environment(copy),
                           capture_output=True, text=True, timeout=300)
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout)
    assert found["imported_from"] == str(copy.resolve()), "the probe imported another course_lib than the copy's"
    assert topic in found["topics"] and found["reachable"]
    assert found["names"] and all(found["names"].values()), found["names"]
    assert found["questions"], f"no question of {topic} was loaded"
    assert found["families"], f"{topic} has no numeric exercise family"
    for question, family in found["families"].items():
        assert family["accepted"] and family["key_accepted"], question
        assert family["alice_numbers"] != family["bob_numbers"], f"{question}: alice and bob got the same numbers"
        assert family["alice"] != family["bob"] and family["refused_for_bob"], question
    assert found["datapackage_valid"], found["datapackage_errors"]

    (notebook,) = [copy / s.target for s in steps if s.action == "file" and s.target.endswith(".ipynb")]
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1)), "the notebook was not run top to bottom"
    errors = [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    assert errors == [], errors

    def printed(cell: dict) -> str:  # what a cell shows as text: printed, or displayed (check()'s verdict)
        return "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                       for o in cell["outputs"])

    tagged = {tag: cell for cell in code for tag in cell["metadata"].get("tags", [])}
    assert "✅ Correct" in printed(tagged["solution"]), printed(tagged["solution"])
    assert "Not answered yet" in printed(tagged["exercise"]), printed(tagged["exercise"])
    asked = [c for c in code if "ask(" in "".join(c["source"])]
    assert asked and all(o.get("data", {}).get("text/markdown") for c in asked for o in c["outputs"])


# ---- links ---------------------------------------------------------------------------------------


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces as hyphens.

    >>> _slug("Why Altair 5.5 and the `mimetype` renderer")
    'why-altair-55-and-the-mimetype-renderer'
    >>> _slug("A class on a JupyterHub: measured capacity, and the recipe for Kubernetes")
    'a-class-on-a-jupyterhub-measured-capacity-and-the-recipe-for-kubernetes'
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    kept = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LN")
    return kept.replace(" ", "-")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks, inline code removed."""
    out, fenced = [], False
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            out.append((number, re.sub(r"`[^`]*`", "", line)))
    return out


def _headings(path: Path) -> set[str]:
    """The anchors of ``path``'s headings, code spans' words included (as GitHub makes them)."""
    text, fenced, seen, anchors = path.read_text(encoding="utf-8"), False, {}, set()
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            slug = _slug(line.lstrip("#"))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def broken_links(page: Path) -> list[str]:
    """Every relative link of ``page`` whose file, or heading, does not exist."""
    broken = []
    for number, line in _prose_lines(page.read_text(encoding="utf-8")):
        for target in re.findall(r"\]\(([^)\s]+)\)", line):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto: ... : not checked offline
            file, _, anchor = target.partition("#")
            path = (page.parent / file).resolve() if file else page
            if not path.exists():
                broken.append(f"{page.name}:{number}: {target} (no such file)")
            elif anchor and path.suffix == ".md" and anchor not in _headings(path):
                broken.append(f"{page.name}:{number}: {target} (no such heading)")
    return broken


def test_every_relative_link_of_the_readme_and_the_docs_resolves():
    assert [p for p in PAGES if not p.is_file()] == []
    assert [b for page in PAGES for b in broken_links(page)] == []


def test_the_link_checker_finds_a_missing_file_and_a_missing_heading(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Top\n\n[ok](#top) [gone](missing.md) [bad](#nowhere) `[code](x.md)`\n"
                    "```\n[fenced](y.md)\n```\n", encoding="utf-8")
    assert broken_links(page) == ["page.md:3: missing.md (no such file)", "page.md:3: #nowhere (no such heading)"]


def test_the_readme_points_to_every_page_of_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert pages and [p for p in pages if f"](docs/{p}" not in readme] == []
    assert "](CONTRIBUTING.md)" in readme


def test_the_architecture_page_names_every_module_and_topic_of_course_lib():
    """The map is of the house as it is: a new module or topic of course_lib must be added to it."""
    from course_lib import _topics

    text = GUIDE.read_text(encoding="utf-8")
    package = ROOT / "course_lib"
    modules = [p.name for p in package.glob("*.py") if p.name != "__init__.py"]
    packages = [p.name + "/" for p in package.iterdir() if (p / "__init__.py").is_file() and p.name not in _topics.topics()]
    assert [m for m in modules + packages if f"`{m}`" not in text and f"{m} " not in text] == []
    assert [t for t in _topics.topics() if f"| `{t}` |" not in text] == [], "a topic missing from the topics table"
