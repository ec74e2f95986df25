//! The team summary: how many API keys, users and projects were active
//! over a range, what they used together, and the model and day that
//! stood out.

use std::collections::HashSet;

use super::directory::Directory;
use super::ledger::Ledger;
use super::models::ModelRow;
use super::rows::Row;
use super::source::Source;
use super::tally::Tally;
use super::trend::{DayPoint, Trend};

/// The summary's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamSummary {
    /// API keys with usage; unattributed usage is no key.
    pub active_keys: usize,
    /// Users and service accounts with usage.
    pub active_users: usize,
    /// Projects with usage.
    pub projects: usize,
    /// All usage: tokens, estimated cost and unpriced tokens.
    pub tally: Tally,
    /// The model with the most tokens (then requests).
    pub most_used_model: Option<String>,
    /// The day with the most tokens (then requests), if any had usage.
    pub busiest_day: Option<DayPoint>,
}

/// The summary of the rows `source` uses, from the model breakdown and
/// the trend already made of them.
pub fn team_summary(
    rows: &[Row],
    source: &Source,
    directory: &Directory,
    models: &[ModelRow],
    trend: &Trend,
) -> TeamSummary {
    team_of(&Ledger::of(rows, source, None), directory, models, trend)
}

/// The summary of the groups of `ledger` with usage on its days.
pub fn team_of(
    ledger: &Ledger,
    directory: &Directory,
    models: &[ModelRow],
    trend: &Trend,
) -> TeamSummary {
    let mut keys = HashSet::new();
    let mut users = HashSet::new();
    let mut projects = HashSet::new();
    for group in ledger.groups() {
        // Sums of counts are positive exactly when some row's are.
        let used = group.range.tokens > 0 || group.range.requests > 0;
        if !used {
            continue;
        }
        let record = group.record;
        let connection = record.connection_id.as_str();
        if let Some(key) = record.api_key_id.as_deref() {
            keys.insert((connection, key));
        }
        if let Some(user) = directory.person_of(record) {
            users.insert((connection, user));
        }
        if let Some(project) = record.project_id.as_deref() {
            projects.insert((connection, project));
        }
    }

    let busiest = |p: &&DayPoint| (p.tally.tokens, p.tally.requests);
    TeamSummary {
        active_keys: keys.len(),
        active_users: users.len(),
        projects: projects.len(),
        tally: trend.total(),
        most_used_model: models
            .iter()
            .filter(|m| m.kind.is_none() && m.tally.tokens > 0)
            .max_by_key(|m| (m.tally.tokens, m.tally.requests))
            .map(|m| m.label.clone()),
        busiest_day: trend
            .points
            .iter()
            .filter(|p| !p.tally.is_empty())
            .max_by_key(busiest)
            .copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::{by, daily, priced, MODEL};
    use crate::domain::analytics::grid::Days;
    use crate::domain::analytics::models::models;
    use crate::domain::analytics::trend::trend;
    use crate::domain::time::{Date, DAY};
    use crate::domain::zone::Zone;

    #[test]
    fn the_summary_counts_who_was_active_and_finds_the_busiest_day() {
        let last = Date::new(2026, 5, 10);
        let start = last.to_unix();
        let mut other_user = daily(start - DAY, 900);
        other_user.user_id = Some("user-b".into());
        let records = [
            daily(start, 100),
            by(daily(start, 50), Some("key_b")),
            by(daily(start - 2 * DAY, 10), None),
            other_user,
            by(daily(start - 30 * DAY, 10_000), Some("key_old")),
        ];
        let rows = priced(&records);
        let source = Source::choose(&rows, &Zone::utc(), Days::ending(last, 7));
        let trend = trend(&rows, &source);
        let models = models(&rows, &source);

        let none = Directory::default();
        let summary = team_summary(&rows, &source, &none, &models, &trend);

        assert_eq!(summary.active_keys, 2);
        assert_eq!(summary.active_users, 2);
        assert_eq!(summary.projects, 1);
        assert_eq!(summary.tally.tokens, 1_060);
        assert_eq!(summary.most_used_model.as_deref(), Some(MODEL));
        let busiest = summary.busiest_day.map(|d| d.date);
        assert_eq!(busiest, Some(last.add_days(-1)));
    }
}
