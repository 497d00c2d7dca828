"""Names of course_lib.start, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .model import (
    describe_energy as describe_energy, course_map as course_map, error_message as error_message,
)
from .charts import (
    environment as environment, test_chart as test_chart,
)
from .explorers import (
    unit_converter as unit_converter,
)
from .student import (
    who_am_i as who_am_i,
)
