"""Job title normalizer: seniority, function and flags of an English or Chinese title.

>>> from execrank.titles import classify
>>> classify("EVP & CFO")
TitleInfo(seniority='c_level', function='finance', flags=(), confidence=0.95)
>>> classify("代董事长/董事").flags
('acting',)

The vocabularies live in ``execrank/titles/data/*.yaml``; bump CLASSIFIER_VERSION whenever they
or the rules change, so that stored classifications are recomputed.
"""

from execrank.model import FUNCTIONS, SENIORITIES
from execrank.titles._classify import CLASSIFIER_VERSION, FLAGS, TitleInfo, classify

__all__ = ["CLASSIFIER_VERSION", "FLAGS", "FUNCTIONS", "SENIORITIES", "TitleInfo", "classify"]
