"""Fixtures of the drafting tests (the data is in draft_support)."""

from __future__ import annotations

import pytest
from draft_support import declarations

from negotrack.draft.extract import Declarations


@pytest.fixture
def decls() -> Declarations:
    return declarations()
