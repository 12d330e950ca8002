"""Record linkage: finding the same person across agencies' registers.

Works on plain records, with no database; see ``pipeline.find_duplicates`` for a list of
records, ``pipeline.explain_pair`` for two, and ``csvfiles.dedupe_csv`` for ``haven dedupe``.
"""

from haven.people.linkage.pipeline import (
    ScoredPair,
    explain_pair,
    find_duplicates,
)
from haven.people.linkage.records import PersonRecord

__all__ = ["PersonRecord", "ScoredPair", "explain_pair", "find_duplicates"]
