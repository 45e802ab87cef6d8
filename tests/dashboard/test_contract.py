"""schemas.contract (pandera-free, for readers) agrees with the table models."""

from __future__ import annotations

import subprocess
import sys

import pytest

from schemas import contract, observations, regions


def test_levels_and_qualifiers_are_the_models_lists():
    assert contract.LEVELS == regions.LEVELS
    assert contract.QUALIFIERS == observations.QUALIFIERS
    assert contract.REGION_BASES == observations.REGION_BASES


def test_year_bases_are_the_models():
    assert contract.YEAR_BASES == observations.YEAR_BASES
    assert {"unstated", "reviewed"} <= set(contract.YEAR_BASES)


@pytest.mark.parametrize("name", ["PERIOD_KINDS", "STATUSES", "REVIEW_STATES", "CHECK_STATUSES"])
def test_new_enumerations_match_a_model_that_defines_them(name):
    model_list = getattr(observations, name, None)
    if model_list is not None:
        assert sorted(model_list) == sorted(getattr(contract, name))


def test_the_contract_imports_without_pandera():
    code = "import sys, schemas.contract; print('pandera' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
