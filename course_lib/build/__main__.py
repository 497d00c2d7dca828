"""``python -m course_lib.build``: runs :func:`course_tools.build.cli.main`."""

import sys

from . import tools

sys.exit(tools("build").main())
