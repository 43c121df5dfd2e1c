"""Leaving App Mesh: the configuration of another routing layer (Gateway API, Istio, VPC
Lattice, ECS Service Connect) that routes as a mesh does, and the check that a configuration
does (docs/migration.md)."""

from .api import TARGETS, check_equivalence, load_target, migrate
from .ledger import LedgerEntry
from .report import CAUSES, Difference, Equivalence, Migration

__all__ = ["CAUSES", "TARGETS", "Difference", "Equivalence", "LedgerEntry", "Migration",
           "check_equivalence", "load_target", "migrate"]
