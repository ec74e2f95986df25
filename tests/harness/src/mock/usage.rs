//! `GET /organization/usage/{kind}` for every kind keymeter knows: the
//! demo's daily rows (or their hourly split) cut into buckets, regrouped
//! and summed the way OpenAI does.
//!
//! Each kind answers with its own result object: only its count fields,
//! and only the grouping fields it accepts in `group_by`, null unless
//! grouped by. Daily buckets hold the demo's daily rows; hourly buckets
//! hold `split_into_hours` of them, so both widths agree exactly.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::extract::{OriginalUri, Path, RawQuery, State};
use axum::{Extension, Json};
use keymeter::domain::demo::split_into_hours;
use keymeter::domain::name::Name;
use keymeter::domain::time::{day_start, DAY};
use keymeter::domain::usage::{TokenCounts, UsageKind, UsageRecord};
use serde_json::{Map, Value};

use super::buckets::{Page, Span, Width};
use super::error::ApiFailure;
use super::faults::RepeatCursor;
use super::query::Query;
use super::Shared;

/// Daily buckets: 7 per page unless `limit` says otherwise, at most 31.
const DAILY: Width = Width {
    name: "1d",
    seconds: DAY,
    default_limit: 7,
    max_limit: 31,
};

/// Hourly buckets: a day per page by default, a week at most.
const HOURLY: Width = Width {
    name: "1h",
    seconds: 3600,
    default_limit: 24,
    max_limit: 168,
};

/// The demo's daily rows of each kind, by the UTC midnight of their day.
pub(crate) type UsageByDay = BTreeMap<i64, Vec<UsageRecord>>;

/// A grouping field of some kind's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Dim {
    ProjectId,
    UserId,
    ApiKeyId,
    Model,
    Batch,
    ServiceTier,
    Size,
    Source,
    VectorStoreId,
    ContextLevel,
}

impl Dim {
    const ALL: [Dim; 10] = [
        Dim::ProjectId,
        Dim::UserId,
        Dim::ApiKeyId,
        Dim::Model,
        Dim::Batch,
        Dim::ServiceTier,
        Dim::Size,
        Dim::Source,
        Dim::VectorStoreId,
        Dim::ContextLevel,
    ];

    fn name(self) -> &'static str {
        match self {
            Dim::ProjectId => "project_id",
            Dim::UserId => "user_id",
            Dim::ApiKeyId => "api_key_id",
            Dim::Model => "model",
            Dim::Batch => "batch",
            Dim::ServiceTier => "service_tier",
            Dim::Size => "size",
            Dim::Source => "source",
            Dim::VectorStoreId => "vector_store_id",
            Dim::ContextLevel => "context_level",
        }
    }

    /// The field's value in `record`. The demo has no vector store ids
    /// or search context levels, so those are always null.
    fn value(self, record: &UsageRecord) -> Value {
        let text = |value: &Option<Name>| {
            value.map_or(Value::Null, |v| Value::String(v.into()))
        };
        match self {
            Dim::ProjectId => text(&record.project_id),
            Dim::UserId => text(&record.user_id),
            Dim::ApiKeyId => text(&record.api_key_id),
            Dim::Model => text(&record.model),
            Dim::Batch => record.batch.map_or(Value::Null, Value::Bool),
            Dim::ServiceTier => text(&record.service_tier),
            Dim::Size => text(&record.size),
            Dim::Source => text(&record.source),
            Dim::VectorStoreId | Dim::ContextLevel => Value::Null,
        }
    }
}

