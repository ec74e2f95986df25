//! One pass over a scope's rows for the views that compare keys, users,
//! projects and models: the usage of each group of rows (see `group`)
//! over the days of a source and in the last 24 hours, and each API
//! key's usage per day, which also make the days' trend. The views then
//! group a few thousand sums rather than a million rows.

use std::collections::HashMap;

use super::burn::{FirstSeen, Window, LAST_DAY};
use super::group::Slots;
use super::rows::Row;
use super::source::{Placer, Source};
use super::tally::Tally;
use super::trend::{DayTally, Trend};
use crate::domain::usage::UsageRecord;

/// An API key by connection and id; `None` for unattributed usage.
pub type KeyId<'a> = Option<(&'a str, &'a str)>;

/// The API key of `record`.
pub fn key_id(record: &UsageRecord) -> KeyId<'_> {
    record
        .api_key_id
        .as_deref()
        .map(|key| (record.connection_id.as_str(), key))
}

/// What one group of rows used.
#[derive(Clone, Debug)]
pub struct GroupSums<'a> {
    /// The group's first record, for its grouping values.
    pub record: &'a UsageRecord,
    /// Usage on the days of the source.
    pub range: Tally,
    /// Hourly usage of the 24 hours before the ledger's `now`.
    pub last_day: Tally,
    /// When the group was first seen, in any row.
    pub first_seen: FirstSeen,
    /// The group's API key, as numbered in `Ledger::keys`.
    key: usize,
    /// Where the key's days start in `Ledger::days`, once it has some.
    days_at: Option<usize>,
}

/// The sums of a scope's rows by group, day and API key.
#[derive(Clone, Debug)]
pub struct Ledger<'s, 'a> {
    placer: Placer<'s>,
    now: Option<i64>,
    last_day: Option<Window>,
    slots: Slots<'a>,
    /// In the order of their first rows.
    groups: Vec<GroupSums<'a>>,
    /// The number of each API key.
    numbers: HashMap<KeyId<'a>, usize>,
    /// Each key, and where its days start in `days` once it has some.
    keys: Vec<(KeyId<'a>, Option<usize>)>,
    /// The usage of each key with some on each day, key after key.
    days: Vec<Tally>,
}

impl<'s, 'a> Ledger<'s, 'a> {
    /// No rows yet on the days of `source`. With `now`, each group also
    /// keeps its usage of the 24 hours before it, for burn rates.
    pub fn new(source: &'s Source, now: Option<i64>) -> Self {
        Ledger {
            placer: Placer::new(source),
            now,
            last_day: now.map(|now| Window::new(now, LAST_DAY)),
            slots: Slots::default(),
            groups: Vec::new(),
            numbers: HashMap::new(),
            keys: Vec::new(),
            days: Vec::new(),
        }
    }

    /// The ledger of all of `rows`.
    pub fn of(rows: &[Row<'a>], source: &'s Source, now: Option<i64>) -> Self {
        let mut ledger = Ledger::new(source, now);
        for row in rows {
            ledger.add(row);
        }
        ledger
    }

    /// Adds one row of the scope.
    #[inline]
    pub fn add(&mut self, row: &Row<'a>) {
        let (slot, new) = self.slots.of(row.group(), row.group_number());
        if new {
            self.open(row.group());
        }
        // Slices, not `Vec`s, are indexed: see `rows`.
        let groups: &mut [GroupSums] = &mut self.groups;
        let group = &mut groups[slot];
        group.first_seen.add(row.width(), row.start());
        if self.last_day.is_some_and(|hours| hours.holds(row)) {
            group.last_day.add(row);
        }
        let Some(day) = self.placer.place(row) else {
            return;
        };
        group.range.add(row);
        let (days_at, key) = (group.days_at, group.key);
        let at = match days_at {
            Some(at) => at,
            None => {
                let at = self.days_of(key);
                self.groups[slot].days_at = Some(at);
                at
            }
        };
        let days: &mut [Tally] = &mut self.days;
        days[at + day].add(row);
    }

    /// Where the days of key `key` start in `days`, made on first use.
    fn days_of(&mut self, key: usize) -> usize {
        if let Some(at) = self.keys[key].1 {
            return at;
        }
        let at = self.days.len();
        let count = self.placer.source().grid().len();
        self.days.resize(at + count, Tally::default());
        self.keys[key].1 = Some(at);
        at
    }

    /// Starts the sums of the group `record` stands for.
    fn open(&mut self, record: &'a UsageRecord) {
        let id = key_id(record);
        let next = self.keys.len();
        let key = *self.numbers.entry(id).or_insert(next);
        if key == next {
            self.keys.push((id, None));
        }
        self.groups.push(GroupSums {
            record,
            range: Tally::default(),
            last_day: Tally::default(),
            first_seen: FirstSeen::default(),
            key,
            days_at: None,
        });
    }

    pub fn source(&self) -> &'s Source {
        self.placer.source()
    }

