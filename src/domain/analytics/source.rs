//! Which rows a view adds up: hourly or daily buckets, never both.
//!
//! A sync stores daily buckets for the whole history and hourly buckets
//! for recent days, so the two widths repeat each other there. Daily
//! buckets are UTC days: in another zone only hourly buckets can be put
//! on local days. A view therefore uses hourly rows when they hold all
//! the usage of its span, and otherwise daily rows on UTC days, and then
//! says so, rather than passing UTC days off as local ones.

use super::grid::{DayGrid, Days};
use super::rows::Row;
use crate::domain::time::{day_start, DAY};
use crate::domain::usage::BucketWidth;
use crate::domain::zone::Zone;

/// The bucket width a view adds up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Hourly buckets, put on local days and hours.
    Hourly,
    /// Daily buckets, which are UTC days whatever the zone.
    UtcDays,
}

impl Resolution {
    /// The width of the rows used.
    pub fn width(self) -> BucketWidth {
        match self {
            Resolution::Hourly => BucketWidth::Hour,
            Resolution::UtcDays => BucketWidth::Day,
        }
    }
}

/// How far a scope's hourly rows reach back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Start of the UTC day of the earliest hourly bucket. A sync fetches
    /// whole UTC days of hourly buckets, so from here on they hold all
    /// the usage daily buckets hold.
    pub hourly_from: Option<i64>,
    /// Whether a daily bucket overlapping the span starts before that,
    /// so its usage is missing from the hourly rows.
    pub daily_beyond: bool,
    /// Whether any daily bucket overlaps the span.
    pub daily_in_span: bool,
    /// Whether any hourly bucket starts in the span.
    pub hourly_in_span: bool,
}

impl Coverage {
    /// Whether the hourly rows hold all the usage of the span.
    pub fn hourly_complete(&self) -> bool {
        !self.daily_beyond
    }
}

/// What the scope's buckets (already filtered), given as their width
/// and start, hold of `[from, to)`.
pub fn coverage(
    buckets: impl IntoIterator<Item = (BucketWidth, i64)>,
    from: i64,
    to: i64,
) -> Coverage {
    let [seen] = coverages(buckets, [(from, to)]);
    seen
}

/// What the buckets hold of each of several spans, in one pass over
/// them: a page shows views of several spans of the same rows.
pub fn coverages<const N: usize>(
    buckets: impl IntoIterator<Item = (BucketWidth, i64)>,
    spans: [(i64, i64); N],
) -> [Coverage; N] {
    let mut first_hour: Option<i64> = None;
    let mut first_daily_in_span: [Option<i64>; N] = [None; N];
    let mut hourly_in_span = [false; N];
    let earliest = |seen: Option<i64>, start: i64| {
        Some(seen.map_or(start, |s| s.min(start)))
    };
    let mut last = None;
    for (width, start) in buckets {
        // Rows of one bucket come together and say the same.
        if last == Some((width, start)) {
            continue;
        }
        last = Some((width, start));
        match width {
            BucketWidth::Hour => {
                first_hour = earliest(first_hour, start);
                for (i, (from, to)) in spans.iter().enumerate() {
                    hourly_in_span[i] |= *from <= start && start < *to;
                }
            }
            BucketWidth::Day => {
                for (i, (from, to)) in spans.iter().enumerate() {
                    if start < *to && start + DAY > *from {
                        first_daily_in_span[i] =
                            earliest(first_daily_in_span[i], start);
                    }
                }
            }
            BucketWidth::Minute => {}
        }
    }
    let hourly_from = first_hour.map(day_start);
    std::array::from_fn(|i| Coverage {
        hourly_from,
        daily_beyond: first_daily_in_span[i]
            .is_some_and(|d| hourly_from.is_none_or(|h| d < h)),
        daily_in_span: first_daily_in_span[i].is_some(),
        hourly_in_span: hourly_in_span[i],
    })
}

/// The width and start of each of `rows`, for `coverage`.
pub fn buckets<'r>(
    rows: &'r [Row],
) -> impl Iterator<Item = (BucketWidth, i64)> + 'r {
    rows.iter().map(|row| (row.width(), row.start()))
}

/// The width to add up for `[from, to)` shown in `zone`. In UTC, daily
/// rows give the same days with a 24th of the rows; elsewhere hourly
/// rows are used whenever they hold all the usage of the span.
pub fn resolution(coverage: &Coverage, zone: &Zone) -> Resolution {
    let hourly = if zone.is_utc() {
        coverage.hourly_in_span && !coverage.daily_in_span
    } else {
        coverage.hourly_complete()
    };
    if hourly {
        Resolution::Hourly
    } else {
        Resolution::UtcDays
    }
}

