"""SQLite storage of the local user pool: schema, one connection per thread, transactions.

The database runs in WAL mode so readers never wait for the writer. Each server thread
opens its own connection on first use; write transactions start with ``BEGIN IMMEDIATE``
so two writers queue on SQLite's lock instead of failing to upgrade a read lock.
Passwords are never stored: only a scrypt hash and the SRP salt and verifier.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["SCHEMA_VERSION", "Store"]

# Bumped whenever the tables change, so an old --db file is refused rather than misread.
SCHEMA_VERSION = 2
# Versions whose files this server upgrades in place: version 1 lacks the group tables
# (created below like any missing table) and the outbox's subject and text columns.
_UPGRADABLE = (0, 1)
_UPGRADE_FROM_1 = (
    "ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE outbox ADD COLUMN text TEXT NOT NULL DEFAULT ''",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pools (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,           -- JSON: the pool as DescribeUserPool returns it
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS clients (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    secret TEXT,
    config TEXT NOT NULL            -- JSON: the client as DescribeUserPoolClient returns it
);
CREATE INDEX IF NOT EXISTS clients_by_pool ON clients(pool_id);
CREATE TABLE IF NOT EXISTS users (
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    username_key TEXT NOT NULL,     -- the username, lower-cased in case-insensitive pools
    username TEXT NOT NULL,
    sub TEXT NOT NULL,
    status TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    attributes TEXT NOT NULL,       -- JSON object of attribute name -> value
    email_key TEXT,                 -- normalised sign-in aliases, for lookups
    phone_key TEXT,
    password_hash TEXT,             -- scrypt, for USER_PASSWORD_AUTH
    srp_salt TEXT,                  -- hex, for USER_SRP_AUTH
    srp_verifier TEXT,              -- hex
    password_set REAL,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    PRIMARY KEY (pool_id, username_key)
);
CREATE UNIQUE INDEX IF NOT EXISTS users_by_sub ON users(pool_id, sub);
CREATE INDEX IF NOT EXISTS users_by_email ON users(pool_id, email_key);
CREATE INDEX IF NOT EXISTS users_by_phone ON users(pool_id, phone_key);
CREATE TABLE IF NOT EXISTS codes (
    pool_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    purpose TEXT NOT NULL,          -- 'signup' now; later issues add others
    code TEXT NOT NULL,
    expires REAL NOT NULL,
    PRIMARY KEY (pool_id, username_key, purpose),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS signing_keys (
    pool_id TEXT PRIMARY KEY REFERENCES pools(id) ON DELETE CASCADE,
    kid TEXT NOT NULL,
    pkcs8 BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (  -- one row per sign-in: the refresh token's family
    origin_jti TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    refresh_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the opaque refresh token
    auth_time INTEGER NOT NULL,
    expires REAL NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(pool_id, username_key);
CREATE TABLE IF NOT EXISTS access_tokens (  -- tokens this server issued, by SHA-256
    token_hash TEXT PRIMARY KEY,
    origin_jti TEXT NOT NULL REFERENCES sessions(origin_jti) ON DELETE CASCADE,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_attributes (  -- a new e-mail/phone kept until verified
    pool_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (pool_id, username_key, name),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS pool_mfa (  -- SetUserPoolMfaConfig: the factors a pool offers
    pool_id TEXT PRIMARY KEY REFERENCES pools(id) ON DELETE CASCADE,
    config TEXT NOT NULL            -- JSON: as GetUserPoolMfaConfig returns it
);
CREATE TABLE IF NOT EXISTS user_mfa (  -- a user's MFA factors (SMS_MFA, SOFTWARE_TOKEN_MFA, ...)
    pool_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    factor TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    preferred INTEGER NOT NULL,
    PRIMARY KEY (pool_id, username_key, factor),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS software_tokens (  -- TOTP secrets: associated, then verified
    pool_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    secret TEXT NOT NULL,           -- base32, as AssociateSoftwareToken handed it out
    verified INTEGER NOT NULL,
    last_step INTEGER,              -- the newest accepted time step (a code works once)
    PRIMARY KEY (pool_id, username_key),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS devices (  -- tracked devices: NewDeviceMetadata, then ConfirmDevice
    device_key TEXT PRIMARY KEY,    -- <region>_<uuid>
    pool_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    group_key TEXT NOT NULL,
    name TEXT,
    salt TEXT,                      -- hex; salt and verifier are NULL until ConfirmDevice
    verifier TEXT,                  -- hex
    status TEXT,                    -- remembered / not_remembered
    created REAL NOT NULL,
    modified REAL NOT NULL,
    last_authenticated REAL,
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS devices_by_user ON devices(pool_id, username_key);
CREATE TABLE IF NOT EXISTS device_sessions (  -- the device a sign-in's refresh token is bound to
    origin_jti TEXT PRIMARY KEY REFERENCES sessions(origin_jti) ON DELETE CASCADE,
    device_key TEXT NOT NULL        -- no foreign key: a forgotten device must still bind
);
CREATE TABLE IF NOT EXISTS rotated_refresh_tokens (  -- refresh tokens rotated out of a session
    token_hash TEXT PRIMARY KEY,    -- SHA-256 of the old token
    origin_jti TEXT NOT NULL REFERENCES sessions(origin_jti) ON DELETE CASCADE,
    usable_until REAL NOT NULL      -- the end of the client's retry grace period
);
CREATE TABLE IF NOT EXISTS identity_pools (  -- Cognito identity pools (identity.py)
    id TEXT PRIMARY KEY,            -- <region>:<uuid>
    config TEXT NOT NULL,           -- JSON: the pool as DescribeIdentityPool returns it
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS identities (  -- one row per IdentityId an identity pool handed out
    id TEXT PRIMARY KEY,            -- <region>:<uuid>
    pool_id TEXT NOT NULL REFERENCES identity_pools(id) ON DELETE CASCADE,
    login TEXT,                     -- '<provider> <sub>' of an authenticated identity; NULL: guest
    created REAL NOT NULL,
    UNIQUE (pool_id, login)
);
CREATE TABLE IF NOT EXISTS aws_credentials (  -- GetCredentialsForIdentity's keys (aws_keys.py)
    access_key_id TEXT PRIMARY KEY, -- ASIA...
    secret TEXT NOT NULL,           -- kept to check signatures (local, test-only keys)
    session_token TEXT NOT NULL,
    expires REAL NOT NULL,
    identity_id TEXT NOT NULL       -- no foreign key: keys outlive a deleted identity, as in AWS
);
CREATE INDEX IF NOT EXISTS aws_credentials_by_expiry ON aws_credentials(expires);
CREATE TABLE IF NOT EXISTS identity_signing_key (  -- the key of GetOpenIdToken's tokens
    id INTEGER PRIMARY KEY CHECK (id = 1),  -- one per server, as Cognito has one JWKS
    kid TEXT NOT NULL,
    pkcs8 BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (  -- CreateGroup
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence INTEGER,
    created REAL NOT NULL,
    modified REAL NOT NULL,
    PRIMARY KEY (pool_id, name)
);
CREATE TABLE IF NOT EXISTS group_members (  -- AdminAddUserToGroup
    pool_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    username_key TEXT NOT NULL,
    PRIMARY KEY (pool_id, group_name, username_key),
    FOREIGN KEY (pool_id, group_name) REFERENCES groups(pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS group_members_by_user ON group_members(pool_id, username_key);
CREATE TABLE IF NOT EXISTS domains (  -- CreateUserPoolDomain: one prefix per pool
    domain TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL UNIQUE REFERENCES pools(id) ON DELETE CASCADE,
    config TEXT NOT NULL            -- JSON: as DescribeUserPoolDomain returns it
);
CREATE TABLE IF NOT EXISTS resource_servers (  -- CreateResourceServer
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    identifier TEXT NOT NULL,
    config TEXT NOT NULL,           -- JSON: as DescribeResourceServer returns it
    PRIMARY KEY (pool_id, identifier)
);
CREATE TABLE IF NOT EXISTS identity_providers (  -- CreateIdentityProvider
    pool_id TEXT NOT NULL REFERENCES pools(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    config TEXT NOT NULL,           -- JSON: as DescribeIdentityProvider returns it
    PRIMARY KEY (pool_id, name)
);
CREATE TABLE IF NOT EXISTS login_sessions (  -- hosted-UI session cookies (oauth/login_sessions.py)
    cookie_hash TEXT PRIMARY KEY,   -- SHA-256 of the cookie's opaque value
    pool_id TEXT NOT NULL,
    username_key TEXT NOT NULL,
    provider TEXT NOT NULL,         -- COGNITO, or the identity provider signed in with
    auth_time INTEGER NOT NULL,
    expires REAL NOT NULL,
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS login_sessions_by_user ON login_sessions(pool_id, username_key);
CREATE TABLE IF NOT EXISTS provider_links (  -- AdminLinkProviderForUser (oauth/links.py)
    pool_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    attribute TEXT NOT NULL,        -- Cognito_Subject, or a pool attribute the mapping fills
    value TEXT NOT NULL,
    username_key TEXT NOT NULL,     -- the user the identity signs in as
    subject TEXT,                   -- the provider's subject, once it signed in
    created REAL NOT NULL,
    PRIMARY KEY (pool_id, provider, attribute, value),
    FOREIGN KEY (pool_id, username_key) REFERENCES users(pool_id, username_key)
        ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pool_id TEXT NOT NULL,
    username TEXT NOT NULL,
    medium TEXT NOT NULL,           -- EMAIL or SMS
    destination TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code TEXT NOT NULL,
    created REAL NOT NULL,
    subject TEXT NOT NULL DEFAULT '',  -- e-mail subject (messages.py)
    text TEXT NOT NULL DEFAULT ''      -- the message as sent, code included
);
"""


