//! What a sync fetches, and how it waits between tries. Pure, so the
//! request economy and the backoff are tested natively.
//!
//! Each stream (a usage kind at a bucket width, or the billed costs) has a
//! window it keeps: daily buckets for the history, hourly ones for recent
//! days. A stream's stored position says up to where it is complete; a
//! sync fetches from there, minus a recent stretch that is fetched again
//! because OpenAI's newest buckets keep changing for a while.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::time::{day_start, DAY};
use super::usage::{BucketWidth, UsageKind};

/// Seconds in an hour.
const HOUR: i64 = 3_600;

/// How much history a sync keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Windows {
    /// Days of daily buckets (usage and costs).
    pub history_days: u32,
    /// Days of hourly buckets. The fetch starts at the UTC midnight
    /// before, so the last `hourly_days` local days are whole in any zone.
    pub hourly_days: u32,
}

impl Default for Windows {
    fn default() -> Self {
        Windows {
            history_days: 365,
            hourly_days: 30,
        }
    }
}

/// The longest daily history offered: ten years.
pub const MAX_HISTORY_DAYS: u32 = 3_660;
/// The longest hourly window offered: hourly rows are 24 times as many,
/// so three months keep the stored rows within what a tab handles well.
pub const MAX_HOURLY_DAYS: u32 = 92;

/// Why the windows typed in cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowsError {
    #[error("Type the days of daily history as a whole number from 1 to {MAX_HISTORY_DAYS}.")]
    History,
    #[error("Type the days of hourly data as a whole number from 1 to {MAX_HOURLY_DAYS}.")]
    Hourly,
    #[error("Hourly data cannot reach further back than the daily history.")]
    HourlyBeyondHistory,
}

impl Windows {
    /// Reads the two numbers the organization page asks for.
    pub fn parse(history: &str, hourly: &str) -> Result<Windows, WindowsError> {
        let number = |text: &str, max: u32| {
            text.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=max).contains(n))
        };
        let history_days =
            number(history, MAX_HISTORY_DAYS).ok_or(WindowsError::History)?;
        let hourly_days =
            number(hourly, MAX_HOURLY_DAYS).ok_or(WindowsError::Hourly)?;
        if hourly_days > history_days {
            return Err(WindowsError::HourlyBeyondHistory);
        }
        Ok(Windows {
            history_days,
            hourly_days,
        })
    }
}

/// One thing a sync fetches page by page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stream {
    Usage(UsageKind, BucketWidth),
    Costs,
}

impl Stream {
    /// Every stream, completions first so the overview fills early.
    pub fn all() -> Vec<Stream> {
        let mut all = vec![Stream::Costs];
        for kind in UsageKind::ALL {
            all.push(Stream::Usage(kind, BucketWidth::Day));
            all.push(Stream::Usage(kind, BucketWidth::Hour));
        }
        all.rotate_left(1);
        all
    }

    /// A stable name, used as part of storage keys.
    pub fn id(self) -> String {
        match self {
            Stream::Usage(kind, width) => {
                format!("{}/{}", kind.path(), width.as_str())
            }
            Stream::Costs => "costs/1d".to_owned(),
        }
    }

    /// A name for the progress display.
    pub fn label(self) -> String {
        match self {
            Stream::Usage(kind, BucketWidth::Hour) => {
                format!("{} (hourly)", kind.label())
            }
            Stream::Usage(kind, _) => format!("{} (daily)", kind.label()),
            Stream::Costs => "Billed costs".to_owned(),
        }
    }

    fn bucket(self) -> i64 {
        match self {
            Stream::Usage(_, BucketWidth::Hour) => HOUR,
            Stream::Usage(_, BucketWidth::Minute) => 60,
            _ => DAY,
        }
    }

    /// The most buckets one page may hold.
    pub fn page_limit(self) -> u32 {
        match self {
            Stream::Usage(_, width) => width.max_page_limit(),
            Stream::Costs => 180,
        }
    }

    /// How much of the newest data every sync fetches again: one page's
    /// worth at most, so an up-to-date stream costs one request.
    fn refetch(self) -> i64 {
        match self {
            Stream::Usage(_, BucketWidth::Hour) => DAY,
            _ => 2 * DAY,
        }
    }
}

