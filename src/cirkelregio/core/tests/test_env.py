# SPDX-License-Identifier: EUPL-1.2
"""The environment helpers of cirkelregio.conf.env."""

from __future__ import annotations

import pytest

from cirkelregio.conf.env import ENV_VARS, env_optional_float


def test_optional_float(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CR_TEST_FACTOR", raising=False)
    assert env_optional_float("CR_TEST_FACTOR", "help") is None
    assert ENV_VARS["CR_TEST_FACTOR"].help == "help"
    monkeypatch.setenv("CR_TEST_FACTOR", " 0.089 ")
    assert env_optional_float("CR_TEST_FACTOR", "help") == pytest.approx(0.089)
    for bad in ("abc", "-1", "nan", "inf"):
        monkeypatch.setenv("CR_TEST_FACTOR", bad)
        with pytest.raises(ValueError, match="CR_TEST_FACTOR"):
            env_optional_float("CR_TEST_FACTOR", "help")