class Store:
    """The database at ``path``; hands each thread its own connection.

    A thread that is done (a closed HTTP connection) gives its connection back with
    :meth:`release`, and the next new thread reuses it, so connections are opened only
    up to the peak number of concurrent threads.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        conn = self.connection()
        conn.execute("PRAGMA journal_mode=WAL")
        (version,) = conn.execute("PRAGMA user_version").fetchone()
        if version not in (*_UPGRADABLE, SCHEMA_VERSION):
            self.close()
            raise ValueError(
                f"{path} holds a local pool database of schema version {version};"
                f" this server reads version {SCHEMA_VERSION}"
            )
        if version == 1:
            for statement in _UPGRADE_FROM_1:
                conn.execute(statement)
        conn.executescript(_SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @property
    def connection_count(self) -> int:
        """How many connections are open (in use or idle)."""
        with self._lock:
            return len(self._all)

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit mode): an idle one, or a new one."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30.0
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            with self._lock:
                self._all.append(conn)
        self._local.conn = conn
        return conn

    def release(self) -> None:
        """Give this thread's connection back for another thread to reuse."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        with self._lock:
            self._idle.append(conn)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: commits on success, rolls back on any exception."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection this store opened (call once the server has stopped)."""
        with self._lock:
            conns, self._all, self._idle = self._all, [], []
        for conn in conns:
            conn.close()
        self._local = threading.local()
