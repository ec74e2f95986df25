//! UTC calendar arithmetic on unix seconds.
//!
//! OpenAI's buckets are UTC, so stored data stays in UTC seconds; this module
//! turns them into civil dates for display and for picking ranges.

/// Seconds in one UTC day.
pub const DAY: i64 = 86_400;

/// A civil date in the proleptic Gregorian calendar.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// The date `year-month-day`, for tables and tests.
    pub const fn new(year: i32, month: u32, day: u32) -> Self {
        Date { year, month, day }
    }

    /// The date of the UTC day holding `unix` seconds.
    pub fn from_unix(unix: i64) -> Self {
        civil_from_days(unix.div_euclid(DAY))
    }

    /// Unix seconds of this date's UTC midnight.
    pub fn to_unix(self) -> i64 {
        days_from_civil(self) * DAY
    }

    /// The date `days` days later (earlier when negative).
    pub fn add_days(self, days: i64) -> Self {
        civil_from_days(days_from_civil(self) + days)
    }

    /// Days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        days_from_civil(other) - days_from_civil(self)
    }

    /// Day of the week, 0 for Monday through 6 for Sunday.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3 counting from Monday).
        (days_from_civil(self) + 3).rem_euclid(7) as u32
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Self {
        Date::new(self.year, self.month, 1)
    }

    /// The first day of the next month.
    pub fn next_month(self) -> Self {
        if self.month == 12 {
            Date::new(self.year + 1, 1, 1)
        } else {
            Date::new(self.year, self.month + 1, 1)
        }
    }

    /// The first day of the previous month.
    pub fn previous_month(self) -> Self {
        if self.month == 1 {
            Date::new(self.year - 1, 12, 1)
        } else {
            Date::new(self.year, self.month - 1, 1)
        }
    }

    /// Reads `YYYY-MM-DD` (what a date input gives); `None` for anything
    /// else, including days a month does not have.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let mut next = |len: usize| {
            let part = parts.next()?;
            let digits =
                part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| part.parse::<u32>().ok()).flatten()
        };
        let (year, month, day) = (next(4)?, next(2)?, next(2)?);
        let date = Date::new(year as i32, month, day);
        // A real date survives the trip through day numbers unchanged.
        (Date::from_unix(date.to_unix()) == date && (1..=12).contains(&month))
            .then_some(date)
    }

    /// A date from a browser's date box, or `None` while it is still being
    /// typed. The box reports every keystroke as a whole date, so a year
    /// typed as 2, 20, 202 reads as 0002, 0020, 0202 on the way to 2026:
    /// acting on those would refuse or apply dates nobody meant.
    pub fn typed_in_full(text: &str) -> Option<Date> {
        Date::parse(text).filter(|date| date.year >= 1000)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Start of the UTC day holding `unix`.
pub fn day_start(unix: i64) -> i64 {
    unix.div_euclid(DAY) * DAY
}

/// `unix` as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_utc(unix: i64) -> String {
    let secs = unix.rem_euclid(DAY);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix(unix),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a civil date (the era-based algorithm, exact for
/// every representable day, so no table of month lengths is needed).
fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

fn days_from_civil(date: Date) -> i64 {
    let year = i64::from(date.year) - i64::from(date.month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(date.month);
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(date.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip_across_leap_years_and_centuries() {
        for days in -800_000..800_000_i64 {
            let date = civil_from_days(days);
            assert_eq!(days_from_civil(date), days, "{date}");
        }
    }

    #[test]
    fn known_dates_format_as_iso() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_709_164_800), "2024-02-29T00:00:00Z");
        assert_eq!(iso_utc(1_730_419_199), "2024-10-31T23:59:59Z");
        assert_eq!(Date::from_unix(-1).to_string(), "1969-12-31");
    }

    #[test]
    fn months_weeks_and_day_steps_cross_year_and_leap_boundaries() {
        let leap = Date::new(2028, 2, 28);
        assert_eq!(leap.add_days(1), Date::new(2028, 2, 29));
        assert_eq!(leap.add_days(2), Date::new(2028, 3, 1));
        assert_eq!(Date::new(2026, 12, 31).add_days(1), Date::new(2027, 1, 1));
        assert_eq!(Date::new(2026, 3, 1).add_days(-1), Date::new(2026, 2, 28));
        assert_eq!(
            Date::new(2026, 1, 1).days_until(Date::new(2027, 1, 1)),
            365
        );
        assert_eq!(Date::new(2026, 12, 4).weekday(), 4); // a Friday
        assert_eq!(Date::new(2026, 11, 30).weekday(), 0); // a Monday
        assert_eq!(Date::new(2026, 12, 4).next_month(), Date::new(2027, 1, 1));
        assert_eq!(
            Date::new(2026, 1, 9).previous_month(),
            Date::new(2025, 12, 1)
        );
        assert_eq!(
            Date::new(2028, 2, 29).first_of_month(),
            Date::new(2028, 2, 1)
        );
    }

    #[test]
    fn only_real_iso_dates_parse() {
        assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
        assert_eq!(Date::parse(" 2025-06-10 "), Some(Date::new(2025, 6, 10)));
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-6-10",
            "2025-06-10x",
            "10/06/2025",
            "",
            "2025-06-31",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_date_box_whose_year_is_half_typed_holds_no_date_yet() {
        for typing in ["0002-03-01", "0020-03-01", "0202-03-01"] {
            assert!(Date::parse(typing).is_some());
            assert_eq!(Date::typed_in_full(typing), None, "{typing}");
        }
        let done = Date::typed_in_full("2026-03-01");
        assert_eq!(done, Some(Date::new(2026, 3, 1)));
        assert_eq!(Date::typed_in_full(""), None);
    }
}
