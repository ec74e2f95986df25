//! Repositories: typed reads and writes over the stores. Records are kept
//! as `{key, bucket?, record}` so the stored key is always the natural key
//! computed in `domain`, whatever the record's own shape.

use std::collections::HashMap;

use rexie::{KeyRange, Store, Transaction, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::buckets::add_bucket_rows;
use super::pager::{let_go_of_rows, rows_of_record, Pager};
use super::schema::{
    ALERTS, API_KEYS, BUDGETS, BY_CONNECTION, CONNECTIONS, COST_DAYS, PEOPLE,
    PROJECTS, SETTINGS, SYNC_STATE, USAGE_BUCKETS, WATCHES,
};
use super::Page;
use super::{Db, StorageError};
use crate::domain::connection::Connection;
use crate::domain::cost::CostRecord;
use crate::domain::keys::{scoped_id, ApiKey, KeyNotes, Project};
use crate::domain::people::Person;
pub use crate::domain::sync_plan::SyncPosition;
use crate::domain::usage::{connection_rows, UsageRecord};
use crate::sync::Landed;

/// Everything stored about one organization.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrgData {
    pub projects: Vec<Project>,
    pub keys: Vec<ApiKey>,
    pub usage: Vec<UsageRecord>,
    pub costs: Vec<CostRecord>,
    pub people: Vec<Person>,
}

impl OrgData {
    /// Adds another organization's data to this one.
    pub fn extend(&mut self, other: OrgData) {
        self.projects.extend(other.projects);
        self.keys.extend(other.keys);
        self.usage.extend(other.usage);
        self.costs.extend(other.costs);
        self.people.extend(other.people);
    }

    /// Brings one organization's part up to date after a sync: the
    /// buckets and days it stored replace what was held for them, and
    /// `directory` (projects, keys and people, as stored now) replaces
    /// the organization's listings.
    pub fn replace_synced(
        &mut self,
        connection_id: &str,
        landed: Landed,
        directory: OrgData,
    ) {
        let theirs = |id: &str| id == connection_id;
        self.usage.retain(|r| {
            !theirs(&r.connection_id)
                || !landed.buckets.contains(&r.bucket_key())
        });
        self.usage.extend(landed.usage);
        self.costs.retain(|r| {
            !theirs(&r.connection_id) || !landed.days.contains(&r.day_key())
        });
        self.costs.extend(landed.costs);
        self.projects.retain(|p| !theirs(&p.connection_id));
        self.projects.extend(directory.projects);
        self.keys.retain(|k| !theirs(&k.connection_id));
        self.keys.extend(directory.keys);
        self.people.retain(|p| !theirs(&p.connection_id));
        self.people.extend(directory.people);
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct Stored<T> {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    pub record: T,
}

/// A stored row read back for its record alone: its keys stay in the
/// browser rather than being copied into strings only to be dropped.
#[derive(Deserialize)]
struct Loaded<T> {
    record: T,
}

/// The records of stored rows.
fn records<T: DeserializeOwned>(
    values: Vec<JsValue>,
) -> Result<Vec<T>, StorageError> {
    values
        .into_iter()
        .map(|value| from_js::<Loaded<T>>(value).map(|row| row.record))
        .collect()
}

#[derive(Serialize, Deserialize)]
struct Setting {
    name: String,
    value: String,
}

pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    // Plain objects, not JS Maps: IndexedDB key paths only see properties.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| StorageError::Write(e.to_string()))
}

pub(super) fn from_js<T: DeserializeOwned>(
    value: JsValue,
) -> Result<T, StorageError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| StorageError::Decode(e.to_string()))
}

fn decode_all<T: DeserializeOwned>(
    values: Vec<JsValue>,
) -> Result<Vec<T>, StorageError> {
    values.into_iter().map(from_js).collect()
}

/// The keys of a connection's usage and cost rows (see
/// `connection_rows`); a failure is IndexedDB's own words, for the
/// caller to report as a read or a write error.
fn connection_range(connection_id: &str) -> Result<KeyRange, String> {
    let (low, high) = connection_rows(connection_id);
    KeyRange::bound(
        &JsValue::from_str(&low),
        &JsValue::from_str(&high),
        None,
        None,
    )
    .map_err(|error| format!("{error:?}"))
}