/// The rows and days of one view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    resolution: Resolution,
    grid: DayGrid,
    days_are_utc: bool,
}

impl Source {
    /// The source for `days` in `zone`, chosen from the scope's
    /// (filtered) `rows`.
    pub fn choose(rows: &[Row], zone: &Zone, days: Days) -> Source {
        let (from, to) = DayGrid::new(zone, days).span();
        let seen = coverage(buckets(rows), from, to);
        Source::covering(&seen, zone, days)
    }

    /// The source for `days` in `zone` of a scope whose buckets hold
    /// `seen` of the days' span.
    pub fn covering(seen: &Coverage, zone: &Zone, days: Days) -> Source {
        Source::with(resolution(seen, zone), zone, days)
    }

    /// The source of `resolution`: local days for hourly rows; for daily
    /// rows, the days as UTC counts them (see `Days::on_utc_days`).
    pub fn with(resolution: Resolution, zone: &Zone, days: Days) -> Source {
        let grid = match resolution {
            Resolution::Hourly => DayGrid::new(zone, days),
            Resolution::UtcDays => {
                DayGrid::new(&Zone::utc(), days.on_utc_days())
            }
        };
        Source {
            resolution,
            grid,
            days_are_utc: resolution == Resolution::UtcDays && !zone.is_utc(),
        }
    }

    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// The days, with the UTC bounds each has in this source.
    pub fn grid(&self) -> &DayGrid {
        &self.grid
    }

    /// Whether the days are UTC days although the zone is another: the
    /// view must say so.
    pub fn days_are_utc(&self) -> bool {
        self.days_are_utc
    }

    /// The day `row` counts toward, the one its bucket starts in, or
    /// `None` when the view does not use it. Each bucket counts once.
    #[inline]
    pub fn place(&self, row: &Row) -> Option<usize> {
        if row.width() != self.resolution.width() {
            return None;
        }
        self.grid.index(row.start())
    }
}

/// `Source::place` for rows as storage keeps them, where the rows of a
/// bucket come one after the other: the day of a bucket is worked out
/// once for all of its rows.
#[derive(Clone, Debug)]
pub struct Placer<'s> {
    source: &'s Source,
    /// The last bucket placed and its day.
    last: Option<(BucketWidth, i64, Option<usize>)>,
}

impl<'s> Placer<'s> {
    pub fn new(source: &'s Source) -> Self {
        Placer { source, last: None }
    }

