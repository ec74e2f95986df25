//! Billed against estimated, per project and day. The two never match
//! exactly (long-context surcharges, rounding, tiers the usage rows do not
//! show), so the useful answers are how far apart they are and which
//! billed line items tokens cannot explain at all: tool calls, storage,
//! unrecognised charges, and usage of models without a price.

use std::collections::BTreeMap;

use super::line_item::{classify, LineKind};
use super::{costs_in, daily_usage, ProjectDay};
use crate::domain::cost::CostRecord;
use crate::domain::money::{Usd, UsdDelta};
use crate::domain::price::PriceTable;
use crate::domain::sort;
use crate::domain::time::Date;
use crate::domain::usage::UsageRecord;

/// A billed line item, summed over the project-day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BilledItem {
    pub line_item: String,
    pub kind: LineKind,
    pub amount: Usd,
}

/// Billed and estimated money of one project on one day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciliation {
    pub at: ProjectDay,
    pub billed: Usd,
    pub estimated: Usd,
    /// Tokens used without a price, which the estimate leaves out.
    pub unpriced_tokens: u64,
    /// Billed minus estimated: positive when the bill is higher.
    pub difference: UsdDelta,
    /// The difference in hundredths of a percent of the bill (1234 is
    /// 12.34 %); `None` when nothing was billed.
    pub difference_basis_points: Option<i64>,
    /// Billed line items that tokens do not explain, largest first.
    pub unexplained: Vec<BilledItem>,
}

impl Reconciliation {
    /// The difference as a share of the bill, as a number (`-12.34`).
    pub fn difference_percent_number(&self) -> Option<String> {
        let bp = self.difference_basis_points?;
        let sign = if bp < 0 { "-" } else { "" };
        let bp = bp.unsigned_abs();
        Some(format!("{sign}{}.{:02}", bp / 100, bp % 100))
    }

    /// The difference as a share of the bill, for reading (`+12.34 %`).
    pub fn difference_percent(&self) -> Option<String> {
        let number = self.difference_percent_number()?;
        let plus = if self.difference_basis_points? > 0 {
            "+"
        } else {
            ""
        };
        Some(format!("{plus}{number} %"))
    }

    /// Money billed for what tokens do not explain.
    pub fn unexplained_total(&self) -> Usd {
        self.unexplained.iter().map(|item| item.amount).sum()
    }
}

/// Reconciles every project-day starting in `[from, to)` that has a bill
/// or usage, ordered by organization, day and project.
pub fn reconcile(
    prices: &PriceTable,
    usage: &[UsageRecord],
    costs: &[CostRecord],
    from: i64,
    to: i64,
) -> Vec<Reconciliation> {
    let mut days: BTreeMap<ProjectDay, Reconciliation> = BTreeMap::new();
    let mut items: BTreeMap<ProjectDay, BTreeMap<String, Usd>> =
        BTreeMap::new();
    for record in daily_usage(usage, from, to) {
        let at = ProjectDay::of_usage(record);
        let line = days.entry(at).or_default();
        match prices.estimate(record) {
            Some(cost) => line.estimated += cost,
            None => {
                line.unpriced_tokens += record.counts.unpack().total_tokens()
            }
        }
    }
    for cost in costs_in(costs, from, to) {
        let at = ProjectDay::of_cost(cost);
        let item = cost.line_item.clone().unwrap_or_default();
        *items
            .entry(at.clone())
            .or_default()
            .entry(item)
            .or_default() += cost.amount;
        days.entry(at).or_default().billed += cost.amount;
    }

    days.into_iter()
        .map(|(at, mut line)| {
            let day = Date::from_unix(at.day);
            line.unexplained = items
                .remove(&at)
                .unwrap_or_default()
                .into_iter()
                .map(|(line_item, amount)| BilledItem {
                    kind: classify(&line_item),
                    line_item,
                    amount,
                })
                .filter(|item| !explained_by_usage(prices, &item.kind, day))
                .collect();
            sort::by_key(&mut line.unexplained, |item| {
                std::cmp::Reverse(item.amount)
            });
            line.difference = UsdDelta::between(line.billed, line.estimated);
            line.difference_basis_points =
                basis_points(line.difference, line.billed);
            line.at = at;
            line
        })
        .collect()
}

/// A model's line is explained when that model has a price on that day,
/// so its usage is in the estimate.
fn explained_by_usage(prices: &PriceTable, kind: &LineKind, day: Date) -> bool {
    match kind {
        LineKind::Model { model } => prices.resolve(model, day).is_some(),
        LineKind::Tool | LineKind::Storage | LineKind::Other => false,
    }
}

