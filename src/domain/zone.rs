//! The display zone: how UTC instants map to local dates and hours.
//!
//! Stored buckets stay UTC. A zone here is a name plus its UTC offsets and
//! the instants they change, which the browser reads from its own time-zone
//! database (see `ui::zone`) for the span on screen. Keeping the rules as
//! plain data keeps every local-time figure a pure function, tested with
//! the real transitions of real zones, and keeps a copy of the time-zone
//! database out of the download.

use super::sort;
use super::time::{Date, DAY};

/// The name of the default zone, the one OpenAI's own dashboard uses.
pub const UTC: &str = "UTC";

/// A moment the offset changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Transition {
    /// Unix seconds from which `offset` applies.
    pub at: i64,
    /// Seconds east of UTC.
    pub offset: i32,
}

/// A named zone with its offsets over the span it was built for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zone {
    name: String,
    /// The offset before the first transition.
    base: i32,
    /// Sorted by `at`.
    transitions: Vec<Transition>,
}

/// A local wall-clock reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
}

impl Zone {
    /// Coordinated Universal Time.
    pub fn utc() -> Self {
        Zone::fixed(UTC, 0)
    }

    /// A zone whose offset never changes, such as Asia/Kolkata (+05:30).
    pub fn fixed(name: &str, offset: i32) -> Self {
        Zone::with_transitions(name, offset, Vec::new())
    }

    /// A zone that starts at `base` seconds east of UTC and changes at each
    /// transition. Transitions may come in any order; repeats of the
    /// running offset are dropped.
    pub fn with_transitions(
        name: &str,
        base: i32,
        mut transitions: Vec<Transition>,
    ) -> Self {
        sort::by_key(&mut transitions, |t| t.at);
        let mut kept: Vec<Transition> = Vec::with_capacity(transitions.len());
        let mut running = base;
        for t in transitions {
            if t.offset != running {
                running = t.offset;
                kept.push(t);
            }
        }
        Zone {
            name: name.to_owned(),
            base,
            transitions: kept,
        }
    }

    /// The IANA name, such as `Europe/Berlin`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether local days are UTC days: no offset, ever.
    pub fn is_utc(&self) -> bool {
        self.base == 0 && self.transitions.is_empty()
    }

    /// Seconds east of UTC at the instant `utc`.
    pub fn offset_at(&self, utc: i64) -> i32 {
        let after = self.transitions.partition_point(|t| t.at <= utc);
        match after {
            0 => self.base,
            n => self.transitions[n - 1].offset,
        }
    }

    /// The local wall-clock time at `utc`.
    pub fn local(&self, utc: i64) -> LocalTime {
        let local = utc + i64::from(self.offset_at(utc));
        let secs = local.rem_euclid(DAY);
        LocalTime {
            date: Date::from_unix(local),
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
        }
    }

    /// The local date at `utc`.
    pub fn date(&self, utc: i64) -> Date {
        self.local(utc).date
    }

    /// The first instant whose local date is `date` or later. A day whose
    /// midnight falls in a spring-forward gap starts at the transition.
    pub fn day_start(&self, date: Date) -> i64 {
        // Local dates only move forward with time (a fall-back that
        // crosses midnight aside), so the first instant of `date` is found
        // by bisection within the widest offsets the world uses.
        let midnight = date.to_unix();
        let (mut low, mut high) = (midnight - 2 * DAY, midnight + 2 * DAY);
        while low < high {
            let mid = low + (high - low) / 2;
            if self.date(mid) >= date {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        low
    }

    /// `[start, end)` of the local day `date`, in UTC seconds. It lasts
    /// 23 or 25 hours on the days the clocks change.
    pub fn day_bounds(&self, date: Date) -> (i64, i64) {
        (self.day_start(date), self.day_start(date.add_days(1)))
    }

    /// `utc` as local ISO 8601 with its offset:
    /// `2026-03-09T05:30:00+05:30`.
    pub fn iso_local(&self, utc: i64) -> String {
        let local = utc + i64::from(self.offset_at(utc));
        let secs = local.rem_euclid(DAY);
        format!(
            "{}T{:02}:{:02}:{:02}{}",
            Date::from_unix(local),
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            self.offset_label(utc)
        )
    }

    /// The offset as people write it: `+05:30`, `-07:00`, `+00:00`.
    pub fn offset_label(&self, utc: i64) -> String {
        let offset = self.offset_at(utc);
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone::utc()
    }
}

/// Whether `name` looks like an IANA zone name (`UTC`, `Area/City`,
/// `Area/Sub/City`, `Etc/GMT+5`). The browser has the final word on
/// whether the zone exists; this keeps odd text out of URLs and storage.
pub fn plausible_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_+-".contains(&b))
        })
}

