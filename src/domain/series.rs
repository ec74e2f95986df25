//! Time series for charts: one point per UTC day, empty days included, so
//! a chart never hides a day without usage.

use super::money::Usd;
use super::price::{built_in_table, PriceTable};
use super::time::{day_start, DAY};
use super::usage::{BucketWidth, UsageRecord};

/// The usage of one UTC day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayPoint {
    /// Start of the day, unix seconds.
    pub day: i64,
    pub tokens: u64,
    pub cost: Usd,
    pub unpriced_tokens: u64,
}

/// Daily totals over `[from, to)` at the built-in prices.
pub fn daily(records: &[UsageRecord], from: i64, to: i64) -> Vec<DayPoint> {
    daily_with_prices(built_in_table(), records, from, to)
}

/// Daily totals over `[from, to)`, which should start on UTC midnights,
/// estimated with `prices`. Each row counts once, toward the day its
/// bucket starts in.
pub fn daily_with_prices(
    prices: &PriceTable,
    records: &[UsageRecord],
    from: i64,
    to: i64,
) -> Vec<DayPoint> {
    let first = day_start(from);
    let days = ((to - first).max(0) + DAY - 1) / DAY;
    let mut points: Vec<DayPoint> = (0..days)
        .map(|i| DayPoint {
            day: first + i * DAY,
            ..DayPoint::default()
        })
        .collect();
    for record in records {
        // Daily rows cover every day; hourly rows repeat recent ones.
        if record.width != BucketWidth::Day
            || record.start_time < from
            || record.start_time >= to
        {
            continue;
        }
        let point = &mut points[((record.start_time - first) / DAY) as usize];
        let tokens = record.counts.total_tokens();
        point.tokens += tokens;
        match prices.estimate(record) {
            Some(cost) => point.cost += cost,
            None => point.unpriced_tokens += tokens,
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::demo_org;
    use crate::domain::time::Date;

    #[test]
    fn every_day_of_the_range_has_a_point_and_every_row_counts_once() {
        let last = Date {
            year: 2026,
            month: 2,
            day: 28,
        };
        let org = demo_org("c", last, 10);
        let to = last.to_unix() + DAY;
        let from = to - 14 * DAY;

        let points = daily(&org.usage, from, to);

        assert_eq!(points.len(), 14);
        assert!(points[..4].iter().all(|p| p.tokens == 0));
        let total: u64 = points.iter().map(|p| p.tokens).sum();
        let expected: u64 =
            org.usage.iter().map(|r| r.counts.total_tokens()).sum();
        assert_eq!(total, expected);
    }
}
