//! The days of a view and where each bucket falls among them.

use crate::domain::time::{Date, DAY};
use crate::domain::zone::Zone;

/// Local dates from `first` to `last`, both included.
///
/// Days counted from today, such as the last 30 days, are other dates on
/// UTC days when today's date in the zone is not today's date in UTC.
/// A view that can only add up UTC days (daily buckets) then shows the
/// range as UTC counts it at the same instant, which `on_utc_days` gives:
/// the same dates taken as UTC days would leave out the UTC day under way
/// west of UTC, and show one not yet begun east of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Days {
    pub first: Date,
    pub last: Date,
    /// `first` and `last` of the range resolved on UTC days, where they
    /// differ from the local ones.
    utc: Option<(Date, Date)>,
}

impl Days {
    /// The dates between `a` and `b`, in whichever order they come: fixed
    /// dates, the same whichever days count them.
    pub fn new(a: Date, b: Date) -> Days {
        Days {
            first: a.min(b),
            last: a.max(b),
            utc: None,
        }
    }

    /// The days `of_today` gives for today's date, in `zone` at `now`,
    /// and, for views of UTC days, for today's date in UTC.
    pub fn from_today(
        zone: &Zone,
        now: i64,
        of_today: impl Fn(Date) -> Days,
    ) -> Days {
        let local = of_today(zone.date(now));
        let utc = of_today(Date::from_unix(now));
        let differs = (utc.first, utc.last) != (local.first, local.last);
        Days {
            utc: differs.then_some((utc.first, utc.last)),
            ..local
        }
    }

    /// The days as UTC days count them: the range resolved in UTC when it
    /// is counted from today, else the same dates.
    pub fn on_utc_days(&self) -> Days {
        match self.utc {
            Some((first, last)) => Days::new(first, last),
            None => Days::new(self.first, self.last),
        }
    }

    /// The `count` days ending with `last` (at least one).
    pub fn ending(last: Date, count: u32) -> Days {
        let back = i64::from(count.max(1)) - 1;
        Days::new(last.add_days(-back), last)
    }

    /// `[start, end)` in UTC seconds of the days as UTC days count them:
    /// the bounds for data kept per UTC day, such as billed costs.
    pub fn utc_bounds(&self) -> (i64, i64) {
        let days = self.on_utc_days();
        (days.first.to_unix(), days.last.add_days(1).to_unix())
    }

    /// How many dates there are.
    pub fn len(&self) -> usize {
        (self.first.days_until(self.last) + 1) as usize
    }

    /// Always false: a range holds at least one date.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The dates in order.
    pub fn dates(&self) -> impl Iterator<Item = Date> {
        let first = self.first;
        (0..self.len() as i64).map(move |i| first.add_days(i))
    }

    /// These days, ending no later than `last`; `None` when all of them
    /// come after it.
    pub fn until(&self, last: Date) -> Option<Days> {
        (last >= self.first).then(|| Days::new(self.first, self.last.min(last)))
    }
}

/// The UTC bounds of each day of a range in one zone, so that a bucket's
/// start finds its day by bisection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayGrid {
    days: Days,
    /// The start of each day and, last, the end of the range.
    bounds: Vec<i64>,
    /// Whether every day lasts 24 hours, so that an instant's day is a
    /// division away: true wherever the clocks do not change.
    even: bool,
}

impl DayGrid {
    /// The days of `days` as `zone` counts them: 23 or 25 hours long on
    /// the days its clocks change.
    pub fn new(zone: &Zone, days: Days) -> DayGrid {
        let bounds: Vec<i64> = days
            .dates()
            .chain(std::iter::once(days.last.add_days(1)))
            .map(|date| zone.day_start(date))
            .collect();
        let even = bounds.windows(2).all(|w| w[1] - w[0] == DAY);
        DayGrid { days, bounds, even }
    }

    pub fn days(&self) -> Days {
        self.days
    }

    /// How many days there are.
    pub fn len(&self) -> usize {
        self.bounds.len() - 1
    }

    /// Always false: a grid holds at least one day.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// `[start, end)` of the whole range, UTC seconds.
    #[inline]
    pub fn span(&self) -> (i64, i64) {
        (self.bounds[0], self.bounds[self.len()])
    }

    /// `[start, end)` of the day at `index`.
    pub fn bounds(&self, index: usize) -> Option<(i64, i64)> {
        Some((*self.bounds.get(index)?, *self.bounds.get(index + 1)?))
    }

    /// The date of the day at `index`.
    pub fn date(&self, index: usize) -> Date {
        self.days.first.add_days(index as i64)
    }

    /// The day holding the instant `utc`, if the range does.
    #[inline]
    pub fn index(&self, utc: i64) -> Option<usize> {
        let (start, end) = self.span();
        if utc < start || utc >= end {
            return None;
        }
        if self.even {
            return Some(((utc - start) / DAY) as usize);
        }
        Some(self.bounds.partition_point(|&b| b <= utc) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{utc, HOUR};
    use crate::domain::zone::samples::{berlin, kolkata};

    #[test]
    fn instants_find_the_local_day_that_holds_them() {
        let days = Days::new(Date::new(2026, 3, 11), Date::new(2026, 3, 9));
        let grid = DayGrid::new(&kolkata(), days);
        assert_eq!(grid.len(), 3);
        let midnight = utc(Date::new(2026, 3, 9), 0);
        assert_eq!(grid.index(midnight), Some(0));
        assert_eq!(grid.index(midnight + 18 * HOUR + 1_799), Some(0));
        assert_eq!(grid.index(midnight + 18 * HOUR + 1_800), Some(1));
        assert_eq!(grid.index(midnight - 5 * HOUR - 1_801), None);
        assert_eq!(grid.index(grid.span().1), None);
        assert_eq!(grid.date(2), Date::new(2026, 3, 11));
    }

    #[test]
    fn days_of_clock_changes_last_23_and_25_hours() {
        let days = Days::new(Date::new(2026, 10, 25), Date::new(2026, 10, 25));
        let (start, end) = DayGrid::new(&berlin(), days).span();
        assert_eq!(end - start, 25 * HOUR);
    }

    #[test]
    fn on_and_off_clock_change_days_every_hour_finds_its_own_day() {
        for days in [
            Days::new(Date::new(2026, 3, 27), Date::new(2026, 3, 31)),
            Days::new(Date::new(2026, 6, 1), Date::new(2026, 6, 3)),
        ] {
            let zone = berlin();
            let grid = DayGrid::new(&zone, days);
            let (start, end) = grid.span();
            for at in (start - 2 * HOUR..end + 2 * HOUR).step_by(1_800) {
                let day = grid.index(at);
                let date = zone.date(at);
                let inside = days.first <= date && date <= days.last;
                assert_eq!(day.map(|d| grid.date(d)), inside.then_some(date));
            }
        }
    }

    #[test]
    fn ranges_count_and_clip_their_dates() {
        let days = Days::ending(Date::new(2026, 3, 1), 3);
        assert_eq!(days.first, Date::new(2026, 2, 27));
        assert_eq!(days.len(), 3);
        assert_eq!(days.dates().last(), Some(Date::new(2026, 3, 1)));
        let clipped = days.until(Date::new(2026, 2, 28));
        assert_eq!(clipped.map(|d| d.len()), Some(2));
        assert_eq!(days.until(Date::new(2026, 2, 1)), None);
    }
}
