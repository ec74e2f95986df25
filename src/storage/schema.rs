//! The IndexedDB schema. Every change to stores or indexes raises
//! `VERSION` and is listed here, so an old database upgrades in place.
//!
//! Version 1: connections, projects, api_keys, usage, settings.
//! Version 2: costs (billed), people (users and service accounts),
//! sync_state (how far each stream of each connection is complete).
//! Version 3: prices (the user's imported and edited price entries).
//! Version 4: budgets, watches (burn-rate watches) and alerts.
//! Version 5: usage and costs lose their `by_bucket` index, which no read
//! used and every row written paid for; pages replace buckets by key range.
//! Version 6: usage and costs lose their `by_connection` index too: their
//! keys start with the connection, so a key range reads or deletes an
//! organization's rows, and every row written updates one index fewer.
//! Version 7: usage is kept in `usage_buckets`, one record per bucket
//! holding all its rows, keyed by the bucket key, and billed costs in
//! `cost_days`, one record per day. A bucket is fetched, replaced and
//! read whole, and IndexedDB pays per record far more than per byte: a
//! year's back-fill writes a few thousand records, not tens of
//! thousands. The rows of the old `usage` and `costs` stores move there
//! when a database is first opened at this version (see
//! `storage::buckets`).

use rexie::{Index, ObjectStore, Rexie};

/// The current schema version.
pub const VERSION: u32 = 7;

pub const CONNECTIONS: &str = "connections";
pub const PROJECTS: &str = "projects";
pub const API_KEYS: &str = "api_keys";
/// Usage as one row per record, up to version 6; emptied into
/// `USAGE_BUCKETS` on opening.
pub const USAGE: &str = "usage";
pub const USAGE_BUCKETS: &str = "usage_buckets";
pub const SETTINGS: &str = "settings";
/// Billed costs as one row per record, up to version 6; emptied into
/// `COST_DAYS` on opening.
pub const COSTS: &str = "costs";
pub const COST_DAYS: &str = "cost_days";
pub const PEOPLE: &str = "people";
pub const SYNC_STATE: &str = "sync_state";
pub const PRICES: &str = "prices";
pub const BUDGETS: &str = "budgets";
pub const WATCHES: &str = "watches";
pub const ALERTS: &str = "alerts";

/// Index of per-connection stores on their connection id.
pub const BY_CONNECTION: &str = "by_connection";

/// Opens (creating or upgrading) the database called `name`.
pub async fn open(name: &str) -> rexie::Result<Rexie> {
    let by_connection = || Index::new(BY_CONNECTION, "record.connection_id");
    Rexie::builder(name)
        .version(VERSION)
        .add_object_store(ObjectStore::new(CONNECTIONS).key_path("id"))
        .add_object_store(
            ObjectStore::new(PROJECTS)
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(
            ObjectStore::new(API_KEYS)
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(ObjectStore::new(USAGE).key_path("key"))
        .add_object_store(ObjectStore::new(USAGE_BUCKETS).key_path("key"))
        .add_object_store(ObjectStore::new(SETTINGS).key_path("name"))
        .add_object_store(ObjectStore::new(COSTS).key_path("key"))
        .add_object_store(ObjectStore::new(COST_DAYS).key_path("key"))
        .add_object_store(
            ObjectStore::new(PEOPLE)
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(
            ObjectStore::new(SYNC_STATE)
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(ObjectStore::new(PRICES).key_path("key"))
        .add_object_store(
            ObjectStore::new(BUDGETS)
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(
            ObjectStore::new(WATCHES)
                .key_path("key")
                .add_index(by_connection()),
        )
        .add_object_store(
            ObjectStore::new(ALERTS)
                .key_path("key")
                .add_index(by_connection()),
        )
        .build()
        .await
}
