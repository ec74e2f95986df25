//! Where spending ends up by the end of a period, two ways: at the pace
//! of the period so far, and at the pace of its last seven days, which
//! follows a recent change sooner.

use super::grid::Days;
use super::rows::Row;
use super::source::{Placer, Source};
use super::tally::Tally;
use crate::domain::money::Usd;
use crate::domain::time::Date;
use crate::domain::zone::Zone;

/// Days of recent usage the second forecast runs on.
pub const RECENT_DAYS: usize = 7;

/// Elapsed time below this counts as this long, so the first seconds of
/// a period never divide by (almost) zero.
const MIN_ELAPSED: i64 = 60;

/// `[start, end)` in UTC seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: i64,
    pub end: i64,
}

/// What was spent lately: the cost of `[since, now)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recent {
    pub since: i64,
    pub cost: Usd,
}

/// The forecasts of one period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forecast {
    pub period: Period,
    pub now: i64,
    /// Spent so far in the period.
    pub spent: Usd,
    /// `spent` scaled from the elapsed part of the period to all of it.
    pub linear: Usd,
    /// `spent` plus the recent daily average for each day left.
    pub recent: Usd,
    /// The user's budget for the period, passed through to draw its line.
    pub budget: Option<Usd>,
}

impl Forecast {
    /// Whether either forecast ends above the budget.
    pub fn exceeds_budget(&self) -> bool {
        self.budget
            .is_some_and(|budget| self.linear.max(self.recent) > budget)
    }
}

/// Forecasts `period` at `now` from what was `spent` so far and what was
/// spent `recent`ly. Before the period nothing is forecast beyond what
/// was spent, and after it the forecast is what was spent.
pub fn forecast(
    period: Period,
    now: i64,
    spent: Usd,
    recent: Recent,
    budget: Option<Usd>,
) -> Forecast {
    let length = (period.end - period.start).max(0);
    let elapsed = (now - period.start).clamp(0, length);
    let (linear, recent) = if elapsed == 0 || elapsed == length {
        (spent, spent)
    } else {
        let elapsed = elapsed.max(MIN_ELAPSED);
        let left = period.end - now;
        // The recent days may reach back before the period.
        let observed = (now - recent.since).max(MIN_ELAPSED);
        (
            scale(spent, length, elapsed),
            spent + scale(recent.cost, left, observed),
        )
    };
    Forecast {
        period,
        now,
        spent,
        linear,
        recent,
        budget,
    }
}

/// `amount` times `numerator / denominator`, exactly to the picodollar
/// below.
fn scale(amount: Usd, numerator: i64, denominator: i64) -> Usd {
    let numerator = numerator.max(0) as u128;
    Usd(amount.0 * numerator / denominator.max(1) as u128)
}

/// The forecast of the local month holding `now` and what it rests on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthForecast {
    pub forecast: Forecast,
    /// The month so far; its unpriced usage is left out of the forecast.
    pub spent: Tally,
    /// The estimated cost of each day of the month, zero after today.
    pub daily: Vec<Usd>,
    /// The month's days: local ones, or UTC ones when `utc_days`.
    pub days: Days,
    /// Where today is among `days`.
    pub today: usize,
    /// The month is made of UTC days, not the zone's.
    pub utc_days: bool,
}

/// Forecasts the month of `now` in `zone` from the scope's `rows`. The
/// recent pace is that of the last seven days, today's hours so far
/// included, reaching back into the month before in the first week.
pub fn month_forecast(
    rows: &[Row],
    zone: &Zone,
    now: i64,
    budget: Option<Usd>,
) -> MonthForecast {
    let source = Source::choose(rows, zone, forecast_days(zone, now));
    let mut month = MonthTally::new(&source, now);
    for row in rows {
        month.add(row);
    }
    month.forecast(budget)
}

/// The local month holding `now` in `zone`.
pub fn month_of(zone: &Zone, now: i64) -> Days {
    let today = zone.date(now);
    Days::new(today.first_of_month(), last_of_month(today))
}

/// The days a forecast of the month of `now` reads: the month, and the
/// last days of the month before while the month is younger than the
/// recent pace's seven days.
pub fn forecast_days(zone: &Zone, now: i64) -> Days {
    Days::from_today(zone, now, |today| {
        let week = today.add_days(1 - RECENT_DAYS as i64);
        Days::new(week.min(today.first_of_month()), last_of_month(today))
    })
}

