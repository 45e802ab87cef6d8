"""The extractor, being split out of loaders/mapping.py into modules by concern (issue 13).

Done: text.py (sentence and clause index, bounds that keep cost linear), names.py (place
names), records.py (Mapped, Reason). Still in loaders/mapping.py: the Mapper, whose
dimensions (period, region, year, subject, indicator) are to become modules here, each with
its words in YAML, run in order by an engine of about a hundred lines.
"""