/// Zones browsers still list under a name IANA has since replaced
/// (Chromium's list comes from ICU, which keeps the old spellings), with
/// the name people know them by today.
const RENAMED: [(&str, &str); 17] = [
    ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/Catamarca", "America/Argentina/Catamarca"),
    ("America/Cordoba", "America/Argentina/Cordoba"),
    ("America/Godthab", "America/Nuuk"),
    ("America/Indianapolis", "America/Indiana/Indianapolis"),
    ("America/Jujuy", "America/Argentina/Jujuy"),
    ("America/Louisville", "America/Kentucky/Louisville"),
    ("America/Mendoza", "America/Argentina/Mendoza"),
    ("Asia/Calcutta", "Asia/Kolkata"),
    ("Asia/Katmandu", "Asia/Kathmandu"),
    ("Asia/Rangoon", "Asia/Yangon"),
    ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
    ("Atlantic/Faeroe", "Atlantic/Faroe"),
    ("Europe/Kiev", "Europe/Kyiv"),
    ("Pacific/Enderbury", "Pacific/Kanton"),
    ("Pacific/Ponape", "Pacific/Pohnpei"),
    ("Pacific/Truk", "Pacific/Chuuk"),
];

/// `name` as IANA writes it today: `Asia/Calcutta` is `Asia/Kolkata`.
/// Other names are returned as they are.
pub fn current_name(name: &str) -> &str {
    RENAMED
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new)
}

/// Real zones, with the transitions of 2026, for tests everywhere in the
/// crate.
#[cfg(test)]
pub mod samples {
    use super::*;

    pub fn kolkata() -> Zone {
        Zone::fixed("Asia/Kolkata", 5 * 3600 + 1800)
    }

    /// Clocks go forward at 01:00Z on the last Sunday of March and back at
    /// 01:00Z on the last Sunday of October.
    pub fn berlin() -> Zone {
        Zone::with_transitions(
            "Europe/Berlin",
            3600,
            vec![
                Transition {
                    at: Date::new(2026, 3, 29).to_unix() + 3600,
                    offset: 7200,
                },
                Transition {
                    at: Date::new(2026, 10, 25).to_unix() + 3600,
                    offset: 3600,
                },
            ],
        )
    }

