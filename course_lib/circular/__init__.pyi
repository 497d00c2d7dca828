"""Names of course_lib.circular, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .model import (
    PARAMETERS as PARAMETERS, RATES as RATES, parameters as parameters, defaults as defaults,
    check_parameters as check_parameters, steady_state as steady_state, scenarios as scenarios,
    lifetime_effect as lifetime_effect, simulate as simulate, formula as formula,
    exercise_scenario as exercise_scenario, reference_figures as reference_figures,
)
from .frameworks import (
    frameworks as frameworks, compare_frameworks as compare_frameworks,
)
from .charts import (
    steady_state_chart as steady_state_chart, policy_slider_chart as policy_slider_chart,
    timeline_chart as timeline_chart,
)
from .explorers import (
    product_life_explorer as product_life_explorer,
)
