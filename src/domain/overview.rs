//! The keys overview: one row per API key with its counts and estimated
//! cost over a time range, an "Unattributed" row and the totals.

use std::collections::HashMap;

use super::keys::{ApiKey, Project};
use super::money::Usd;
use super::price;
use super::usage::{TokenCounts, UsageRecord};

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
    fn add_record(&mut self, record: &UsageRecord) {
        self.counts.add(&record.counts);
        match price::estimate(record) {
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
    /// OpenAI's key id; `None` for the Unattributed row.
    pub key_id: Option<String>,
    pub name: String,
    /// OpenAI's own name, when a label replaces it in `name`.
    pub openai_name: Option<String>,
    pub project: String,
    pub masked: String,
    pub totals: Totals,
}

/// The whole table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overview {
    /// Keys, most expensive first.
    pub rows: Vec<KeyRow>,
    /// Usage that no API key is attributed to, when there is any.
    pub unattributed: Option<Totals>,
    pub total: Totals,
}

/// Builds the overview of `records` whose bucket starts in `[from, to)`.
pub fn overview(
    projects: &[Project],
    keys: &[ApiKey],
    records: &[UsageRecord],
    from: i64,
    to: i64,
) -> Overview {
    let project_names: HashMap<&str, &str> = projects
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    let project_name = |id: &str| {
        project_names
            .get(id)
            .map_or(id.to_owned(), |n| (*n).to_owned())
    };

    let mut by_key: HashMap<&str, Totals> = HashMap::new();
    // Usage of keys the listing no longer has: keep their project.
    let mut orphan_projects: HashMap<&str, &str> = HashMap::new();
    let mut unattributed: Option<Totals> = None;
    for record in records {
        if record.start_time < from || record.start_time >= to {
            continue;
        }
        match record.api_key_id.as_deref() {
            Some(key) => {
                by_key.entry(key).or_default().add_record(record);
                if let Some(project) = record.project_id.as_deref() {
                    orphan_projects.entry(key).or_insert(project);
                }
            }
            None => unattributed.get_or_insert_default().add_record(record),
        }
    }

    let mut rows: Vec<KeyRow> = keys
        .iter()
        .map(|key| KeyRow {
            key_id: Some(key.id.clone()),
            name: key.display_name().to_owned(),
            openai_name: (key.display_name() != key.name)
                .then(|| key.name.clone()),
            project: project_name(&key.project_id),
            masked: key.masked(),
            totals: by_key.remove(key.id.as_str()).unwrap_or_default(),
        })
        .collect();
    rows.extend(by_key.into_iter().map(|(id, totals)| {
        KeyRow {
            key_id: Some(id.to_owned()),
            name: id.to_owned(),
            openai_name: None,
            project: orphan_projects
                .get(id)
                .map(|p| project_name(p))
                .unwrap_or_default(),
            masked: String::new(),
            totals,
        }
    }));
    rows.sort_by(|a, b| {
        b.totals
            .cost
            .cmp(&a.totals.cost)
            .then(
                b.totals
                    .counts
                    .total_tokens()
                    .cmp(&a.totals.counts.total_tokens()),
            )
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.key_id.cmp(&b.key_id))
    });

    let mut total = Totals::default();
    for row in &rows {
        total.add(&row.totals);
    }
    if let Some(extra) = &unattributed {
        total.add(extra);
    }
    Overview {
        rows,
        unattributed,
        total,
    }
}
