"""The ledger's tables, in the SQL both backends read (store/dialect.py adapts it to PostgreSQL)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,              -- processing | accepted | rejected | duplicate | failed
    received_at TEXT NOT NULL,
    finished_at TEXT,
    work_path TEXT,
    stored_path TEXT,
    problems TEXT NOT NULL DEFAULT '[]',
    outputs TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS files_by_hash ON files(unit, sha256);
CREATE INDEX IF NOT EXISTS files_by_unit ON files(unit, status);  -- counts and a unit's files
CREATE INDEX IF NOT EXISTS files_by_status ON files(status);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id),
    unit TEXT NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    data TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    current INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS submissions_current ON submissions(kind, current);
-- the current versions' heads read from the index alone: in SQLite a row's columns after its
-- data (a whole record, often hundreds of kB) are reached only through its overflow pages
CREATE INDEX IF NOT EXISTS submissions_heads ON submissions(kind, current, id, file_id,
                                                            accepted_at);
CREATE TABLE IF NOT EXISTS drafts (
    key TEXT PRIMARY KEY,              -- the latest making of each draft (DN:BKUBND, U:DN:SNV …)
    made_at TEXT NOT NULL,
    outputs TEXT NOT NULL,
    config_version TEXT NOT NULL DEFAULT '',    -- the config it was made from
    templates_version TEXT NOT NULL DEFAULT ''  -- and its templates
);
CREATE TABLE IF NOT EXISTS pending (
    file_id INTEGER PRIMARY KEY,       -- accepted, its answer not yet delivered (rendered after
    documents TEXT NOT NULL            -- the campaign lease is released; a crash resumes it)
);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,             -- campaign | refresh | unit:<code> | work:<path>
    holder TEXT NOT NULL,              -- host:pid:thread of the process that holds it
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires REAL NOT NULL              -- unix time; a holder on another machine that died
);
CREATE TABLE IF NOT EXISTS claims (
    key TEXT PRIMARY KEY,              -- an arrival in the inbox: path|size|mtime_ns (claims.py)
    holder TEXT NOT NULL,              -- host:pid:thread: the claimer, then who works on it
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    claimed_at REAL NOT NULL,
    expires REAL NOT NULL,             -- unix time; renewed while its holder lives
    work_path TEXT                     -- set once the rename into state/work/ succeeded
);
CREATE INDEX IF NOT EXISTS claims_by_work ON claims(work_path);
CREATE TABLE IF NOT EXISTS stale (
    key TEXT PRIMARY KEY,              -- a province-wide draft to remake, e.g. DN:BKUBND
    version INTEGER NOT NULL,
    since TEXT NOT NULL
);
"""
