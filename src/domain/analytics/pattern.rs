//! The hourly pattern: how usage spreads over the local hours of a day.
//!
//! Only hourly rows know the hour. Each bucket counts toward the local
//! hour it starts in (in a half-hour zone, 00:00Z is local hour 05), and
//! an hour's average is its total over the range divided by the number
//! of local days averaged over, so on a 25-hour day the repeated hour
//! holds both of its buckets and on a 23-hour day the skipped one none.

use super::grid::{DayGrid, Days};
use super::rows::Row;
use super::source::{buckets, coverage, Coverage};
use super::tally::Tally;
use crate::domain::money::Usd;
use crate::domain::time::DAY;
use crate::domain::usage::BucketWidth;
use crate::domain::zone::Zone;

/// One local hour's usage, summed over the days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HourSlot {
    /// 0 to 23.
    pub hour: u32,
    pub tally: Tally,
}

/// The 24 local hours.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Indexed by hour.
    pub hours: Vec<HourSlot>,
    /// The days averaged over: the range, from the first day the hourly
    /// rows hold if they start later. `None` when no day has them.
    pub days: Option<Days>,
}

impl Pattern {
    /// Whether there is no hourly data to draw: the UI says so instead.
    pub fn is_unavailable(&self) -> bool {
        self.days.is_none()
    }

    /// How many days the averages divide by.
    pub fn day_count(&self) -> usize {
        self.days.map_or(0, |d| d.len())
    }

    /// Average tokens a day in local `hour`.
    pub fn tokens_per_day(&self, hour: usize) -> f64 {
        self.per_day(hour, |t| t.tokens as f64)
    }

    /// Average requests a day in local `hour`.
    pub fn requests_per_day(&self, hour: usize) -> f64 {
        self.per_day(hour, |t| t.requests as f64)
    }

    /// Average estimated cost a day in local `hour`, to the picodollar
    /// below.
    pub fn cost_per_day(&self, hour: usize) -> Usd {
        let days = self.day_count() as u128;
        match self.hours.get(hour) {
            Some(slot) if days > 0 => Usd(slot.tally.cost.0 / days),
            _ => Usd::ZERO,
        }
    }

    fn per_day(&self, hour: usize, value: impl Fn(&Tally) -> f64) -> f64 {
        match (self.hours.get(hour), self.day_count()) {
            (Some(slot), days) if days > 0 => value(&slot.tally) / days as f64,
            _ => 0.0,
        }
    }
}

/// The pattern of the scope's `rows` over `days` in `zone`. Pass days
/// that end today at the latest: days to come would count as idle ones.
pub fn pattern(rows: &[Row], zone: &Zone, days: Days) -> Pattern {
    let span = DayGrid::new(zone, days).span();
    let seen = coverage(buckets(rows), span.0, span.1);
    let mut hours = HourTally::new(zone, covered_days(&seen, zone, days));
    for row in rows {
        hours.add(row);
    }
    hours.pattern()
}

/// A pattern being added up, row by row.
#[derive(Clone, Debug)]
pub struct HourTally<'z> {
    zone: &'z Zone,
    /// The days averaged over and their bounds; `None` without hourly
    /// rows to average.
    grid: Option<DayGrid>,
    hours: Vec<HourSlot>,
    /// The last bucket start met and its hour, if counted: the rows of
    /// a bucket come one after the other.
    last: Option<(i64, Option<usize>)>,
}

impl<'z> HourTally<'z> {
    /// No usage yet over `days` (see `covered_days`).
    pub fn new(zone: &'z Zone, days: Option<Days>) -> Self {
        HourTally {
            zone,
            grid: days.map(|days| DayGrid::new(zone, days)),
            hours: (0..24)
                .map(|hour| HourSlot {
                    hour,
                    tally: Tally::default(),
                })
                .collect(),
            last: None,
        }
    }

    /// Adds `row` if it is an hourly bucket of the days.
    #[inline]
    pub fn add(&mut self, row: &Row) {
        if row.width() != BucketWidth::Hour {
            return;
        }
        let start = row.start();
        let hour = match self.last {
            Some((last, hour)) if last == start => hour,
            _ => {
                let hour = self.hour(start);
                self.last = Some((start, hour));
                hour
            }
        };
        if let Some(hour) = hour {
            let hours: &mut [HourSlot] = &mut self.hours;
            hours[hour].tally.add(row);
        }
    }

