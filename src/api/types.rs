//! The Admin API's replies, read leniently: every field but `object` may be
//! missing or null, and unknown fields are ignored, because OpenAI adds
//! fields without notice.

use serde::{Deserialize, Deserializer};

use crate::domain::keys::{ApiKey, KeyNotes, KeyOwner, OwnerKind, Project};
use crate::domain::usage::{BucketWidth, TokenCounts, UsageKind, UsageRecord};

/// A page of usage buckets.
#[derive(Clone, Debug, Deserialize)]
pub struct UsagePage {
    pub object: String,
    #[serde(default, deserialize_with = "null_default")]
    pub has_more: bool,
    #[serde(default)]
    pub next_page: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub data: Vec<Bucket>,
}

/// One time bucket of a usage page.
#[derive(Clone, Debug, Deserialize)]
pub struct Bucket {
    #[serde(default)]
    pub start_time: Option<i64>,
    #[serde(default)]
    pub end_time: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub results: Vec<CompletionsResult>,
}

/// One result of a completions usage bucket.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompletionsResult {
    #[serde(deserialize_with = "null_default")]
    pub num_model_requests: u64,
    #[serde(deserialize_with = "null_default")]
    pub input_tokens: u64,
    #[serde(deserialize_with = "null_default")]
    pub input_cached_tokens: u64,
    #[serde(deserialize_with = "null_default")]
    pub output_tokens: u64,
    #[serde(deserialize_with = "null_default")]
    pub input_audio_tokens: u64,
    #[serde(deserialize_with = "null_default")]
    pub output_audio_tokens: u64,
    pub project_id: Option<String>,
    pub user_id: Option<String>,
    pub api_key_id: Option<String>,
    pub model: Option<String>,
    pub batch: Option<bool>,
    pub service_tier: Option<String>,
}

/// A cursor-paged listing (`projects`, `api_keys`, `users`).
#[derive(Clone, Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct ListPage<T> {
    pub object: String,
    #[serde(default = "Vec::new", deserialize_with = "null_default")]
    pub data: Vec<T>,
    #[serde(default, deserialize_with = "null_default")]
    pub has_more: bool,
    #[serde(default)]
    pub last_id: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ProjectObject {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub archived_at: Option<i64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ApiKeyObject {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub redacted_value: Option<String>,
    #[serde(default)]
    pub created_at: Option<i64>,
    #[serde(default)]
    pub last_used_at: Option<i64>,
    #[serde(default)]
    pub owner: Option<OwnerObject>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OwnerObject {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub user: Option<NamedObject>,
    #[serde(default)]
    pub service_account: Option<NamedObject>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct NamedObject {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// The error envelope: `{"error": {"message", "type", "param", "code"}}`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ErrorDetail {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

/// Reads a missing or `null` value as the type's default.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

impl UsagePage {
    /// Turns a completions page into usage records of `connection_id`.
    /// Returns the start of every bucket on the page as well, empty ones
    /// included, since an empty bucket replaces what was stored for it.
    pub fn into_records(
        self,
        connection_id: &str,
        width: BucketWidth,
    ) -> (Vec<i64>, Vec<UsageRecord>) {
        let mut starts = Vec::with_capacity(self.data.len());
        let mut records = Vec::new();
        for bucket in self.data {
            let Some(start) = bucket.start_time else {
                continue;
            };
            starts.push(start);
            let end = bucket.end_time.unwrap_or(start);
            records.extend(bucket.results.into_iter().map(|r| UsageRecord {
                connection_id: connection_id.to_owned(),
                kind: UsageKind::Completions,
                width,
                start_time: start,
                end_time: end,
                counts: TokenCounts {
                    requests: r.num_model_requests,
                    input: r.input_tokens,
                    cached_input: r.input_cached_tokens,
                    output: r.output_tokens,
                    input_audio: r.input_audio_tokens,
                    output_audio: r.output_audio_tokens,
                },
                project_id: r.project_id,
                user_id: r.user_id,
                api_key_id: r.api_key_id,
                model: r.model,
                batch: r.batch,
                service_tier: r.service_tier,
            }));
        }
        (starts, records)
    }
}

impl ProjectObject {
    pub fn into_project(self, connection_id: &str) -> Project {
        Project {
            connection_id: connection_id.to_owned(),
            archived: self.archived_at.is_some()
                || self.status.as_deref() == Some("archived"),
            name: self.name.unwrap_or_else(|| self.id.clone()),
            id: self.id,
        }
    }
}

impl ApiKeyObject {
    pub fn into_key(self, connection_id: &str, project_id: &str) -> ApiKey {
        let owner = self.owner.and_then(|owner| {
            let (kind, named) = match owner.kind.as_deref() {
                Some("service_account") => {
                    (OwnerKind::ServiceAccount, owner.service_account?)
                }
                _ => (OwnerKind::User, owner.user?),
            };
            Some(KeyOwner {
                kind,
                id: named.id.unwrap_or_default(),
                name: named.name.unwrap_or_default(),
            })
        });
        ApiKey {
            connection_id: connection_id.to_owned(),
            project_id: project_id.to_owned(),
            name: self.name.unwrap_or_default(),
            redacted_value: self.redacted_value.unwrap_or_default(),
            owner,
            created_at: self.created_at,
            last_used_at: self.last_used_at,
            deleted_at: None,
            notes: KeyNotes::default(),
            id: self.id,
        }
    }
}
