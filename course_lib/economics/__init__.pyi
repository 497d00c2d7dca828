"""Names of course_lib.economics, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .finance import (
    annuity_factor as annuity_factor, capital_recovery_factor as capital_recovery_factor, npv as npv,
    simple_payback as simple_payback,
    discounted_payback as discounted_payback, cash_flows as cash_flows,
)
from .cases import (
    CASES as CASES, kalundborg_quantities as kalundborg_quantities, zeri_quantities as zeri_quantities,
    quantities as quantities,
)
from .prices import (
    ROLES as ROLES, price_table as price_table, price_sheet as price_sheet, defaults as defaults,
    check_prices as check_prices, convert_currency as convert_currency, scenarios as scenarios, scenario as scenario,
)
from .model import (
    SENSITIVE_ROLES as SENSITIVE_ROLES, yearly_lines as yearly_lines, Appraisal as Appraisal,
    appraise as appraise, sensitivity as sensitivity, joint_sensitivity as joint_sensitivity,
    flipping_combination as flipping_combination, break_even as break_even, by_beneficiary as by_beneficiary, money as money,
)
from .themes import (
    THREADS as THREADS, SORTING_CASES as SORTING_CASES, threads as threads, biomimicry as biomimicry,
    course_cases as course_cases, evidence as evidence, cartridge_scenarios as cartridge_scenarios,
    thread_sorting as thread_sorting,
)
from .capstone import (
    LENSES as LENSES, capstone_template as capstone_template, review_capstone as review_capstone,
    capstone_rubric as capstone_rubric,
)
from .charts import (
    SOURCE as SOURCE, npv_slider_chart as npv_slider_chart, sensitivity_chart as sensitivity_chart,
    lines_chart as lines_chart, reported_chart as reported_chart, joint_chart as joint_chart,
    cartridge_chart as cartridge_chart,
)
