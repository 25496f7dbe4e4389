"""What the benchmark's modules share: the project root, the stages, the JSON type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("load", "reason", "validate")
EXAMPLE_QUERY = "colocated-data-sharing-barriers"
OURS_REPEAT_CAP = 30.0  # seconds: a query of ours is repeated (up to --runs times) while under this
BASE_REPEAT_CAP = 5.0  # seconds: the same for a baseline query (up to --baseline-runs times)

Json = dict[str, Any]
