"""What the organisation sees: coverage figures (docs/metrics.md), computed in SQL.

Every figure comes from aggregates over the ``assignment`` summary table (see
:mod:`awareness.progress.summary`). Pages, CSV downloads and the API all call
these modules, so the numbers agree everywhere.

- :mod:`.figures`: Figures, Filters, rows and reports, and the aggregate columns.
- :mod:`.breakdown`: figures per (department, module, layer) cell, and the
  department tree they roll up in.
- :mod:`.coverage`: totals and coverage by department, layer or module.
- :mod:`.roster`, :mod:`.trend`, :mod:`.insights`: people, past months, scores and questions.
- :mod:`.export`: CSV text, safe to open in a spreadsheet.
- :mod:`.scope` and :mod:`.selection`: who may see what, and the one reader of filters.
"""
