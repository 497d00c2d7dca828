"""The course's datasets (CSV files described by datapackage.json), shipped inside course_lib.

This file makes the folder importable as ``course_lib.datasets`` (see ``[tool.setuptools]`` in
pyproject.toml), so ``course_lib.data`` finds the files with importlib.resources in a wheel and in
an editable install alike. Read the data with ``course_lib.data.load(name)``.
"""
