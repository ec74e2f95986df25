//! Which days a budget's current period holds in its zone, how many of
//! them are left, and what the period is called.
//!
//! Periods are local calendar days: a monthly budget in Kolkata starts
//! at 00:00 on the 1st in Kolkata, 18:30 UTC the day before.

use super::Period;
use crate::domain::analytics::Days;
use crate::domain::time::Date;
use crate::domain::zone::Zone;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The days of the period of `period` that holds `now` in `zone`: today,
/// the week that started on the latest `first_day` (today included), the
/// calendar month, or a custom range whatever `now` is. A `first_day`
/// beyond 6 wraps around the week.
pub fn period_days(period: Period, zone: &Zone, now: i64) -> Days {
    Days::from_today(zone, now, |today| period_of(period, today))
}

/// The days of the period of `period` that holds `today`.
fn period_of(period: Period, today: Date) -> Days {
    match period {
        Period::Day => Days::new(today, today),
        Period::Week { first_day } => {
            let back = (today.weekday() + 7 - first_day % 7) % 7;
            let first = today.add_days(-i64::from(back));
            Days::new(first, first.add_days(6))
        }
        Period::Month => {
            Days::new(today.first_of_month(), last_of_month(today))
        }
        Period::Custom { first, last } => Days::new(first, last),
    }
}

/// The days of `days` that come after today in `zone`. Today is not
/// counted, since it is already being spent: the last day of a period
/// has 0 days left, a period that is over too, and one that has not
/// started yet has all of its days left.
pub fn days_left(days: Days, zone: &Zone, now: i64) -> u32 {
    let today = zone.date(now);
    let left = today.days_until(days.last).clamp(0, days.len() as i64);
    u32::try_from(left).unwrap_or(u32::MAX)
}

/// The name of one period for people: `2026-12-01`, `week from
/// 2026-11-30`, `December 2026`, or `2026-01-01 to 2026-01-31`.
pub fn period_name(period: Period, days: Days) -> String {
    match period {
        Period::Day => days.first.to_string(),
        Period::Week { .. } => format!("week from {}", days.first),
        Period::Month => {
            format!("{} {}", month_name(days.first.month), days.first.year)
        }
        Period::Custom { .. } => range_text(days),
    }
}

/// `2026-01-01 to 2026-01-31`, or the date alone for a single day.
pub fn range_text(days: Days) -> String {
    if days.first == days.last {
        days.first.to_string()
    } else {
        format!("{} to {}", days.first, days.last)
    }
}

/// The English name of `month` (1 to 12), empty for anything else.
pub fn month_name(month: u32) -> &'static str {
    let index = month.checked_sub(1).map(|m| m as usize);
    index
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or_default()
}

/// The English name of `day` (0 Monday through 6 Sunday, wrapping).
pub fn weekday_name(day: u32) -> &'static str {
    WEEKDAYS[(day % 7) as usize]
}

