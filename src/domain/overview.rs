//! The keys overview: one row per tracked API key with its counts and
//! estimated cost over a time range, an "Unattributed" row and the totals.
//! The data may span several organizations; ids are scoped by connection.

use std::collections::{HashMap, HashSet};

use super::analytics::bundle::in_scope;
use super::analytics::burn::{Burn, FirstSeen, Window, LAST_DAY};
use super::analytics::directory::Directory;
use super::analytics::grid::{DayGrid, Days};
use super::analytics::group::Slots;
use super::analytics::ledger::{key_id, KeyId};
use super::analytics::rows::{priced, Row};
use super::analytics::source::{coverage, resolution, Source};
use super::analytics::tally::Tally;
use super::analytics::trend::{DayTally, Trend};
use super::analytics::{Filter, Inputs};
use super::keys::{ApiKey, Project};
use super::money::Usd;
use super::price::{built_in_table, PriceTable};
use super::summary::{KindLine, KindSums};
use super::time::day_start;
use super::usage::{BucketWidth, TokenCounts, UsageRecord};
use super::zone::Zone;

/// Counts and money of one line of the overview.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    pub counts: TokenCounts,
    /// Estimated cost of the priced part of the usage.
    pub cost: Usd,
    /// Tokens whose model has no price; left out of `cost`.
    pub unpriced_tokens: u64,
    /// Whether any usage has no price, tokens or not (tool calls and
    /// storage are priced per call or per byte): `cost` falls short.
    pub understated: bool,
    /// The pace of the last 24 hours, whatever the range, when the
    /// table was made for a moment (`overview_page`).
    pub burn: Option<Burn>,
}

impl Totals {
    fn add_row(&mut self, row: &Row) {
        row.record().counts.add_to(&mut self.counts);
        match row.cost() {
            Some(cost) => self.cost += cost,
            None => {
                self.unpriced_tokens += row.tokens();
                self.understated = true;
            }
        }
    }

    fn add(&mut self, other: &Totals) {
        self.counts.add(&other.counts);
        self.cost += other.cost;
        self.unpriced_tokens += other.unpriced_tokens;
        self.understated |= other.understated;
    }

    /// True when none of this line's usage has a price, so its cost is
    /// unknown rather than zero.
    pub fn wholly_unpriced(&self) -> bool {
        self.understated && self.cost == Usd::ZERO
    }
}

/// One API key's line.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyRow {
    pub connection_id: String,
    /// OpenAI's key id.
    pub key_id: String,
    pub name: String,
    /// OpenAI's own name, when a label replaces it in `name`.
    pub openai_name: Option<String>,
    pub project: String,
    pub masked: String,
    pub tags: Vec<String>,
    /// Gone from OpenAI's listing (or never in it); history is kept.
    pub deleted: bool,
    pub totals: Totals,
}

/// The whole table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    /// Tracked keys, most expensive first.
    pub rows: Vec<KeyRow>,
    /// Usage that no API key is attributed to, when there is any.
    pub unattributed: Option<Totals>,
    /// Tracked keys and unattributed usage together.
    pub total: Totals,
    /// How many keys the user switched off, and their usage, which the
    /// rows and the total leave out.
    pub untracked_keys: usize,
    pub untracked: Totals,
}

type Scoped<'a> = (&'a str, &'a str);

/// Builds the overview of `records` whose bucket starts in `[from, to)`
/// at the built-in prices.
pub fn overview(
    projects: &[Project],
    keys: &[ApiKey],
    records: &[UsageRecord],
    from: i64,
    to: i64,
) -> Overview {
    overview_with_prices(built_in_table(), projects, keys, records, from, to)
}

/// Builds the overview of `records` whose bucket starts in `[from, to)`,
/// estimating costs with `prices` (the user's table).
pub fn overview_with_prices(
    prices: &PriceTable,
    projects: &[Project],
    keys: &[ApiKey],
    records: &[UsageRecord],
    from: i64,
    to: i64,
) -> Overview {
    // Daily rows cover every day; hourly rows repeat recent ones.
    let kept = records.iter().filter(|r| {
        r.width == BucketWidth::Day && r.start_time >= from && r.start_time < to
    });
    let mut sums = ByGroup::default();
    for row in priced(prices, kept) {
        sums.add(&row, |_| true);
    }
    table_of(projects, keys, &sums.groups)
}

/// The rows a view of the local `days` in `zone` adds up, the same ones
/// as the analytics views: hourly rows on local days where they hold the
/// whole range, else daily rows on UTC days. Says whether its days are
/// UTC days.
pub fn counted_rows<'a>(
    records: &'a [UsageRecord],
    zone: &Zone,
    days: Days,
) -> (Vec<&'a UsageRecord>, bool) {
    let source = counted_source(records, zone, days);
    (in_source(records, &source).collect(), source.days_are_utc())
}

