//! What the demo organization was billed: its usage at list prices, per
//! day, project and line item, as the Costs endpoint reports it, plus the
//! tool and storage charges that tokens do not explain and the usage of a
//! model keymeter has no price for.

use std::collections::BTreeMap;

use super::PREVIEW_MODEL;
use crate::domain::cost::CostRecord;
use crate::domain::money::Usd;
use crate::domain::price::built_in_table;
use crate::domain::time::DAY;
use crate::domain::usage::{UsageKind, UsageRecord};

/// Picodollars per token (dollars per 1M) that the preview model is
/// billed, input and output: a price keymeter's table does not know.
const PREVIEW: (u128, u128) = (3_000_000, 12_000_000);
/// Picodollars per web search call ($10 per 1,000).
const PER_SEARCH: u128 = 10_000_000_000;
/// Picodollars per byte-day of vector storage ($0.10 per GB a day).
const PER_BYTE_DAY: u128 = 100;

/// The billed rows of `usage`, oldest first.
pub(super) fn billed(usage: &[UsageRecord]) -> Vec<CostRecord> {
    let mut sums: BTreeMap<(i64, String, String), u128> = BTreeMap::new();
    for row in usage {
        let project = row.project_id.map(String::from).unwrap_or_default();
        let mut bill = |item: String, pico: u128| {
            if pico > 0 {
                *sums
                    .entry((row.start_time, project.clone(), item))
                    .or_default() += pico;
            }
        };
        let c = row.counts.unpack();
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
            _ => {
                let Some(model) = row.model.as_deref() else {
                    continue;
                };
                if model == PREVIEW_MODEL {
                    bill(
                        format!("{model}, input"),
                        u128::from(c.input) * PREVIEW.0,
                    );
                    bill(
                        format!("{model}, output"),
                        u128::from(c.output) * PREVIEW.1,
                    );
                    continue;
                }
                // Everything else at the list prices keymeter also uses.
                let parts = built_in_table().estimate_parts(row);
                for part in parts.into_iter().flatten() {
                    bill(
                        format!("{model}, {}", part.unit.label()),
                        part.cost.0,
                    );
                }
            }
        }
    }
    sums.into_iter()
        .map(|((start, project, item), pico)| CostRecord {
            connection_id: usage[0].connection_id.into(),
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