/// How far one stream of one connection is complete; stored with each
/// page, and part of a backup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyncPosition {
    pub connection_id: String,
    /// `Stream::id()`.
    pub stream: String,
    /// Every bucket before this time is stored.
    pub complete_to: i64,
}

/// The part of one stream a sync fetches: `[from, to)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fetch {
    pub stream: Stream,
    pub from: i64,
    pub to: i64,
}

impl Fetch {
    /// Pages needed, with full pages.
    pub fn pages(&self) -> u32 {
        let size = self.stream.bucket();
        let buckets = ((self.to - self.from) + size - 1) / size;
        (buckets.max(1) as u32).div_ceil(self.stream.page_limit())
    }
}

/// The fetches of a sync at `now`, given each stream's stored position
/// (`None` for a stream never synced).
pub fn plan(
    now: i64,
    windows: Windows,
    position: impl Fn(Stream) -> Option<i64>,
) -> Vec<Fetch> {
    let end_of_day = day_start(now) + DAY;
    let end_of_hour = now - now.rem_euclid(HOUR) + HOUR;
    Stream::all()
        .into_iter()
        .map(|stream| {
            let (to, start) = match stream {
                // From today's UTC midnight, whatever the hour: in the
                // day's last hour the end of the hour is tomorrow.
                Stream::Usage(_, BucketWidth::Hour) => {
                    let days = i64::from(windows.hourly_days.max(1));
                    (end_of_hour, day_start(now) - days * DAY)
                }
                _ => {
                    let days = i64::from(windows.history_days.max(1));
                    (end_of_day, day_start(end_of_day - days * DAY))
                }
            };
            let from = match position(stream) {
                Some(done) => (done.min(to) - stream.refetch()).max(start),
                None => start,
            };
            let size = stream.bucket();
            Fetch {
                stream,
                from: from - from.rem_euclid(size),
                to,
            }
        })
        .collect()
}

