//! Usage rows for the tests of this module.

use super::rows::{price_rows, Row};
use crate::domain::demo::PREVIEW_MODEL;
use crate::domain::price::built_in_table;
use crate::domain::time::{Date, DAY};
use crate::domain::usage::{
    BucketWidth, Span, TokenCounts, UsageKind, UsageRecord,
};

pub const HOUR: i64 = 3_600;

/// A priced model: `gpt-4o-mini` at $0.15 per million input tokens.
pub const MODEL: &str = "gpt-4o-mini-2024-07-18";

/// Unix seconds of `hour`:00Z on `date`.
pub fn utc(date: Date, hour: i64) -> i64 {
    date.to_unix() + hour * HOUR
}

/// One completions request of `tokens` input tokens by `key_a` in the
/// hourly bucket starting at `start`.
pub fn hourly(start: i64, tokens: u64) -> UsageRecord {
    bucket(BucketWidth::Hour, start, tokens)
}

/// The same in the daily bucket starting at `start`.
pub fn daily(start: i64, tokens: u64) -> UsageRecord {
    bucket(BucketWidth::Day, start, tokens)
}

/// `tokens` in every hourly bucket of `[from, to)`.
pub fn every_hour(from: i64, to: i64, tokens: u64) -> Vec<UsageRecord> {
    (from..to)
        .step_by(3_600)
        .map(|h| hourly(h, tokens))
        .collect()
}

/// `record` of a model no price covers.
pub fn unpriced(record: UsageRecord) -> UsageRecord {
    UsageRecord {
        model: Some(PREVIEW_MODEL.into()),
        ..record
    }
}

/// `record` of another API key, `None` for unattributed usage.
pub fn by(record: UsageRecord, key: Option<&str>) -> UsageRecord {
    UsageRecord {
        api_key_id: key.map(Into::into),
        ..record
    }
}

/// The rows at the built-in prices.
pub fn priced(records: &[UsageRecord]) -> Vec<Row<'_>> {
    price_rows(built_in_table(), records)
}

/// `tokens` input tokens of the test model by `key_a` in one bucket.
pub fn bucket(width: BucketWidth, start: i64, tokens: u64) -> UsageRecord {
    debug_assert!(width.seconds() <= DAY);
    UsageRecord {
        connection_id: "c".into(),
        kind: UsageKind::Completions,
        width,
        start_time: start,
        span: Span::of(width),
        project_id: Some("proj_a".into()),
        user_id: Some("user-a".into()),
        api_key_id: Some("key_a".into()),
        model: Some(MODEL.into()),
        batch: Some(false),
        service_tier: Some("default".into()),
        size: None,
        source: None,
        counts: TokenCounts {
            requests: 1,
            input: tokens,
            ..TokenCounts::default()
        }
        .into(),
    }
}
