//! Rows for the spend tests: one organization, a few projects and keys.

use crate::domain::cost::{parse_usd, CostRecord};
use crate::domain::time::{Date, DAY};
use crate::domain::usage::{
    BucketWidth, Span, TokenCounts, UsageKind, UsageRecord,
};

/// 2026-01-05T00:00Z, after every built-in price change.
pub(crate) const DAY0: i64 = 1_767_571_200;
pub(crate) const P1: &str = "proj_one";
pub(crate) const P2: &str = "proj_two";

pub(crate) fn day(n: i64) -> i64 {
    n * DAY
}

/// A completions row of `project` and `key` on `DAY0`.
pub(crate) fn usage(
    project: &str,
    key: Option<&str>,
    model: &str,
    input: u64,
    output: u64,
) -> UsageRecord {
    UsageRecord {
        connection_id: "c".into(),
        kind: UsageKind::Completions,
        width: BucketWidth::Day,
        start_time: DAY0,
        span: Span::of(BucketWidth::Day),
        project_id: Some(project.into()),
        user_id: None,
        api_key_id: key.map(Into::into),
        model: Some(model.into()),
        batch: None,
        service_tier: None,
        size: None,
        source: None,
        counts: TokenCounts {
            requests: 1,
            input,
            output,
            ..TokenCounts::default()
        }
        .into(),
    }
}

#[test]
fn day0_is_the_fifth_of_january_2026() {
    assert_eq!(Date::from_unix(DAY0), Date::new(2026, 1, 5));
}

/// A billed line of `project` on `DAY0`.
pub(crate) fn bill(
    project: &str,
    line_item: &str,
    dollars: &str,
) -> CostRecord {
    CostRecord {
        connection_id: "c".into(),
        start_time: DAY0,
        end_time: DAY0 + DAY,
        project_id: Some(project.into()),
        line_item: Some(line_item.into()),
        api_key_id: None,
        amount: parse_usd(dollars).expect("an amount"),
        currency: "usd".into(),
    }
}
