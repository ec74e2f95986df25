//! `GET /organization/usage/completions`: the demo's daily records cut
//! into buckets, regrouped and summed the way OpenAI does.
//!
//! Only daily buckets are served, because the demo only has daily data.
//! The first bucket starts at `start_time` and the following ones on UTC
//! midnights; a first bucket that starts mid-day holds that whole day,
//! since daily data cannot be split.

use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use keymeter::domain::time::{day_start, DAY};
use keymeter::domain::usage::{TokenCounts, UsageRecord};
use serde_json::{json, Value};

use super::error::ApiFailure;
use super::query::Query;
use super::{now, Shared};

/// The grouping fields completions usage accepts, in reply order.
const GROUP_FIELDS: [&str; 6] = [
    "project_id",
    "user_id",
    "api_key_id",
    "model",
    "batch",
    "service_tier",
];

/// Buckets per page unless `limit` says otherwise, and the most allowed.
const DEFAULT_LIMIT: usize = 7;
const MAX_LIMIT: usize = 31;

/// Marks the mock's page cursors; the rest is the next bucket's start.
const CURSOR_PREFIX: &str = "mockpage_";

/// What a request asks for, checked.
struct UsageQuery {
    end: i64,
    limit: usize,
    /// Where this page starts: `start`, or the bucket a cursor points to.
    from: i64,
    groups: Groups,
    filters: Filters,
}

/// Which grouping fields are kept; the others come back `null`.
#[derive(Default)]
struct Groups {
    project_id: bool,
    user_id: bool,
    api_key_id: bool,
    model: bool,
    batch: bool,
    service_tier: bool,
}

/// The grouping values of one result row.
#[derive(Clone, PartialEq)]
struct GroupKey {
    project_id: Option<String>,
    user_id: Option<String>,
    api_key_id: Option<String>,
    model: Option<String>,
    batch: Option<bool>,
    service_tier: Option<String>,
}

/// The `project_ids`, `user_ids`, `api_key_ids` and `models` filters; an
/// empty set lets everything through.
struct Filters {
    project_ids: HashSet<String>,
    user_ids: HashSet<String>,
    api_key_ids: HashSet<String>,
    models: HashSet<String>,
}