/// The source the views of the local `days` in `zone` add up.
fn counted_source<'a>(
    records: impl IntoIterator<Item = &'a UsageRecord>,
    zone: &Zone,
    days: Days,
) -> Source {
    let (from, to) = DayGrid::new(zone, days).span();
    let buckets = records.into_iter().map(|r| (r.width, r.start_time));
    let seen = coverage(buckets, from, to);
    Source::with(resolution(&seen, zone), zone, days)
}

/// The records of `source`: of its width, on its days.
fn in_source<'a>(
    records: &'a [UsageRecord],
    source: &Source,
) -> impl Iterator<Item = &'a UsageRecord> {
    let width = source.resolution().width();
    // The days follow one another, so being on one is being in the span.
    let (from, to) = source.grid().span();
    records.iter().filter(move |r| {
        r.width == width && r.start_time >= from && r.start_time < to
    })
}

/// What the Overview page shows of the local `days` in `zone`: the keys
/// table, the organization's cost per day and its usage by kind.
#[derive(Clone, Debug, PartialEq)]
pub struct OverviewPage {
    pub table: Overview,
    pub trend: Trend,
    /// Over the same dates as UTC days, like the billed costs beside it.
    pub kinds: Vec<KindLine>,
    /// Whether both count UTC days, as when hourly rows do not reach
    /// back far enough for local ones.
    pub utc_days: bool,
}

/// The Overview page, the same rows the analytics add up, in one pass
/// that prices each row once and keeps none: the table and the chart
/// add up the same rows.
pub fn overview_page(
    inputs: &Inputs,
    zone: &Zone,
    days: Days,
    now: i64,
) -> OverviewPage {
    // The chart and the usage by kind, like the analytics, leave
    // switched-off keys out.
    let directory = Directory::new(inputs.keys, inputs.projects, &[]);
    let all = Filter::default();
    let charted = |record: &UsageRecord| in_scope(record, &all, &directory);
    // One scan of every row finds the days to add up, the rows of the
    // last 24 hours and the usage by kind: a million rows are read from
    // memory once rather than three times.
    let mut burns = Burns::new(now);
    let utc = days.utc_bounds();
    let mut kinds = KindSums::new(utc.0, utc.1);
    let seen = inputs.records.iter().inspect(|record| {
        burns.see(record);
        if charted(record) {
            kinds.add(record);
        }
    });
    let source = counted_source(seen, zone, days);
    let mut sums = ByGroup::default();
    let mut chart = DayTally::new(&source);
    for row in priced(inputs.prices, in_source(inputs.records, &source)) {
        if sums.add(&row, charted) {
            chart.add(&row);
        }
    }
    let mut table = table_of(inputs.projects, inputs.keys, &sums.groups);
    let tracked =
        |key: KeyId| key.is_none_or(|(org, id)| directory.is_tracked(org, id));
    burns.set_on(
        &mut table,
        inputs.prices,
        &sums.groups,
        inputs.records,
        tracked,
    );
    OverviewPage {
        table,
        kinds: kinds.lines(),
        trend: chart.trend(),
        utc_days: source.days_are_utc(),
    }
}

/// The burn rate of the last 24 hours before a moment, for each line of
/// the table: the usage of the hourly rows then, over that time or since
/// the line's first usage when later (see `analytics::burn`).
struct Burns<'a> {
    now: i64,
    window: Window,
    /// The hourly rows of the window, to price once the scan is done.
    recent: Vec<&'a UsageRecord>,
}

impl<'a> Burns<'a> {
    fn new(now: i64) -> Self {
        Burns {
            now,
            window: Window::new(now, LAST_DAY),
            recent: Vec::new(),
        }
    }

    /// Takes one stored row into account, reading only its bucket: a
    /// row's ids live elsewhere in memory, and a million rows' ids cost
    /// more to reach than the rest of the scan.
    #[inline]
    fn see(&mut self, record: &'a UsageRecord) {
        if self.window.holds_bucket(record.width, record.start_time) {
            self.recent.push(record);
        }
    }

