"""negotrack: follow negotiations through the statements reported in the news.

From Python: ``store = negotrack.open("negotrack.db")``, then ``store.ingest([...])``,
``store.state(...)``, ``store.timeline(...)``, ``store.diff(...)`` (see :mod:`negotrack.api`).
Importing this package loads nothing else: the API loads on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "open"]


def open(db: object = None) -> negotrack.api.Negotrack:  # type: ignore[name-defined]  # noqa: A001, F821
    """The store ``db`` (a path or an SQLAlchemy URL), as :class:`negotrack.api.Negotrack`."""
    from negotrack.api import open as open_store

    return open_store(db)
