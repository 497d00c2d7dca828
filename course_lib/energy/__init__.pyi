"""Names of course_lib.energy, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .model import (
    TABLE as TABLE, REFERENCE as REFERENCE, THEN_AND_NOW as THEN_AND_NOW, SOURCE as SOURCE,
    UNIT_NAMES as UNIT_NAMES, PER as PER, table as table, unit_factors as unit_factors,
    convert_table as convert_table, as_printed as as_printed, energy_of as energy_of, with_value as with_value,
    Comparison as Comparison, compare as compare, sun_day_vs_world_year as sun_day_vs_world_year,
    food_over_30_years as food_over_30_years, then_and_now as then_and_now,
)
from .consistency import (
    HEATING_VALUES as HEATING_VALUES, reference_values as reference_values,
    gasoline_heating_value as gasoline_heating_value, normalise as normalise, power_of as power_of,
    table_checks as table_checks, inconsistencies as inconsistencies,
    styled_table as styled_table,
)
from .charts import (
    table_chart as table_chart, scale_chart as scale_chart, comparison_chart as comparison_chart,
    then_and_now_chart as then_and_now_chart,
)
from .explorers import (
    comparator as comparator,
)
