//! Reading every store into a backup, and restoring one in a single
//! transaction, so a restore that fails part way changes nothing.

use futures::future::try_join_all;
use rexie::{Store, TransactionMode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::buckets::{bucket_values, by_bucket, rows_of_buckets, Bucketed};
use super::prices::entry_key;
use super::repo::{from_js, to_js, Stored};
use super::schema::{
    ALERTS, API_KEYS, BUDGETS, CONNECTIONS, COST_DAYS, PEOPLE, PRICES,
    PROJECTS, SETTINGS, SYNC_STATE, USAGE_BUCKETS, WATCHES,
};
use super::{Db, StorageError};
use crate::domain::backup::{Backup, RestoreMode, Setting};
use crate::domain::connection::Connection;
use crate::domain::keys::scoped_id;

/// Every store, in the order a backup lists them.
const ALL: [&str; 12] = [
    CONNECTIONS,
    PROJECTS,
    API_KEYS,
    USAGE_BUCKETS,
    COST_DAYS,
    PEOPLE,
    SYNC_STATE,
    PRICES,
    SETTINGS,
    BUDGETS,
    WATCHES,
    ALERTS,
];

fn unwrap_all<T: DeserializeOwned>(
    values: Vec<JsValue>,
) -> Result<Vec<T>, StorageError> {
    values
        .into_iter()
        .map(|v| from_js::<Stored<T>>(v).map(|s| s.record))
        .collect()
}

fn wrap<T: Serialize>(
    key: String,
    bucket: Option<String>,
    record: &T,
) -> Result<JsValue, StorageError> {
    to_js(&Stored {
        key,
        bucket,
        record,
    })
}

/// `records` with, when merging, the stored rows of their buckets before
/// them, so that a later row of the same natural key replaces its stored
/// one and the others stay.
async fn merged<T: Bucketed + Clone>(
    store: &Store,
    records: &[T],
    mode: RestoreMode,
) -> Result<Vec<T>, StorageError> {
    let mut rows = Vec::new();
    if mode == RestoreMode::Merge {
        let stored = try_join_all(
            by_bucket(records)
                .into_iter()
                .map(|(key, _)| store.get(JsValue::from_str(&key))),
        )
        .await
        .map_err(StorageError::write)?;
        rows = rows_of_buckets(stored.into_iter().flatten().collect())?;
    }
    rows.extend(records.iter().cloned());
    Ok(rows)
}

impl Db {
    /// Everything stored, as the parts of a backup (not yet sorted).
    pub async fn backup_parts(&self) -> Result<Backup, StorageError> {
        let tx = self
            .rexie()
            .transaction(&ALL, TransactionMode::ReadOnly)
            .map_err(StorageError::read)?;
        let all = |name: &'static str| {
            let tx = &tx;
            async move {
                tx.store(name)
                    .map_err(StorageError::read)?
                    .get_all(None, None)
                    .await
                    .map_err(StorageError::read)
            }
        };
        let connections = all(CONNECTIONS)
            .await?
            .into_iter()
            .map(from_js)
            .collect::<Result<Vec<Connection>, _>>()?;
        let settings = all(SETTINGS)
            .await?
            .into_iter()
            .map(from_js)
            .collect::<Result<Vec<Setting>, _>>()?;
        Ok(Backup {
            connections,
            projects: unwrap_all(all(PROJECTS).await?)?,
            keys: unwrap_all(all(API_KEYS).await?)?,
            usage: rows_of_buckets(all(USAGE_BUCKETS).await?)?,
            costs: rows_of_buckets(all(COST_DAYS).await?)?,
            people: unwrap_all(all(PEOPLE).await?)?,
            positions: unwrap_all(all(SYNC_STATE).await?)?,
            prices: unwrap_all(all(PRICES).await?)?,
            settings,
            budgets: unwrap_all(all(BUDGETS).await?)?,
            watches: unwrap_all(all(WATCHES).await?)?,
            alerts: unwrap_all(all(ALERTS).await?)?,
            ..Backup::default()
        })
    }

    /// Writes a checked backup in one transaction. A sealed admin key
    /// already stored for an organization in the file is kept, since
    /// backups never carry one.
    pub async fn restore(
        &self,
        backup: &Backup,
        mode: RestoreMode,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&ALL, TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store =
            |name: &'static str| tx.store(name).map_err(StorageError::write);
        let stored: Vec<Connection> = store(CONNECTIONS)?
            .get_all(None, None)
            .await
            .map_err(StorageError::write)?
            .into_iter()
            .map(from_js)
            .collect::<Result<_, _>>()?;
        if mode == RestoreMode::Replace {
            for name in ALL {
                store(name)?.clear().await.map_err(StorageError::write)?;
            }
        }

        let mut rows: Vec<(&'static str, JsValue)> =
            Vec::with_capacity(backup.records());
        for connection in &backup.connections {
            let mut connection = connection.clone();
            connection.sealed_secret = stored
                .iter()
                .find(|s| s.id == connection.id)
                .and_then(|s| s.sealed_secret.clone());
            rows.push((CONNECTIONS, to_js(&connection)?));
        }
        for p in &backup.projects {
            let key = scoped_id(&p.connection_id, &p.id);
            rows.push((PROJECTS, wrap(key, None, p)?));
        }
        for k in &backup.keys {
            let key = scoped_id(&k.connection_id, &k.id);
            rows.push((API_KEYS, wrap(key, None, k)?));
        }
        // Usage is stored a bucket to a record and costs a day to one:
        // merging, a bucket the file shares with what is stored keeps the
        // stored rows the file lacks.
        let usage = merged(&store(USAGE_BUCKETS)?, &backup.usage, mode).await?;
        for bucket in bucket_values(&usage)? {
            rows.push((USAGE_BUCKETS, bucket));
        }
        let costs = merged(&store(COST_DAYS)?, &backup.costs, mode).await?;
        for day in bucket_values(&costs)? {
            rows.push((COST_DAYS, day));
        }
        for p in &backup.people {
            let key = scoped_id(&p.connection_id, &p.id);
            rows.push((PEOPLE, wrap(key, None, p)?));
        }
        for p in &backup.positions {
            let key = scoped_id(&p.connection_id, &p.stream);
            rows.push((SYNC_STATE, wrap(key, None, p)?));
        }
        for p in &backup.prices {
            rows.push((PRICES, wrap(entry_key(p), None, p)?));
        }
        for s in &backup.settings {
            rows.push((SETTINGS, to_js(s)?));
        }
        for b in &backup.budgets {
            rows.push((BUDGETS, wrap(b.id.clone(), None, b)?));
        }
        for w in &backup.watches {
            rows.push((WATCHES, wrap(w.id.clone(), None, w)?));
        }
        for a in &backup.alerts {
            rows.push((ALERTS, wrap(a.id.clone(), None, a)?));
        }
        for name in ALL {
            let mine = rows
                .iter()
                .filter(|(store_name, _)| *store_name == name)
                .map(|(_, row)| (row.clone(), None));
            store(name)?
                .put_all(mine)
                .await
                .map_err(StorageError::write)?;
        }
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
