//! Directory entries for keys known only from imported files.

use rexie::TransactionMode;
use wasm_bindgen::JsValue;

use super::repo::{to_js, Stored};
use super::schema::API_KEYS;
use super::{Db, StorageError};
use crate::domain::keys::{scoped_id, ApiKey};

impl Db {
    /// Stores each of `keys` that is not stored yet; a stored key (with
    /// OpenAI's name and the user's label) is left as it is.
    pub async fn add_missing_keys(
        &self,
        keys: &[ApiKey],
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[API_KEYS], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(API_KEYS).map_err(StorageError::write)?;
        for key in keys {
            let id = scoped_id(&key.connection_id, &key.id);
            let stored = store
                .get(JsValue::from_str(&id))
                .await
                .map_err(StorageError::write)?;
            if stored.is_none() {
                let row = to_js(&Stored {
                    key: id,
                    bucket: None,
                    record: key,
                })?;
                store.put(&row, None).await.map_err(StorageError::write)?;
            }
        }
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }
}
