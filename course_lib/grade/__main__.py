"""``python -m course_lib.grade``: runs :func:`course_tools.grade.cli.main`."""

import sys

from ..build import tools

sys.exit(tools("grade").main())