/// A month's spending being added up, row by row, on the days of a
/// source of `forecast_days`.
#[derive(Clone, Debug)]
pub struct MonthTally<'s> {
    placer: Placer<'s>,
    now: i64,
    /// Where the month starts among the source's days, and today.
    month_index: usize,
    today_index: usize,
    /// The first day of the recent pace, and its start.
    recent_index: usize,
    since: i64,
    spent: Tally,
    recent: Usd,
    /// The cost of each of the source's days.
    daily: Vec<Usd>,
}

impl<'s> MonthTally<'s> {
    /// Nothing spent yet in the month of `now` on the days of `source`.
    pub fn new(source: &'s Source, now: i64) -> Self {
        let grid = source.grid();
        // Daily rows of a UTC month may make "today" the UTC date.
        let today_index = grid.index(now).unwrap_or(grid.len() - 1);
        let month_first = grid.date(today_index).first_of_month();
        let month_index = (0..grid.len())
            .find(|&i| grid.date(i) == month_first)
            .unwrap_or(0);
        let recent_index = (today_index + 1).saturating_sub(RECENT_DAYS);
        let since = grid.bounds(recent_index).map_or(grid.span().0, |b| b.0);
        MonthTally {
            placer: Placer::new(source),
            now,
            month_index,
            today_index,
            recent_index,
            since,
            spent: Tally::default(),
            recent: Usd::ZERO,
            daily: vec![Usd::ZERO; grid.len()],
        }
    }

    /// Adds `row` if the source uses it.
    #[inline]
    pub fn add(&mut self, row: &Row) {
        let Some(day) = self.placer.place(row) else {
            return;
        };
        let cost = row.cost().unwrap_or_default();
        if day >= self.recent_index {
            self.recent += cost;
        }
        if day >= self.month_index {
            self.spent.add(row);
            let daily: &mut [Usd] = &mut self.daily;
            daily[day] += cost;
        }
    }

    pub fn forecast(self, budget: Option<Usd>) -> MonthForecast {
        let source = self.placer.source();
        let grid = source.grid();
        let start =
            grid.bounds(self.month_index).map_or(grid.span().0, |b| b.0);
        let period = Period {
            start,
            end: grid.span().1,
        };
        let recent = Recent {
            since: self.since,
            cost: self.recent,
        };
        MonthForecast {
            forecast: forecast(
                period,
                self.now,
                self.spent.cost,
                recent,
                budget,
            ),
            spent: self.spent,
            daily: self.daily[self.month_index..].to_vec(),
            days: Days::new(
                grid.date(self.month_index),
                grid.date(grid.len() - 1),
            ),
            today: self.today_index.saturating_sub(self.month_index),
            utc_days: source.days_are_utc(),
        }
    }
}

