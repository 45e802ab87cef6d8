"""schemas.contract (pandera-free, for readers) agrees with the table models."""

from __future__ import annotations

import subprocess
import sys

import pytest

from schemas import contract, observations, regions


def _allowed(model, column: str) -> list[str]:
    """The values a table model's `isin` check accepts for a column: what validation enforces,
    not a list the module happens to export."""
    check = next(c for c in model.to_schema().columns[column].checks if c.name == "isin")
    return list(check.statistics["allowed_values"])


def test_levels_are_what_the_regions_model_accepts():
    assert _allowed(regions.Regions, "level") == contract.LEVELS


@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("QUALIFIERS", "qualifier"),
        ("YEAR_BASES", "year_basis"),
        ("REGION_BASES", "region_basis"),
        ("PERIOD_KINDS", "period_kind"),
        ("STATUSES", "status"),
        ("REVIEW_STATES", "review_state"),
    ],
)
def test_enumerations_are_what_the_observations_model_accepts(name, column):
    assert getattr(contract, name) == _allowed(observations.Observations, column)


def test_check_statuses_are_what_the_model_accepts_besides_unchecked():
    assert [v for v in _allowed(observations.Observations, "check_status") if v] == contract.CHECK_STATUSES


def test_year_bases_include_the_2026_12_additions():
    assert {"unstated", "reviewed"} <= set(contract.YEAR_BASES)


def test_the_contract_imports_without_pandera():
    code = "import sys, schemas.contract; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
