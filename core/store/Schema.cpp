#include "core/store/Schema.h"

namespace chainsight::store {

namespace {
// Version 1: evidence, events and custody.
constexpr std::string_view kV1 = R"SQL(
CREATE TABLE case_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE bundles(
    id INTEGER PRIMARY KEY,
    bundle_id TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT,
    collected_at TEXT,
    collector TEXT,
    window_start INTEGER,
    window_end INTEGER,
    content_sha256 TEXT NOT NULL UNIQUE,
    manifest TEXT,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_on TEXT NOT NULL,
    parent_bundle INTEGER REFERENCES bundles(id)
);

CREATE TABLE evidence_files(
    id INTEGER PRIMARY KEY,
    bundle INTEGER NOT NULL REFERENCES bundles(id),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    role TEXT NOT NULL,
    UNIQUE(bundle, path)
);

CREATE TABLE evidence_chunks(
    file INTEGER NOT NULL REFERENCES evidence_files(id),
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY(file, seq)
);

CREATE TABLE events(
    id INTEGER PRIMARY KEY,
    bundle INTEGER NOT NULL REFERENCES bundles(id),
    eid TEXT NOT NULL,
    ts INTEGER NOT NULL,
    type INTEGER NOT NULL,
    agent TEXT NOT NULL,
    session TEXT NOT NULL,
    identity TEXT,
    parent TEXT,
    call_id TEXT,
    tool TEXT,
    trace_id TEXT,
    span_id TEXT,
    summary TEXT NOT NULL,
    json TEXT NOT NULL,
    file INTEGER REFERENCES evidence_files(id),
    line INTEGER,
    UNIQUE(bundle, eid)
);

CREATE VIRTUAL TABLE events_fts USING fts5(text, content='', tokenize='unicode61 remove_diacritics 2');

CREATE TABLE blobs(
    sha256 TEXT PRIMARY KEY,
    bytes INTEGER NOT NULL,
    data BLOB NOT NULL
);

CREATE TABLE agents(
    id INTEGER PRIMARY KEY,
    bundle INTEGER NOT NULL REFERENCES bundles(id),
    agent TEXT NOT NULL,
    baseline TEXT NOT NULL,
    UNIQUE(bundle, agent)
);

CREATE TABLE decisions(
    id INTEGER PRIMARY KEY,
    bundle INTEGER NOT NULL REFERENCES bundles(id),
    seq INTEGER NOT NULL,
    ts INTEGER,
    agent TEXT,
    session TEXT,
    event TEXT,
    verdict TEXT NOT NULL,
    policy TEXT,
    reason TEXT,
    key_id TEXT,
    hash TEXT,
    valid INTEGER NOT NULL,
    failure TEXT,
    payload TEXT,
    line INTEGER,
    UNIQUE(bundle, seq)
);
CREATE INDEX decisions_event ON decisions(bundle, event);
CREATE INDEX decisions_ts ON decisions(ts);

CREATE TABLE bundle_keys(
    id INTEGER PRIMARY KEY,
    bundle INTEGER NOT NULL REFERENCES bundles(id),
    key_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    pem TEXT NOT NULL,
    UNIQUE(bundle, key_id)
);

CREATE TABLE pinned_keys(
    key_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    pem TEXT NOT NULL,
    pinned_at TEXT NOT NULL,
    pinned_by TEXT NOT NULL
);

CREATE TABLE custody(
    seq INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    host TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
)SQL";

// Version 2: the analyst's side of the case (classification, checklist, RACI, notes).
constexpr std::string_view kV2 = R"SQL(
CREATE TABLE classifications(
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('machine', 'analyst')),
    incident_type TEXT NOT NULL,
    tier INTEGER,
    confidence REAL,
    reason TEXT NOT NULL DEFAULT ''
);

CREATE TABLE checklist_items(
    item TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'open',
    owner TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL DEFAULT '[]',
    changed_by TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE raci(
    activity TEXT NOT NULL,
    role TEXT NOT NULL,
    value TEXT NOT NULL CHECK (value IN ('R', 'A', 'C', 'I')),
    PRIMARY KEY(activity, role)
) WITHOUT ROWID;

CREATE TABLE notes(
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    event INTEGER REFERENCES events(id),
    text TEXT NOT NULL
);
)SQL";

// Version 3: the response workflow's state beside v2's tables (core/store/ResponseStore): phase closures,
// per-agent criticality and EU AI Act high-risk flag as set by the analyst, and small response settings
// (time of awareness, the case's RACI roles).
constexpr std::string_view kV3 = R"SQL(
CREATE TABLE response_phases(
    phase TEXT PRIMARY KEY,
    closed INTEGER NOT NULL DEFAULT 0,
    changed_by TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE response_agents(
    agent TEXT PRIMARY KEY,
    criticality TEXT NOT NULL DEFAULT '',
    high_risk INTEGER,
    changed_by TEXT NOT NULL DEFAULT '',
    changed_at TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE response_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)SQL";

// Version 4: containment actions (core/store/ActionStore): one row per request issued to a backend, its intent
// committed with a contain.intent custody entry before the request leaves, its outcome after.
constexpr std::string_view kV4 = R"SQL(
CREATE TABLE actions(
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL,
    backend TEXT NOT NULL,
    backend_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    body_sha256 TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('intent', 'sent', 'confirmed', 'failed', 'unknown', 'reversed')),
    actor TEXT NOT NULL,
    approver TEXT NOT NULL DEFAULT '',
    break_glass INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    reverses INTEGER REFERENCES actions(id),
    created_at TEXT NOT NULL,
    sent_at TEXT NOT NULL DEFAULT '',
    finished_at TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    http_status INTEGER NOT NULL DEFAULT 0,
    response_sha256 TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_state ON actions(state);
)SQL";

// The event indexes, kept apart so a large import can build them once at its end instead of row by row.
constexpr std::string_view kEventIndexes = R"SQL(
CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
CREATE INDEX IF NOT EXISTS events_agent ON events(agent, ts);
CREATE INDEX IF NOT EXISTS events_session ON events(session, ts);
CREATE INDEX IF NOT EXISTS events_type ON events(type, ts);
CREATE INDEX IF NOT EXISTS events_identity ON events(identity, ts) WHERE identity IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_parent ON events(bundle, parent) WHERE parent IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_call ON events(bundle, call_id) WHERE call_id IS NOT NULL;
)SQL";

constexpr std::string_view kDropEventIndexes = R"SQL(
DROP INDEX IF EXISTS events_ts;
DROP INDEX IF EXISTS events_agent;
DROP INDEX IF EXISTS events_session;
DROP INDEX IF EXISTS events_type;
DROP INDEX IF EXISTS events_identity;
DROP INDEX IF EXISTS events_parent;
DROP INDEX IF EXISTS events_call;
)SQL";

const std::vector<Migration> kMigrations = {{1, std::string(kV1) + std::string(kEventIndexes)}, {2, std::string(kV2)},
                                           {3, std::string(kV3)}, {4, std::string(kV4)}};
} // namespace

std::string_view eventIndexesSql() { return kEventIndexes; }
std::string_view dropEventIndexesSql() { return kDropEventIndexes; }

const std::vector<Migration>& migrations() { return kMigrations; }
int latestSchemaVersion() { return kMigrations.back().version; }

} // namespace chainsight::store
