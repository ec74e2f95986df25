//! The keys overview: one row per tracked API key with its counts and
//! estimated cost over a time range, an "Unattributed" row and the totals.
//! The data may span several organizations; ids are scoped by connection.

use std::collections::{HashMap, HashSet};

use super::analytics::grid::{DayGrid, Days};
use super::analytics::source::{coverage, resolution, Source};
use super::keys::{ApiKey, Project};
use super::money::Usd;
use super::price::{built_in_table, PriceTable};
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
}

impl Totals {
    fn add_record(&mut self, prices: &PriceTable, record: &UsageRecord) {
        self.counts.add(&record.counts);
        match prices.estimate(record) {
            Some(cost) => self.cost += cost,
            None => self.unpriced_tokens += record.counts.total_tokens(),
        }
    }

    fn add(&mut self, other: &Totals) {
        self.counts.add(&other.counts);
        self.cost += other.cost;
        self.unpriced_tokens += other.unpriced_tokens;
    }

    /// True when every token of this line is unpriced, so its cost is
    /// unknown rather than zero.
    pub fn wholly_unpriced(&self) -> bool {
        self.unpriced_tokens > 0 && self.cost == Usd::ZERO
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
    let keep = |r: &UsageRecord| {
        r.width == BucketWidth::Day && r.start_time >= from && r.start_time < to
    };
    overview_where(prices, projects, keys, records, keep)
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
    let (from, to) = DayGrid::new(zone, days).span();
    let seen =
        coverage(records.iter().map(|r| (r.width, r.start_time)), from, to);
    let source = Source::with(resolution(&seen, zone), zone, days);
    let width = source.resolution().width();
    let rows = records
        .iter()
        .filter(|r| {
            r.width == width && source.grid().index(r.start_time).is_some()
        })
        .collect();
    (rows, source.days_are_utc())
}

/// The overview of the local `days` in `zone`, from `counted_rows`, so
/// that it shows the analytics' totals. Says whether its days are UTC
/// days.
pub fn overview_in_zone(
    prices: &PriceTable,
    projects: &[Project],
    keys: &[ApiKey],
    records: &[UsageRecord],
    zone: &Zone,
    days: Days,
) -> (Overview, bool) {
    let (rows, utc_days) = counted_rows(records, zone, days);
    let table = overview_where(prices, projects, keys, rows, |_| true);
    (table, utc_days)
}

/// The overview of the rows `keep` accepts.
fn overview_where<'a>(
    prices: &PriceTable,
    projects: &[Project],
    keys: &[ApiKey],
    records: impl IntoIterator<Item = &'a UsageRecord>,
    keep: impl Fn(&UsageRecord) -> bool,
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
    for record in records {
        if !keep(record) {
            continue;
        }
        let Some(key) = record.api_key_id.as_deref() else {
            table
                .unattributed
                .get_or_insert_default()
                .add_record(prices, record);
            continue;
        };
        let scoped = (record.connection_id.as_str(), key);
        if untracked.contains(&scoped) {
            table.untracked.add_record(prices, record);
            continue;
        }
        by_key.entry(scoped).or_default().add_record(prices, record);
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
    use crate::domain::analytics::{analytics, Filter, Inputs, Options};
    use crate::domain::demo::{demo_org, stored_usage};
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
            let (table, said_utc) = overview_in_zone(
                prices,
                &org.projects,
                &org.keys,
                &usage,
                &zone,
                days,
            );
            let all = Filter::default();
            let view =
                analytics(&inputs, &all, &zone, days, now, &Options::default());
            let total = view.trend.total();
            assert_eq!(table.total.counts.total_tokens(), total.tokens);
            assert_eq!(table.total.cost, total.cost);
            assert_eq!(said_utc, utc_days, "{}", zone.name());
        }
    }
}
