//! Billed money against estimated money.
//!
//! OpenAI bills projects by day; keys only have estimates. These modules
//! put the two together at that grain:
//!
//! - `allocate`: split each project-day's bill over its keys by their
//!   share of the estimate, exactly, to the picodollar.
//! - `rollup`: tokens, estimates and allocated money per key, user,
//!   project and overall, with the usage left unpriced.
//! - `reconcile`: billed against estimated per project-day, and the line
//!   items that tokens do not explain.
//! - `line_item`: what a billed line item is about.
//! - `report`: all of it named, for the Costs view.

pub mod allocate;
pub mod line_item;
pub mod reconcile;
pub mod report;
pub mod rollup;

pub use allocate::{allocate, split_exactly, Allocation, Holder, Share};
pub use line_item::{classify, LineKind};
pub use reconcile::{reconcile, BilledItem, Reconciliation};
pub use rollup::{rollups, Rollup, Rollups, Scoped};

use super::cost::CostRecord;
use super::time::day_start;
use super::usage::{BucketWidth, UsageRecord};

/// A project on a UTC day in one organization: the grain OpenAI bills at.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectDay {
    pub connection_id: String,
    /// Start of the UTC day, unix seconds.
    pub day: i64,
    /// `None` for usage or costs not grouped by project.
    pub project_id: Option<String>,
}

impl ProjectDay {
    fn of_usage(record: &UsageRecord) -> ProjectDay {
        ProjectDay {
            connection_id: record.connection_id.into(),
            day: day_start(record.start_time),
            project_id: record.project_id.map(String::from),
        }
    }

    fn of_cost(record: &CostRecord) -> ProjectDay {
        ProjectDay {
            connection_id: record.connection_id.clone(),
            day: day_start(record.start_time),
            project_id: record.project_id.clone(),
        }
    }
}

/// Daily usage rows starting in `[from, to)`. Hourly rows repeat recent
/// days, so only daily ones count, as everywhere else.
fn daily_usage(
    usage: &[UsageRecord],
    from: i64,
    to: i64,
) -> impl Iterator<Item = &UsageRecord> {
    usage.iter().filter(move |r| {
        r.width == BucketWidth::Day && r.start_time >= from && r.start_time < to
    })
}

/// Cost rows of days starting in `[from, to)`.
fn costs_in(
    costs: &[CostRecord],
    from: i64,
    to: i64,
) -> impl Iterator<Item = &CostRecord> {
    costs
        .iter()
        .filter(move |c| c.start_time >= from && c.start_time < to)
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::directory::Directory;
    use crate::domain::demo::{demo_org, PREVIEW_MODEL};
    use crate::domain::money::{Usd, UsdDelta};
    use crate::domain::price::PriceTable;
    use crate::domain::time::{Date, DAY};

    /// The demo bills its usage at the built-in prices, plus tools,
    /// storage and a model keymeter cannot price: exactly what the
    /// reconciliation must single out, to the picodollar.
    #[test]
    fn on_the_demo_the_bill_is_the_estimate_plus_what_tokens_miss() {
        let last = Date::new(2026, 4, 30);
        let org = demo_org("c", last, 14);
        let (from, to) = (last.to_unix() - 13 * DAY, last.to_unix() + DAY);
        let prices = PriceTable::built_in();

        let lines = reconcile(&prices, &org.usage, &org.costs, from, to);
        assert!(lines.len() >= 14 * 3, "{} project-days", lines.len());
        for line in &lines {
            let missed = UsdDelta::between(line.unexplained_total(), Usd::ZERO);
            assert_eq!(line.difference, missed, "{:?}", line.at);
            for item in &line.unexplained {
                let preview = LineKind::Model {
                    model: PREVIEW_MODEL.to_owned(),
                };
                assert!(
                    matches!(item.kind, LineKind::Tool | LineKind::Storage)
                        || item.kind == preview,
                    "{item:?}"
                );
            }
        }

        let who = Directory::new(&org.keys, &org.projects, &[]);
        let split = allocate(&prices, &org.usage, &who, &org.costs, from, to);
        let billed: Usd = org.costs.iter().map(|c| c.amount).sum();
        assert_eq!(split.allocated_total() + split.unallocated_total(), billed);
        let all = rollups(&prices, &org.usage, &who, &split, from, to);
        assert!(all.overall.is_understated(), "the preview model");
        assert_eq!(all.overall.allocated, split.allocated_total());
        // Service accounts' keys are billed to the accounts.
        let accounts = all.by_user.iter().filter(|((_, id), rollup)| {
            id.as_deref().is_some_and(|id| id.starts_with("svc_"))
                && rollup.allocated > Usd::ZERO
        });
        assert!(accounts.count() > 0);
    }
}