    /// The instant the groups' last 24 hours end at, if they were kept.
    pub fn now(&self) -> Option<i64> {
        self.now
    }

    /// The groups, in the order of their first rows.
    pub fn groups(&self) -> &[GroupSums<'a>] {
        &self.groups
    }

    /// The usage of each day of the source: the days of all keys.
    pub fn trend(&self) -> Trend {
        let mut trend = DayTally::new(self.source());
        for (_, days) in self.key_days() {
            for (day, tally) in days.iter().enumerate() {
                trend.merge_on(day, tally);
            }
        }
        trend.trend()
    }

    /// When the scope was first seen: its earliest group.
    pub fn first_seen(&self) -> FirstSeen {
        let mut seen = FirstSeen::default();
        for group in &self.groups {
            seen.merge(&group.first_seen);
        }
        seen
    }

    /// Each API key with usage on the days, with its usage per day, in
    /// the order of their first rows.
    pub fn key_days(&self) -> impl Iterator<Item = (KeyId<'a>, &[Tally])> {
        let count = self.source().grid().len();
        self.keys.iter().filter_map(move |(id, at)| {
            at.map(|at| (*id, &self.days[at..at + count]))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{by, daily, hourly, priced, HOUR};
    use crate::domain::analytics::grid::Days;
    use crate::domain::analytics::rows::Row;
    use crate::domain::analytics::trend::trend;
    use crate::domain::demo::{demo_org, stored_usage};
    use crate::domain::time::{Date, DAY};
    use crate::domain::zone::Zone;

    #[test]
    fn groups_add_up_to_the_days_and_keys_to_their_groups() {
        let last = Date::new(2026, 5, 10);
        let org = demo_org("c", last, 20);
        let now = last.to_unix() + 20 * HOUR;
        let records = stored_usage(&org, now);
        let rows = priced(&records);
        let source = Source::choose(&rows, &Zone::utc(), Days::ending(last, 7));

        let ledger = Ledger::of(&rows, &source, Some(now));

        let mut total = Tally::default();
        for group in ledger.groups() {
            total.merge(&group.range);
        }
        let days = trend(&rows, &source);
        assert_eq!(ledger.trend(), days);
        assert_eq!(total, days.total());
        let mut by_keys = Tally::default();
        for (_, points) in ledger.key_days() {
            points.iter().for_each(|p| by_keys.merge(p));
        }
        assert_eq!(by_keys, total);
        assert!(ledger.groups().len() < rows.len() / 10);
    }

    #[test]
    fn rows_made_alone_are_groups_of_their_own_with_the_same_sums() {
        let start = Date::new(2026, 5, 10).to_unix();
        let records = [
            daily(start, 10),
            daily(start, 20),
            by(daily(start, 5), None),
        ];
        let alone: Vec<Row> =
            records.iter().map(|r| Row::new(r, None)).collect();
        let source = Source::choose(
            &alone,
            &Zone::utc(),
            Days::ending(Date::new(2026, 5, 10), 1),
        );

        let ledger = Ledger::of(&alone, &source, None);

        assert_eq!(ledger.groups().len(), 3);
        assert_eq!(ledger.key_days().count(), 2);
        assert_eq!(ledger.trend().total().tokens, 35);
    }

    #[test]
    fn rows_of_two_pricings_keep_their_groups_apart() {
        let day = Date::new(2026, 5, 10);
        let (a, b) = (
            [daily(day.to_unix(), 10)],
            [by(daily(day.to_unix(), 20), Some("key_b"))],
        );
        // Both pricings number their only group 0.
        let rows: Vec<Row> = priced(&a).into_iter().chain(priced(&b)).collect();
        let source = Source::choose(&rows, &Zone::utc(), Days::ending(day, 1));

        let ledger = Ledger::of(&rows, &source, None);

        let keys: Vec<(KeyId, u64)> = ledger
            .key_days()
            .map(|(id, days)| (id, days[0].tokens))
            .collect();
        assert_eq!(
            keys,
            [(Some(("c", "key_a")), 10), (Some(("c", "key_b")), 20)]
        );
    }

    #[test]
    fn only_hourly_rows_of_the_last_24_hours_count_toward_them() {
        let now = Date::new(2026, 5, 10).to_unix() + 12 * HOUR;
        let records = [
            hourly(now - 2 * HOUR, 7),
            hourly(now - 2 * DAY, 9),
            daily(now - 12 * HOUR, 11),
        ];
        let rows = priced(&records);
        let source = Source::choose(
            &rows,
            &Zone::utc(),
            Days::ending(Date::new(2026, 5, 10), 3),
        );
        let ledger = Ledger::of(&rows, &source, Some(now));
        let last_day: u64 =
            ledger.groups().iter().map(|g| g.last_day.tokens).sum();
        assert_eq!(last_day, 7);
        let without = Ledger::of(&rows, &source, None);
        assert!(without.groups().iter().all(|g| g.last_day.is_empty()));
    }
}
