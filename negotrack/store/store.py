"""One store: the database, the event-sourced application on it, and the read model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from negotrack.domain.state import Rec
from negotrack.errors import NotFound
from negotrack.store import readmodel
from negotrack.store.config import display
from negotrack.store.db import database_for

if TYPE_CHECKING:  # the event model (pydantic) and the library load only where a command writes or replays
    from negotrack.domain import events as ev
    from negotrack.domain.rules import KnownEvent, Plan, PlannedThread
    from negotrack.domain.thread import Thread
    from negotrack.store.application import NegotrackApplication


BATCH = 5_000  # statements saved at a time within an ingest's transaction

# Called at the end of every recording, inside its write transaction, before the commit.
# Empty but for the crash tests' hook (see ``negotrack.process.install_pause_point``).
BEFORE_COMMIT: list[Callable[[], None]] = []


class Store:
    """A store as the use cases see it: opened by the entrypoint, handed to each use case."""

    def __init__(self, url: str):
        self.url = url
        self.db = database_for(url)
        self._app: NegotrackApplication | None = None

    @classmethod
    def open(cls, url: str, *, create: bool = False) -> Store:
        """The store at ``url`` (an SQLAlchemy URL); NotFound if it has no negotrack tables, unless ``create``."""
        store = cls(url)
        if create:
            store.db.create()
        elif not store.db.exists():
            raise NotFound(f"no negotrack store at {display(url)} (ingest a timeline first, or give --db)")
        return store

    @classmethod
    def scratch(cls) -> Store:
        """A new empty store in a temporary SQLite file, deleted when the process exits.

        (Not when the object is collected: a collection can run while the store's
        engine registry is locked, and forgetting an engine takes that lock.)
        """
        import atexit
        import shutil
        import tempfile
        from pathlib import Path

        from negotrack.store.db import forget

        folder = tempfile.mkdtemp(prefix="negotrack-scratch-")
        url = "sqlite:///" + str(Path(folder) / "scratch.db")
        store = cls.open(url, create=True)

        def remove() -> None:
            forget(url)
            shutil.rmtree(folder, ignore_errors=True)

        atexit.register(remove)
        return store

    def create(self) -> bool:
        """Create the store's tables if they are missing; True if anything was created."""
        return self.db.create()

    @staticmethod
    def is_conflict(e: BaseException) -> bool:
        """Is ``e`` a clash with a concurrent writer (a key written meanwhile, a lock, a serialization failure)?

        Such a write is retried from the start; anything else is not.
        """
        from eventsourcing.persistence import IntegrityError
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.exc import IntegrityError as SAIntegrityError

        if isinstance(e, (IntegrityError, SAIntegrityError)):
            return True
        if isinstance(e, DBAPIError):
            text = str(getattr(e, "orig", e)).lower()
            return any(s in text for s in ("database is locked", "deadlock", "could not serialize", "busy"))
        return False

    @property
    def app(self) -> NegotrackApplication:
        if self._app is None:
            from negotrack.store.application import NegotrackApplication

            self._app = NegotrackApplication(self.url)
        return self._app

    # -- what the checker needs (rules.StoreView) ------------------------------------

    def load_thread(self, slug: str) -> Thread | None:
        return self.app.get_thread(slug)

    def known_events(self, slug: str, ids: Iterable[str]) -> dict[str, KnownEvent]:
        with self.db.transaction() as conn:
            return readmodel.known_events(conn, slug, ids)

    def source_text(self, slug: str, key: str) -> str | None:
        with self.db.transaction() as conn:
            return readmodel.source_text(conn, slug, key)

    def stances_on(self, slug: str, dates: Iterable[str], parties: Iterable[str]) -> list[Any]:
        """Recorded stances of those parties on those dates (see ``readmodel.stances_on``)."""
        with self.db.transaction() as conn:
            return readmodel.stances_on(conn, slug, dates, parties)

    def stored_content(self, slug: str, event_id: str) -> dict[str, Any] | None:
        """A recorded event's content (to tell how a re-ingested event differs from it)."""
        with self.db.transaction() as conn:
            return readmodel.event_body(conn, slug, event_id)

    # -- writing -------------------------------------------------------------------

    def record(self, plan: Plan, now: datetime) -> None:
        """Save every planned event, its snapshot and its read-model rows, in one write transaction.

        Ingest calls this inside its own write transaction (which this one joins),
        so that the checks and the writes see the same store.
        """
        slugs = tuple(sorted(t.slug for t in plan.threads.values() if t.writes))
        with self.db.transaction(write=True, lock_keys=slugs):
            for planned in plan.threads.values():
                if planned.writes:
                    self._record_thread(planned, now)
            for hook in BEFORE_COMMIT:
                hook()

    def _record_thread(self, planned: PlannedThread, now: datetime) -> None:
        from negotrack.domain.thread import ThreadChanges
        from negotrack.store.readmodel import Projector

        changes = ThreadChanges(planned.thread, planned.slug, now)
        new_thread = planned.thread is None
        for decl in planned.declarations:
            if decl.kind == "title":
                if new_thread and not changes.pending:
                    changes.open(decl.decl)
                else:
                    changes.retitle(decl.decl)
        if new_thread and not changes.pending:
            changes.open(None)
        for decl in planned.declarations:
            if decl.kind == "party":
                changes.declare_party(decl.key, decl.decl)
            elif decl.kind == "actor":
                changes.declare_actor(decl.key, decl.decl)
            elif decl.kind == "issue":
                changes.declare_issue(decl.key, decl.decl)
            elif decl.kind == "source":
                changes.declare_source(decl.key, decl.decl, decl.text, decl.text_sha256)
        projector = Projector(planned.slug)  # every statement's issues are the checker's (PlannedStatement.issues)
        projector.aggregate_id = str(changes.aggregate_id)
        projector.recs = []  # folded for the checkpoints at the end, not read back (checkpoints.refresh)

        # The declarations (a few) go through the application's mapper as domain events.
        declared = changes.take()
        if declared:
            for event in declared:
                projector.add(event)
            self.app.save_events(declared, readmodel=projector.flush)
        # The statements are encoded straight from their checked input, a batch at a
        # time (a big ingest holds one batch of rows at once), every batch in this one
        # transaction (see ``record``): one content dump per statement gives its read-model
        # rows, and one JSON dump its stored state, the bytes the mapper would write for
        # its domain event (``application.recorded_state``), which is never built.
        from negotrack.store.application import recorded_state, recorded_topic

        recorded_at = readmodel.instant(changes.now)
        originator_id = str(changes.aggregate_id)
        recorder = self.app.recorder
        add_rec = projector.add_rec
        now = changes.now
        for start in range(0, len(planned.statements), BATCH):
            batch = planned.statements[start : start + BATCH]
            seq = changes.reserve(len(batch))
            rows = []  # stored_events rows, as the recorder's insert_events writes them
            for st in batch:
                s = st.input.statement
                content = s.content()
                add_rec(Rec(s.id, s.type, content.get("date"), seq, recorded_at, st.party, content), s.__dict__.get("ref"), st.issues)
                rows.append((originator_id, seq, recorded_topic(s.type), recorded_state(s, st.party, now)))
                seq += 1
            recorder.insert_rows(rows, readmodel=projector.flush)
        with self.db.transaction(write=True) as conn:
            projector.finish(conn, new_thread=new_thread)
            if projector.count:  # new statements: the thread's checkpoints, made again now (see checkpoints.refresh)
                from negotrack.store import checkpoints

                checkpoints.refresh(conn, planned.slug, projector.recs, new=projector.count)
        final = changes.final_thread()
        if final is not None:
            self.app.save_snapshot(final)

    # -- replay ----------------------------------------------------------------------

    def thread_events(self, slug: str) -> list[ev.DomainEvent]:
        with self.db.transaction():
            return self.app.thread_events(slug)

    def require_thread(self, conn: Any, slug: str) -> None:
        if not readmodel.thread_exists(conn, slug):
            known = readmodel.thread_slugs(conn)
            hint = f" (threads: {', '.join(known)})" if known else " (the store has no threads)"
            raise NotFound(f"no thread {slug!r} in the store{hint}")
