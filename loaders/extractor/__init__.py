"""The extractor, split out of loaders/mapping.py by dimension (issue 13).

engine.py    the per-figure sequence: number → period → region → year → subject →
             indicator, over one Figure record, each step recording a Decision;
records.py   Mapped (what is kept of a figure), Figure (a figure under decision),
             Decision (value, basis, rule, evidence) and Reason (why no indicator);
number.py    what one match of the number pattern reads as and what kind of number it is
             (loaders/numbers.py runs the pattern and builds the Mentions);
text.py      sentence and clause index of a text, and the bounds that keep cost linear;
names.py     place names (NameScanner);
patterns.py  sentence patterns the dimensions share (year ranges, list separators …);
period.py, region.py, year.py, subject.py, indicator.py, quote.py  the methods of each
             dimension, mixed into the Mapper (loaders/mapping.py), which holds the tables
             they read (built in Mapper._init_* from rules.yaml).
"""
