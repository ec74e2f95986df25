//! Reading one organization's buckets (or days) a page at a time. Every
//! record of a page exists in the JS heap until the page is decoded, so
//! a page rather than all of them is the most the heap holds, with what
//! the collector has yet to free; a record's rows text is let go of as
//! soon as it is read (`let_go_of_rows`), so that the collector can free
//! it at once. A bucket may hold one row or thousands, so each page asks
//! for as many records as make about `READ_PAGE` rows at the rows per
//! record seen so far.

use js_sys::Reflect;
use rexie::{KeyRange, Store};
use wasm_bindgen::JsValue;

use super::StorageError;

/// About how many rows a page holds.
pub const READ_PAGE: u32 = 4_096;

/// The records the first page asks for, before their size is known.
const FIRST_PAGE: u32 = 64;

/// The pages of a key range of a store, in key order.
pub(super) struct Pager<'a> {
    store: &'a Store,
    high: JsValue,
    /// What is left to read; `None` once the last page was read.
    range: Option<KeyRange>,
    asked: u32,
}

impl<'a> Pager<'a> {
    /// The pages of `store` between `low` and `high`, both included.
    pub(super) fn new(
        store: &'a Store,
        low: &str,
        high: &str,
    ) -> Result<Self, StorageError> {
        let high = JsValue::from_str(high);
        let range = KeyRange::bound(&JsValue::from_str(low), &high, None, None)
            .map_err(StorageError::read)?;
        Ok(Pager {
            store,
            high,
            range: Some(range),
            asked: FIRST_PAGE,
        })
    }

    /// The next page, or `None` after the last.
    pub(super) async fn next(
        &mut self,
    ) -> Result<Option<Vec<JsValue>>, StorageError> {
        let Some(range) = self.range.take() else {
            return Ok(None);
        };
        let page = self
            .store
            .get_all(Some(range), Some(self.asked))
            .await
            .map_err(StorageError::read)?;
        if page.len() == self.asked as usize {
            // The next page starts after this one's last key, which every
            // record carries under `key` (the store's key path).
            let last = Reflect::get(&page[page.len() - 1], &"key".into())
                .map_err(StorageError::read)?;
            self.range = Some(
                KeyRange::bound(&last, &self.high, Some(true), None)
                    .map_err(StorageError::read)?,
            );
        }
        Ok((!page.is_empty()).then_some(page))
    }

    /// Sizes the next page from the `rows` the last one of `records`
    /// records held.
    pub(super) fn held(&mut self, records: usize, rows: usize) {
        let per_record = rows.div_ceil(records.max(1)).max(1);
        self.asked = (READ_PAGE / per_record as u32).max(1);
    }
}

/// Lets go of the rows text of a bucket (or day) record read from a page,
/// once it is decoded or, when rows are only counted, at once.
///
/// The browser's request for a page keeps the page it handed back until
/// a full garbage collection, so the quick collections of young objects
/// cannot free the text while the record still holds it: each page then
/// outlives them, and the heap grows by every page read until a full
/// collection catches up. For a million rows that left the JS heap's
/// peak anywhere from 45 to 345 MB; with the text let go of, young
/// collections free it and the peak stayed between 37 and 66 MB.
pub(super) fn let_go_of_rows(record: &JsValue) {
    // A record is a plain object of our own; should setting a field on
    // it fail, its text is only freed later.
    let _ = Reflect::set(record, &"rows".into(), &JsValue::NULL);
}

/// The rows a stored bucket (or day) record says it holds.
pub(super) fn rows_of_record(record: &JsValue) -> usize {
    Reflect::get(record, &"count".into())
        .ok()
        .and_then(|count| count.as_f64())
        .unwrap_or(0.0) as usize
}
