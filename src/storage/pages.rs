//! Storing a sync's pages. A page answers for every bucket (or day) from
//! its first to its last, so it replaces whatever was stored for that
//! span with one range delete, then puts its buckets (or cost rows) and
//! the stream position it completes. Several pages go in one transaction when they
//! are ready together: IndexedDB runs writes to a store one after
//! another, and each transaction costs more than hundreds of rows do.

use futures::future::{try_join_all, LocalBoxFuture};
use futures::FutureExt;
use rexie::{KeyRange, TransactionMode};
use wasm_bindgen::JsValue;

use super::buckets::bucket_values;
use super::repo::{to_js, Stored};
use super::schema::{COST_DAYS, SYNC_STATE, USAGE_BUCKETS};
use super::{Db, StorageError, SyncPosition};
use crate::domain::cost::CostRecord;
use crate::domain::keys::scoped_id;
use crate::domain::usage::UsageRecord;

/// One fetched page, ready to store: its rows and position already made
/// into the objects IndexedDB keeps, so a record that cannot be written
/// fails its own page before any transaction begins.
pub struct Page {
    store: &'static str,
    /// What the page replaces: stored keys, or key ranges.
    clears: Vec<JsValue>,
    rows: Vec<JsValue>,
    position: Option<JsValue>,
}

impl Page {
    /// A page of usage whose buckets run from `first` to `last` (bucket
    /// keys of one stream, see `domain::usage::bucket_key`); `records`
    /// are stored one record per bucket (see `storage::buckets`).
    ///
    /// Bucket keys of one stream differ only in their start time, which
    /// has ten digits from 2001 to 2286, so the keys between two of them
    /// are exactly the buckets between them in time: among them any
    /// bucket once stored under a start that no longer begins one, as
    /// when an earlier window began between hours.
    pub fn usage(
        span: Option<(&str, &str)>,
        records: &[UsageRecord],
        position: Option<&SyncPosition>,
    ) -> Result<Page, StorageError> {
        Page::new(
            USAGE_BUCKETS,
            spanned(span)?,
            bucket_values(records)?,
            position,
        )
    }

    /// A page of usage replacing the buckets `bucket_keys` and those
    /// `records` fall in, wherever each lies (an import, the demo).
    pub fn usage_buckets(
        bucket_keys: &[String],
        records: &[UsageRecord],
        position: Option<&SyncPosition>,
    ) -> Result<Page, StorageError> {
        Page::new(
            USAGE_BUCKETS,
            keys(bucket_keys),
            bucket_values(records)?,
            position,
        )
    }

    /// Costs replacing the days `day_keys` and those `records` fall in.
    pub fn cost_days(
        day_keys: &[String],
        records: &[CostRecord],
        position: Option<&SyncPosition>,
    ) -> Result<Page, StorageError> {
        Page::new(COST_DAYS, keys(day_keys), bucket_values(records)?, position)
    }

    /// A page of billed costs whose days run from `first` to `last` (day
    /// keys, see `domain::cost::cost_day_key`), stored one record per
    /// day, as for usage.
    pub fn costs(
        span: Option<(&str, &str)>,
        records: &[CostRecord],
        position: Option<&SyncPosition>,
    ) -> Result<Page, StorageError> {
        Page::new(COST_DAYS, spanned(span)?, bucket_values(records)?, position)
    }

    fn new(
        store: &'static str,
        clears: Vec<JsValue>,
        rows: Vec<JsValue>,
        position: Option<&SyncPosition>,
    ) -> Result<Page, StorageError> {
        let position = position
            .map(|position| {
                to_js(&Stored {
                    key: scoped_id(&position.connection_id, &position.stream),
                    bucket: None,
                    record: position,
                })
            })
            .transpose()?;
        Ok(Page {
            store,
            clears,
            rows,
            position,
        })
    }
}

/// Every stored key from `first` to `last`, both included, as a range to
/// clear; nothing for a page with no buckets.
fn spanned(span: Option<(&str, &str)>) -> Result<Vec<JsValue>, StorageError> {
    span.map(|(first, last)| {
        KeyRange::bound(
            &JsValue::from_str(first),
            &JsValue::from_str(last),
            None,
            None,
        )
        .map(JsValue::from)
        .map_err(StorageError::write)
    })
    .into_iter()
    .collect()
}

/// Stored keys to clear: a bucket or day is one record under its key.
fn keys(keys: &[String]) -> Vec<JsValue> {
    keys.iter().map(|key| JsValue::from_str(key)).collect()
}

impl Db {
    /// Stores `pages` in one transaction: each replaces what it clears and
    /// records its position, and a failure stores none of them.
    pub async fn store_pages(
        &self,
        pages: &[Page],
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(
                &[USAGE_BUCKETS, COST_DAYS, SYNC_STATE],
                TransactionMode::ReadWrite,
            )
            .map_err(StorageError::write)?;
        let usage = tx.store(USAGE_BUCKETS).map_err(StorageError::write)?;
        let costs = tx.store(COST_DAYS).map_err(StorageError::write)?;
        let positions = tx.store(SYNC_STATE).map_err(StorageError::write)?;
        // Each request is made when its future is first polled, and the
        // futures are polled in order: a page's deletes come before its
        // puts, and one page's writes before the next's.
        let mut requests: Vec<LocalBoxFuture<'_, rexie::Result<()>>> =
            Vec::new();
        for page in pages {
            let store = if page.store == USAGE_BUCKETS {
                &usage
            } else {
                &costs
            };
            for cleared in &page.clears {
                requests.push(Box::pin(store.delete(cleared.clone())));
            }
            let rows = page.rows.iter().map(|row| (row.clone(), None));
            requests.push(Box::pin(store.put_all(rows)));
            if let Some(position) = &page.position {
                requests.push(Box::pin(
                    positions.put(position, None).map(|r| r.map(drop)),
                ));
            }
        }
        try_join_all(requests).await.map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