/// The grouping fields `kind` accepts, in reply order.
fn dims(kind: UsageKind) -> &'static [Dim] {
    use Dim::*;
    match kind {
        UsageKind::Completions => {
            &[ProjectId, UserId, ApiKeyId, Model, Batch, ServiceTier]
        }
        UsageKind::Embeddings
        | UsageKind::Moderations
        | UsageKind::AudioSpeeches
        | UsageKind::AudioTranscriptions => {
            &[ProjectId, UserId, ApiKeyId, Model]
        }
        UsageKind::Images => {
            &[ProjectId, UserId, ApiKeyId, Model, Size, Source]
        }
        UsageKind::VectorStores | UsageKind::CodeInterpreterSessions => {
            &[ProjectId]
        }
        UsageKind::FileSearchCalls => {
            &[ProjectId, UserId, ApiKeyId, VectorStoreId]
        }
        UsageKind::WebSearchCalls => {
            &[ProjectId, UserId, ApiKeyId, Model, ContextLevel]
        }
    }
}

/// A count field of a result and where its value comes from.
type Count = (&'static str, fn(&TokenCounts) -> u64);

const REQUESTS: Count = ("num_model_requests", |c| c.requests);
const INPUT: Count = ("input_tokens", |c| c.input);

/// The count fields `kind` answers with.
fn counts(kind: UsageKind) -> &'static [Count] {
    match kind {
        UsageKind::Completions => &[
            INPUT,
            ("output_tokens", |c| c.output),
            ("input_cached_tokens", |c| c.cached_input),
            ("input_audio_tokens", |c| c.input_audio),
            ("output_audio_tokens", |c| c.output_audio),
            REQUESTS,
        ],
        UsageKind::Embeddings | UsageKind::Moderations => &[INPUT, REQUESTS],
        UsageKind::Images => &[("images", |c| c.images), REQUESTS],
        UsageKind::AudioSpeeches => {
            &[("characters", |c| c.characters), REQUESTS]
        }
        UsageKind::AudioTranscriptions => {
            &[("seconds", |c| c.seconds), REQUESTS]
        }
        UsageKind::VectorStores => &[("usage_bytes", |c| c.usage_bytes)],
        UsageKind::CodeInterpreterSessions => {
            &[("num_sessions", |c| c.sessions)]
        }
        UsageKind::FileSearchCalls => &[("num_requests", |c| c.calls)],
        UsageKind::WebSearchCalls => &[REQUESTS, ("num_requests", |c| c.calls)],
    }
}

/// The `project_ids`, `user_ids`, `api_key_ids` and `models` filters; an
/// empty set lets everything through.
struct Filters {
    project_ids: HashSet<String>,
    user_ids: HashSet<String>,
    api_key_ids: HashSet<String>,
    models: HashSet<String>,
}

