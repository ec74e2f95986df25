//! The comparison of API keys: one line per tracked key of the scope,
//! keys without usage included with zeros, plus a line for usage no key
//! is attributed to. Keys are told apart by connection and id, never by
//! name: two keys called `default` in two projects are two lines.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::burn::{Burn, FirstSeen, LAST_DAY};
use super::directory::{Directory, UNATTRIBUTED_LABEL};
use super::filter::{Filter, UNATTRIBUTED};
use super::ledger::{key_id, KeyId, Ledger};
use super::rows::Row;
use super::source::Source;
use super::tally::{share, Tally};
use crate::domain::keys::ApiKey;

/// Which API key a line is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyRef {
    Key {
        connection_id: String,
        key_id: String,
    },
    /// Usage no API key is attributed to, in every organization.
    Unattributed,
}

impl KeyRef {
    /// The `Filter::key` value that selects this line's usage.
    pub fn filter_value(&self) -> &str {
        match self {
            KeyRef::Key { key_id, .. } => key_id,
            KeyRef::Unattributed => UNATTRIBUTED,
        }
    }
}

/// One line of the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyLine {
    pub key: KeyRef,
    /// The user's label or OpenAI's name; the id for keys the listing
    /// lacks.
    pub name: String,
    /// The project's name, empty when unknown.
    pub project: String,
    /// The key's masked form, empty when unknown.
    pub masked: String,
    /// Gone from OpenAI's listing, or never in it.
    pub deleted: bool,
    /// Usage over the range.
    pub tally: Tally,
    /// This line's part of the estimated cost of all lines, 0.0 to 1.0.
    pub cost_share: f64,
    /// The pace of the last 24 hours.
    pub burn: Burn,
}

/// What a comparison can be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    Name,
    Tokens,
    #[default]
    Cost,
    Requests,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    #[default]
    Descending,
}

/// One key's running sums.
#[derive(Default)]
struct Sums<'a> {
    range: Tally,
    last_day: Tally,
    first_seen: FirstSeen,
    project: Option<&'a str>,
}

/// The lines of the scope's `rows` (all of them, so that burn rates know
/// when each key was first seen) over the days of `source`, most
/// expensive first. `keys` is the listing; those `filter` admits and the
/// user tracks get a line whatever their usage.
pub fn compare_keys(
    rows: &[Row],
    source: &Source,
    directory: &Directory,
    keys: &[ApiKey],
    filter: &Filter,
    now: i64,
) -> Vec<KeyLine> {
    let ledger = Ledger::of(rows, source, Some(now));
    compare_of(&ledger, directory, keys, filter)
}