    /// Forward at 10:00Z on 2026-03-08, back at 09:00Z on 2026-11-01.
    pub fn los_angeles() -> Zone {
        Zone::with_transitions(
            "America/Los_Angeles",
            -8 * 3600,
            vec![
                Transition {
                    at: Date::new(2026, 3, 8).to_unix() + 10 * 3600,
                    offset: -7 * 3600,
                },
                Transition {
                    at: Date::new(2026, 11, 1).to_unix() + 9 * 3600,
                    offset: -8 * 3600,
                },
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    const HOUR: i64 = 3600;

    #[test]
    fn a_half_hour_zone_moves_midnight_utc_to_half_past_five() {
        let zone = kolkata();
        let at = Date::new(2026, 3, 9).to_unix();
        let local = zone.local(at);
        assert_eq!((local.hour, local.minute), (5, 30));
        assert_eq!(zone.offset_label(at), "+05:30");
        assert_eq!(zone.iso_local(at), "2026-03-09T05:30:00+05:30");
        assert_eq!(los_angeles().iso_local(at), "2026-03-08T17:00:00-07:00");
        // Local midnight of 2026-03-10 is 18:30Z the day before.
        assert_eq!(
            zone.day_start(Date::new(2026, 3, 10)),
            Date::new(2026, 3, 9).to_unix() + 18 * HOUR + 1800
        );
    }

    #[test]
    fn spring_forward_and_fall_back_days_last_23_and_25_hours() {
        let zone = berlin();
        let (start, end) = zone.day_bounds(Date::new(2026, 3, 29));
        assert_eq!(end - start, 23 * HOUR);
        let (start, end) = zone.day_bounds(Date::new(2026, 10, 25));
        assert_eq!(end - start, 25 * HOUR);
        let (start, end) = zone.day_bounds(Date::new(2026, 6, 1));
        assert_eq!(end - start, 24 * HOUR);
        assert_eq!(start, Date::new(2026, 5, 31).to_unix() + 22 * HOUR);
    }

    #[test]
    fn the_repeated_hour_of_a_fall_back_night_is_local_hour_two_twice() {
        let zone = berlin();
        let first = Date::new(2026, 10, 25).to_unix();
        assert_eq!(zone.local(first).hour, 2); // 00:00Z is 02:00 summer time
        assert_eq!(zone.local(first + HOUR).hour, 2); // 01:00Z, winter time
        assert_eq!(zone.local(first + 2 * HOUR).hour, 3);
    }

    #[test]
    fn west_of_utc_the_evening_belongs_to_the_previous_local_day() {
        let zone = los_angeles();
        let now = Date::new(2026, 7, 15).to_unix() + 4 * HOUR;
        assert_eq!(zone.date(now), Date::new(2026, 7, 14));
        assert_eq!(zone.date(now - 2 * HOUR), Date::new(2026, 7, 14));
        assert_eq!(zone.offset_label(now), "-07:00");
    }

    #[test]
    fn every_instant_lies_in_exactly_the_local_day_whose_bounds_hold_it() {
        for zone in [Zone::utc(), kolkata(), berlin(), los_angeles()] {
            let mut date = Date::new(2026, 1, 1);
            let mut previous_end = zone.day_start(date);
            while date < Date::new(2027, 1, 1) {
                let (start, end) = zone.day_bounds(date);
                assert_eq!(start, previous_end, "{} {date}", zone.name());
                assert_eq!(zone.date(start), date);
                assert_eq!(zone.date(end - 1), date);
                assert_eq!(zone.date(end), date.add_days(1));
                previous_end = end;
                date = date.add_days(1);
            }
        }
    }

    #[test]
    fn transitions_that_change_nothing_are_dropped_and_order_is_restored() {
        let shuffled = Zone::with_transitions(
            "Test/Zone",
            0,
            vec![
                Transition { at: 200, offset: 0 },
                Transition {
                    at: 100,
                    offset: 3600,
                },
                Transition {
                    at: 150,
                    offset: 3600,
                },
            ],
        );
        assert_eq!(shuffled.offset_at(99), 0);
        assert_eq!(shuffled.offset_at(100), 3600);
        assert_eq!(shuffled.offset_at(199), 3600);
        assert_eq!(shuffled.offset_at(200), 0);
        assert!(!shuffled.is_utc());
        assert!(Zone::utc().is_utc());
    }

    #[test]
    fn only_zone_shaped_names_pass() {
        for good in [
            "UTC",
            "Europe/Berlin",
            "America/Argentina/Salta",
            "Etc/GMT+5",
        ] {
            assert!(plausible_name(good), "{good}");
        }
        for bad in
            ["", "Europe//Berlin", "<script>", "Europe/Berlin?x=1", "a b"]
        {
            assert!(!plausible_name(bad), "{bad}");
        }
    }

    #[test]
    fn old_zone_names_are_shown_as_iana_writes_them_today() {
        assert_eq!(current_name("Asia/Calcutta"), "Asia/Kolkata");
        assert_eq!(current_name("Europe/Kiev"), "Europe/Kyiv");
        assert_eq!(current_name("Asia/Kolkata"), "Asia/Kolkata");
        assert_eq!(current_name("Europe/Berlin"), "Europe/Berlin");
        for (old, new) in RENAMED {
            assert!(plausible_name(new) && old != new, "{old}");
            assert_eq!(current_name(new), new, "renamed twice: {new}");
        }
    }
}