/// `part` as hundredths of a percent of `whole`, rounded half away from
/// zero; `None` when `whole` is zero.
fn basis_points(part: UsdDelta, whole: Usd) -> Option<i64> {
    if whole == Usd::ZERO {
        return None;
    }
    let scaled = part.magnitude().0.checked_mul(10_000)?;
    let rounded = (scaled * 2 + whole.0) / (whole.0 * 2);
    let magnitude = i64::try_from(rounded).ok()?;
    Some(if part.0 < 0 { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::spend::fixtures::{bill, day, usage, DAY0, P1, P2};

    fn one_day(
        rows: &[UsageRecord],
        costs: &[CostRecord],
    ) -> Vec<Reconciliation> {
        reconcile(&PriceTable::built_in(), rows, costs, DAY0, DAY0 + day(1))
    }

    #[test]
    fn the_difference_is_signed_and_a_share_of_the_bill() {
        // Estimated $2.00 (1M gpt-4.1 input); billed $2.50.
        let rows = [usage(P1, Some("key_a"), "gpt-4.1", 1_000_000, 0)];
        let costs = [bill(P1, "gpt-4.1, input", "2.50")];
        let line = &one_day(&rows, &costs)[0];
        assert_eq!(line.difference.display(), "+$0.50");
        assert_eq!(line.difference_basis_points, Some(2_000));
        assert_eq!(line.difference_percent().unwrap(), "+20.00 %");
        assert!(line.unexplained.is_empty());

        let costs = [bill(P1, "gpt-4.1, input", "1.50")];
        let line = &one_day(&rows, &costs)[0];
        assert_eq!(line.difference.display(), "-$0.50");
        assert_eq!(line.difference_percent().unwrap(), "-33.33 %");
    }

    #[test]
    fn nothing_billed_has_no_percentage() {
        let rows = [usage(P1, Some("key_a"), "gpt-4.1", 1_000, 0)];
        let line = &one_day(&rows, &[])[0];
        assert_eq!(line.billed, Usd::ZERO);
        assert_eq!(line.difference_basis_points, None);
        assert_eq!(line.difference.display(), "-$0.0020");
    }

    #[test]
    fn tools_storage_and_unpriced_models_are_what_tokens_do_not_explain() {
        let rows = [
            usage(P1, Some("key_a"), "gpt-4o-2024-08-06", 1_000, 100),
            usage(P1, Some("key_a"), "gpt-7-preview", 1_000, 100),
        ];
        let costs = [
            bill(P1, "gpt-4o-2024-08-06, input", "0.0025"),
            bill(P1, "gpt-4o-2024-08-06, output", "0.001"),
            bill(P1, "web search tool calls", "0.50"),
            bill(P1, "web search tool calls", "0.25"),
            bill(P1, "Vector storage", "0.10"),
            bill(P1, "gpt-7-preview, input", "0.20"),
            bill(P1, "Support plan", "0.01"),
        ];
        let line = &one_day(&rows, &costs)[0];
        let unexplained: Vec<(&str, String)> = line
            .unexplained
            .iter()
            .map(|i| (i.line_item.as_str(), i.amount.to_fixed(2)))
            .collect();
        assert_eq!(
            unexplained,
            [
                ("web search tool calls", "0.75".to_owned()),
                ("gpt-7-preview, input", "0.20".to_owned()),
                ("Vector storage", "0.10".to_owned()),
                ("Support plan", "0.01".to_owned()),
            ]
        );
        assert_eq!(line.unexplained_total().to_fixed(2), "1.06");
        assert_eq!(line.unpriced_tokens, 1_100);
        assert_eq!(line.estimated.to_fixed(4), "0.0035");
    }

    #[test]
    fn every_project_day_with_a_bill_or_usage_is_listed() {
        let rows = [usage(P1, Some("key_a"), "gpt-4.1", 1_000, 0)];
        let costs = [bill(P2, "Vector storage", "0.10")];
        let lines = one_day(&rows, &costs);
        let projects: Vec<Option<&str>> =
            lines.iter().map(|l| l.at.project_id.as_deref()).collect();
        assert_eq!(projects, [Some(P1), Some(P2)]);
        assert_eq!(lines[1].difference_percent().unwrap(), "+100.00 %");
    }

    #[test]
    fn basis_points_round_half_away_from_zero() {
        assert_eq!(basis_points(UsdDelta(1), Usd(3)), Some(3_333));
        assert_eq!(basis_points(UsdDelta(-2), Usd(3)), Some(-6_667));
        assert_eq!(basis_points(UsdDelta(1), Usd(20_000)), Some(1), "0.5 up");
        assert_eq!(basis_points(UsdDelta(0), Usd(0)), None);
    }
}