/// The stored rows of `store` in `tx` that belong to `connection_id`,
/// found through the store's connection index.
async fn of_connection(
    tx: &Transaction,
    store: &str,
    connection_id: &str,
) -> Result<Vec<JsValue>, StorageError> {
    let store = tx.store(store).map_err(StorageError::read)?;
    let index = store.index(BY_CONNECTION).map_err(StorageError::read)?;
    index
        .get_all(Some(only(connection_id)?), None)
        .await
        .map_err(StorageError::read)
}

/// Rows from which a read counts them all before it goes on (a second
/// pass over the records): below it, a list grown by doubling wastes a
/// few tens of MB at most, and counting would cost a start more time
/// than that memory is worth.
const MANY_ROWS: usize = 250_000;

/// The rows stored in `store` between `low` and `high`, from the `count`
/// each bucket (or day) record carries.
async fn rows_in_range(
    store: &Store,
    low: &str,
    high: &str,
) -> Result<usize, StorageError> {
    let mut pager = Pager::new(store, low, high)?;
    let mut rows = 0;
    while let Some(page) = pager.next().await? {
        page.iter().for_each(let_go_of_rows);
        let held: usize = page.iter().map(rows_of_record).sum();
        pager.held(page.len(), held);
        rows += held;
    }
    Ok(rows)
}

/// The stored records of `store` in `tx` whose keys say they belong to
/// `connection_id` (see `connection_rows`), in key order, each page
/// handed to `decode` (which adds what it holds to the list) and let go
/// before the next is asked for. When the first page says there are
/// many rows (see `MANY_ROWS`), the list is sized from the rows the
/// records say they hold before it grows further: grown by doubling, it
/// would leave the wasm memory, which never shrinks, holding its earlier
/// sizes too.
async fn in_connection_range<T>(
    tx: &Transaction,
    store: &str,
    connection_id: &str,
    mut decode: impl FnMut(Vec<JsValue>, &mut Vec<T>) -> Result<(), StorageError>,
) -> Result<Vec<T>, StorageError> {
    let (low, high) = connection_rows(connection_id);
    let store = tx.store(store).map_err(StorageError::read)?;
    let whole = KeyRange::bound(
        &JsValue::from_str(&low),
        &JsValue::from_str(&high),
        None,
        None,
    )
    .map_err(StorageError::read)?;
    let stored =
        store.count(Some(whole)).await.map_err(StorageError::read)? as usize;
    let mut records = Vec::new();
    let mut pager = Pager::new(&store, &low, &high)?;
    while let Some(page) = pager.next().await? {
        let (first, asked) = (records.is_empty(), page.len());
        let before = records.len();
        decode(page, &mut records)?;
        let held = records.len() - before;
        pager.held(asked, held);
        if first && stored * held.div_ceil(asked.max(1)) > MANY_ROWS {
            let rows = rows_in_range(&store, &low, &high).await?;
            records.reserve_exact(rows.saturating_sub(records.len()));
        }
    }
    Ok(records)
}

fn only(value: &str) -> Result<KeyRange, StorageError> {
    KeyRange::only(&JsValue::from_str(value)).map_err(StorageError::read)
}

/// The projects, keys and people stored for `connection_id`, read in
/// `tx`, which covers their stores.
pub(super) async fn directory_in(
    tx: &Transaction,
    connection_id: &str,
) -> Result<OrgData, StorageError> {
    let (projects, keys, people) = futures::try_join!(
        of_connection(tx, PROJECTS, connection_id),
        of_connection(tx, API_KEYS, connection_id),
        of_connection(tx, PEOPLE, connection_id)
    )?;
    Ok(OrgData {
        projects: records(projects)?,
        keys: records(keys)?,
        people: records(people)?,
        ..OrgData::default()
    })
}

