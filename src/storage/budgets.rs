//! Budgets, burn watches and alerts: small stores keyed by id, each
//! record tagged with its organization so removing one removes them.

use super::schema::{ALERTS, BUDGETS, WATCHES};
use super::{Db, StorageError};
use crate::domain::budget::{Alert, Budget, BurnWatch};

impl Db {
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
