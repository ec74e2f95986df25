//! Reading and writing whole small stores (budgets, watches, alerts,
//! prices): every record at once, or a few under their keys, each call
//! one transaction.

use rexie::TransactionMode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::repo::{from_js, to_js, Stored};
use super::{Db, StorageError};

impl Db {
    /// Every record of the small store `name`.
    pub(super) async fn all_of<T: DeserializeOwned>(
        &self,
        name: &'static str,
    ) -> Result<Vec<T>, StorageError> {
        let tx = self
            .rexie()
            .transaction(&[name], TransactionMode::ReadOnly)
            .map_err(StorageError::read)?;
        tx.store(name)
            .map_err(StorageError::read)?
            .get_all(None, None)
            .await
            .map_err(StorageError::read)?
            .into_iter()
            .map(|value| from_js::<Stored<T>>(value).map(|s| s.record))
            .collect()
    }

    /// Adds or replaces `records` under their keys, all or none.
    pub(super) async fn put_all_of<T: Serialize>(
        &self,
        name: &'static str,
        records: &[(String, T)],
    ) -> Result<(), StorageError> {
        let rows = records
            .iter()
            .map(|(key, record)| {
                to_js(&Stored {
                    key: key.clone(),
                    bucket: None,
                    record,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let tx = self
            .rexie()
            .transaction(&[name], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        tx.store(name)
            .map_err(StorageError::write)?
            .put_all(rows.into_iter().map(|row| (row, None)))
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    pub(super) async fn delete_of(
        &self,
        name: &'static str,
        id: &str,
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[name], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        tx.store(name)
            .map_err(StorageError::write)?
            .delete(JsValue::from_str(id))
            .await
            .map_err(StorageError::write)?;
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
