"""The use cases (being split out of :mod:`negotrack.service`)."""