    /// The local hour of an hourly bucket starting at `start`, if it is
    /// one of the days.
    fn hour(&self, start: i64) -> Option<usize> {
        self.grid.as_ref()?.index(start)?;
        // The local hour, as `Zone::local` reads it, without the date.
        let local = start + i64::from(self.zone.offset_at(start));
        Some((local.rem_euclid(DAY) / 3_600) as usize)
    }

    pub fn pattern(self) -> Pattern {
        Pattern {
            hours: self.hours,
            days: self.grid.map(|grid| grid.days()),
        }
    }
}

/// The days of `days` whose usage the hourly rows hold in full, given
/// what the scope's rows hold of their span (`seen`): all of them, or
/// those from the first local day the hourly rows cover.
pub fn covered_days(seen: &Coverage, zone: &Zone, days: Days) -> Option<Days> {
    let hourly_from = seen.hourly_from?;
    if seen.hourly_complete() {
        return Some(days);
    }
    // The first local day that starts inside the hourly rows.
    let mut first = zone.date(hourly_from);
    if zone.day_start(first) < hourly_from {
        first = first.add_days(1);
    }
    (first <= days.last).then(|| Days::new(first.max(days.first), days.last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{
        daily, every_hour, priced, utc, HOUR,
    };
    use crate::domain::time::{Date, DAY};
    use crate::domain::zone::samples::{berlin, kolkata};

    #[test]
    fn the_fall_back_night_holds_two_buckets_in_local_hour_two() {
        let date = Date::new(2026, 10, 25);
        let from = utc(date, -3);
        let records = every_hour(from, from + 72 * HOUR, 100);
        let rows = priced(&records);

        let pattern = pattern(&rows, &berlin(), Days::new(date, date));

        assert_eq!(pattern.hours[2].tally.tokens, 200);
        assert_eq!(pattern.tokens_per_day(2), 200.0);
        assert_eq!(pattern.tokens_per_day(3), 100.0);
        let total: u64 = pattern.hours.iter().map(|h| h.tally.tokens).sum();
        assert_eq!(total, 2_500);
    }

    #[test]
    fn the_spring_forward_night_has_no_local_hour_two() {
        let date = Date::new(2026, 3, 29);
        let from = utc(date, -3);
        let records = every_hour(from, from + 72 * HOUR, 100);
        let rows = priced(&records);

        let pattern = pattern(&rows, &berlin(), Days::new(date, date));

        assert_eq!(pattern.hours[2].tally.tokens, 0);
        assert_eq!(pattern.hours[1].tally.tokens, 100);
    }

    #[test]
    fn a_half_hour_zone_puts_midnight_utc_in_local_hour_five() {
        let from = utc(Date::new(2026, 3, 9), 0);
        let records = every_hour(from, from + 48 * HOUR, 100);
        let rows = priced(&records);
        let days = Days::new(Date::new(2026, 3, 9), Date::new(2026, 3, 11));

        let pattern = pattern(&rows, &kolkata(), days);

        assert_eq!(kolkata().local(from).hour, 5);
        // Hour 05 holds 00:00Z of both days: averaged over three days.
        assert_eq!(pattern.hours[5].tally.tokens, 200);
        assert_eq!(pattern.day_count(), 3);
        assert!((pattern.tokens_per_day(5) - 200.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn without_hourly_rows_the_pattern_says_it_is_unavailable() {
        let day = Date::new(2026, 5, 4);
        let records = [daily(day.to_unix(), 100)];
        let pattern =
            pattern(&priced(&records), &berlin(), Days::new(day, day));
        assert!(pattern.is_unavailable());
        assert_eq!(pattern.tokens_per_day(3), 0.0);
    }

    #[test]
    fn averages_run_over_the_days_hourly_rows_hold_when_they_start_late() {
        let last = Date::new(2026, 5, 10);
        let mut records: Vec<_> = (0..10)
            .map(|d| daily(last.add_days(-d).to_unix(), 2_400))
            .collect();
        let hourly_from = last.add_days(-3).to_unix();
        records.extend(every_hour(hourly_from, hourly_from + 4 * DAY, 100));

        let days = Days::ending(last, 10);
        let pattern = pattern(&priced(&records), &Zone::utc(), days);

        assert_eq!(pattern.days, Some(Days::ending(last, 4)));
        assert_eq!(pattern.tokens_per_day(12), 100.0);
    }
}