/// How often and how long to wait before trying a request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            attempts: 5,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The wait before try number `next` (2 for the first retry), or
    /// `None` when no try is left. `retry_after` is the server's word,
    /// which wins when given; `jitter` in `[0, 1)` spreads clients apart.
    pub fn wait(
        &self,
        next: u32,
        retry_after: Option<u32>,
        jitter: f64,
    ) -> Option<Duration> {
        if next > self.attempts {
            return None;
        }
        if let Some(seconds) = retry_after {
            return Some(Duration::from_secs(u64::from(seconds)));
        }
        let doubling = 2u32.saturating_pow(next.saturating_sub(2));
        let full = self.base.saturating_mul(doubling).min(self.cap);
        Some(full.mul_f64(0.5 + jitter.clamp(0.0, 1.0) / 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_whole_days_within_bounds_and_hours_within_history() {
        assert_eq!(
            Windows::parse(" 730 ", "14"),
            Ok(Windows {
                history_days: 730,
                hourly_days: 14
            })
        );
        assert_eq!(Windows::parse("0", "14"), Err(WindowsError::History));
        assert_eq!(Windows::parse("99999", "14"), Err(WindowsError::History));
        assert_eq!(Windows::parse("365", "1.5"), Err(WindowsError::Hourly));
        assert_eq!(Windows::parse("365", "400"), Err(WindowsError::Hourly));
        assert_eq!(
            Windows::parse("7", "30"),
            Err(WindowsError::HourlyBeyondHistory)
        );
        // A shorter window plans fewer pages.
        let short = Windows::parse("62", "7").unwrap();
        let now = NOW;
        let fetches = plan(now, short, |_| None);
        let daily = fetches
            .iter()
            .find(|f| {
                f.stream
                    == Stream::Usage(UsageKind::Completions, BucketWidth::Day)
            })
            .unwrap();
        assert_eq!(daily.pages(), 2, "62 days in pages of 31");
    }

    const NOW: i64 = 1_780_315_200; // 2026-06-01T12:00Z

    fn pages(fetches: &[Fetch]) -> u32 {
        fetches.iter().map(Fetch::pages).sum()
    }

    #[test]
    fn a_back_fill_uses_full_pages() {
        let fetches = plan(NOW, Windows::default(), |_| None);
        let daily = fetches
            .iter()
            .find(|f| {
                f.stream
                    == Stream::Usage(UsageKind::Completions, BucketWidth::Day)
            })
            .unwrap();
        assert_eq!((daily.to - daily.from) / DAY, 365);
        assert_eq!(daily.pages(), 12, "365 days in pages of 31");
        let hourly = fetches
            .iter()
            .find(|f| {
                f.stream == Stream::Usage(UsageKind::Images, BucketWidth::Hour)
            })
            .unwrap();
        assert_eq!(hourly.pages(), 5, "720 hours in pages of 168");
        let costs = fetches.iter().find(|f| f.stream == Stream::Costs).unwrap();
        assert_eq!(costs.pages(), 3, "365 days in pages of 180");
        assert_eq!(pages(&fetches), 10 * (12 + 5) + 3);
    }

    #[test]
    fn an_up_to_date_store_costs_one_request_per_stream() {
        let first = plan(NOW, Windows::default(), |_| None);
        let done =
            |stream| first.iter().find(|f| f.stream == stream).map(|f| f.to);
        let later = plan(NOW + 600, Windows::default(), done);
        assert!(later.iter().all(|f| f.pages() == 1), "{later:?}");
        assert_eq!(later.len(), 21);
    }

    #[test]
    fn a_stopped_back_fill_resumes_where_it_stopped() {
        let first = plan(NOW, Windows::default(), |_| None);
        let stream = Stream::Usage(UsageKind::Completions, BucketWidth::Day);
        let whole = first.iter().find(|f| f.stream == stream).unwrap();
        let stopped_at = whole.from + 100 * DAY;
        let again = plan(NOW, Windows::default(), |s| {
            (s == stream).then_some(stopped_at)
        });
        let resumed = again.iter().find(|f| f.stream == stream).unwrap();
        assert_eq!(resumed.from, stopped_at - 2 * DAY);
        assert_eq!(resumed.to, whole.to);
    }

    #[test]
    fn recent_buckets_are_always_fetched_again() {
        let stream = Stream::Usage(UsageKind::Completions, BucketWidth::Hour);
        let fetches = plan(NOW, Windows::default(), |_| Some(NOW + 3_600));
        let hourly = fetches.iter().find(|f| f.stream == stream).unwrap();
        assert_eq!(hourly.to - hourly.from, DAY);
        assert_eq!(hourly.from % 3_600, 0);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_honours_retry_after() {
        let backoff = Backoff::default();
        assert_eq!(
            backoff.wait(2, None, 1.0),
            Some(Duration::from_millis(500))
        );
        assert_eq!(backoff.wait(3, None, 1.0), Some(Duration::from_secs(1)));
        assert_eq!(
            backoff.wait(3, None, 0.0),
            Some(Duration::from_millis(500))
        );
        assert_eq!(backoff.wait(4, Some(2), 0.0), Some(Duration::from_secs(2)));
        assert_eq!(backoff.wait(6, Some(2), 0.0), None, "tries are bounded");
        let late = Backoff {
            attempts: 40,
            ..backoff
        };
        assert_eq!(late.wait(40, None, 1.0), Some(Duration::from_secs(30)));
    }

    #[test]
    fn hourly_data_reaches_back_whole_days_even_in_the_days_last_hour() {
        let midnight = 86_400 * 20_000;
        for now in [midnight + 60, midnight + 23 * HOUR + 1_800] {
            let fetches = plan(now, Windows::default(), |_| None);
            let hourly = fetches
                .iter()
                .find(|f| {
                    f.stream
                        == Stream::Usage(
                            UsageKind::Completions,
                            BucketWidth::Hour,
                        )
                })
                .expect("an hourly stream");
            assert_eq!(hourly.from, midnight - 30 * DAY, "at {now}");
            let daily = fetches
                .iter()
                .find(|f| {
                    f.stream
                        == Stream::Usage(
                            UsageKind::Completions,
                            BucketWidth::Day,
                        )
                })
                .expect("a daily stream");
            assert_eq!(daily.from, midnight - 364 * DAY, "at {now}");
        }
    }
}
