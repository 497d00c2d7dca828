"""Which assumption moves an outcome of the ZERI cascade most? A one-at-a-time sensitivity analysis.

Each parameter in turn goes to the low and the high end of its plausible range (``low``/``high``
in ``zeri_parameters``) while every other one stays put; the swing of the outcome ranks them.

>>> sensitivity("fish").iloc[0]["parameter"]
'trophic_efficiency'
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pint

from .. import checks, data
from .. import params as _params
from ._cascade import OUTCOMES, fast_outcomes, parameter_rows, resolve

__all__ = ["sensitivity", "joint_sensitivity", "key_parameters"]


def sensitivity(outcome: str = "fish", beer_hl: float | pint.Quantity | None = None, **params: float | pint.Quantity) -> pd.DataFrame:
    """One-at-a-time sensitivity: ``outcome`` at the low and the high end of each parameter's range.

    ``outcome`` is one of :data:`course_lib.zeri.OUTCOMES`; ``beer_hl`` and ``params`` are as for
    :func:`course_lib.zeri.run_cascade` (a parameter not varied stays at its default or the value
    given). One row per parameter (the columns of :func:`course_lib.params.sensitivity`), largest
    ``swing`` first: the data of a tornado chart; ``attrs`` hold the outcome, its label and unit. A
    range end that breaks a joint constraint with a value given in ``params`` gives NaN.

    >>> s = sensitivity("mushrooms")
    >>> s.iloc[0]["parameter"], round(float(s.iloc[0]["swing"]), 1)  # (0.985 - 0.05) x 300 kg dry substrate
    ('mushroom_be', 280.5)
    """
    checks.choice(outcome, "outcome", list(OUTCOMES))
    resolve(beer_hl, params)  # check the arguments before the cache sees them
    frame = _sensitivity(outcome, beer_hl, tuple(sorted(params.items())))
    copy = frame.copy()
    copy.attrs = dict(frame.attrs)
    return copy


def _analysis(outcome: str, beer_hl: Any, items: tuple[tuple[str, Any], ...], joint: bool, samples: int = 200) -> pd.DataFrame:
    table = parameter_rows()
    names = table.names(role="parameter")
    base = table.check(dict(items), names)

    def result(values: dict[str, float]) -> float:
        return fast_outcomes(*resolve(beer_hl, values))[outcome]

    frame = (_params.joint_sensitivity(table, result, names, base, samples) if joint
             else _params.sensitivity(table, result, names, base))
    frame.attrs.update(outcome=outcome, label=OUTCOMES[outcome][0], outcome_unit=OUTCOMES[outcome][1])
    return frame


@data.cached
def _sensitivity(outcome: str, beer_hl: Any, items: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    # Cached per data folder: the notebook, the explorer and the exercises ask for the same rankings.
    return _analysis(outcome, beer_hl, items, joint=False)


def joint_sensitivity(outcome: str = "fish", beer_hl: float | pint.Quantity | None = None, samples: int = 200,
                      **params: float | pint.Quantity) -> pd.DataFrame:
    """Every parameter at once: ``outcome`` over ``samples`` random draws within the plausible ranges.

    Takes the arguments of :func:`sensitivity`. Returns one row per parameter with its rank
    correlation with the outcome (:func:`course_lib.params.joint_sensitivity`); ``attrs`` give the
    outcome's 5th percentile, median and 95th percentile when everything is uncertain at once.

    >>> j = joint_sensitivity("fish", samples=100)
    >>> j.iloc[0]["parameter"], j.attrs["outcome_p5"] < j.attrs["outcome_default"] < j.attrs["outcome_p95"]
    ('trophic_efficiency', True)
    """
    checks.choice(outcome, "outcome", list(OUTCOMES))
    resolve(beer_hl, params)
    return _analysis(outcome, beer_hl, tuple(sorted(params.items())), joint=True, samples=samples)


def key_parameters(k: int = 4, outcomes_to_rank: Any = ("fish", "methane_energy", "mushrooms", "meat")) -> list[str]:
    """The ``k`` parameters that move the headline outcomes most (mean relative swing).

    ``outcomes_to_rank`` is a list of outcome ids (:data:`course_lib.zeri.OUTCOMES`).

    >>> key_parameters(1)
    ['mushroom_be']
    >>> key_parameters(2, ["fish"])
    ['trophic_efficiency', 'algae_n_content']
    """
    count = checks.whole_number(k, "k", minimum=1)
    ranked = checks.names(outcomes_to_rank, "outcomes_to_rank", list(OUTCOMES), allow_empty=False)
    scores: dict[str, float] = {}
    for outcome in ranked:
        s = _sensitivity(outcome, None, ())
        base = s["outcome_default"].iloc[0] or 1.0
        for name, swing in zip(s["parameter"], s["swing"]):
            scores[name] = scores.get(name, 0.0) + swing / abs(base) / len(ranked)
    return sorted(scores, key=lambda n: -scores[n])[:count]
