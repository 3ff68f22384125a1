"""What several test folders share (importable as ``support``: the tests folder is on ``sys.path``).

- :mod:`support.harbour`: the harbour timeline and its source text in a folder, with a store, driven
  through the CLI in process (the CLI and backend harnesses);
- :mod:`support.stores`: every row of an SQLite store, to tell that nothing was written.
"""
