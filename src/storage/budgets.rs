//! Budgets, burn watches and alerts: small stores keyed by id, each
//! record tagged with its organization so removing one removes them.

use rexie::TransactionMode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::repo::{from_js, to_js, Stored};
use super::schema::{ALERTS, BUDGETS, WATCHES};
use super::{Db, StorageError};
use crate::domain::budget::{Alert, Budget, BurnWatch};

impl Db {
    async fn all_of<T: DeserializeOwned>(
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

    /// Adds or replaces `records` under their ids, all or none.
    async fn put_all_of<T: Serialize>(
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

    async fn delete_of(
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

    pub async fn budgets(&self) -> Result<Vec<Budget>, StorageError> {
        self.all_of(BUDGETS).await
    }

    pub async fn put_budget(
        &self,
        budget: &Budget,
    ) -> Result<(), StorageError> {
        self.put_all_of(BUDGETS, &[(budget.id.clone(), budget)])
            .await
    }

    pub async fn delete_budget(&self, id: &str) -> Result<(), StorageError> {
        self.delete_of(BUDGETS, id).await
    }

    pub async fn watches(&self) -> Result<Vec<BurnWatch>, StorageError> {
        self.all_of(WATCHES).await
    }

    pub async fn put_watch(
        &self,
        watch: &BurnWatch,
    ) -> Result<(), StorageError> {
        self.put_all_of(WATCHES, &[(watch.id.clone(), watch)]).await
    }

    pub async fn delete_watch(&self, id: &str) -> Result<(), StorageError> {
        self.delete_of(WATCHES, id).await
    }

    pub async fn alerts(&self) -> Result<Vec<Alert>, StorageError> {
        self.all_of(ALERTS).await
    }

    /// Stores `alerts`, all or none; one with the id of a stored alert
    /// replaces it (acknowledging is such a replacement).
    pub async fn put_alerts(
        &self,
        alerts: &[Alert],
    ) -> Result<(), StorageError> {
        let keyed: Vec<(String, &Alert)> =
            alerts.iter().map(|a| (a.id.clone(), a)).collect();
        self.put_all_of(ALERTS, &keyed).await
    }

    pub async fn delete_alert(&self, id: &str) -> Result<(), StorageError> {
        self.delete_of(ALERTS, id).await
    }
}
