"""de Rosnay's Table 1 as data: energy as a universal unit of cost, and the table's own errors.

In *Le Macroscope* (1975) Joël de Rosnay proposed to price economic activities in energy, "a
universal unit" such as the kilocalorie. The seed article reproduces his Table 1 (13 rows, from
the sun's daily delivery to one passenger's transatlantic flight). This topic turns that table
into something a student can compute with:

* :mod:`~course_lib.energy.model`: :func:`convert_table` gives every row in any course unit
  (kJ, kcal, MJ, kWh, food-days, litres of gasoline equivalent, GJ, toe); :func:`energy_of` and
  :func:`compare` put two rows (or any energies) side by side, with a plain-language sentence;
  :func:`with_value` gives a copy of the table with one row changed, which every function follows;
  :func:`then_and_now` sets the 1975 material figures beside later embodied-energy figures
  (``datasets/energy_then_now.csv``);
* :mod:`~course_lib.energy.consistency`: :func:`normalise` puts rows on a common footing (per
  tonne, per day, per person); :func:`power_of` turns a flow over time into a power (watts);
  :func:`gasoline_heating_value` gives the lower and higher heating values of gasoline (the
  course counts the higher one, the unit ``Lge``); :func:`table_checks` and :func:`inconsistencies`
  test the table against itself and against later published figures
  (``datasets/energy_reference_values.csv``);
* :mod:`~course_lib.energy.charts` (Altair), :mod:`~course_lib.energy.explorers` (the
  :func:`comparator`) and :mod:`~course_lib.energy.questions` (the exercises of notebook 01).

Every figure comes from the datasets; nothing here is typed in.

>>> from course_lib import energy
>>> result = energy.compare("aluminium", "car")
>>> print(result)
Producing 1 t of aluminium uses the energy of 1.56 cars.
>>> round(result.ratio, 4)
1.5625
>>> round(energy.sun_day_vs_world_year(), 1)
63.8
>>> round(energy.power_of("man_day"))  # a day's food, 2,500 kcal, is an energy; spread over the day, a power
<Quantity(121, 'watt')>
"""

import lazy_loader as _lazy

# The public names, each loaded from its module on first use, are listed once: in __init__.pyi.
__getattr__, __dir__, __all__ = _lazy.attach_stub(__name__, __file__)
