"""The extractor, being split out of loaders/mapping.py by dimension (issue 13).

Done:
  text.py      sentence and clause index of a text, and the bounds that keep cost linear;
  names.py     place names (NameScanner);
  records.py   Mapped (a figure under decision) and Reason (why it has no indicator);
  patterns.py  sentence patterns the dimensions share (year ranges, list separators …);
  region.py, year.py, subject.py  the methods of each dimension, mixed into the Mapper.
Still in loaders/mapping.py: the Mapper's tables (__init__, _init_generalised), the
indicator decisions (_best_rule and the checks after it) and the per-figure loop
(_map_figure) that runs the dimensions in order. Next: a typed decision record (value,
basis, rule, evidence) per dimension instead of tuples, and an engine module.
"""