fn last_of_month(date: Date) -> Date {
    date.next_month().add_days(-1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::DAY;
    use crate::domain::zone::samples::{kolkata, los_angeles};

    const HOUR: i64 = 3_600;

    fn noon(date: Date) -> i64 {
        date.to_unix() + 12 * HOUR
    }

    fn days(first: Date, last: Date) -> Days {
        Days::new(first, last)
    }

    #[test]
    fn the_month_of_january_31_ends_that_day_and_the_next_is_february() {
        let utc = Zone::utc();
        let jan31 = Date::new(2027, 1, 31);
        let january = period_days(Period::Month, &utc, noon(jan31));
        assert_eq!(january, days(Date::new(2027, 1, 1), jan31));
        assert_eq!(days_left(january, &utc, noon(jan31)), 0);
        let feb1 = noon(jan31.add_days(1));
        let february = period_days(Period::Month, &utc, feb1);
        assert_eq!(
            february,
            days(Date::new(2027, 2, 1), Date::new(2027, 2, 28))
        );
        assert_eq!(days_left(february, &utc, feb1), 27);
        assert_eq!(period_name(Period::Month, february), "February 2027");
    }

    #[test]
    fn a_leap_february_has_29_days() {
        let utc = Zone::utc();
        let leap_day = Date::new(2028, 2, 29);
        let month = period_days(Period::Month, &utc, noon(leap_day));
        assert_eq!(month, days(Date::new(2028, 2, 1), leap_day));
        assert_eq!(month.len(), 29);
        assert_eq!(days_left(month, &utc, noon(Date::new(2028, 2, 28))), 1);
        let march = period_days(Period::Month, &utc, noon(leap_day) + DAY);
        assert_eq!(march.first, Date::new(2028, 3, 1));
    }

    #[test]
    fn december_runs_into_the_next_year_only_in_january() {
        let dec31 = Date::new(2026, 12, 31);
        let month = period_days(Period::Month, &Zone::utc(), noon(dec31));
        assert_eq!(month, days(Date::new(2026, 12, 1), dec31));
        assert_eq!(period_name(Period::Month, month), "December 2026");
    }

    #[test]
    fn weeks_start_on_the_chosen_day() {
        let utc = Zone::utc();
        // 2026-12-02 is a Wednesday.
        let wednesday = Date::new(2026, 12, 2);
        assert_eq!(wednesday.weekday(), 2);
        let monday = Period::Week { first_day: 0 };
        let sunday = Period::Week { first_day: 6 };
        let from_wednesday = Period::Week { first_day: 2 };

        let week = period_days(monday, &utc, noon(wednesday));
        assert_eq!(week.first, Date::new(2026, 11, 30));
        assert_eq!(period_name(monday, week), "week from 2026-11-30");

        let week = period_days(sunday, &utc, noon(wednesday));
        assert_eq!(week, days(Date::new(2026, 11, 29), Date::new(2026, 12, 5)));
        assert_eq!(days_left(week, &utc, noon(wednesday)), 3);

        // On its own first day a week starts today.
        let week = period_days(from_wednesday, &utc, noon(wednesday));
        assert_eq!(week, days(wednesday, Date::new(2026, 12, 8)));
        assert_eq!(days_left(week, &utc, noon(wednesday)), 6);
        // The day before, the previous week is still running.
        let tuesday = noon(wednesday) - DAY;
        let week = period_days(from_wednesday, &utc, tuesday);
        assert_eq!(week.first, Date::new(2026, 11, 25));
        assert_eq!(days_left(week, &utc, tuesday), 0);
    }

    #[test]
    fn a_week_start_beyond_sunday_wraps_around() {
        let utc = Zone::utc();
        let at = noon(Date::new(2026, 12, 2));
        let wrapped = Period::Week { first_day: 13 };
        let sunday = Period::Week { first_day: 6 };
        assert_eq!(
            period_days(wrapped, &utc, at),
            period_days(sunday, &utc, at)
        );
    }

    #[test]
    fn periods_follow_the_local_date_not_the_utc_one() {
        // 20:00Z on March 31 is already April 1 in Kolkata.
        let late = Date::new(2026, 3, 31).to_unix() + 20 * HOUR;
        let april = period_days(Period::Month, &kolkata(), late);
        assert_eq!(april.first, Date::new(2026, 4, 1));
        assert_eq!(
            period_days(Period::Month, &Zone::utc(), late).first.month,
            3
        );
        // 05:00Z on March 1 is still February 28 in Los Angeles.
        let early = Date::new(2026, 3, 1).to_unix() + 5 * HOUR;
        let zone = los_angeles();
        let february = period_days(Period::Month, &zone, early);
        assert_eq!(
            (february.first, february.last),
            (Date::new(2026, 2, 1), Date::new(2026, 2, 28))
        );
        assert_eq!(days_left(february, &zone, early), 0);
        // Counted on UTC days, the month under way is March.
        let march = days(Date::new(2026, 3, 1), Date::new(2026, 3, 31));
        assert_eq!(february.on_utc_days(), march);
        let today = period_days(Period::Day, &zone, early);
        assert_eq!(today.on_utc_days(), days(march.first, march.first));
        assert_eq!((today.first, today.last), (february.last, february.last));
        assert_eq!(period_name(Period::Day, today), "2026-02-28");
    }

    #[test]
    fn a_custom_range_is_the_same_before_during_and_after_it() {
        let utc = Zone::utc();
        let (first, last) = (Date::new(2026, 1, 1), Date::new(2026, 1, 31));
        let custom = Period::Custom { first, last };
        for at in [first.add_days(-5), first, last, last.add_days(9)] {
            assert_eq!(period_days(custom, &utc, noon(at)), days(first, last));
        }
        let range = days(first, last);
        assert_eq!(days_left(range, &utc, noon(first.add_days(-5))), 31);
        assert_eq!(days_left(range, &utc, noon(first)), 30);
        assert_eq!(days_left(range, &utc, noon(last.add_days(9))), 0);
        assert_eq!(period_name(custom, range), "2026-01-01 to 2026-01-31");
        assert_eq!(range_text(days(first, first)), "2026-01-01");
    }

    #[test]
    fn months_and_weekdays_have_names() {
        assert_eq!(month_name(1), "January");
        assert_eq!(month_name(12), "December");
        assert_eq!(month_name(0), "");
        assert_eq!(month_name(13), "");
        assert_eq!(weekday_name(0), "Monday");
        assert_eq!(weekday_name(6), "Sunday");
    }
}
