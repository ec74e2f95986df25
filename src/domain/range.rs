//! The time ranges the views offer, resolved to local days of the display
//! zone.

use super::analytics::Days;
use super::time::{day_start, Date, DAY};
use super::zone::Zone;

/// `[from, to)` covering the last `days` UTC days, today included.
pub fn last_days(now: i64, days: u32) -> (i64, i64) {
    let to = day_start(now) + DAY;
    (to - i64::from(days.max(1)) * DAY, to)
}

/// The longest custom range accepted, so a typo such as year 20226 cannot
/// make a view build millions of empty days.
pub const MAX_DAYS: i64 = 3_700;

/// What the range picker offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeChoice {
    Today,
    /// The last `n` local days, today included.
    Days(u32),
    /// From the first of this month through today.
    ThisMonth,
    LastMonth,
    /// Both dates included.
    Custom {
        first: Date,
        last: Date,
    },
}

/// The picker's fixed choices, in the order shown.
pub const CHOICES: [RangeChoice; 7] = [
    RangeChoice::Today,
    RangeChoice::Days(7),
    RangeChoice::Days(30),
    RangeChoice::ThisMonth,
    RangeChoice::LastMonth,
    RangeChoice::Days(90),
    RangeChoice::Days(365),
];

impl Default for RangeChoice {
    fn default() -> Self {
        RangeChoice::Days(30)
    }
}

/// A resolved range: local dates and the UTC instants bounding them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first: Date,
    /// Included.
    pub last: Date,
    /// Start of `first` in the zone, unix seconds.
    pub from: i64,
    /// End of `last` in the zone (exclusive), unix seconds.
    pub to: i64,
}

impl Span {
    /// The local dates `first..=last` in `zone`.
    pub fn of_dates(zone: &Zone, first: Date, last: Date) -> Span {
        Span {
            first,
            last,
            from: zone.day_start(first),
            to: zone.day_start(last.add_days(1)),
        }
    }

    /// How many local days the span covers.
    pub fn days(&self) -> i64 {
        self.first.days_until(self.last) + 1
    }
}

impl RangeChoice {
    /// The local days this choice covers at `now` in `zone`.
    pub fn resolve(self, zone: &Zone, now: i64) -> Span {
        let (first, last) = self.dates(zone.date(now));
        Span::of_dates(zone, first, last)
    }

    /// The days this choice covers at `now` in `zone`, and as UTC days
    /// count them at the same instant (see `Days::on_utc_days`).
    pub fn days(self, zone: &Zone, now: i64) -> Days {
        Days::from_today(zone, now, |today| {
            let (first, last) = self.dates(today);
            Days::new(first, last)
        })
    }

    /// The first and last dates of this choice when it is `today`.
    fn dates(self, today: Date) -> (Date, Date) {
        match self {
            RangeChoice::Today => (today, today),
            RangeChoice::Days(n) => {
                (today.add_days(1 - i64::from(n.max(1))), today)
            }
            RangeChoice::ThisMonth => (today.first_of_month(), today),
            RangeChoice::LastMonth => {
                let first = today.first_of_month().previous_month();
                (first, today.first_of_month().add_days(-1))
            }
            RangeChoice::Custom { first, last } => (first, last),
        }
    }

    /// The choice as it appears in a URL: `today`, `7d`, `month`,
    /// `last-month`, or `2026-01-01..2026-01-31`.
    pub fn param(self) -> String {
        match self {
            RangeChoice::Today => "today".to_owned(),
            RangeChoice::Days(n) => format!("{n}d"),
            RangeChoice::ThisMonth => "month".to_owned(),
            RangeChoice::LastMonth => "last-month".to_owned(),
            RangeChoice::Custom { first, last } => format!("{first}..{last}"),
        }
    }

    /// Reads what `param` writes. A custom range must run forwards and
    /// span at most `MAX_DAYS`; a day count must be 1 to `MAX_DAYS`.
    pub fn parse(text: &str) -> Option<RangeChoice> {
        match text {
            "today" => return Some(RangeChoice::Today),
            "month" => return Some(RangeChoice::ThisMonth),
            "last-month" => return Some(RangeChoice::LastMonth),
            _ => {}
        }
        if let Some(days) = text.strip_suffix('d') {
            let n: u32 = days.parse().ok()?;
            return (1..=MAX_DAYS as u32)
                .contains(&n)
                .then_some(RangeChoice::Days(n));
        }
        let (first, last) = text.split_once("..")?;
        let (first, last) = (Date::parse(first)?, Date::parse(last)?);
        let days = first.days_until(last);
        ((0..MAX_DAYS).contains(&days))
            .then_some(RangeChoice::Custom { first, last })
    }

