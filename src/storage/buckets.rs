//! Usage kept one record per bucket (schema 7): `{key, rows}`, keyed by
//! the bucket key. A bucket is fetched, replaced and read whole, so it is
//! stored whole; IndexedDB's cost is per record far more than per byte.

use std::collections::HashMap;

use rexie::TransactionMode;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::repo::{from_js, to_js, Stored};
use super::schema::{USAGE, USAGE_BUCKETS};
use super::{Db, StorageError};
use crate::domain::usage::UsageRecord;

#[derive(Serialize)]
struct BucketOut<'a> {
    key: &'a str,
    rows: Vec<&'a UsageRecord>,
}

#[derive(Deserialize)]
struct BucketIn {
    rows: Vec<UsageRecord>,
}

/// `records` gathered by bucket, in the order each bucket first comes.
/// Within a bucket a later row with the same natural key takes the place
/// of an earlier one, as it would under a key of its own.
pub(super) fn by_bucket<'a>(
    records: impl IntoIterator<Item = &'a UsageRecord>,
) -> Vec<(String, Vec<&'a UsageRecord>)> {
    let mut buckets: Vec<(String, Vec<&UsageRecord>)> = Vec::new();
    let mut bucket_at: HashMap<String, usize> = HashMap::new();
    let mut row_at: HashMap<String, usize> = HashMap::new();
    for record in records {
        let bucket = record.bucket_key();
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
pub(super) fn bucket_values(
    records: &[UsageRecord],
) -> Result<Vec<JsValue>, StorageError> {
    by_bucket(records)
        .iter()
        .map(|(key, rows)| {
            to_js(&BucketOut {
                key,
                rows: rows.clone(),
            })
        })
        .collect()
}

/// The rows of stored buckets, bucket after bucket.
pub(super) fn rows_of_buckets(
    values: Vec<JsValue>,
) -> Result<Vec<UsageRecord>, StorageError> {
    let mut rows = Vec::new();
    for value in values {
        rows.extend(from_js::<BucketIn>(value)?.rows);
    }
    Ok(rows)
}

impl Db {
    /// Moves usage stored one row per record (schema 6 and before) into
    /// buckets, in one transaction: a failure leaves the rows where they
    /// were, to be moved at the next opening.
    pub(super) async fn move_rows_to_buckets(
        &self,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[USAGE, USAGE_BUCKETS], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let old = tx.store(USAGE).map_err(StorageError::write)?;
        if old.count(None).await.map_err(StorageError::read)? == 0 {
            return Ok(());
        }
        let rows = old
            .get_all(None, None)
            .await
            .map_err(StorageError::read)?
            .into_iter()
            .map(|value| {
                from_js::<Stored<UsageRecord>>(value).map(|s| s.record)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let values = bucket_values(&rows)?;
        let new = tx.store(USAGE_BUCKETS).map_err(StorageError::write)?;
        new.put_all(values.into_iter().map(|value| (value, None)))
            .await
            .map_err(StorageError::write)?;
        old.clear().await.map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
