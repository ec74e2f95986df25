//! The user's own price entries (imported or edited). Built-in prices are
//! part of the program and never stored, so a new release's list applies
//! at once while the user's entries stay on top of it.

use rexie::TransactionMode;
use wasm_bindgen::JsValue;

use super::repo::{from_js, Stored};
use super::schema::PRICES;
use super::{Db, StorageError};
use crate::domain::price::PriceEntry;

/// The stored key of an entry: one per model and start day.
pub(super) fn entry_key(entry: &PriceEntry) -> String {
    match entry.from {
        Some(day) => format!("{}@{day}", entry.model),
        None => format!("{}@always", entry.model),
    }
}

impl Db {
    /// Every stored price entry.
    pub async fn price_entries(&self) -> Result<Vec<PriceEntry>, StorageError> {
        self.all_of(PRICES).await
    }

    /// Adds or replaces `entries`, all or none.
    pub async fn put_price_entries(
        &self,
        entries: &[PriceEntry],
    ) -> Result<(), StorageError> {
        let keyed: Vec<(String, &PriceEntry)> =
            entries.iter().map(|e| (entry_key(e), e)).collect();
        self.put_all_of(PRICES, &keyed).await
    }

    /// Deletes every stored entry of `model`, so the built-in price
    /// applies again.
    pub async fn reset_prices(&self, model: &str) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[PRICES], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(PRICES).map_err(StorageError::write)?;
        let stored = store
            .get_all(None, None)
            .await
            .map_err(StorageError::write)?;
        for value in stored {
            let row: Stored<PriceEntry> = from_js(value)?;
            if row.record.model == model {
                store
                    .delete(JsValue::from_str(&row.key))
                    .await
                    .map_err(StorageError::write)?;
            }
        }
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// Deletes every stored price entry.
    pub async fn clear_prices(&self) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[PRICES], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        tx.store(PRICES)
            .map_err(StorageError::write)?
            .clear()
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