/// The lines of the groups of `ledger`, which must hold all of the
/// scope's rows and their last 24 hours (`Ledger::new` with `now`).
pub fn compare_of(
    ledger: &Ledger,
    directory: &Directory,
    keys: &[ApiKey],
    filter: &Filter,
) -> Vec<KeyLine> {
    debug_assert!(ledger.now().is_some(), "burn rates need the last day");
    let now = ledger.now().unwrap_or_default();
    let mut sums: HashMap<KeyId, Sums> = HashMap::new();
    // Groups come in the order of their first rows, so each key takes
    // the project of its first row that has one.
    for group in ledger.groups() {
        let record = group.record;
        let sum = sums.entry(key_id(record)).or_default();
        sum.first_seen.merge(&group.first_seen);
        sum.range.merge(&group.range);
        sum.last_day.merge(&group.last_day);
        if sum.project.is_none() {
            sum.project = record.project_id.as_deref();
        }
    }

    let line = |key: KeyRef, sum: &Sums| KeyLine {
        key,
        name: String::new(),
        project: String::new(),
        masked: String::new(),
        deleted: true,
        tally: sum.range,
        cost_share: 0.0,
        burn: Burn::new(sum.last_day, sum.first_seen.at(), now, LAST_DAY),
    };
    let mut lines = Vec::new();
    for key in keys
        .iter()
        .filter(|k| k.notes.tracked && filter.admits_key(k))
    {
        let id = Some((key.connection_id.as_str(), key.id.as_str()));
        let sum = sums.remove(&id).unwrap_or_default();
        lines.push(KeyLine {
            name: key.display_name().to_owned(),
            project: directory
                .project_name(&key.connection_id, &key.project_id)
                .to_owned(),
            masked: key.masked(),
            deleted: key.deleted_at.is_some(),
            ..line(key_ref(&key.connection_id, &key.id), &sum)
        });
    }
    // Keys the listing lacks, or untracked ones the filter asked for.
    for (id, sum) in &sums {
        let Some((connection, key_id)) = *id else {
            continue;
        };
        if sum.range.is_empty() && sum.last_day.is_empty() {
            continue;
        }
        let project =
            sum.project.map(|p| directory.project_name(connection, p));
        let known = directory.key(connection, key_id);
        lines.push(KeyLine {
            name: directory.key_name(connection, key_id).to_owned(),
            project: project.unwrap_or_default().to_owned(),
            masked: known.map(ApiKey::masked).unwrap_or_default(),
            deleted: known.is_none_or(|k| k.deleted_at.is_some()),
            ..line(key_ref(connection, key_id), sum)
        });
    }
    if let Some(sum) = sums.get(&None).filter(|s| !s.range.is_empty()) {
        lines.push(KeyLine {
            name: UNATTRIBUTED_LABEL.to_owned(),
            deleted: false,
            ..line(KeyRef::Unattributed, sum)
        });
    }

    let total: u128 = lines.iter().map(|l| l.tally.cost.0).sum();
    for line in &mut lines {
        line.cost_share = share(line.tally.cost.0, total);
    }
    sort_lines(&mut lines, SortBy::Cost, Direction::Descending);
    lines
}

fn key_ref(connection: &str, key: &str) -> KeyRef {
    KeyRef::Key {
        connection_id: connection.to_owned(),
        key_id: key.to_owned(),
    }
}

/// Sorts `lines` by `by`. Ties go by cost, then tokens (most first),
/// then name and id, so the order never depends on where rows came from.
pub fn sort_lines(lines: &mut [KeyLine], by: SortBy, direction: Direction) {
    lines.sort_by(|a, b| {
        let primary = match by {
            SortBy::Name => by_name(&a.name, &b.name),
            SortBy::Tokens => a.tally.tokens.cmp(&b.tally.tokens),
            SortBy::Cost => a.tally.spend_order().cmp(&b.tally.spend_order()),
            SortBy::Requests => a.tally.requests.cmp(&b.tally.requests),
        };
        let primary = match direction {
            Direction::Ascending => primary,
            Direction::Descending => primary.reverse(),
        };
        primary
            .then_with(|| b.tally.spend_order().cmp(&a.tally.spend_order()))
            .then_with(|| by_name(&a.name, &b.name))
            .then_with(|| a.project.cmp(&b.project))
            .then_with(|| a.key.filter_value().cmp(b.key.filter_value()))
    });
}

