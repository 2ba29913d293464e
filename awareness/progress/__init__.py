"""What a person has done: scoring, attempts, the assignment summary and its statuses.

- :mod:`.scoring`: quiz answers scored, pure functions over plain data.
- :mod:`.attempts`: the one way a quiz or a reading is submitted.
- :mod:`.summary`: the only writer of the ``assignment`` summary and of the trend
  cache's generation, so the two never drift apart.
- :mod:`.status`: an assignment's status as SQL, and the order of urgency.
- :mod:`.catalogue`: which live modules are written for whom, in which order.
- :mod:`.learner`: one person's assignments and optional reading.
"""
