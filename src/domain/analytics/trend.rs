//! The daily trend: one point per day of the range, empty days included,
//! so a chart never hides a day without usage.

use super::grid::Days;
use super::rows::Row;
use super::source::{Placer, Resolution, Source};
use super::tally::Tally;
use crate::domain::time::Date;
use crate::domain::zone::Zone;

/// The usage of one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayPoint {
    pub date: Date,
    pub tally: Tally,
}

/// The points of a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trend {
    pub points: Vec<DayPoint>,
    pub resolution: Resolution,
    /// The days are UTC days, not the zone's: say so beside the chart.
    pub utc_days: bool,
}

impl Trend {
    /// The point of `date`, if the range holds it.
    pub fn on(&self, date: Date) -> Option<&DayPoint> {
        self.points.iter().find(|p| p.date == date)
    }

    /// All the points together.
    pub fn total(&self) -> Tally {
        let mut total = Tally::default();
        for point in &self.points {
            total.merge(&point.tally);
        }
        total
    }
}

/// The trend of the scope's `rows` over `days` in `zone`, adding up the
/// rows `Source::choose` picks.
pub fn daily_trend(rows: &[Row], zone: &Zone, days: Days) -> Trend {
    let source = Source::choose(rows, zone, days);
    trend(rows, &source)
}

/// The trend of `rows` on the days of `source`: each bucket counts once,
/// toward the day it starts in.
pub fn trend(rows: &[Row], source: &Source) -> Trend {
    let mut days = DayTally::new(source);
    for row in rows {
        days.add(row);
    }
    days.trend()
}

/// A trend being added up, row by row.
#[derive(Clone, Debug)]
pub struct DayTally<'s> {
    placer: Placer<'s>,
    points: Vec<DayPoint>,
}

impl<'s> DayTally<'s> {
    /// No usage yet on the days of `source`.
    pub fn new(source: &'s Source) -> Self {
        let grid = source.grid();
        let points = (0..grid.len())
            .map(|i| DayPoint {
                date: grid.date(i),
                tally: Tally::default(),
            })
            .collect();
        DayTally {
            placer: Placer::new(source),
            points,
        }
    }

    /// Adds `row` if the source uses it.
    #[inline]
    pub fn add(&mut self, row: &Row) {
        if let Some(day) = self.placer.place(row) {
            self.add_on(day, row);
        }
    }

    /// Adds `row` on the day at `day`, already placed by the source.
    #[inline]
    pub fn add_on(&mut self, day: usize, row: &Row) {
        let points: &mut [DayPoint] = &mut self.points;
        points[day].tally.add(row);
    }

    /// Adds the sum of rows placed on the day at `day`.
    pub fn merge_on(&mut self, day: usize, tally: &Tally) {
        self.points[day].tally.merge(tally);
    }

    pub fn trend(self) -> Trend {
        let source = self.placer.source();
        Trend {
            points: self.points,
            resolution: source.resolution(),
            utc_days: source.days_are_utc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{
        daily, every_hour, hourly, priced, unpriced, utc, HOUR,
    };
    use crate::domain::zone::samples::{berlin, kolkata, los_angeles};

    fn tokens(trend: &Trend) -> Vec<(String, u64)> {
        let point = |p: &DayPoint| (p.date.to_string(), p.tally.tokens);
        trend.points.iter().map(point).collect()
    }

    #[test]
    fn a_half_hour_zone_splits_utc_days_at_half_past_six_in_the_evening() {
        let from = utc(Date::new(2026, 3, 9), 0);
        let records = every_hour(from, from + 48 * HOUR, 100);
        let rows = priced(&records);
        let days = Days::new(Date::new(2026, 3, 9), Date::new(2026, 3, 11));

        let trend = daily_trend(&rows, &kolkata(), days);

        assert_eq!(
            tokens(&trend),
            [
                ("2026-03-09".into(), 1_900),
                ("2026-03-10".into(), 2_400),
                ("2026-03-11".into(), 500),
            ]
        );
        assert_eq!(trend.total().tokens, 4_800);
        assert!(!trend.utc_days);
    }

    #[test]
    fn clock_change_days_hold_23_and_25_hours_of_usage() {
        for (date, expected) in [
            (Date::new(2026, 3, 29), 2_300),
            (Date::new(2026, 10, 25), 2_500),
            (Date::new(2026, 6, 1), 2_400),
        ] {
            let from = utc(date, -3);
            let records = every_hour(from, from + 72 * HOUR, 100);
            let rows = priced(&records);
            let trend = daily_trend(&rows, &berlin(), Days::new(date, date));
            assert_eq!(trend.points[0].tally.tokens, expected, "{date}");
        }
    }

    #[test]
    fn an_evening_west_of_utc_is_shown_on_the_local_today() {
        let zone = los_angeles();
        let now = utc(Date::new(2026, 7, 15), 4);
        let today = zone.date(now);
        let records = [hourly(utc(Date::new(2026, 7, 15), 2), 500)];
        let rows = priced(&records);

        let trend = daily_trend(&rows, &zone, Days::ending(today, 7));

        assert_eq!(today, Date::new(2026, 7, 14));
        assert_eq!(trend.on(today).map(|p| p.tally.tokens), Some(500));
        assert_eq!(trend.points.len(), 7);
    }

    #[test]
    fn daily_rows_alone_give_utc_days_and_say_so() {
        let day = Date::new(2026, 5, 4);
        let records = [daily(day.to_unix(), 1_000)];
        let rows = priced(&records);

        let trend = daily_trend(&rows, &kolkata(), Days::new(day, day));

        assert!(trend.utc_days);
        assert_eq!(trend.resolution, Resolution::UtcDays);
        assert_eq!(tokens(&trend), [("2026-05-04".into(), 1_000)]);
        let in_utc = daily_trend(&rows, &Zone::utc(), Days::new(day, day));
        assert!(!in_utc.utc_days);
    }

    #[test]
    fn hourly_and_daily_rows_of_the_same_days_are_not_added_twice() {
        let day = Date::new(2026, 5, 4);
        let mut records = every_hour(day.to_unix(), day.to_unix() + 86_400, 10);
        records.push(daily(day.to_unix(), 240));
        let rows = priced(&records);
        for zone in [Zone::utc(), berlin()] {
            let days = Days::new(day.add_days(-1), day.add_days(1));
            let trend = daily_trend(&rows, &zone, days);
            assert_eq!(trend.total().tokens, 240, "{}", zone.name());
        }
    }

    #[test]
    fn empty_days_have_points_and_unpriced_tokens_are_kept_apart() {
        let day = Date::new(2026, 5, 4);
        let records = [unpriced(daily(day.to_unix(), 80))];
        let rows = priced(&records);
        let trend = daily_trend(&rows, &Zone::utc(), Days::ending(day, 3));
        assert_eq!(trend.points.len(), 3);
        assert!(trend.points[..2].iter().all(|p| p.tally.is_empty()));
        let last = trend.points[2].tally;
        assert_eq!((last.unpriced_tokens, last.estimated()), (80, None));
    }
}