/// Names in the order people expect: letter case aside.
fn by_name(a: &str, b: &str) -> Ordering {
    let lower =
        |s: &str| s.chars().flat_map(char::to_lowercase).collect::<Vec<_>>();
    lower(a).cmp(&lower(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{
        by, daily, hourly, priced, unpriced, HOUR,
    };
    use crate::domain::analytics::grid::Days;
    use crate::domain::demo::demo_org;
    use crate::domain::time::{Date, DAY};
    use crate::domain::zone::Zone;

    fn last() -> Date {
        Date::new(2026, 5, 10)
    }

    fn lines_of(
        records: &[crate::domain::usage::UsageRecord],
        keys: &[ApiKey],
        filter: &Filter,
    ) -> Vec<KeyLine> {
        let rows = priced(records);
        let source =
            Source::choose(&rows, &Zone::utc(), Days::ending(last(), 7));
        let directory = Directory::new(keys, &[], &[]);
        let now = last().to_unix() + 12 * HOUR;
        compare_keys(&rows, &source, &directory, keys, filter, now)
    }

    #[test]
    fn a_tracked_key_without_usage_is_compared_with_zeros() {
        let org = demo_org("c", last(), 30);
        let records: Vec<_> = org
            .usage
            .iter()
            .filter(|r| r.api_key_id.as_deref() != Some("key_demoUnused000009"))
            .cloned()
            .collect();
        let lines = lines_of(&records, &org.keys, &Filter::default());
        let unused = lines
            .iter()
            .find(|l| l.key.filter_value() == "key_demoUnused000009");
        let unused = unused.map(|l| (l.tally, l.cost_share));
        assert_eq!(unused, Some((Tally::default(), 0.0)));
    }

    #[test]
    fn keys_of_the_same_name_in_two_projects_stay_two_lines() {
        let org = demo_org("c", last(), 30);
        let lines = lines_of(&org.usage, &org.keys, &Filter::default());
        let defaults: Vec<_> =
            lines.iter().filter(|l| l.name == "default").collect();
        assert_eq!(defaults.len(), 2);
        assert_ne!(defaults[0].project, defaults[1].project);
        assert!(defaults.iter().all(|l| l.tally.tokens > 0));
    }

    #[test]
    fn unattributed_usage_gets_its_own_line_in_the_totals() {
        let start = last().to_unix();
        let records = [daily(start, 100), by(daily(start, 40), None)];
        let lines = lines_of(&records, &[], &Filter::default());
        let names: Vec<_> = lines
            .iter()
            .map(|l| (l.name.as_str(), l.tally.tokens))
            .collect();
        assert_eq!(names, [("key_a", 100), (UNATTRIBUTED_LABEL, 40)]);
        assert_eq!(lines[1].key, KeyRef::Unattributed);
        let shares: f64 = lines.iter().map(|l| l.cost_share).sum();
        assert!((shares - 1.0).abs() < 1e-9);
    }

    #[test]
    fn unpriced_usage_is_counted_and_not_costed() {
        let start = last().to_unix();
        let records = [unpriced(daily(start, 500))];
        let lines = lines_of(&records, &[], &Filter::default());
        assert_eq!(lines[0].tally.tokens, 500);
        assert_eq!(lines[0].tally.estimated(), None);
    }

    #[test]
    fn each_line_burns_over_the_last_24_hours_it_was_seen() {
        let now = last().to_unix() + 12 * HOUR;
        let records = [
            daily(now - 20 * DAY, 1),
            hourly(now - 2 * HOUR, 1_440),
            by(hourly(now - 2 * HOUR, 1_200), Some("key_new")),
        ];
        let lines = lines_of(&records, &[], &Filter::default());
        let rate = |id: &str| {
            let line = lines.iter().find(|l| l.key.filter_value() == id);
            line.map(|l| l.burn.tokens_per_minute())
        };
        assert_eq!(rate("key_a"), Some(1.0));
        assert_eq!(rate("key_new"), Some(10.0));
    }

    #[test]
    fn lines_sort_by_any_column_either_way() {
        let org = demo_org("c", last(), 30);
        let mut lines = lines_of(&org.usage, &org.keys, &Filter::default());
        sort_lines(&mut lines, SortBy::Tokens, Direction::Ascending);
        assert!(lines
            .windows(2)
            .all(|w| w[0].tally.tokens <= w[1].tally.tokens));
        sort_lines(&mut lines, SortBy::Requests, Direction::Descending);
        assert!(lines
            .windows(2)
            .all(|w| w[0].tally.requests >= w[1].tally.requests));
        sort_lines(&mut lines, SortBy::Name, Direction::Ascending);
        assert_eq!(lines[0].name, "api-server");
    }

    #[test]
    fn the_filter_limits_which_keys_are_listed() {
        let org = demo_org("c", last(), 30);
        let filter = Filter {
            project: Some("proj_demoStaging00000000002".into()),
            ..Filter::default()
        };
        let records: Vec<_> = org
            .usage
            .iter()
            .filter(|r| filter.matches(r, &Directory::default()))
            .cloned()
            .collect();
        let lines = lines_of(&records, &org.keys, &filter);
        assert_eq!(lines.len(), 3, "{lines:#?}");
    }
}
