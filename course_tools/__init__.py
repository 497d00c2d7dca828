"""course_tools: the instructors' tools of the course, kept out of the package students install.

* :mod:`course_tools.build`: student versions, the static site and slides, handouts, the lecture
  outline, the glossary page and the course in the browser (JupyterLite);
* :mod:`course_tools.grade`: a gradebook and feedback from the course's own checks.

They run from a checkout of the course's repository, with the tools' dependencies installed
(``pip install -r requirements-dev.txt``: nbconvert, nbclient, Jinja, latex2mathml, JupyterLite).
They are not part of the ``course_lib`` wheel: a student's environment (``requirements.txt``)
has neither the tools nor their dependencies. The documented commands stay
``python -m course_lib.build ...`` and ``python -m course_lib.grade ...``: those two entry points
of ``course_lib`` only hand over to this package, found in the checkout beside ``course_lib``.

>>> from course_tools import build, grade
>>> build.main is build.cli.main, callable(grade.grade)
(True, True)
"""