/// `GET /organization/usage/{kind}`. A kind the mock does not know, or
/// one configured as missing, answers 404 as an older API would.
pub(crate) async fn usage(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    OriginalUri(uri): OriginalUri,
    repeat: Option<Extension<RepeatCursor>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Value>>, ApiFailure> {
    let kind = UsageKind::from_path(&kind)
        .filter(|kind| !shared.missing_kinds.contains(kind))
        .ok_or_else(|| ApiFailure::unknown_url("GET", uri.path()))?;
    let query = Query::parse(raw.as_deref());
    let span = Span::parse(&query, &[&DAILY, &HOURLY])?;
    let grouped = groups(kind, &query.all("group_by"))?;
    let filters = Filters::parse(&query);
    let empty = UsageByDay::new();
    let by_day = shared.usage.get(&kind).unwrap_or(&empty);
    let hourly = span.width().name == HOURLY.name;

    // A page of hours mostly falls on one or two days: split each day
    // once rather than once per bucket.
    let mut split_day: Option<(i64, Vec<Vec<UsageRecord>>)> = None;
    let held_back = shared.held_back_from();
    let page = span.page(repeat.is_some(), |from, _| {
        let day = day_start(from);
        let days_rows = if held_back.is_some_and(|held| day >= held) {
            &[][..]
        } else {
            by_day.get(&day).map_or(&[][..], Vec::as_slice)
        };
        let rows = if hourly {
            if split_day.as_ref().is_none_or(|(at, _)| *at != day) {
                split_day = Some((day, hours_of(days_rows)));
            }
            let hours = split_day.as_ref().map(|(_, hours)| hours);
            let hour = ((from - day) / HOURLY.seconds) as usize;
            hours.map_or(&[][..], |hours| hours[hour].as_slice())
        } else {
            days_rows
        };
        results(kind, rows, &grouped, &filters)
    });
    Ok(Json(page))
}

/// The rows of each of a day's 24 hours.
fn hours_of(rows: &[UsageRecord]) -> Vec<Vec<UsageRecord>> {
    let mut hours = vec![Vec::new(); 24];
    for row in rows {
        for (hour, part) in split_into_hours(row).into_iter().enumerate() {
            hours[hour].push(part);
        }
    }
    hours
}

/// The grouping fields asked for, each one checked against what `kind`
/// accepts.
fn groups(
    kind: UsageKind,
    values: &[&str],
) -> Result<HashSet<Dim>, ApiFailure> {
    let allowed = dims(kind);
    let mut grouped = HashSet::new();
    for value in values {
        let dim = Dim::ALL.into_iter().find(|dim| dim.name() == *value);
        match dim.filter(|dim| allowed.contains(dim)) {
            Some(dim) => {
                grouped.insert(dim);
            }
            None => {
                let names: Vec<&str> =
                    allowed.iter().map(|dim| dim.name()).collect();
                return Err(ApiFailure::bad_param(
                    "group_by",
                    format!(
                        "Invalid 'group_by': '{value}' is not a grouping of \
                         {} usage. Expected any of {}.",
                        kind.path(),
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(grouped)
}

impl Filters {
    fn parse(query: &Query) -> Self {
        let set =
            |name| query.all(name).into_iter().map(str::to_owned).collect();
        Filters {
            project_ids: set("project_ids"),
            user_ids: set("user_ids"),
            api_key_ids: set("api_key_ids"),
            models: set("models"),
        }
    }

    fn admit(&self, record: &UsageRecord) -> bool {
        fn passes(set: &HashSet<String>, value: &Option<Name>) -> bool {
            set.is_empty() || value.is_some_and(|v| set.contains(v.as_str()))
        }
        passes(&self.project_ids, &record.project_id)
            && passes(&self.user_ids, &record.user_id)
            && passes(&self.api_key_ids, &record.api_key_id)
            && passes(&self.models, &record.model)
    }
}

/// The results of one bucket: its rows grouped as asked, rows that
/// became identical summed, in the order they first appear. A row with
/// nothing to count (a quiet hour of a small daily figure) is left out,
/// as OpenAI leaves out groups without usage.
fn results(
    kind: UsageKind,
    records: &[UsageRecord],
    grouped: &HashSet<Dim>,
    filters: &Filters,
) -> Vec<Value> {
    let dims = dims(kind);
    let mut rows: Vec<(Vec<Value>, TokenCounts)> = Vec::new();
    for record in records.iter().filter(|r| filters.admit(r)) {
        let key: Vec<Value> = dims
            .iter()
            .map(|dim| {
                if grouped.contains(dim) {
                    dim.value(record)
                } else {
                    Value::Null
                }
            })
            .collect();
        match rows.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, counts)) => counts.add(&record.counts.unpack()),
            None => rows.push((key, record.counts.unpack())),
        }
    }
    let counts = counts(kind);
    rows.into_iter()
        .filter(|(_, total)| counts.iter().any(|(_, count)| count(total) > 0))
        .map(|(key, total)| {
            let mut result = Map::new();
            result.insert(
                "object".to_owned(),
                format!("organization.usage.{}.result", kind.path()).into(),
            );
            for (name, count) in counts {
                result.insert((*name).to_owned(), count(&total).into());
            }
            for (dim, value) in dims.iter().zip(key) {
                result.insert(dim.name().to_owned(), value);
            }
            Value::Object(result)
        })
        .collect()
}
