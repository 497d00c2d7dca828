"""Names of course_lib.zeri, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .model import (
    OUTCOMES as OUTCOMES, VIEWS as VIEWS, parameters as parameters, defaults as defaults, stages as stages,
    links as links, run_cascade as run_cascade, run_linear as run_linear, flow_set as flow_set, balance as balance,
    outcomes as outcomes, compare_linear_vs_cascade as compare_linear_vs_cascade,
    diagram_views as diagram_views,
)
from .ranking import (
    sensitivity as sensitivity, joint_sensitivity as joint_sensitivity, key_parameters as key_parameters,
)
from .charts import (
    SOURCE as SOURCE, cascade_diagram as cascade_diagram, comparison_chart as comparison_chart,
    tornado_chart as tornado_chart,
)
from .explorers import (
    cascade_explorer as cascade_explorer,
)
