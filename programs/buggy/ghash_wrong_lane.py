"""The ghash_mul_pmull contract on a build with a wrong PMULL lane: must be refuted."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ghash_mul_pmull import contract

CONTRACT = contract("buggy/ghash_wrong_lane", "ghash_wrong_lane.o")
