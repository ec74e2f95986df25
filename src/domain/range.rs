//! The time ranges the overview and the sync offer.

use super::time::{day_start, DAY};

/// The choices of the range picker, in days ending today.
pub const RANGE_CHOICES: [u32; 4] = [7, 30, 90, 365];

/// The range picker's default.
pub const DEFAULT_RANGE_DAYS: u32 = 30;

/// `[from, to)` covering the last `days` UTC days, today included.
pub fn last_days(now: i64, days: u32) -> (i64, i64) {
    let to = day_start(now) + DAY;
    (to - i64::from(days.max(1)) * DAY, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_days_include_today_and_start_on_a_utc_midnight() {
        let now = 1_767_225_600 + 13 * 3600; // 2026-01-01T13:00Z
        let (from, to) = last_days(now, 30);
        assert_eq!(to, 1_767_225_600 + DAY);
        assert_eq!((to - from) / DAY, 30);
        assert_eq!(from % DAY, 0);
    }
}
