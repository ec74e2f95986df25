//! `GET /organization/costs`: the demo's billed costs per day, regrouped
//! and summed exactly, with amounts written the two ways OpenAI writes
//! them.
//!
//! Amounts are picodollars in the demo, and their decimal text is built
//! from those integers, never through a float, so a client that reads
//! them exactly gets back the generator's sums to the picodollar. Every
//! fourth result of a bucket carries its value as a JSON string
//! (`"12.50"`), the others as a number with 16 decimals
//! (`0.8958740000000000`), so a client meets both forms in one reply.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::{Extension, Json};
use keymeter::domain::cost::CostRecord;
use keymeter::domain::money::Usd;
use keymeter::domain::time::{day_start, DAY};
use serde::Serialize;
use serde_json::value::RawValue;

use super::buckets::{Page, Span, Width};
use super::error::ApiFailure;
use super::faults::RepeatCursor;
use super::query::Query;
use super::Shared;

/// Costs come by day only: 7 days per page unless `limit` says
/// otherwise, at most 180.
const DAILY: Width = Width {
    name: "1d",
    seconds: DAY,
    default_limit: 7,
    max_limit: 180,
};

/// The demo's billed rows by the UTC midnight of their day.
pub(crate) type CostsByDay = BTreeMap<i64, Vec<CostRecord>>;

/// Picodollars in one dollar.
const PICO_PER_USD: u128 = 1_000_000_000_000;

/// One result of a costs bucket.
#[derive(Debug, Serialize)]
pub(crate) struct CostResult {
    object: &'static str,
    amount: Amount,
    line_item: Option<String>,
    project_id: Option<String>,
    /// Only sent by API versions that can group costs by key.
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key_id: Option<Option<String>>,
}

/// `{"value": ..., "currency": "usd"}`, the value as JSON text.
#[derive(Debug, Serialize)]
struct Amount {
    value: Box<RawValue>,
    currency: &'static str,
}

/// Which grouping fields are kept; the others come back `null`.
#[derive(Default)]
struct Groups {
    project_id: bool,
    line_item: bool,
    api_key_id: bool,
}

/// `GET /organization/costs`.
pub(crate) async fn costs(
    State(shared): State<Arc<Shared>>,
    repeat: Option<Extension<RepeatCursor>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<CostResult>>, ApiFailure> {
    let query = Query::parse(raw.as_deref());
    let span = Span::parse(&query, &[&DAILY])?;
    let groups = Groups::parse(&query.all("group_by"), shared.costs_by_key)?;
    let projects: HashSet<&str> =
        query.all("project_ids").into_iter().collect();
    let page = span.page(repeat.is_some(), |from, _| {
        let rows = shared
            .costs_by_day
            .get(&day_start(from))
            .map_or(&[][..], Vec::as_slice);
        let rows = rows.iter().filter(|row| {
            projects.is_empty()
                || row
                    .project_id
                    .as_deref()
                    .is_some_and(|p| projects.contains(p))
        });
        results(rows, &groups, shared.costs_by_key)
    });
    Ok(Json(page))
}

impl Groups {
    /// `project_id` and `line_item`, and `api_key_id` only where the
    /// API is new enough (`by_key`): an older API refuses it, and the
    /// app must fall back.
    fn parse(values: &[&str], by_key: bool) -> Result<Self, ApiFailure> {
        let mut groups = Groups::default();
        for value in values {
            let flag = match *value {
                "project_id" => &mut groups.project_id,
                "line_item" => &mut groups.line_item,
                "api_key_id" if by_key => &mut groups.api_key_id,
                other => {
                    let expected = if by_key {
                        "project_id, line_item, api_key_id"
                    } else {
                        "project_id, line_item"
                    };
                    return Err(ApiFailure::bad_param(
                        "group_by",
                        format!(
                            "Invalid value for 'group_by': {other}. \
                             Expected any of {expected}."
                        ),
                    ));
                }
            };
            *flag = true;
        }
        Ok(groups)
    }
}

/// The results of one day: rows grouped as asked, rows that became
/// identical summed, in the order they first appear.
fn results<'a>(
    rows: impl Iterator<Item = &'a CostRecord>,
    groups: &Groups,
    by_key: bool,
) -> Vec<CostResult> {
    type Key = (Option<String>, Option<String>, Option<String>);
    let mut sums: Vec<(Key, Usd)> = Vec::new();
    for row in rows {
        let keep =
            |kept: bool, value: &Option<String>| value.clone().filter(|_| kept);
        let key = (
            keep(groups.project_id, &row.project_id),
            keep(groups.line_item, &row.line_item),
            keep(groups.api_key_id, &row.api_key_id),
        );
        match sums.iter_mut().find(|(seen, _)| *seen == key) {
            Some((_, sum)) => *sum += row.amount,
            None => sums.push((key, row.amount)),
        }
    }
    sums.into_iter()
        .enumerate()
        .map(
            |(i, ((project_id, line_item, api_key_id), amount))| CostResult {
                object: "organization.costs.result",
                amount: Amount {
                    value: amount_json(amount, i % 4 == 3),
                    currency: "usd",
                },
                line_item,
                project_id,
                api_key_id: by_key.then_some(api_key_id),
            },
        )
        .collect()
}

/// `amount` as JSON: a string with the exact value and at least two
/// decimals (`"12.50"`), or a number with 16 decimals.
fn amount_json(amount: Usd, as_string: bool) -> Box<RawValue> {
    let whole = amount.0 / PICO_PER_USD;
    let frac = format!("{:012}", amount.0 % PICO_PER_USD);
    let text = if as_string {
        let digits = frac.trim_end_matches('0');
        format!("\"{whole}.{digits:0<2}\"")
    } else {
        format!("{whole}.{frac}0000")
    };
    RawValue::from_string(text).expect("decimal digits are valid JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_written_exactly_in_both_forms() {
        let text = |pico, string| amount_json(Usd(pico), string).to_string();
        assert_eq!(text(12_500_000_000_000, true), "\"12.50\"");
        assert_eq!(text(895_874_000_000, false), "0.8958740000000000");
        assert_eq!(text(1, true), "\"0.000000000001\"");
        assert_eq!(text(1, false), "0.0000000000010000");
        assert_eq!(text(0, true), "\"0.00\"");
        assert_eq!(text(3_000_000_000_000, false), "3.0000000000000000");
    }
}