    /// A name for people.
    pub fn label(self) -> String {
        match self {
            RangeChoice::Today => "Today".to_owned(),
            RangeChoice::Days(n) => format!("Last {n} days"),
            RangeChoice::ThisMonth => "This month".to_owned(),
            RangeChoice::LastMonth => "Last month".to_owned(),
            RangeChoice::Custom { first, last } => format!("{first} to {last}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::zone::samples::{berlin, kolkata, los_angeles};

    const HOUR: i64 = 3600;

    #[test]
    fn the_last_days_include_today_and_start_on_a_utc_midnight() {
        let now = 1_767_225_600 + 13 * 3600; // 2026-01-01T13:00Z
        let (from, to) = last_days(now, 30);
        assert_eq!(to, 1_767_225_600 + DAY);
        assert_eq!((to - from) / DAY, 30);
        assert_eq!(from % DAY, 0);
    }

    #[test]
    fn today_west_of_utc_is_still_yesterday_in_utc_terms() {
        let now = Date::new(2026, 7, 15).to_unix() + 4 * HOUR;
        let span = RangeChoice::Today.resolve(&los_angeles(), now);
        assert_eq!(span.first, Date::new(2026, 7, 14));
        assert_eq!(span.from, Date::new(2026, 7, 14).to_unix() + 7 * HOUR);
        assert_eq!(span.to - span.from, 24 * HOUR);
        // On UTC days, today is the 15th, the UTC day under way.
        let days = RangeChoice::Today.days(&los_angeles(), now);
        assert_eq!(days.first, Date::new(2026, 7, 14));
        let (from, to) = days.utc_bounds();
        assert_eq!(from, Date::new(2026, 7, 15).to_unix());
        assert_eq!(to - from, 24 * HOUR);
        // The 02:00Z bucket of the 15th starts inside local today.
        let bucket = Date::new(2026, 7, 15).to_unix() + 2 * HOUR;
        assert!((span.from..span.to).contains(&bucket));
    }

    #[test]
    fn months_follow_the_local_calendar() {
        let zone = kolkata();
        // 2026-03-31T20:00Z is already April 1st in India.
        let now = Date::new(2026, 3, 31).to_unix() + 20 * HOUR;
        let this = RangeChoice::ThisMonth.resolve(&zone, now);
        assert_eq!(
            (this.first, this.last),
            (Date::new(2026, 4, 1), Date::new(2026, 4, 1))
        );
        let last = RangeChoice::LastMonth.resolve(&zone, now);
        assert_eq!(last.first, Date::new(2026, 3, 1));
        assert_eq!(last.last, Date::new(2026, 3, 31));
        assert_eq!(last.days(), 31);
        assert_eq!(
            last.from,
            Date::new(2026, 2, 28).to_unix() + 18 * HOUR + 1800
        );

        let january = Date::new(2027, 1, 10).to_unix();
        let last = RangeChoice::LastMonth.resolve(&Zone::utc(), january);
        assert_eq!(
            (last.first, last.last),
            (Date::new(2026, 12, 1), Date::new(2026, 12, 31))
        );
    }

    #[test]
    fn a_range_across_the_spring_change_is_an_hour_short() {
        let zone = berlin();
        let span = RangeChoice::Custom {
            first: Date::new(2026, 3, 28),
            last: Date::new(2026, 3, 30),
        }
        .resolve(&zone, 0);
        assert_eq!(span.to - span.from, 71 * HOUR);
        assert_eq!(span.days(), 3);
    }

    #[test]
    fn every_choice_survives_the_url_and_nonsense_does_not_parse() {
        let custom = RangeChoice::Custom {
            first: Date::new(2026, 1, 1),
            last: Date::new(2026, 1, 31),
        };
        for choice in CHOICES.into_iter().chain([custom]) {
            assert_eq!(RangeChoice::parse(&choice.param()), Some(choice));
        }
        for bad in [
            "",
            "0d",
            "-3d",
            "99999d",
            "d",
            "2026-02-01..2026-01-01",
            "2026-01-01..",
            "2026-01-01..2046-01-01",
            "yesterday",
        ] {
            assert_eq!(RangeChoice::parse(bad), None, "{bad}");
        }
    }
}