    /// Sets each line's burn on `table`; the total's is that of every
    /// key `tracked` accepts and of unattributed usage. `groups` are the
    /// sums of the range, whose first rows mostly settle when each key
    /// was first seen; `records` are read again only for a key whose
    /// first row in the range may not be its first.
    fn set_on(
        self,
        table: &mut Overview,
        prices: &PriceTable,
        groups: &[Group<'a>],
        records: &'a [UsageRecord],
        tracked: impl Fn(KeyId) -> bool,
    ) {
        let mut used: HashMap<KeyId, Tally> = HashMap::new();
        let mut seen: HashMap<KeyId, FirstSeen> = HashMap::new();
        for row in priced(prices, self.recent) {
            let key = key_id(row.record());
            used.entry(key).or_default().add(&row);
            seen.entry(key).or_default().add(row.width(), row.start());
        }
        for group in groups {
            if let Some(first) = seen.get_mut(&key_id(group.record)) {
                first.merge(&group.first);
            }
        }
        // Usage seen before the window's first day makes the window the
        // span whatever came earlier; otherwise every row of the key
        // tells when it began.
        let before = day_start(self.window.start());
        let unsure: Vec<KeyId> = seen
            .iter()
            .filter(|(_, first)| first.at().is_none_or(|at| at >= before))
            .map(|(key, _)| *key)
            .collect();
        if !unsure.is_empty() {
            let mut exact: HashMap<KeyId, FirstSeen> = unsure
                .iter()
                .map(|key| (*key, FirstSeen::default()))
                .collect();
            for record in records {
                if let Some(first) = exact.get_mut(&key_id(record)) {
                    first.add(record.width, record.start_time);
                }
            }
            seen.extend(exact);
        }

        let now = self.now;
        let burn = |tally: Tally, seen: FirstSeen| {
            Some(Burn::new(tally, seen.at(), now, LAST_DAY))
        };
        let of = |key: KeyId| {
            let tally = used.get(&key).copied().unwrap_or_default();
            (tally, seen.get(&key).copied().unwrap_or_default())
        };
        if let Some(unattributed) = &mut table.unattributed {
            let (tally, first) = of(None);
            unattributed.burn = burn(tally, first);
        }
        for row in &mut table.rows {
            let (tally, first) = of(Some((&row.connection_id, &row.key_id)));
            row.totals.burn = burn(tally, first);
        }
        // Keys used lately but not in the range count in the total too.
        let (mut all, mut all_seen) = (Tally::default(), FirstSeen::default());
        for key in used.keys().filter(|key| tracked(**key)) {
            let (tally, first) = of(*key);
            all.merge(&tally);
            all_seen.merge(&first);
        }
        table.total.burn = burn(all, all_seen);
    }
}

/// The totals of each group of rows (see `group`). Every row of a group
/// has the same key and project, and a million rows make a few thousand
/// groups, so the table looks keys up once per group, not per row.
#[derive(Default)]
struct ByGroup<'a> {
    slots: Slots<'a>,
    groups: Vec<Group<'a>>,
}

struct Group<'a> {
    /// The group's first record, for its key and project.
    record: &'a UsageRecord,
    totals: Totals,
    /// Its earliest row in the range.
    first: FirstSeen,
    charted: bool,
}

impl<'a> ByGroup<'a> {
    /// Adds `row` to its group, and says whether the group is charted,
    /// as `charted` decides when it meets the group's first row.
    #[inline]
    fn add(
        &mut self,
        row: &Row<'a>,
        charted: impl Fn(&UsageRecord) -> bool,
    ) -> bool {
        let (slot, new) = self.slots.of(row.group(), row.group_number());
        if new {
            self.groups.push(Group {
                record: row.group(),
                totals: Totals::default(),
                first: FirstSeen::default(),
                charted: charted(row.group()),
            });
        }
        let groups: &mut [Group] = &mut self.groups;
        groups[slot].totals.add_row(row);
        groups[slot].first.add(row.width(), row.start());
        groups[slot].charted
    }
}