/// `GET /organization/usage/{kind}`; only `completions` has data.
pub(crate) async fn usage(
    State(shared): State<Arc<Shared>>,
    Path(kind): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiFailure> {
    if kind != "completions" {
        return Err(ApiFailure::new(
            StatusCode::NOT_FOUND,
            format!(
                "The mock API serves only completions usage, not '{kind}'."
            ),
        ));
    }
    let query = UsageQuery::parse(&Query::parse(raw.as_deref()))?;

    let mut buckets = Vec::new();
    let mut from = query.from;
    while from < query.end && buckets.len() < query.limit {
        let to = day_start(from) + DAY;
        let records = shared
            .usage_by_day
            .get(&day_start(from))
            .map_or(&[][..], Vec::as_slice);
        buckets.push(json!({
            "object": "bucket",
            "start_time": from,
            "end_time": to,
            "results": results(records, &query),
        }));
        from = to;
    }
    let has_more = from < query.end;
    Ok(Json(json!({
        "object": "page",
        "data": buckets,
        "has_more": has_more,
        "next_page": has_more.then(|| format!("{CURSOR_PREFIX}{from}")),
    })))
}

impl UsageQuery {
    fn parse(query: &Query) -> Result<Self, ApiFailure> {
        let start = query.int("start_time")?.ok_or_else(|| {
            ApiFailure::bad_param(
                "start_time",
                "Missing required parameter: 'start_time'.",
            )
        })?;
        let end = query.int("end_time")?.unwrap_or_else(now);
        if end <= start {
            return Err(ApiFailure::bad_param(
                "end_time",
                "Invalid 'end_time': it must be after 'start_time'.",
            ));
        }
        match query.first("bucket_width").unwrap_or("1d") {
            "1d" => {}
            "1h" | "1m" => {
                return Err(ApiFailure::bad_param(
                    "bucket_width",
                    "The mock API serves only bucket_width=1d: its data is \
                     daily.",
                ))
            }
            other => {
                return Err(ApiFailure::bad_param(
                    "bucket_width",
                    format!(
                        "Invalid 'bucket_width': '{other}'. Expected one of \
                         1m, 1h, 1d."
                    ),
                ))
            }
        }
        let limit = query.limit(DEFAULT_LIMIT, MAX_LIMIT)?;
        let from = match query.first("page") {
            None => start,
            Some(cursor) => cursor
                .strip_prefix(CURSOR_PREFIX)
                .and_then(|at| at.parse::<i64>().ok())
                .filter(|at| (start + 1..end).contains(at))
                .ok_or_else(|| {
                    ApiFailure::bad_param(
                        "page",
                        "Invalid 'page': not a cursor from this query.",
                    )
                })?,
        };
        Ok(UsageQuery {
            end,
            limit,
            from,
            groups: Groups::parse(&query.all("group_by"))?,
            filters: Filters::parse(query),
        })
    }
}

impl Groups {
    fn parse(values: &[&str]) -> Result<Self, ApiFailure> {
        let mut groups = Groups::default();
        for value in values {
            let flag = match *value {
                "project_id" => &mut groups.project_id,
                "user_id" => &mut groups.user_id,
                "api_key_id" => &mut groups.api_key_id,
                "model" => &mut groups.model,
                "batch" => &mut groups.batch,
                "service_tier" => &mut groups.service_tier,
                other => return Err(unknown_group(other)),
            };
            *flag = true;
        }
        Ok(groups)
    }

    /// The row `record` falls into: its values of the kept fields.
    fn key(&self, record: &UsageRecord) -> GroupKey {
        fn keep<T: Clone>(kept: bool, value: &Option<T>) -> Option<T> {
            value.clone().filter(|_| kept)
        }
        GroupKey {
            project_id: keep(self.project_id, &record.project_id),
            user_id: keep(self.user_id, &record.user_id),
            api_key_id: keep(self.api_key_id, &record.api_key_id),
            model: keep(self.model, &record.model),
            batch: keep(self.batch, &record.batch),
            service_tier: keep(self.service_tier, &record.service_tier),
        }
    }
}

fn unknown_group(value: &str) -> ApiFailure {
    ApiFailure::bad_param(
        "group_by",
        format!(
            "Invalid 'group_by': '{value}'. Expected any of {}.",
            GROUP_FIELDS.join(", ")
        ),
    )
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
        fn passes(set: &HashSet<String>, value: &Option<String>) -> bool {
            set.is_empty() || value.as_ref().is_some_and(|v| set.contains(v))
        }
        passes(&self.project_ids, &record.project_id)
            && passes(&self.user_ids, &record.user_id)
            && passes(&self.api_key_ids, &record.api_key_id)
            && passes(&self.models, &record.model)
    }
}

/// The results of one bucket: its records grouped as asked, rows that
/// became identical summed, in the order they first appear.
fn results(records: &[UsageRecord], query: &UsageQuery) -> Vec<Value> {
    let mut rows: Vec<(GroupKey, TokenCounts)> = Vec::new();
    for record in records.iter().filter(|r| query.filters.admit(r)) {
        let key = query.groups.key(record);
        match rows.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, counts)) => counts.add(&record.counts),
            None => rows.push((key, record.counts)),
        }
    }
    rows.into_iter()
        .map(|(key, counts)| {
            json!({
                "object": "organization.usage.completions.result",
                "input_tokens": counts.input,
                "output_tokens": counts.output,
                "input_cached_tokens": counts.cached_input,
                "input_audio_tokens": counts.input_audio,
                "output_audio_tokens": counts.output_audio,
                "num_model_requests": counts.requests,
                "project_id": key.project_id,
                "user_id": key.user_id,
                "api_key_id": key.api_key_id,
                "model": key.model,
                "batch": key.batch,
                "service_tier": key.service_tier,
            })
        })
        .collect()
}
