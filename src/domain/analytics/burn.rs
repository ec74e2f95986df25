//! Burn rate: how fast a scope uses tokens and money right now.
//!
//! The rate is the usage of the hourly buckets in a recent window (the
//! last hour, the last 24 hours) divided by the time that usage was
//! observed over: the window, or less when the scope's first usage is
//! more recent. A key first seen five minutes ago with 1,000 tokens burns
//! 200 a minute, not 17. Daily buckets are too coarse for this and are
//! used only to tell when the scope was first seen.

use super::rows::Row;
use super::tally::Tally;
use crate::domain::money::Usd;
use crate::domain::time::day_start;
use crate::domain::usage::BucketWidth;

/// The last hour, in seconds.
pub const LAST_HOUR: i64 = 3_600;
/// The last 24 hours, in seconds.
pub const LAST_DAY: i64 = 86_400;

/// A span shorter than this counts as this long, so one fresh bucket
/// never divides by (almost) zero.
const MIN_SPAN: i64 = 60;

/// Usage over a recent window and the time it was observed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burn {
    /// The window asked for, seconds.
    pub window: i64,
    /// Start of the observed span: the window's first bucket, or the
    /// scope's first usage when later.
    pub since: i64,
    /// Seconds from `since` to now, at least a minute.
    pub span: i64,
    /// Usage of the hourly buckets starting in the window.
    pub tally: Tally,
}

impl Burn {
    /// The burn of `tally`, the usage of the hourly rows `in_window`.
    pub fn new(
        tally: Tally,
        first_seen: Option<i64>,
        now: i64,
        window: i64,
    ) -> Burn {
        let start = window_start(now, window);
        let since = first_seen.map_or(start, |seen| seen.max(start));
        Burn {
            window,
            since,
            span: (now - since).max(MIN_SPAN),
            tally,
        }
    }

    /// Tokens a minute; never negative.
    pub fn tokens_per_minute(&self) -> f64 {
        self.tally.tokens as f64 * 60.0 / self.span as f64
    }

    /// Requests a minute.
    pub fn requests_per_minute(&self) -> f64 {
        self.tally.requests as f64 * 60.0 / self.span as f64
    }

    /// Estimated dollars an hour, exact to the picodollar below. Falls
    /// short when `tally` has unpriced usage.
    pub fn cost_per_hour(&self) -> Usd {
        Usd(self.tally.cost.0 * 3_600 / self.span as u128)
    }
}

/// When a scope's usage was first seen: the earliest bucket start of its
/// rows, of any width. An hourly start is preferred to the midnight of
/// its own day's daily bucket, which says less about when usage began.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FirstSeen {
    fine: Option<i64>,
    daily: Option<i64>,
}

impl FirstSeen {
    /// Takes one more bucket of the scope into account.
    #[inline(always)]
    pub fn add(&mut self, width: BucketWidth, start: i64) {
        let earliest = match width {
            BucketWidth::Day => &mut self.daily,
            BucketWidth::Hour | BucketWidth::Minute => &mut self.fine,
        };
        *earliest = Some(earliest.map_or(start, |e| e.min(start)));
    }

    /// Takes the buckets of another part of the scope into account.
    pub fn merge(&mut self, other: &FirstSeen) {
        let earliest = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.fine = earliest(self.fine, other.fine);
        self.daily = earliest(self.daily, other.daily);
    }

    /// The instant, `None` for a scope without rows.
    pub fn at(&self) -> Option<i64> {
        match (self.fine, self.daily) {
            (Some(fine), Some(daily)) if daily < day_start(fine) => Some(daily),
            (Some(fine), _) => Some(fine),
            (None, daily) => daily,
        }
    }
}

/// When the scope of `rows` was first seen (see `FirstSeen`).
pub fn first_seen(rows: &[Row]) -> Option<i64> {
    let mut seen = FirstSeen::default();
    for row in rows {
        seen.add(row.width(), row.start());
    }
    seen.at()
}

/// The burn of the scope's `rows` (all of them: they also tell when the
/// scope was first seen) over the `window` seconds before `now`.
pub fn burn(rows: &[Row], now: i64, window: i64) -> Burn {
    let seen = first_seen(rows);
    burn_since(rows, seen, now, window)
}

/// The burn of `rows` when the scope's first usage, `first_seen`, is
/// already known, so `rows` need only hold the window.
pub fn burn_since(
    rows: &[Row],
    first_seen: Option<i64>,
    now: i64,
    window: i64,
) -> Burn {
    let hours = Window::new(now, window);
    let mut tally = Tally::default();
    for row in rows {
        if hours.holds(row) {
            tally.add(row);
        }
    }
    Burn::new(tally, first_seen, now, window)
}

/// Whether `row` is an hourly bucket of the `window` seconds before
/// `now`.
pub fn in_window(row: &Row, now: i64, window: i64) -> bool {
    Window::new(now, window).holds(row)
}

/// The hourly buckets of a window, by the bounds of their starts: worked
/// out once for a million rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    from: i64,
    to: i64,
}

impl Window {
    /// The window of `window` seconds before `now`.
    pub fn new(now: i64, window: i64) -> Window {
        Window {
            from: window_start(now, window),
            to: now,
        }
    }

