//! The Admin API's replies, read leniently: every field but `object` may be
//! missing or null, and unknown fields are ignored, because OpenAI adds
//! fields without notice.

use serde::{Deserialize, Deserializer};

use crate::domain::cost::{parse_usd, CostRecord};
use crate::domain::keys::{ApiKey, KeyNotes, KeyOwner, OwnerKind, Project};
use crate::domain::name::Name;
use crate::domain::people::Person;
use crate::domain::usage::{
    BucketWidth, PackedCounts, Span, TokenCounts, UsageKind, UsageRecord,
};

/// A page of time buckets (usage or costs).
#[derive(Clone, Debug, Deserialize)]
#[serde(bound(deserialize = "R: Deserialize<'de> + Default"))]
pub struct Page<R> {
    pub object: String,
    #[serde(default, deserialize_with = "null_default")]
    pub has_more: bool,
    #[serde(default)]
    pub next_page: Option<String>,
    #[serde(default = "Vec::new", deserialize_with = "null_default")]
    pub data: Vec<Bucket<R>>,
}

/// One time bucket of a page.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(bound(deserialize = "R: Deserialize<'de> + Default"))]
pub struct Bucket<R> {
    #[serde(default)]
    pub start_time: Option<i64>,
    #[serde(default)]
    pub end_time: Option<i64>,
    #[serde(default = "Vec::new", deserialize_with = "null_default")]
    pub results: Vec<R>,
}

/// A page of usage buckets.
pub type UsagePage = Page<UsageResult>;
/// A page of cost buckets.
pub type CostsPage = Page<CostResult>;

/// One result of a costs bucket.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CostResult {
    pub amount: Option<Amount>,
    pub line_item: Option<String>,
    pub project_id: Option<String>,
    pub api_key_id: Option<String>,
}

/// `{"value": 12.5 | "12.50", "currency": "usd"}`; the value is kept as
/// its JSON text so that no float ever touches it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Amount {
    pub value: Option<Box<serde_json::value::RawValue>>,
    pub currency: Option<String>,
}

/// One result of a usage bucket, of any kind: each kind fills its own
/// fields, and every field may be missing or null.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct UsageResult {
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
    #[serde(deserialize_with = "null_default")]
    pub images: u64,
    #[serde(deserialize_with = "null_default")]
    pub characters: u64,
    #[serde(deserialize_with = "null_default")]
    pub seconds: u64,
    #[serde(deserialize_with = "null_default")]
    pub usage_bytes: u64,
    #[serde(deserialize_with = "null_default")]
    pub num_sessions: u64,
    #[serde(deserialize_with = "null_default")]
    pub num_requests: u64,
    pub project_id: Option<String>,
    pub user_id: Option<String>,
    pub api_key_id: Option<String>,
    pub model: Option<String>,
    pub batch: Option<bool>,
    pub service_tier: Option<String>,
    pub size: Option<String>,
    pub source: Option<String>,
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

/// A user or service account of a listing.
#[derive(Clone, Debug, Deserialize)]
pub struct PersonObject {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

impl PersonObject {
    pub fn into_person(self, connection_id: &str, kind: OwnerKind) -> Person {
        Person {
            connection_id: connection_id.to_owned(),
            kind,
            name: self.name.unwrap_or_else(|| self.id.clone()),
            email: self.email,
            role: self.role,
            id: self.id,
        }
    }
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

impl CostsPage {
    /// Turns a costs page into records of `connection_id`, with the start
    /// of every day on the page. An amount that is not a plain decimal
    /// refuses the whole page, so nothing from it is stored.
    pub fn into_cost_records(
        self,
        connection_id: &str,
    ) -> Result<(Vec<i64>, Vec<CostRecord>), String> {
        let mut starts = Vec::with_capacity(self.data.len());
        let mut records = Vec::new();
        for bucket in self.data {
            let Some(start) = bucket.start_time else {
                continue;
            };
            starts.push(start);
            for result in bucket.results {
                let amount = result.amount.unwrap_or_default();
                let text = amount.value.as_deref().map_or("0", |raw| raw.get());
                let text = serde_json::from_str::<String>(text)
                    .unwrap_or_else(|_| text.to_owned());
                let value = parse_usd(&text)
                    .ok_or_else(|| format!("an amount of {text}"))?;
                records.push(CostRecord {
                    connection_id: connection_id.to_owned(),
                    start_time: start,
                    end_time: bucket.end_time.unwrap_or(start),
                    project_id: result.project_id,
                    line_item: result.line_item,
                    api_key_id: result.api_key_id,
                    amount: value,
                    currency: amount
                        .currency
                        .unwrap_or_else(|| "usd".to_owned())
                        .to_lowercase(),
                });
            }
        }
        Ok((starts, records))
    }
}

impl UsagePage {
    /// Turns a usage page of `kind` into records of `connection_id`.
    /// Returns the start of every bucket on the page as well, empty ones
    /// included, since an empty bucket replaces what was stored for it.
    pub fn into_records(
        self,
        connection_id: &str,
        kind: UsageKind,
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
                connection_id: connection_id.into(),
                kind,
                width,
                start_time: start,
                span: Span::between(start, end),
                counts: PackedCounts::from(TokenCounts {
                    requests: r.num_model_requests,
                    input: r.input_tokens,
                    cached_input: r.input_cached_tokens,
                    output: r.output_tokens,
                    input_audio: r.input_audio_tokens,
                    output_audio: r.output_audio_tokens,
                    images: r.images,
                    characters: r.characters,
                    seconds: r.seconds,
                    usage_bytes: r.usage_bytes,
                    sessions: r.num_sessions,
                    calls: r.num_requests,
                }),
                project_id: r.project_id.map(Name::from),
                user_id: r.user_id.map(Name::from),
                api_key_id: r.api_key_id.map(Name::from),
                model: r.model.map(Name::from),
                batch: r.batch,
                service_tier: r.service_tier.map(Name::from),
                size: r.size.map(Name::from),
                source: r.source.map(Name::from),
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
