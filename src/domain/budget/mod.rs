//! Budgets, burn-rate watches and the alerts they raise.
//!
//! A budget caps what one scope (an API key, a project, a user, or the
//! whole organization) may spend or use per period, in the zone the user
//! chose for it. Alerts are records with a natural key, so evaluating the
//! same data twice never raises the same alert twice.
//!
//! `period` finds a budget's current days, `progress` adds up what its
//! scope spent in them, `evaluate` turns progress, burn rates and key
//! listings into alerts, `form` reads what a user types, and `label`
//! names scopes, limits and periods for people.

pub mod amount;
pub mod evaluate;
pub mod form;
pub mod label;
pub mod period;
pub mod progress;
pub mod table;

#[cfg(test)]
mod fixtures;

use serde::{Deserialize, Serialize};

use super::analytics::directory::Directory;
use super::analytics::rows::Row;
use super::analytics::Filter;
use super::money::Usd;
use super::time::Date;
use amount::Amount;

/// Whose usage a budget or watch counts. Ids are the API's, within the
/// budget's organization.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    Organization,
    Project { id: String },
    User { id: String },
    Key { id: String },
}

impl Scope {
    /// The usage rows of this scope in organization `connection_id`.
    /// Model and kind stay open: a budget counts all of a scope's usage.
    pub fn filter(&self, connection_id: &str) -> Filter {
        let mut filter = Filter {
            connection: Some(connection_id.to_owned()),
            ..Filter::default()
        };
        match self {
            Scope::Organization => {}
            Scope::Project { id } => filter.project = Some(id.clone()),
            Scope::User { id } => filter.user = Some(id.clone()),
            Scope::Key { id } => filter.key = Some(id.clone()),
        }
        filter
    }

    /// The rows of this scope in organization `connection_id` among
    /// `rows`, whatever keys the user tracks; `directory` says whose
    /// each row is.
    pub fn rows<'a>(
        &self,
        connection_id: &str,
        rows: &[Row<'a>],
        directory: &Directory,
    ) -> Vec<Row<'a>> {
        let filter = self.filter(connection_id);
        rows.iter()
            .filter(|row| filter.matches(row.record(), directory))
            .copied()
            .collect()
    }
}

/// How long one budget period lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Day,
    /// Seven days starting on `first_day` (0 Monday through 6 Sunday).
    Week {
        first_day: u32,
    },
    /// A calendar month.
    Month,
    /// One fixed range, both days included.
    Custom {
        first: Date,
        last: Date,
    },
}

/// What a budget caps: estimated dollars or tokens. Externally tagged
/// (`{"usd": 50000000000000}`), since serde cannot buffer the 128-bit
/// amount an internally tagged enum would need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Usd(Usd),
    Tokens(u64),
}

impl Limit {
    /// The limit as an amount of its unit, to compare spending with.
    pub fn amount(self) -> Amount {
        match self {
            Limit::Usd(amount) => Amount::Usd(amount),
            Limit::Tokens(tokens) => Amount::Tokens(tokens),
        }
    }
}

/// The thresholds a new budget starts with, in percent.
pub const DEFAULT_THRESHOLDS: [u32; 3] = [50, 80, 100];

/// A budget on one scope of one organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    pub id: String,
    pub connection_id: String,
    pub scope: Scope,
    pub period: Period,
    /// The IANA zone whose days the periods follow.
    pub zone: String,
    pub limit: Limit,
    /// Percentages of the limit that raise an alert, ascending.
    pub thresholds: Vec<u32>,
    /// A paused budget shows progress but raises no alert.
    pub paused: bool,
    pub created_at: i64,
}

impl Budget {
    /// Whether `other` is another budget that watches the same thing in
    /// the same way: a second one would only raise every alert twice.
    pub fn repeats(&self, other: &Budget) -> bool {
        self.id != other.id
            && self.connection_id == other.connection_id
            && self.scope == other.scope
            && self.period == other.period
            && self.zone == other.zone
            && self.limit == other.limit
            && self.thresholds == other.thresholds
    }
}

