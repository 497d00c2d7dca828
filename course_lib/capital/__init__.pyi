"""Names of course_lib.capital, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .stock import (
    POLICIES as POLICIES, defaults as defaults, default_case as default_case,
    sustainable_yield_curve as sustainable_yield_curve,
    maximum_sustainable_yield as maximum_sustainable_yield, msy_stock as msy_stock,
    time_to_collapse as time_to_collapse, stock_path as stock_path,
    compare_policies as compare_policies, policy_summary as policy_summary, yearly_stock as yearly_stock,
    full_harvest_years as full_harvest_years, collapse_table as collapse_table,
)
from .reserves import (
    static_index as static_index, exponential_index as exponential_index, reserve_path as reserve_path,
    reserve_check as reserve_check,
)
from .biosphere import (
    oxygen_lost as oxygen_lost,
)
from .capitals import (
    sorting_answer as sorting_answer,
)
from .trends import (
    read_gapminder as read_gapminder, development_group as development_group, long_trends as long_trends,
    population_growth as population_growth, grouping_text as grouping_text,
)
from .charts import (
    stock_chart as stock_chart, yield_curve_chart as yield_curve_chart,
    income_capital_chart as income_capital_chart, reserve_chart as reserve_chart, trends_chart as trends_chart,
    life_growth_chart as life_growth_chart,
)
from .explorers import (
    stock_explorer as stock_explorer, reserve_explorer as reserve_explorer,
)