/// The overview of the sums of `groups`.
fn table_of(
    projects: &[Project],
    keys: &[ApiKey],
    groups: &[Group],
) -> Overview {
    let project_names: HashMap<Scoped, &str> = projects
        .iter()
        .map(|p| ((p.connection_id.as_str(), p.id.as_str()), p.name.as_str()))
        .collect();
    let project_name = |connection: &str, id: &str| {
        project_names
            .get(&(connection, id))
            .map_or(id.to_owned(), |n| (*n).to_owned())
    };
    let untracked: HashSet<Scoped> = keys
        .iter()
        .filter(|k| !k.notes.tracked)
        .map(|k| (k.connection_id.as_str(), k.id.as_str()))
        .collect();

    let mut by_key: HashMap<Scoped, Totals> = HashMap::new();
    // Usage of keys the listing does not have: keep their project.
    let mut seen_projects: HashMap<Scoped, &str> = HashMap::new();
    let mut table = Overview::default();
    for Group { record, totals, .. } in groups {
        let Some(key) = record.api_key_id.as_deref() else {
            table.unattributed.get_or_insert_default().add(totals);
            continue;
        };
        let scoped = (record.connection_id.as_str(), key);
        if untracked.contains(&scoped) {
            table.untracked.add(totals);
            continue;
        }
        by_key.entry(scoped).or_default().add(totals);
        if let Some(project) = record.project_id.as_deref() {
            seen_projects.entry(scoped).or_insert(project);
        }
    }
    table.untracked_keys = untracked.len();

    table.rows = keys
        .iter()
        .filter(|key| key.notes.tracked)
        .map(|key| {
            let scoped = (key.connection_id.as_str(), key.id.as_str());
            KeyRow {
                connection_id: key.connection_id.clone(),
                key_id: key.id.clone(),
                name: key.display_name().to_owned(),
                openai_name: (key.display_name() != key.name)
                    .then(|| key.name.clone()),
                project: project_name(&key.connection_id, &key.project_id),
                masked: key.masked(),
                tags: key.notes.tags.clone(),
                deleted: key.deleted_at.is_some(),
                totals: by_key.remove(&scoped).unwrap_or_default(),
            }
        })
        .collect();
    table
        .rows
        .extend(by_key.into_iter().map(|((connection, id), totals)| {
            KeyRow {
                connection_id: connection.to_owned(),
                key_id: id.to_owned(),
                name: id.to_owned(),
                openai_name: None,
                project: seen_projects
                    .get(&(connection, id))
                    .map(|p| project_name(connection, p))
                    .unwrap_or_default(),
                masked: String::new(),
                tags: Vec::new(),
                deleted: true,
                totals,
            }
        }));
    table.rows.sort_by(|a, b| {
        let tokens = |row: &KeyRow| row.totals.counts.total_tokens();
        b.totals
            .cost
            .cmp(&a.totals.cost)
            .then(tokens(b).cmp(&tokens(a)))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.key_id.cmp(&b.key_id))
    });

    for row in &table.rows {
        table.total.add(&row.totals);
    }
    if let Some(extra) = &table.unattributed {
        table.total.add(extra);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::{analytics, Options};
    use crate::domain::demo::{demo_org, stored_usage};
    use crate::domain::summary::by_kind;
    use crate::domain::time::Date;

    #[test]
    fn in_any_zone_the_overview_adds_up_what_the_analytics_add_up() {
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 60);
        let now = last.to_unix() + 20 * 3600;
        let usage = stored_usage(&org, now);
        let prices = built_in_table();
        let inputs = Inputs {
            records: &usage,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices,
        };
        for (zone, days, utc_days) in [
            (Zone::fixed("Asia/Kolkata", 19_800), 7, false),
            (Zone::fixed("Asia/Kolkata", 19_800), 60, true),
            (Zone::utc(), 30, false),
        ] {
            let days = Days::ending(zone.date(now), days);
            let page = overview_page(&inputs, &zone, days, now);
            let (table, said_utc) = (page.table, page.utc_days);
            let all = Filter::default();
            let view =
                analytics(&inputs, &all, &zone, days, now, &Options::default());
            let total = view.trend.total();
            assert_eq!(table.total.counts.total_tokens(), total.tokens);
            assert_eq!(table.total.cost, total.cost);
            assert_eq!(said_utc, utc_days, "{}", zone.name());
        }
    }

    #[test]
    fn usage_without_tokens_or_price_marks_its_line_unpriced() {
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 10);
        let now = last.to_unix() + 20 * 3600;
        let usage: Vec<UsageRecord> = stored_usage(&org, now)
            .into_iter()
            .filter(|r| {
                r.kind == crate::domain::usage::UsageKind::WebSearchCalls
            })
            .collect();
        assert!(!usage.is_empty(), "the demo searches the web");
        let inputs = Inputs {
            records: &usage,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices: built_in_table(),
        };
        let zone = Zone::utc();
        let days = Days::ending(zone.date(now), 7);
        let total = overview_page(&inputs, &zone, days, now).table.total;
        assert_eq!(total.unpriced_tokens, 0);
        assert!(total.understated);
        assert!(total.wholly_unpriced(), "no price at all, not $0.00");
    }

    #[test]
    fn the_page_chart_adds_up_the_tracked_keys_as_the_analytics_do() {
        let last = Date::new(2026, 3, 31);
        let mut org = demo_org("c", last, 40);
        let now = last.to_unix() + 20 * 3600;
        let usage = stored_usage(&org, now);
        // A switched-off key leaves the chart and the total alike.
        org.keys[0].notes.tracked = false;
        let prices = built_in_table();
        let inputs = Inputs {
            records: &usage,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices,
        };
        for zone in [Zone::fixed("Asia/Kolkata", 19_800), Zone::utc()] {
            let days = Days::ending(zone.date(now), 7);
            let page = overview_page(&inputs, &zone, days, now);
            let table = &page.table;
            // Row by row, each priced on its own, as a check on the sums
            // by group.
            let (counted, _) = counted_rows(&usage, &zone, days);
            let (mut shown, mut hidden) =
                (Totals::default(), Totals::default());
            for record in counted {
                let off = org.keys[0].id.as_str();
                let sums = if record.api_key_id.as_deref() == Some(off) {
                    &mut hidden
                } else {
                    &mut shown
                };
                let counts = record.counts.unpack();
                sums.counts.add(&counts);
                match prices.estimate(record) {
                    Some(cost) => sums.cost += cost,
                    None => {
                        sums.unpriced_tokens += counts.total_tokens();
                        sums.understated = true;
                    }
                }
            }
            assert!(hidden.counts.total_tokens() > 0);
            assert_eq!(table.untracked, hidden);
            shown.burn = table.total.burn;
            assert_eq!(table.total, shown);
            assert_eq!(table.untracked_keys, 1);
            let view = analytics(
                &inputs,
                &Filter::default(),
                &zone,
                days,
                now,
                &Options::default(),
            );
            assert_eq!(page.trend, view.trend, "{}", zone.name());
            let utc = (days.first.to_unix(), days.last.add_days(1).to_unix());
            let tracked: Vec<UsageRecord> = usage
                .iter()
                .filter(|r| r.api_key_id.as_deref() != Some(&org.keys[0].id))
                .cloned()
                .collect();
            assert_eq!(page.kinds, by_kind(&tracked, utc.0, utc.1));
            assert!(page.kinds.len() > 3);
            let chart = page.trend.total();
            assert_eq!(chart.tokens, table.total.counts.total_tokens());
            assert_eq!(chart.cost, table.total.cost);
        }
    }

    #[test]
    fn each_line_burns_at_the_pace_its_analytics_show() {
        use crate::domain::analytics::fixtures::{by, daily, hourly};
        let last = Date::new(2026, 3, 31);
        let org = demo_org("c", last, 40);
        let hour = last.to_unix() + 15 * 3600;
        let now = hour + 1_234;
        let mut usage = stored_usage(&org, now);
        // A key first used three hours ago, and one used a hundred days
        // ago and again now: neither shows in a range of today as it is.
        usage.extend([
            by(hourly(hour - 3 * 3600, 5_000), Some("key_new")),
            by(hourly(hour - 2 * 3600, 7_000), Some("key_new")),
            by(daily(last.to_unix() - 100 * 86_400, 9_000), Some("key_old")),
            by(hourly(hour - 3600, 4_000), Some("key_old")),
        ]);
        let inputs = Inputs {
            records: &usage,
            keys: &org.keys,
            projects: &org.projects,
            people: &[],
            prices: built_in_table(),
        };
        let kolkata = Zone::fixed("Asia/Kolkata", 19_800);
        let mut listed = 0;
        for (zone, days) in [
            (Zone::utc(), Days::ending(last, 7)),
            (Zone::utc(), Days::new(last, last)),
            (kolkata.clone(), Days::ending(kolkata.date(now), 3)),
        ] {
            let page = overview_page(&inputs, &zone, days, now);
            let burn_of = |filter: &Filter| {
                let view = analytics(
                    &inputs,
                    filter,
                    &zone,
                    days,
                    now,
                    &Options::default(),
                );
                Some(view.burn_last_day)
            };

            let mut burning = 0;
            for row in &page.table.rows {
                let key = Filter {
                    key: Some(row.key_id.clone()),
                    ..Filter::default()
                };
                assert_eq!(row.totals.burn, burn_of(&key), "{}", row.name);
                burning +=
                    usize::from(row.totals.burn.unwrap().tally.tokens > 0);
            }
            assert!(burning >= 4, "{burning} keys used in the last 24 hours");
            assert_eq!(page.table.total.burn, burn_of(&Filter::default()));
            // Listed when their hourly rows are what the range adds up.
            let burn = |id: &str| {
                let row = page.table.rows.iter().find(|r| r.key_id == id);
                row.and_then(|r| r.totals.burn)
            };
            if let Some(new) = burn("key_new") {
                assert_eq!(new.since, hour - 3 * 3600);
                listed += 1;
            }
            if let Some(old) = burn("key_old") {
                assert_eq!(old.span, 86_400 + 1_234);
                listed += 1;
            }
        }
        assert!(listed >= 2, "{listed}");
    }
}