/// A watch on how fast a scope spends: an alert when the last hour's
/// pace is above `limit` per hour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BurnWatch {
    pub id: String,
    pub connection_id: String,
    pub scope: Scope,
    /// Dollars or tokens per hour.
    pub limit: Limit,
    pub paused: bool,
    pub created_at: i64,
}

impl BurnWatch {
    /// Whether `other` is another watch of the same scope and pace.
    pub fn repeats(&self, other: &BurnWatch) -> bool {
        self.id != other.id
            && self.connection_id == other.connection_id
            && self.scope == other.scope
            && self.limit == other.limit
    }
}

/// What an alert is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertKind {
    /// A budget reached one of its thresholds in one period.
    Threshold {
        budget_id: String,
        /// First day of the period, which keeps periods apart.
        period_first: Date,
        threshold: u32,
    },
    /// A watched scope spent faster than its watch allows in the hour
    /// starting at `hour` (unix seconds).
    Burn { watch_id: String, hour: i64 },
    /// A sync found an API key keymeter had not seen before.
    NewKey { key_id: String },
}

/// One alert, kept in the alert centre until deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// The natural key: one alert per budget, period and threshold, per
    /// watch and hour, per new key.
    pub id: String,
    pub connection_id: String,
    pub kind: AlertKind,
    /// When it was raised, unix seconds.
    pub at: i64,
    /// What happened, in a sentence, as it was when raised.
    pub message: String,
    pub acknowledged: bool,
}

impl Alert {
    /// The order of an alert list: newest first and, among alerts raised
    /// by one check, the higher threshold first (100 % before 80 %),
    /// which the ids, compared as text, would not give.
    pub fn newest_first(a: &Alert, b: &Alert) -> std::cmp::Ordering {
        let threshold = |alert: &Alert| match alert.kind {
            AlertKind::Threshold { threshold, .. } => threshold,
            _ => 0,
        };
        b.at.cmp(&a.at)
            .then_with(|| threshold(b).cmp(&threshold(a)))
            .then_with(|| a.id.cmp(&b.id))
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{key_budget, usd};
    use super::*;

    #[test]
    fn a_budget_or_watch_that_repeats_another_is_told_apart_from_a_new_one() {
        let first = key_budget("b1", "key_1", 50);
        assert!(!first.repeats(&first), "a budget does not repeat itself");
        let again = Budget {
            id: "b2".to_owned(),
            created_at: first.created_at + 5,
            paused: true,
            ..first.clone()
        };
        assert!(again.repeats(&first));
        let other_limit = Budget {
            limit: Limit::Usd(usd(60)),
            ..again.clone()
        };
        assert!(!other_limit.repeats(&first));
        let other_key = key_budget("b3", "key_2", 50);
        assert!(!other_key.repeats(&first));

        let watch = BurnWatch {
            id: "w1".to_owned(),
            connection_id: "c1".to_owned(),
            scope: Scope::Organization,
            limit: Limit::Usd(usd(5)),
            paused: false,
            created_at: 0,
        };
        let twice = BurnWatch {
            id: "w2".to_owned(),
            ..watch.clone()
        };
        assert!(twice.repeats(&watch) && !watch.repeats(&watch));
        let faster = BurnWatch {
            limit: Limit::Usd(usd(6)),
            ..twice
        };
        assert!(!faster.repeats(&watch));
    }

    #[test]
    fn alerts_raised_together_list_the_higher_threshold_first() {
        let alert = |threshold: u32, at: i64| Alert {
            id: format!("b1-2026-03-01-{threshold}"),
            connection_id: "c1".to_owned(),
            kind: AlertKind::Threshold {
                budget_id: "b1".to_owned(),
                period_first: crate::domain::time::Date::new(2026, 3, 1),
                threshold,
            },
            at,
            message: String::new(),
            acknowledged: false,
        };
        let mut list =
            [alert(50, 10), alert(100, 10), alert(80, 10), alert(120, 5)];
        list.sort_by(Alert::newest_first);
        let order: Vec<u32> = list
            .iter()
            .map(|a| match a.kind {
                AlertKind::Threshold { threshold, .. } => threshold,
                _ => 0,
            })
            .collect();
        assert_eq!(order, [100, 80, 50, 120]);
    }
}
