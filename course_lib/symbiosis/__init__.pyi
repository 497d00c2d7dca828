"""Names of course_lib.symbiosis, for type checkers; read at run time by lazy_loader.attach_stub (one list)."""

from .park import (
    PERIODS as PERIODS, STATUSES as STATUSES, PARTNER_COLUMNS as PARTNER_COLUMNS,
    EXCHANGE_COLUMNS as EXCHANGE_COLUMNS, Problem as Problem, ParkError as ParkError, Park as Park,
    validate as validate, park_from_frames as park_from_frames, read_park as read_park,
    add_to_park as add_to_park, kalundborg as kalundborg, outcomes as outcomes, outcome_notes as outcome_notes,
    history as history,
)
from .network import (
    to_graph as to_graph, partner_flows as partner_flows, partner_summary as partner_summary,
    hub_ranking as hub_ranking, sum_by_unit as sum_by_unit, totals_by_category as totals_by_category,
    WhatIf as WhatIf, what_if as what_if, check_park as check_park,
)
from .layout import (
    layout as layout,
)
from .spec import (
    VegaLite as VegaLite,
)
from .charts import (
    network_chart as network_chart, what_if_chart as what_if_chart, profits_chart as profits_chart,
    noveren_chart as noveren_chart, history_chart as history_chart,
)
from .explorers import (
    Panel as Panel, partner_explorer as partner_explorer, what_if_explorer as what_if_explorer,
)
from .examples import (
    EXAMPLE_PARKS as EXAMPLE_PARKS, example_park_files as example_park_files,
)
