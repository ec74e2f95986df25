//! Usage rows and budgets for the tests of this module.

use super::{Budget, Limit, Period, Scope, DEFAULT_THRESHOLDS};
use crate::domain::analytics::directory::Directory;
use crate::domain::analytics::fixtures::bucket;
use crate::domain::analytics::rows::{price_rows, Row};
use crate::domain::money::Usd;
use crate::domain::price::built_in_table;
use crate::domain::time::Date;
use crate::domain::usage::{BucketWidth, UsageRecord};

pub const CONNECTION: &str = "c";

/// A directory that knows no keys: rows are whose they name.
pub fn nobody() -> Directory<'static> {
    Directory::default()
}

pub const HOUR: i64 = 3_600;

/// `gpt-4o` input costs $2.50 a million tokens: a cent is 4,000 tokens.
pub const PRICED_MODEL: &str = "gpt-4o-2024-08-06";
pub const TOKENS_PER_CENT: u64 = 4_000;

/// A model newer than any price table.
pub const UNPRICED_MODEL: &str = "gpt-7-preview-2027-02-01";

/// `dollars` whole dollars.
pub fn usd(dollars: u64) -> Usd {
    cents(dollars * 100)
}

/// `cents` cents.
pub fn cents(cents: u64) -> Usd {
    Usd(u128::from(cents) * 10_000_000_000)
}

/// Unix seconds of `hour`:00Z on `date`.
pub fn utc(date: Date, hour: i64) -> i64 {
    date.to_unix() + hour * HOUR
}

/// `tokens` input tokens of `model` by `key` in one bucket.
pub fn usage(
    key: &str,
    width: BucketWidth,
    start: i64,
    model: &str,
    tokens: u64,
) -> UsageRecord {
    UsageRecord {
        connection_id: CONNECTION.into(),
        api_key_id: Some(key.into()),
        model: Some(model.into()),
        ..bucket(width, start, tokens)
    }
}

/// A daily bucket of `key` starting at `start` that costs `cents`.
pub fn spend(key: &str, start: i64, cents: u64) -> UsageRecord {
    let tokens = cents * TOKENS_PER_CENT;
    usage(key, BucketWidth::Day, start, PRICED_MODEL, tokens)
}

/// An hourly bucket of `tokens` tokens of the priced model.
pub fn hourly(key: &str, start: i64, tokens: u64) -> UsageRecord {
    usage(key, BucketWidth::Hour, start, PRICED_MODEL, tokens)
}

/// The rows at the built-in prices.
pub fn priced(records: &[UsageRecord]) -> Vec<Row<'_>> {
    price_rows(built_in_table(), records)
}

/// A budget with the default thresholds on `scope`, in UTC.
pub fn budget(id: &str, scope: Scope, period: Period, limit: Limit) -> Budget {
    Budget {
        id: id.into(),
        connection_id: CONNECTION.into(),
        scope,
        period,
        zone: "UTC".into(),
        limit,
        thresholds: DEFAULT_THRESHOLDS.to_vec(),
        paused: false,
        created_at: 0,
    }
}

/// A monthly budget of `dollars` on `key`.
pub fn key_budget(id: &str, key: &str, dollars: u64) -> Budget {
    let scope = Scope::Key { id: key.into() };
    budget(id, scope, Period::Month, Limit::Usd(usd(dollars)))
}
