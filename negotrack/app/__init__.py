"""The use cases, one module per flow; each takes an open :class:`~negotrack.store.store.Store`.

- :mod:`~negotrack.app.inputs`: reading timeline and CSV files (form only);
- :mod:`~negotrack.app.ingest`: check and record them, all or nothing;
- :mod:`~negotrack.app.queries`: state, diff, replay, timeline, threads, sources;
- :mod:`~negotrack.app.export`: a thread as a file another tool reads;
- :mod:`~negotrack.app.maintenance`: verify and rebuild;
- :mod:`~negotrack.app.draft`: draft events from raw articles.
"""
