"""Limits that refuse hostile or absurd input rather than exhaust the machine.

Every limit has a name a user can read in the refusal message. They are
documented in README.md ("Limits"); keep the two in step.
"""

MAX_FILE_BYTES = 64 * 1024 * 1024  # one timeline file (JSON / NDJSON / CSV): its text and its strings parsed fit in 300 MB
MAX_YAML_BYTES = 16 * 1024 * 1024  # one YAML file (YAML parsing is ~50x slower than JSON; large inputs: NDJSON)
MAX_FIELD_CHARS = 100_000  # one text field (a quote, a summary, a name)
MAX_ID_CHARS = 200  # one identifier (event id, party, issue, ...)
MAX_LIST_ITEMS = 10_000  # one list inside an event (sources, provisions, parties)
MAX_DEPTH = 32  # nesting of mappings and lists
MAX_EVENTS = 400_000  # events in one input (all files of one command): 1.8-2.2 KB each in memory, so < 1 GB (benchmarks/hostile.py)
MAX_JSON_VALUES = 2_500_000  # values in one JSON / NDJSON file, counted before parsing (a mapping or array counts as
# JSON_CONTAINER_WEIGHT values): the costliest shape found stays under 300 MB peak RSS (benchmarks/hostile.py)
JSON_CONTAINER_WEIGHT = 2  # a parsed mapping or array costs 2-3x a scalar (one-key mapping ~200 bytes, string ~60-80)
MAX_YAML_ALIASES = 100  # alias uses (*name) in one YAML file
MAX_YAML_NODES = 1_000_000  # values in one YAML file, counting alias expansions (~50,000 events)
MAX_SOURCE_BYTES = 16 * 1024 * 1024  # one archived source text
MAX_NEAREST_SEARCHES = 50  # missing quotes of one input told their nearest passage (~70 ms each in a 16 MB source)
MAX_ARCHIVED_BYTES = 256 * 1024 * 1024  # all the source texts one command archives (each declaration counted)