    pub fn source(&self) -> &'s Source {
        self.source
    }

    /// What `Source::place` gives for `row`.
    #[inline]
    pub fn place(&mut self, row: &Row) -> Option<usize> {
        match self.last {
            Some((width, start, day))
                if width == row.width() && start == row.start() =>
            {
                day
            }
            _ => {
                let day = self.source.place(row);
                self.last = Some((row.width(), row.start(), day));
                day
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{
        daily, every_hour, priced, utc, HOUR,
    };
    use crate::domain::time::Date;
    use crate::domain::usage::UsageRecord;
    use crate::domain::zone::samples::{berlin, kolkata, los_angeles};

    fn week() -> Days {
        Days::ending(Date::new(2026, 3, 10), 7)
    }

    /// Daily rows for March 2026 and hourly rows from March 5 on.
    fn synced() -> Vec<UsageRecord> {
        let first = Date::new(2026, 3, 1).to_unix();
        let mut rows: Vec<_> =
            (0..10).map(|d| daily(first + d * DAY, 24)).collect();
        rows.extend(every_hour(first + 4 * DAY, first + 10 * DAY, 1));
        rows
    }

    #[test]
    fn only_daily_rows_in_another_zone_give_days_that_say_they_are_utc() {
        let rows: Vec<_> = synced()
            .into_iter()
            .filter(|r| r.width == BucketWidth::Day)
            .collect();
        let source = Source::choose(&priced(&rows), &berlin(), week());
        assert_eq!(source.resolution(), Resolution::UtcDays);
        assert!(source.days_are_utc());
        assert_eq!(source.grid().span().0, Date::new(2026, 3, 4).to_unix());
    }

    #[test]
    fn days_counted_from_today_fall_back_to_the_utc_days_of_the_same_instant() {
        let rows: Vec<_> = synced()
            .into_iter()
            .filter(|r| r.width == BucketWidth::Day)
            .collect();
        let rows = priced(&rows);
        let last_week = |today: Date| Days::ending(today, 7);
        // 18:00 on the 9th in Los Angeles is already 02:00 on the 10th in
        // UTC: the UTC day under way, and its usage, belong to the week.
        let now = utc(Date::new(2026, 3, 10), 2);
        let days = Days::from_today(&los_angeles(), now, last_week);
        assert_eq!(days.last, Date::new(2026, 3, 9));
        let source = Source::choose(&rows, &los_angeles(), days);
        assert!(source.days_are_utc());
        assert_eq!(
            source.grid().days(),
            Days::ending(Date::new(2026, 3, 10), 7)
        );
        let today = rows.iter().find(|r| r.start() == day_start(now));
        assert_eq!(source.place(today.unwrap()), Some(6));
        // 03:00 on the 10th in India is 21:30 on the 9th in UTC: the 10th
        // has not begun as a UTC day, and the week ends on the 9th.
        let now = utc(Date::new(2026, 3, 9), 21) + 1_800;
        let days = Days::from_today(&kolkata(), now, last_week);
        assert_eq!(days.last, Date::new(2026, 3, 10));
        let source = Source::choose(&rows, &kolkata(), days);
        assert_eq!(
            source.grid().days(),
            Days::ending(Date::new(2026, 3, 9), 7)
        );
        // Fixed dates stay the same dates.
        let fixed = Days::new(Date::new(2026, 3, 2), Date::new(2026, 3, 8));
        let source = Source::choose(&rows, &kolkata(), fixed);
        assert_eq!(source.grid().days(), fixed);
    }

    #[test]
    fn in_utc_daily_rows_are_used_and_are_simply_the_days() {
        let source = Source::choose(&priced(&synced()), &Zone::utc(), week());
        assert_eq!(source.resolution(), Resolution::UtcDays);
        assert!(!source.days_are_utc());
    }

    #[test]
    fn hourly_rows_are_used_where_they_hold_every_day_of_the_span() {
        let records = synced();
        let rows = priced(&records);
        let recent = Days::ending(Date::new(2026, 3, 10), 5);
        let source = Source::choose(&rows, &kolkata(), recent);
        assert_eq!(source.resolution(), Resolution::Hourly);
        assert!(!source.days_are_utc());
        // A week reaches back before the hourly rows: daily it is.
        let source = Source::choose(&rows, &kolkata(), week());
        assert_eq!(source.resolution(), Resolution::UtcDays);
    }

    #[test]
    fn a_scope_whose_usage_starts_mid_day_inside_the_hourly_days_is_hourly() {
        let start = utc(Date::new(2026, 3, 8), 10);
        let mut rows = vec![daily(Date::new(2026, 3, 8).to_unix(), 5)];
        rows.extend(every_hour(start, start + 5 * HOUR, 1));
        let source = Source::choose(&priced(&rows), &los_angeles(), week());
        assert_eq!(source.resolution(), Resolution::Hourly);
    }

    #[test]
    fn spans_seen_together_are_seen_as_each_alone() {
        let records = synced();
        let rows = priced(&records);
        let day = |d: u32| Date::new(2026, 3, d).to_unix();
        let spans = [
            (day(1), day(11)),
            (day(6), day(8)),
            (day(9) + 7 * HOUR, day(9) + 9 * HOUR),
            (day(20), day(21)),
        ];
        let together = coverages(buckets(&rows), spans);
        for (span, seen) in spans.iter().zip(together) {
            assert_eq!(seen, coverage(buckets(&rows), span.0, span.1));
        }
    }

    #[test]
    fn a_placer_places_every_row_as_its_source_does() {
        let mut records = synced();
        records.reverse();
        let rows = priced(&records);
        for zone in [Zone::utc(), kolkata(), berlin()] {
            let source = Source::choose(&rows, &zone, week());
            let mut placer = Placer::new(&source);
            for row in &rows {
                assert_eq!(placer.place(row), source.place(row));
            }
        }
    }

    #[test]
    fn each_bucket_is_placed_once_on_the_day_it_starts_in() {
        let records = synced();
        let rows = priced(&records);
        let source = Source::choose(&rows, &Zone::utc(), week());
        let placed = rows.iter().filter(|r| source.place(r).is_some());
        assert_eq!(placed.count(), 7);
    }
}
