"""analysis_py.errors: a dbt Python model's failure names the model and what it read."""

from __future__ import annotations

import numpy as np
import pytest

from analysis_py.errors import InputError, model_errors


class FakeDbt:
    """The part of dbt's Python-model object that model_errors touches."""

    class this:
        identifier = "fct_example"

    def ref(self, name):
        return name

    def source(self, source_name, table_name):
        return f"{source_name}.{table_name}"


def test_a_library_error_is_named_with_the_model_and_its_inputs():
    dbt = FakeDbt()
    with pytest.raises(InputError) as caught:
        with model_errors(dbt):
            dbt.ref("fct_commune_features")
            dbt.source("raw", "places")
            np.linalg.inv(np.zeros((2, 2)))
    assert str(caught.value) == (
        "model fct_example (reading fct_commune_features, raw.places): "
        "LinAlgError from numpy: Singular matrix"
    )
    assert isinstance(caught.value.__cause__, np.linalg.LinAlgError)


def test_an_input_error_passes_unchanged():
    dbt = FakeDbt()
    planted = InputError("int_trends_interest_by_region", "region FR-B", "no value")
    with pytest.raises(InputError) as caught:
        with model_errors(dbt):
            raise planted
    assert caught.value is planted
    assert str(planted) == "int_trends_interest_by_region, region FR-B: no value"


def test_refs_still_return_the_relations():
    dbt = FakeDbt()
    with model_errors(dbt) as read:
        assert dbt.ref("a") == "a"
    assert read == ["a"]
