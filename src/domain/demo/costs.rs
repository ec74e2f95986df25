//! What the demo organization was billed: its usage at list prices, per
//! day, project and line item, as the Costs endpoint reports it, plus the
//! tool and storage charges that tokens do not explain.

use std::collections::BTreeMap;

use crate::domain::cost::CostRecord;
use crate::domain::money::Usd;
use crate::domain::price::price_of;
use crate::domain::time::{Date, DAY};
use crate::domain::usage::{UsageKind, UsageRecord};

/// Dollars per million tokens (input, output) of fine-tuned models, which
/// the built-in table does not hold.
const FINE_TUNED: (u64, u64) = (300_000, 1_200_000);
/// Picodollars per web search call ($10 per 1,000).
const PER_SEARCH: u128 = 10_000_000_000;
/// Picodollars per byte-day of vector storage ($0.10 per GB a day).
const PER_BYTE_DAY: u128 = 100;

/// The billed rows of `usage`, oldest first.
pub(super) fn billed(usage: &[UsageRecord]) -> Vec<CostRecord> {
    let mut sums: BTreeMap<(i64, String, String), u128> = BTreeMap::new();
    for row in usage {
        let project = row.project_id.clone().unwrap_or_default();
        let mut bill = |item: String, pico: u128| {
            if pico > 0 {
                *sums
                    .entry((row.start_time, project.clone(), item))
                    .or_default() += pico;
            }
        };
        let c = &row.counts;
        match row.kind {
            UsageKind::WebSearchCalls => {
                bill(
                    "web search tool calls".into(),
                    u128::from(c.calls) * PER_SEARCH,
                );
            }
            UsageKind::VectorStores => {
                bill(
                    "Vector storage".into(),
                    u128::from(c.usage_bytes) * PER_BYTE_DAY,
                );
            }
            UsageKind::Completions | UsageKind::Embeddings => {
                let Some(model) = row.model.as_deref() else {
                    continue;
                };
                let day = Date::from_unix(row.start_time);
                let (input, cached, output) = match price_of(model, day) {
                    Some(p) => {
                        (p.input, p.cached_input.unwrap_or(p.input), p.output)
                    }
                    None if model.starts_with("ft:") => {
                        (FINE_TUNED.0, FINE_TUNED.0, FINE_TUNED.1)
                    }
                    None => continue,
                };
                let half = |price: u64| {
                    if row.batch == Some(true) {
                        price / 2
                    } else {
                        price
                    }
                };
                let pico = |n: u64, price: u64| {
                    u128::from(n) * u128::from(half(price))
                };
                bill(
                    format!("{model}, input"),
                    pico(c.uncached_input(), input),
                );
                bill(
                    format!("{model}, cached input"),
                    pico(c.cached_input, cached),
                );
                bill(format!("{model}, output"), pico(c.output, output));
            }
            _ => {}
        }
    }
    sums.into_iter()
        .map(|((start, project, item), pico)| CostRecord {
            connection_id: usage[0].connection_id.clone(),
            start_time: start,
            end_time: start + DAY,
            project_id: Some(project),
            line_item: Some(item),
            api_key_id: None,
            amount: Usd(pico),
            currency: "usd".to_owned(),
        })
        .collect()
}