    /// Where the window starts.
    pub fn start(&self) -> i64 {
        self.from
    }

    /// Whether `row` is an hourly bucket of the window.
    #[inline]
    pub fn holds(&self, row: &Row) -> bool {
        self.holds_bucket(row.width(), row.start())
    }

    /// Whether the bucket of `width` starting at `start` is an hourly
    /// bucket of the window.
    #[inline]
    pub fn holds_bucket(&self, width: BucketWidth, start: i64) -> bool {
        width == BucketWidth::Hour && self.from <= start && start < self.to
    }
}

/// The start of the window of `window` seconds before `now`, widened to
/// the start of the bucket it begins in, so that the span divided by is
/// the span the counted buckets cover.
pub fn window_start(now: i64, window: i64) -> i64 {
    let start = now - window.max(0);
    start - start.rem_euclid(LAST_HOUR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{
        daily, hourly, priced, utc, HOUR,
    };
    use crate::domain::time::Date;

    fn at() -> i64 {
        utc(Date::new(2026, 4, 2), 14)
    }

    #[test]
    fn a_key_first_seen_five_minutes_ago_burns_over_five_minutes() {
        let now = at() + 300;
        let records = [hourly(at(), 1_000)];
        for window in [LAST_HOUR, LAST_DAY] {
            let rate = burn(&priced(&records), now, window);
            assert_eq!(rate.span, 300);
            assert_eq!(rate.tokens_per_minute(), 200.0);
        }
    }

    #[test]
    fn a_long_seen_key_burns_over_the_whole_window() {
        let now = at();
        let records = [daily(at() - 9 * LAST_DAY, 5), hourly(now - HOUR, 600)];
        let rate = burn(&priced(&records), now, LAST_HOUR);
        assert_eq!(rate.span, HOUR);
        assert_eq!(rate.tokens_per_minute(), 10.0);
        assert_eq!(rate.tally.tokens, 600, "daily rows are not counted");
    }

    #[test]
    fn falling_request_sizes_never_give_a_negative_rate() {
        let now = at();
        let records: Vec<_> = (0..24)
            .map(|h| hourly(now - (24 - h) * HOUR, 10_000 - h as u64 * 400))
            .collect();
        for window in [LAST_HOUR, LAST_DAY] {
            let rate = burn(&priced(&records), now, window);
            assert!(rate.tokens_per_minute() > 0.0);
            assert!(rate.cost_per_hour() > Usd::ZERO);
        }
        let idle = burn(&[], now, LAST_HOUR);
        assert_eq!(idle.tokens_per_minute(), 0.0);
    }

    #[test]
    fn usage_seen_in_the_current_second_divides_by_a_minute() {
        let now = at();
        let records = [hourly(now, 120)];
        let rate = burn(&priced(&records), now + 1, LAST_HOUR);
        assert_eq!(rate.span, 60);
        assert_eq!(rate.tokens_per_minute(), 120.0);
    }

    #[test]
    fn a_window_starting_mid_bucket_reaches_back_to_its_start() {
        let now = at() + 30 * 60;
        let records = [daily(at() - 5 * LAST_DAY, 5), hourly(at() - HOUR, 900)];
        let rate = burn(&priced(&records), now, LAST_HOUR);
        assert_eq!(rate.span, 90 * 60);
        assert_eq!(rate.tokens_per_minute(), 10.0);
    }

    #[test]
    fn dollars_an_hour_stay_exact() {
        // gpt-4o-mini input is $0.15 a million tokens.
        let now = at();
        let records = [hourly(now - HOUR, 2_000_000)];
        let rate = burn(&priced(&records), now, LAST_HOUR);
        assert_eq!(rate.cost_per_hour().to_fixed(6), "0.300000");
    }

    #[test]
    fn first_seen_of_parts_merged_is_first_seen_of_the_whole() {
        let day = Date::new(2026, 4, 2).to_unix();
        let records = [
            hourly(day + 10 * HOUR, 1),
            daily(day, 1),
            hourly(day + 3 * HOUR, 1),
            daily(day - LAST_DAY, 1),
        ];
        let rows = priced(&records);
        for split in 0..=rows.len() {
            let mut parts = [FirstSeen::default(), FirstSeen::default()];
            for (i, row) in rows.iter().enumerate() {
                parts[usize::from(i >= split)].add(row.width(), row.start());
            }
            let [mut first, second] = parts;
            first.merge(&second);
            assert_eq!(first.at(), first_seen(&rows), "{split}");
        }
    }

    #[test]
    fn first_seen_prefers_the_hour_to_the_midnight_of_its_own_day() {
        let day = Date::new(2026, 4, 2).to_unix();
        let hour = hourly(day + 10 * HOUR, 1);
        let same_day = [daily(day, 1), hour.clone()];
        assert_eq!(first_seen(&priced(&same_day)), Some(day + 10 * HOUR));
        let day_before = [daily(day - LAST_DAY, 1), hour];
        assert_eq!(first_seen(&priced(&day_before)), Some(day - LAST_DAY));
        assert_eq!(first_seen(&[]), None);
    }
}