impl Db {
    /// Every connection, oldest first.
    pub async fn connections(&self) -> Result<Vec<Connection>, StorageError> {
        let tx = self
            .rexie()
            .transaction(&[CONNECTIONS], TransactionMode::ReadOnly)
            .map_err(StorageError::read)?;
        let store = tx.store(CONNECTIONS).map_err(StorageError::read)?;
        let values = store
            .get_all(None, None)
            .await
            .map_err(StorageError::read)?;
        let mut all = values
            .into_iter()
            .map(from_js)
            .collect::<Result<Vec<Connection>, _>>()?;
        all.sort_by_key(|c| c.created_at);
        Ok(all)
    }

    /// Adds or replaces a connection.
    pub async fn put_connection(
        &self,
        connection: &Connection,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[CONNECTIONS], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(CONNECTIONS).map_err(StorageError::write)?;
        store
            .put(&to_js(connection)?, None)
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// A setting's value, if it was ever set.
    pub async fn setting(
        &self,
        name: &str,
    ) -> Result<Option<String>, StorageError> {
        let tx = self
            .rexie()
            .transaction(&[SETTINGS], TransactionMode::ReadOnly)
            .map_err(StorageError::read)?;
        let store = tx.store(SETTINGS).map_err(StorageError::read)?;
        let value = store
            .get(JsValue::from_str(name))
            .await
            .map_err(StorageError::read)?;
        value
            .map(|v| from_js::<Setting>(v).map(|s| s.value))
            .transpose()
    }

    pub async fn set_setting(
        &self,
        name: &str,
        value: &str,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[SETTINGS], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(SETTINGS).map_err(StorageError::write)?;
        let setting = Setting {
            name: name.to_owned(),
            value: value.to_owned(),
        };
        store
            .put(&to_js(&setting)?, None)
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// Stores one organization's projects and API keys from complete
    /// listings, in one transaction. The user's notes on a key survive,
    /// since OpenAI does not know them; a stored key missing from the
    /// listing is marked deleted (from `now`) and keeps its history.
    pub async fn save_directory(
        &self,
        connection_id: &str,
        projects: &[Project],
        keys: &[ApiKey],
        now: i64,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[PROJECTS, API_KEYS], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let project_store = tx.store(PROJECTS).map_err(StorageError::write)?;
        let key_store = tx.store(API_KEYS).map_err(StorageError::write)?;

        let mut rows = Vec::with_capacity(projects.len());
        for project in projects {
            let key = scoped_id(&project.connection_id, &project.id);
            let stored = Stored {
                key,
                bucket: None,
                record: project,
            };
            rows.push((to_js(&stored)?, None));
        }
        project_store
            .put_all(rows.into_iter())
            .await
            .map_err(StorageError::write)?;

        let index = key_store
            .index(BY_CONNECTION)
            .map_err(StorageError::write)?;
        let old: Vec<Stored<ApiKey>> = decode_all(
            index
                .get_all(Some(only(connection_id)?), None)
                .await
                .map_err(StorageError::write)?,
        )?;
        let mut old: HashMap<String, ApiKey> = old
            .into_iter()
            .map(|stored| (stored.record.id.clone(), stored.record))
            .collect();
        let mut rows = Vec::with_capacity(keys.len() + old.len());
        for api_key in keys {
            let mut record = api_key.clone();
            if let Some(previous) = old.remove(&api_key.id) {
                record.notes = previous.notes;
            }
            record.deleted_at = None;
            rows.push(record);
        }
        rows.extend(old.into_values().map(|mut gone| {
            gone.deleted_at.get_or_insert(now);
            gone
        }));
        let mut values = Vec::with_capacity(rows.len());
        for record in &rows {
            let key = scoped_id(&record.connection_id, &record.id);
            let stored = Stored {
                key,
                bucket: None,
                record,
            };
            values.push((to_js(&stored)?, None));
        }
        key_store
            .put_all(values.into_iter())
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// The API keys stored for `connection_id`, deleted ones included.
    pub async fn api_keys(
        &self,
        connection_id: &str,
    ) -> Result<Vec<ApiKey>, StorageError> {
        self.read_of_connection(API_KEYS, connection_id).await
    }

    /// Replaces the user's notes on one key.
    pub async fn save_key_notes(
        &self,
        connection_id: &str,
        key_id: &str,
        notes: &KeyNotes,
    ) -> Result<ApiKey, StorageError> {
        let tx = self
            .rexie()
            .transaction(&[API_KEYS], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(API_KEYS).map_err(StorageError::write)?;
        let key = scoped_id(connection_id, key_id);
        let found = store
            .get(JsValue::from_str(&key))
            .await
            .map_err(StorageError::write)?
            .ok_or_else(|| StorageError::Write(format!("no key {key_id}")))?;
        let mut stored: Stored<ApiKey> = from_js(found)?;
        stored.record.notes = notes.clone();
        store
            .put(&to_js(&stored)?, None)
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(stored.record)
    }

    /// Deletes a connection's projects, keys and usage, in one
    /// transaction, and the connection itself unless `keep_connection`.
    pub async fn delete_connection_data(
        &self,
        connection_id: &str,
        keep_connection: bool,
    ) -> Result<(), StorageError> {
        // Budgets and alerts are the user's own; they go only with the
        // organization itself.
        let mut data = vec![PROJECTS, API_KEYS, PEOPLE, SYNC_STATE];
        if !keep_connection {
            data.extend([BUDGETS, WATCHES, ALERTS]);
        }
        let stores = [
            CONNECTIONS,
            PROJECTS,
            API_KEYS,
            USAGE_BUCKETS,
            COST_DAYS,
            PEOPLE,
            SYNC_STATE,
            BUDGETS,
            WATCHES,
            ALERTS,
        ];
        let tx = self
            .rexie()
            .transaction(&stores, TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        // Usage and costs, keyed by connection first, go in one range
        // delete each, however many rows they hold.
        for name in [USAGE_BUCKETS, COST_DAYS] {
            let store = tx.store(name).map_err(StorageError::write)?;
            let range =
                connection_range(connection_id).map_err(StorageError::write)?;
            store
                .delete(JsValue::from(range))
                .await
                .map_err(StorageError::write)?;
        }
        for name in data {
            let store = tx.store(name).map_err(StorageError::write)?;
            let index =
                store.index(BY_CONNECTION).map_err(StorageError::write)?;
            let keys = index
                .get_all_keys(Some(only(connection_id)?), None)
                .await
                .map_err(StorageError::write)?;
            for key in keys {
                store.delete(key).await.map_err(StorageError::write)?;
            }
        }
        if !keep_connection {
            let store = tx.store(CONNECTIONS).map_err(StorageError::write)?;
            store
                .delete(JsValue::from_str(connection_id))
                .await
                .map_err(StorageError::write)?;
        }
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// Replaces every stored row of the buckets `bucket_keys`, and of
    /// every bucket `records` fall in, with `records`, in one
    /// transaction: a re-fetched bucket never adds to what was stored,
    /// and a failure leaves the old rows untouched.
    pub async fn replace_buckets(
        &self,
        bucket_keys: &[String],
        records: &[UsageRecord],
    ) -> Result<(), StorageError> {
        self.store_usage_page(bucket_keys, records, None).await
    }

    /// Stores one page of usage as [`Db::replace_buckets`] does and, in
    /// the same transaction, the stream position it completes: a sync
    /// stopped at any moment leaves the rows and the position agreeing.
    pub async fn store_usage_page(
        &self,
        bucket_keys: &[String],
        records: &[UsageRecord],
        position: Option<&SyncPosition>,
    ) -> Result<(), StorageError> {
        let page = Page::usage_buckets(bucket_keys, records, position)?;
        self.store_pages(&[page]).await
    }

    /// Replaces the stored costs of the days `day_keys`, and of every
    /// day `records` fall in, with `records`, and stores the position.
    pub async fn store_cost_page(
        &self,
        day_keys: &[String],
        records: &[CostRecord],
        position: Option<&SyncPosition>,
    ) -> Result<(), StorageError> {
        let page = Page::cost_days(day_keys, records, position)?;
        self.store_pages(&[page]).await
    }

    /// Every stream position of `connection_id`.
    pub async fn positions(
        &self,
        connection_id: &str,
    ) -> Result<Vec<SyncPosition>, StorageError> {
        self.read_of_connection(SYNC_STATE, connection_id).await
    }

    /// The records of `store` that belong to `connection_id`, read in a
    /// transaction of their own.
    async fn read_of_connection<T: DeserializeOwned>(
        &self,
        store: &'static str,
        connection_id: &str,
    ) -> Result<Vec<T>, StorageError> {
        let tx = self
            .rexie()
            .transaction(&[store], TransactionMode::ReadOnly)
            .map_err(StorageError::read)?;
        records(of_connection(&tx, store, connection_id).await?)
    }

    /// Saves `connection` and forgets how far its streams are synced, in
    /// one transaction, so the next sync fetches its whole windows again
    /// (each bucket replaced, nothing counted twice).
    pub async fn put_connection_and_resync(
        &self,
        connection: &Connection,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[CONNECTIONS, SYNC_STATE], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(SYNC_STATE).map_err(StorageError::write)?;
        let index = store.index(BY_CONNECTION).map_err(StorageError::write)?;
        let keys = index
            .get_all_keys(Some(only(&connection.id)?), None)
            .await
            .map_err(StorageError::write)?;
        for key in keys {
            store.delete(key).await.map_err(StorageError::write)?;
        }
        tx.store(CONNECTIONS)
            .map_err(StorageError::write)?
            .put(&to_js(connection)?, None)
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// Replaces the people of `connection_id` with `people`.
    pub async fn save_people(
        &self,
        connection_id: &str,
        people: &[Person],
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[PEOPLE], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(PEOPLE).map_err(StorageError::write)?;
        let index = store.index(BY_CONNECTION).map_err(StorageError::write)?;
        let old = index
            .get_all_keys(Some(only(connection_id)?), None)
            .await
            .map_err(StorageError::write)?;
        for key in old {
            store.delete(key).await.map_err(StorageError::write)?;
        }
        let mut rows = Vec::with_capacity(people.len());
        for person in people {
            let key = scoped_id(connection_id, &person.id);
            let stored = Stored {
                key,
                bucket: None,
                record: person,
            };
            rows.push((to_js(&stored)?, None));
        }
        store
            .put_all(rows.into_iter())
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// The projects, keys and people stored for `connection_id`: its
    /// data without the rows.
    pub async fn directory(
        &self,
        connection_id: &str,
    ) -> Result<OrgData, StorageError> {
        let tx = self
            .rexie()
            .transaction(
                &[PROJECTS, API_KEYS, PEOPLE],
                TransactionMode::ReadOnly,
            )
            .map_err(StorageError::read)?;
        directory_in(&tx, connection_id).await
    }

    /// A read of every store an organization's data is in.
    pub(super) fn org_read(&self) -> Result<Transaction, StorageError> {
        self.rexie()
            .transaction(
                &[PROJECTS, API_KEYS, USAGE_BUCKETS, COST_DAYS, PEOPLE],
                TransactionMode::ReadOnly,
            )
            .map_err(StorageError::read)
    }

    /// Everything stored for `connection_id`.
    pub async fn org_data(
        &self,
        connection_id: &str,
    ) -> Result<OrgData, StorageError> {
        let tx = self.org_read()?;
        // The five reads are sent at once rather than one after another.
        // Usage and costs, by far the most rows, are keyed by connection
        // first: a range of the store itself reads them about a third
        // faster than an index.
        let (projects, keys, usage, costs, people) = futures::try_join!(
            of_connection(&tx, PROJECTS, connection_id),
            of_connection(&tx, API_KEYS, connection_id),
            in_connection_range(
                &tx,
                USAGE_BUCKETS,
                connection_id,
                add_bucket_rows
            ),
            in_connection_range(&tx, COST_DAYS, connection_id, add_bucket_rows),
            of_connection(&tx, PEOPLE, connection_id)
        )?;
        Ok(OrgData {
            projects: records(projects)?,
            keys: records(keys)?,
            usage,
            costs,
            people: records(people)?,
        })
    }
}
