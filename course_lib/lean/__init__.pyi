"""Names of course_lib.lean, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .model import (
    check_stream as check_stream, lead_time as lead_time, value_added_time as value_added_time,
    value_added_ratio as value_added_ratio, summarize as summarize, cola_figures as cola_figures,
    cola_summary as cola_summary, cola_stream as cola_stream, five_steps as five_steps,
    parse_value_stream as parse_value_stream,
    review_value_stream as review_value_stream, EXAMPLE_STREAM as EXAMPLE_STREAM,
)
from .materials import (
    back_calculate as back_calculate, smelter_output as smelter_output, metal_energy as metal_energy,
    energy_per_tonne_of_cans as energy_per_tonne_of_cans,
    stoichiometric_alumina_per_aluminium as stoichiometric_alumina_per_aluminium,
)
from .charts import (
    days_grid_chart as days_grid_chart, log_timeline_chart as log_timeline_chart,
    value_stream_chart as value_stream_chart, material_chart as material_chart,
    ratio_slider_chart as ratio_slider_chart,
)
from .explorers import (
    value_stream_editor as value_stream_editor,
)