fn last_of_month(date: Date) -> Date {
    date.next_month().add_days(-1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{daily, priced, HOUR};
    use crate::domain::time::DAY;

    const DOLLAR: u128 = 1_000_000_000_000;

    fn april() -> Period {
        Period {
            start: Date::new(2026, 4, 1).to_unix(),
            end: Date::new(2026, 5, 1).to_unix(),
        }
    }

    #[test]
    fn a_month_of_daily_rows_west_of_utc_is_the_utc_month_under_way() {
        use crate::domain::zone::samples::los_angeles;
        // 05:00Z on March 1 is still February 28 in Los Angeles.
        let now = Date::new(2026, 3, 1).to_unix() + 5 * HOUR;
        let first = Date::new(2026, 2, 1).to_unix();
        let records: Vec<_> =
            (0..29).map(|d| daily(first + d * DAY, 1_000_000)).collect();
        let month =
            month_forecast(&priced(&records), &los_angeles(), now, None);
        assert!(month.utc_days);
        let march = Days::new(Date::new(2026, 3, 1), Date::new(2026, 3, 31));
        assert_eq!((month.days, month.today), (march, 0));
        assert_eq!(month.daily.len(), 31);
        assert!(month.daily[0] > Usd::ZERO, "today's bucket so far counts");
        // In UTC itself the same rows make the same month.
        let utc = month_forecast(&priced(&records), &Zone::utc(), now, None);
        assert_eq!((utc.days, utc.today), (march, 0));
    }

    #[test]
    fn thirty_dollars_in_ten_of_thirty_days_forecast_ninety() {
        let now = april().start + 10 * DAY;
        let spent = Usd(30 * DOLLAR);
        let recent = Recent {
            since: now - 7 * DAY,
            cost: Usd(21 * DOLLAR),
        };
        let f = forecast(april(), now, spent, recent, None);
        assert_eq!(f.linear, Usd(90 * DOLLAR));
        assert_eq!(f.linear.display(), "$90.00");
        // $3 a day lately, for the 20 days left.
        assert_eq!(f.recent, Usd(90 * DOLLAR));
    }

    #[test]
    fn a_slower_recent_week_forecasts_less_than_the_linear_pace() {
        let now = april().start + 10 * DAY;
        let recent = Recent {
            since: now - 7 * DAY,
            cost: Usd(14 * DOLLAR),
        };
        let f = forecast(april(), now, Usd(30 * DOLLAR), recent, None);
        assert_eq!(f.recent, Usd(70 * DOLLAR));
    }

    #[test]
    fn a_young_period_runs_on_the_week_before_it_too() {
        let now = april().start + 2 * DAY;
        // $2 a day for a week, two days of it in the period.
        let recent = Recent {
            since: now - 7 * DAY,
            cost: Usd(14 * DOLLAR),
        };
        let f = forecast(april(), now, Usd(4 * DOLLAR), recent, None);
        assert_eq!(f.recent, Usd(60 * DOLLAR));
        assert_eq!(f.linear, Usd(60 * DOLLAR));
    }

    #[test]
    fn outside_the_period_the_forecast_is_what_was_spent() {
        let spent = Usd(5 * DOLLAR);
        let recent = Recent {
            since: 0,
            cost: spent,
        };
        for now in [april().start - DAY, april().start, april().end + HOUR] {
            let f = forecast(april(), now, spent, recent, None);
            assert_eq!((f.linear, f.recent), (spent, spent));
        }
    }

    #[test]
    fn the_budget_is_passed_through_and_compared() {
        let now = april().start + 10 * DAY;
        let recent = Recent {
            since: now,
            cost: Usd::ZERO,
        };
        let budget = Some(Usd(80 * DOLLAR));
        let f = forecast(april(), now, Usd(30 * DOLLAR), recent, budget);
        assert_eq!(f.budget, budget);
        assert!(f.exceeds_budget());
    }

    #[test]
    fn the_month_forecast_adds_the_days_so_far_in_utc() {
        // 2,000,000 gpt-4o-mini tokens a day cost $0.30.
        let records: Vec<_> = (0..10)
            .map(|d| daily(april().start + d * DAY, 2_000_000))
            .collect();
        let now = april().start + 10 * DAY - 1;
        let month = month_forecast(&priced(&records), &Zone::utc(), now, None);
        let f = month.forecast;
        assert_eq!(f.period, april());
        assert_eq!(f.spent.to_fixed(2), "3.00");
        assert_eq!(f.linear.to_fixed(2), "9.00");
        assert_eq!(f.recent.to_fixed(2), "9.00");
        assert!(!month.utc_days);
    }

    #[test]
    fn early_in_a_month_the_recent_pace_reaches_into_the_month_before() {
        // $0.30 a day through March, then $0.03 a day from April 1.
        let march: Vec<_> = (1..=10)
            .map(|d| daily(april().start - d * DAY, 2_000_000))
            .collect();
        let april_days: Vec<_> = (0..3)
            .map(|d| daily(april().start + d * DAY, 200_000))
            .collect();
        let records: Vec<_> = march.into_iter().chain(april_days).collect();
        let now = april().start + 3 * DAY - 1;

        let month = month_forecast(&priced(&records), &Zone::utc(), now, None);

        let f = month.forecast;
        assert_eq!(f.period, april());
        assert_eq!(f.spent.to_fixed(2), "0.09");
        assert_eq!(month.daily.len(), 30);
        assert_eq!(month.daily[2].to_fixed(2), "0.03");
        assert_eq!(month.daily[3], Usd::ZERO);
        // The last seven days: four of March at $0.30 and three of
        // April at $0.03 make $1.29; at that pace for the 27 days left,
        // $0.09 + $1.29 x 27 / 7.
        assert_eq!(f.recent.to_fixed(2), "5.07");
        // The month's own pace: $0.03 a day for 30 days.
        assert_eq!(f.linear.to_fixed(2), "0.90");
    }
}
