//! The overview before the whole history is loaded.
//!
//! Opening the app shows the Overview page, which adds up one range of
//! days: by default the last 30 of a stored history that can span years.
//! The page is first made from just the rows that range needs, read from
//! storage ahead of the rest, and made again once everything is loaded.
//! Both must show the same figures, so which rows are needed is decided
//! here, beside the rules of `overview_page` that it follows:
//!
//! - Daily rows from the UTC day the range starts on, or from its first
//!   date taken as a UTC day when that comes earlier: every daily bucket
//!   that overlaps the range in its zone, and every UTC day of its dates
//!   (usage by kind, billed costs).
//! - Hourly rows, all of them, unless the zone is UTC and daily rows
//!   cover the range, when the page adds up daily rows only. Outside UTC
//!   the page counts local days from hourly rows when these reach back
//!   far enough, which the earliest of them tells; they span a few weeks
//!   at most, so reading them all costs little.
//! - No minute rows: the page never adds them up.
//!
//! The burn rate of the last 24 hours is left out of the first showing:
//! whether a key was first used within that day can depend on rows from
//! any time before it.

use super::analytics::grid::{DayGrid, Days};
use super::analytics::Inputs;
use super::overview::{overview_page, OverviewPage, Totals};
use super::time::{day_start, DAY};
use super::usage::{BucketWidth, UsageRecord};
use super::zone::Zone;

/// The rows the overview of some days needs before the rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    /// The zone's name and the days the preview was made for.
    zone: String,
    days: Days,
    /// The earliest daily bucket start needed.
    daily_from: i64,
    /// `[from, to)` of the local days.
    span: (i64, i64),
    utc: bool,
}

impl Preview {
    pub fn new(zone: &Zone, days: Days) -> Preview {
        let span = DayGrid::new(zone, days).span();
        let utc_first = days.utc_bounds().0;
        Preview {
            zone: zone.name().to_owned(),
            days,
            daily_from: day_start(span.0.min(utc_first)),
            span,
            utc: zone.is_utc(),
        }
    }

    /// The earliest start of the daily buckets to read.
    pub fn daily_from(&self) -> i64 {
        self.daily_from
    }

    /// Whether the hourly rows are needed too, once the daily rows from
    /// `daily_from` are known.
    pub fn needs_hourly(&self, daily: &[UsageRecord]) -> bool {
        let (from, to) = self.span;
        !self.utc
            || !daily.iter().any(|r| {
                r.width == BucketWidth::Day
                    && r.start_time < to
                    && r.start_time + DAY > from
            })
    }

    /// Whether rows read for this preview serve the overview of `days`
    /// in `zone`.
    pub fn serves(&self, zone: &Zone, days: Days) -> bool {
        self.zone == zone.name() && self.days == days
    }

    /// Of every stored row, those the preview reads: what storage reads
    /// by key ranges, said over rows in memory.
    pub fn rows_of(&self, all: &[UsageRecord]) -> Vec<UsageRecord> {
        let daily: Vec<UsageRecord> = all
            .iter()
            .filter(|r| {
                r.width == BucketWidth::Day && r.start_time >= self.daily_from
            })
            .cloned()
            .collect();
        let hourly = self.needs_hourly(&daily);
        let mut rows = daily;
        if hourly {
            rows.extend(
                all.iter().filter(|r| r.width == BucketWidth::Hour).cloned(),
            );
        }
        rows
    }
}

/// The Overview page of the preview's rows in `inputs`: the page of all
/// rows but for the burn rates, which wait for the rest.
pub fn preview_page(
    inputs: &Inputs,
    zone: &Zone,
    days: Days,
    now: i64,
) -> OverviewPage {
    let mut page = overview_page(inputs, zone, days, now);
    let table = &mut page.table;
    let lines = table.rows.iter_mut().map(|row| &mut row.totals);
    let rest = [&mut table.total, &mut table.untracked];
    for totals in lines.chain(rest).chain(table.unattributed.as_mut()) {
        forget_burn(totals);
    }
    page
}

