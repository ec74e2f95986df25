//! Repositories: typed reads and writes over the stores. Records are kept
//! as `{key, bucket?, record}` so the stored key is always the natural key
//! computed in `domain`, whatever the record's own shape.

use rexie::{KeyRange, TransactionMode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use super::schema::{
    API_KEYS, BY_BUCKET, BY_CONNECTION, CONNECTIONS, PROJECTS, SETTINGS, USAGE,
};
use super::{Db, StorageError};
use crate::domain::connection::Connection;
use crate::domain::keys::{scoped_id, ApiKey, Project};
use crate::domain::usage::UsageRecord;

/// Everything stored about one organization.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OrgData {
    pub projects: Vec<Project>,
    pub keys: Vec<ApiKey>,
    pub usage: Vec<UsageRecord>,
}

#[derive(Serialize, Deserialize)]
struct Stored<T> {
    key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bucket: Option<String>,
    record: T,
}

#[derive(Serialize, Deserialize)]
struct Setting {
    name: String,
    value: String,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StorageError> {
    // Plain objects, not JS Maps: IndexedDB key paths only see properties.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| StorageError::Write(e.to_string()))
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, StorageError> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| StorageError::Decode(e.to_string()))
}

fn decode_all<T: DeserializeOwned>(
    values: Vec<JsValue>,
) -> Result<Vec<T>, StorageError> {
    values.into_iter().map(from_js).collect()
}

fn only(value: &str) -> Result<KeyRange, StorageError> {
    KeyRange::only(&JsValue::from_str(value)).map_err(StorageError::read)
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

    /// Stores projects and API keys from the listings in one transaction.
    /// A key's user-given label survives, since OpenAI does not know it.
    pub async fn save_directory(
        &self,
        projects: &[Project],
        keys: &[ApiKey],
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
            rows.push((
                to_js(&Stored {
                    key,
                    bucket: None,
                    record: project,
                })?,
                None,
            ));
        }
        project_store
            .put_all(rows.into_iter())
            .await
            .map_err(StorageError::write)?;

        for api_key in keys {
            let key = scoped_id(&api_key.connection_id, &api_key.id);
            let old = key_store
                .get(JsValue::from_str(&key))
                .await
                .map_err(StorageError::write)?
                .map(from_js::<Stored<ApiKey>>)
                .transpose()?;
            let mut record = api_key.clone();
            if record.label.is_none() {
                record.label = old.and_then(|old| old.record.label);
            }
            let stored = Stored {
                key,
                bucket: None,
                record,
            };
            key_store
                .put(&to_js(&stored)?, None)
                .await
                .map_err(StorageError::write)?;
        }
        tx.done().await.map_err(StorageError::write)?;
        Ok(())
    }

    /// Replaces every stored row of the buckets `bucket_keys` with
    /// `records`, in one transaction: a re-fetched bucket never adds to
    /// what was stored, and a failure leaves the old rows untouched.
    pub async fn replace_buckets(
        &self,
        bucket_keys: &[String],
        records: &[UsageRecord],
    ) -> Result<(), StorageError> {
        let tx = self
            .rexie()
            .transaction(&[USAGE], TransactionMode::ReadWrite)
            .map_err(StorageError::write)?;
        let store = tx.store(USAGE).map_err(StorageError::write)?;
        let index = store.index(BY_BUCKET).map_err(StorageError::write)?;
        for bucket in bucket_keys {
            let old = index
                .get_all_keys(Some(only(bucket)?), None)
                .await
                .map_err(StorageError::write)?;
            for key in old {
                store.delete(key).await.map_err(StorageError::write)?;
            }
        }
        let mut rows = Vec::with_capacity(records.len());
        for record in records {
            let stored = Stored {
                key: record.natural_key(),
                bucket: Some(record.bucket_key()),
                record,
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

    /// Everything stored for `connection_id`.
    pub async fn org_data(
        &self,
        connection_id: &str,
    ) -> Result<OrgData, StorageError> {
        let tx = self
            .rexie()
            .transaction(
                &[PROJECTS, API_KEYS, USAGE],
                TransactionMode::ReadOnly,
            )
            .map_err(StorageError::read)?;
        let all = |name: &'static str| {
            let tx = &tx;
            async move {
                let store = tx.store(name).map_err(StorageError::read)?;
                let index =
                    store.index(BY_CONNECTION).map_err(StorageError::read)?;
                index
                    .get_all(Some(only(connection_id)?), None)
                    .await
                    .map_err(StorageError::read)
            }
        };
        let projects: Vec<Stored<Project>> = decode_all(all(PROJECTS).await?)?;
        let keys: Vec<Stored<ApiKey>> = decode_all(all(API_KEYS).await?)?;
        let usage: Vec<Stored<UsageRecord>> = decode_all(all(USAGE).await?)?;
        Ok(OrgData {
            projects: projects.into_iter().map(|s| s.record).collect(),
            keys: keys.into_iter().map(|s| s.record).collect(),
            usage: usage.into_iter().map(|s| s.record).collect(),
        })
    }
}
