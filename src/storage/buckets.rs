//! Usage kept one record per bucket, and billed costs one per day
//! (schema 7): `{key, count, rows}`, keyed by the bucket (or day) key,
//! with `rows` its records as JSON text and `count` how many. A bucket is fetched, replaced and read whole, so
//! it is stored whole: IndexedDB's cost is per record far more than per
//! byte, and one string crosses between wasm and the browser, and is
//! copied into storage, far faster than an object per row, field by
//! field.

use std::collections::HashMap;

use js_sys::{Object, Reflect};
use rexie::TransactionMode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::pager::let_go_of_rows;
use super::repo::{from_js, Stored};
use super::schema::{COSTS, COST_DAYS, USAGE, USAGE_BUCKETS};
use super::{Db, StorageError};
use crate::domain::cost::CostRecord;
use crate::domain::usage::UsageRecord;

/// A record kept with the others of its bucket (or day).
pub(super) trait Bucketed: Serialize + DeserializeOwned {
    fn bucket(&self) -> String;
    /// Starts with the bucket's key.
    fn natural_key(&self) -> String;
}

impl Bucketed for UsageRecord {
    fn bucket(&self) -> String {
        self.bucket_key()
    }

    fn natural_key(&self) -> String {
        UsageRecord::natural_key(self)
    }
}

impl Bucketed for CostRecord {
    fn bucket(&self) -> String {
        self.day_key()
    }

    fn natural_key(&self) -> String {
        CostRecord::natural_key(self)
    }
}

/// The fields of a stored bucket.
const KEY: &str = "key";
const COUNT: &str = "count";
const ROWS: &str = "rows";

/// `records` gathered by bucket, in the order each bucket first comes.
/// Within a bucket a later row with the same natural key takes the place
/// of an earlier one, as it would under a key of its own.
pub(super) fn by_bucket<'a, T: Bucketed>(
    records: impl IntoIterator<Item = &'a T>,
) -> Vec<(String, Vec<&'a T>)> {
    let mut buckets: Vec<(String, Vec<&T>)> = Vec::new();
    let mut bucket_at: HashMap<String, usize> = HashMap::new();
    let mut row_at: HashMap<String, usize> = HashMap::new();
    for record in records {
        let bucket = record.bucket();
        let b = *bucket_at.entry(bucket.clone()).or_insert_with(|| {
            buckets.push((bucket, Vec::new()));
            buckets.len() - 1
        });
        let rows = &mut buckets[b].1;
        // The natural key starts with the bucket's: one map serves all.
        let key = record.natural_key();
        match row_at.get(&key) {
            Some(&r) => rows[r] = record,
            None => {
                row_at.insert(key, rows.len());
                rows.push(record);
            }
        }
    }
    buckets
}

/// The stored records of `records`' buckets, one per bucket.
pub(super) fn bucket_values<T: Bucketed>(
    records: &[T],
) -> Result<Vec<JsValue>, StorageError> {
    by_bucket(records)
        .iter()
        .map(|(key, rows)| {
            let text = serde_json::to_string(rows)
                .map_err(|e| StorageError::Write(e.to_string()))?;
            let bucket = Object::new();
            let set = |field: &str, value: JsValue| {
                Reflect::set(&bucket, &field.into(), &value)
                    .map_err(StorageError::write)
            };
            set(KEY, JsValue::from_str(key))?;
            set(COUNT, JsValue::from(rows.len() as u32))?;
            set(ROWS, JsValue::from_str(&text))?;
            Ok(bucket.into())
        })
        .collect()
}

/// The rows of stored buckets, bucket after bucket.
pub(super) fn rows_of_buckets<T: Bucketed>(
    values: Vec<JsValue>,
) -> Result<Vec<T>, StorageError> {
    let mut rows = Vec::new();
    add_bucket_rows(values, &mut rows)?;
    Ok(rows)
}

/// Adds the rows of stored buckets to `rows`, bucket after bucket.
pub(super) fn add_bucket_rows<T: Bucketed>(
    values: Vec<JsValue>,
    rows: &mut Vec<T>,
) -> Result<(), StorageError> {
    for value in values {
        let text = Reflect::get(&value, &ROWS.into())
            .ok()
            .and_then(|rows| rows.as_string())
            .ok_or_else(|| {
                StorageError::Decode("a stored bucket has no rows".to_owned())
            })?;
        let_go_of_rows(&value);
        let bucket: Vec<T> = serde_json::from_str(&text)
            .map_err(|e| StorageError::Decode(e.to_string()))?;
        rows.extend(bucket);
    }
    Ok(())
}

impl Db {
    /// Moves usage and costs stored one row per record (schema 6 and
    /// before) into buckets and days.
    pub(super) async fn move_rows_to_buckets(
        &self,
    ) -> Result<(), StorageError> {
        self.move_rows::<UsageRecord>(USAGE, USAGE_BUCKETS).await?;
        self.move_rows::<CostRecord>(COSTS, COST_DAYS).await
    }

    /// Moves the rows of store `from` into buckets in store `to`, in one
    /// transaction: a failure leaves the rows where they were, to be
    /// moved at the next opening.
    async fn move_rows<T: Bucketed>(
        &self,
        from: &str,
        to: &str,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[from, to], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let old = tx.store(from).map_err(StorageError::write)?;
        if old.count(None).await.map_err(StorageError::read)? == 0 {
            return Ok(());
        }
        let rows = old
            .get_all(None, None)
            .await
            .map_err(StorageError::read)?
            .into_iter()
            .map(|value| from_js::<Stored<T>>(value).map(|s| s.record))
            .collect::<Result<Vec<_>, _>>()?;
        let values = bucket_values(&rows)?;
        let new = tx.store(to).map_err(StorageError::write)?;
        new.put_all(values.into_iter().map(|value| (value, None)))
            .await
            .map_err(StorageError::write)?;
        old.clear().await.map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