fn forget_burn(totals: &mut Totals) {
    totals.burn = None;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo::{demo_org, stored_usage};
    use crate::domain::overview::counted_rows;
    use crate::domain::price::built_in_table;
    use crate::domain::range::RangeChoice;
    use crate::domain::time::Date;
    use crate::domain::usage::UsageKind;
    use crate::domain::zone::Transition;

    fn page_of(
        org: &crate::domain::demo::DemoOrg,
        usage: &[UsageRecord],
        zone: &Zone,
        days: Days,
        now: i64,
    ) -> OverviewPage {
        let inputs = Inputs {
            records: usage,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices: built_in_table(),
        };
        preview_page(&inputs, zone, days, now)
    }

    fn zones() -> Vec<Zone> {
        // Clocks go forward an hour on 2026-03-08 at 10:00 UTC.
        let dst = Zone::with_transitions(
            "America/Los_Angeles",
            -8 * 3600,
            vec![Transition {
                at: Date::new(2026, 3, 8).to_unix() + 10 * 3600,
                offset: -7 * 3600,
            }],
        );
        vec![
            Zone::utc(),
            Zone::fixed("Asia/Kolkata", 19_800),
            Zone::fixed("Pacific/Kiritimati", 14 * 3600),
            dst,
        ]
    }

    #[test]
    fn the_preview_rows_give_the_page_all_rows_give() {
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 120);
        let now = last.to_unix() + 20 * 3600;
        let all = stored_usage(&org, now);
        for zone in zones() {
            let today = zone.date(now);
            for count in [1, 7, 30, 45, 90, 200] {
                let days = RangeChoice::Days(count).days(&zone, now);
                let preview = Preview::new(&zone, days);
                let rows = preview.rows_of(&all);
                // Of a range shorter than the history, some rows wait.
                if days.first > today.add_days(-100) {
                    assert!(rows.len() < all.len(), "{}", zone.name());
                }
                let first = page_of(&org, &rows, &zone, days, now);
                let whole = page_of(&org, &all, &zone, days, now);
                assert_eq!(first, whole, "{} {days:?}", zone.name());
                assert!(!first.table.rows.is_empty());
                // The rows the usage download lists are the same too.
                let listed = |rows| {
                    let (mut rows, _) = counted_rows(rows, &zone, days);
                    rows.sort_by_key(|r| r.natural_key());
                    rows.into_iter().cloned().collect::<Vec<_>>()
                };
                assert_eq!(listed(&rows), listed(&all));
            }
            // A range that ended weeks ago is made of old daily rows.
            let days = Days::new(today.add_days(-70), today.add_days(-40));
            let preview = Preview::new(&zone, days);
            let first = page_of(&org, &preview.rows_of(&all), &zone, days, now);
            assert_eq!(first, page_of(&org, &all, &zone, days, now));
        }
    }

    #[test]
    fn hourly_rows_are_left_out_in_utc_only_while_daily_rows_cover_the_range() {
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 60);
        let now = last.to_unix() + 20 * 3600;
        let all = stored_usage(&org, now);
        let days = Days::ending(last, 7);
        let hourly = |rows: &[UsageRecord]| {
            rows.iter().filter(|r| r.width == BucketWidth::Hour).count()
        };

        let utc = Preview::new(&Zone::utc(), days);
        assert_eq!(hourly(&utc.rows_of(&all)), 0);
        let india = Zone::fixed("Asia/Kolkata", 19_800);
        let local = Preview::new(&india, days);
        assert_eq!(hourly(&local.rows_of(&all)), hourly(&all));

        // Synced hourly only: the UTC page adds up hours, so it needs them.
        let hours: Vec<UsageRecord> = all
            .iter()
            .filter(|r| r.width == BucketWidth::Hour)
            .cloned()
            .collect();
        let rows = utc.rows_of(&hours);
        assert_eq!(rows.len(), hours.len());
        let zone = Zone::utc();
        assert_eq!(
            page_of(&org, &rows, &zone, days, now),
            page_of(&org, &hours, &zone, days, now)
        );
    }

    #[test]
    fn outside_utc_the_earliest_hour_decides_local_days_as_with_all_rows() {
        // Hourly rows that stop a week before the range: a preview that
        // read only recent hours would take them to reach back far
        // enough and count local days where the whole history counts
        // UTC days.
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 90);
        let now = last.to_unix() + 20 * 3600;
        let zone = Zone::fixed("Asia/Kolkata", 19_800);
        let days = Days::ending(zone.date(now), 10);
        let gap = (days.first.to_unix() - 7 * DAY, days.first.to_unix());
        let all: Vec<UsageRecord> = stored_usage(&org, now)
            .into_iter()
            .filter(|r| {
                r.width == BucketWidth::Day
                    || r.start_time < gap.0 - 3 * DAY
                    || r.start_time >= gap.1 + DAY
            })
            .collect();
        let preview = Preview::new(&zone, days);
        let first = page_of(&org, &preview.rows_of(&all), &zone, days, now);
        let whole = page_of(&org, &all, &zone, days, now);
        assert_eq!(first, whole);
    }

    #[test]
    fn east_of_utc_the_daily_bucket_of_the_day_before_is_read() {
        // The first local day starts at 18:30 UTC the day before, inside
        // that day's daily bucket, and hourly rows begin at the first
        // date's UTC midnight: the earlier daily bucket shows the hours
        // do not reach back far enough, so the page counts UTC days.
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 90);
        let now = last.to_unix() + 20 * 3600;
        let zone = Zone::fixed("Asia/Kolkata", 19_800);
        let days = Days::ending(zone.date(now), 10);
        let all: Vec<UsageRecord> = stored_usage(&org, now)
            .into_iter()
            .filter(|r| {
                r.width == BucketWidth::Day
                    || r.start_time >= days.first.to_unix()
            })
            .collect();
        let whole = page_of(&org, &all, &zone, days, now);
        assert!(whole.utc_days);
        let preview = Preview::new(&zone, days);
        let first = page_of(&org, &preview.rows_of(&all), &zone, days, now);
        assert_eq!(first, whole);
    }

    #[test]
    fn minute_rows_are_never_read_and_burn_rates_wait() {
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 10);
        let now = last.to_unix() + 20 * 3600;
        let mut all = stored_usage(&org, now);
        let mut minute = all[all.len() - 1].clone();
        minute.width = BucketWidth::Minute;
        minute.kind = UsageKind::Completions;
        all.push(minute);
        let zone = Zone::fixed("Asia/Kolkata", 19_800);
        let days = Days::ending(zone.date(now), 3);
        let rows = Preview::new(&zone, days).rows_of(&all);
        assert!(rows.iter().all(|r| r.width != BucketWidth::Minute));

        let page = page_of(&org, &rows, &zone, days, now);
        assert!(page.table.total.burn.is_none());
        assert!(page.table.rows.iter().all(|r| r.totals.burn.is_none()));
        let inputs = Inputs {
            records: &all,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices: built_in_table(),
        };
        let whole = overview_page(&inputs, &zone, days, now);
        assert!(whole.table.total.burn.is_some(), "the full page has one");
    }

    #[test]
    fn a_preview_serves_only_its_own_days_and_zone() {
        let days = Days::ending(Date::new(2026, 3, 31), 30);
        let preview = Preview::new(&Zone::utc(), days);
        assert!(preview.serves(&Zone::utc(), days));
        assert!(!preview.serves(&Zone::utc(), Days::ending(days.last, 7)));
        let india = Zone::fixed("Asia/Kolkata", 19_800);
        assert!(!preview.serves(&india, days));
    }
}
