//! Runs the budget and watch checks of one organization: reads each
//! budget's zone from the browser, then leaves every figure and decision
//! to `domain::budget`.

use std::collections::HashSet;

use super::zone::{self, ZoneError};
use crate::domain::analytics::directory::Directory;
use crate::domain::analytics::rows::price_rows;
use crate::domain::budget::evaluate::{
    burn_alerts, new_key_alerts, threshold_alerts,
};
use crate::domain::budget::label::scope_name;
use crate::domain::budget::progress::{progress, Progress};
use crate::domain::budget::{Alert, Budget, BurnWatch};
use crate::domain::keys::ApiKey;
use crate::domain::price::PriceTable;
use crate::domain::zone::Zone;
use crate::storage::OrgData;

/// How far around now a budget's zone is read: long enough for any
/// period keymeter offers but a custom one, whose own days are added.
const YEAR: i64 = 366 * 86_400;

/// The rules of a budget's zone for its periods around `now`.
pub fn budget_zone(budget: &Budget, now: i64) -> Result<Zone, ZoneError> {
    let (mut from, mut to) = (now - YEAR, now + YEAR);
    if let crate::domain::budget::Period::Custom { first, last } = budget.period
    {
        from = from.min(first.to_unix() - 2 * 86_400);
        to = to.max(last.to_unix() + 2 * 86_400);
    }
    zone::load(&budget.zone, from, to)
}

/// Each budget's progress at `now`, from `data` (its organization's).
pub fn progresses(
    prices: &PriceTable,
    data: &OrgData,
    budgets: &[Budget],
    now: i64,
) -> Vec<(Budget, Result<Progress, ZoneError>)> {
    let rows = price_rows(prices, data.usage.iter());
    let directory = Directory::new(&data.keys, &data.projects, &data.people);
    budgets
        .iter()
        .map(|budget| {
            let progress = budget_zone(budget, now)
                .map(|zone| progress(budget, &rows, &directory, &zone, now));
            (budget.clone(), progress)
        })
        .collect()
}

/// The alerts that `data` raises now and that are not among `existing`.
pub fn new_alerts(
    prices: &PriceTable,
    data: &OrgData,
    budgets: &[Budget],
    watches: &[BurnWatch],
    keys_before: Option<&[ApiKey]>,
    existing: &HashSet<String>,
    now: i64,
) -> Result<Vec<Alert>, ZoneError> {
    let rows = price_rows(prices, data.usage.iter());
    let directory = Directory::new(&data.keys, &data.projects, &data.people);
    let name = |scope: &crate::domain::budget::Scope, connection: &str| {
        scope_name(scope, connection, &data.keys, &data.projects, &data.people)
    };
    let mut fresh = Vec::new();
    for budget in budgets {
        let zone = budget_zone(budget, now)?;
        let reached = progress(budget, &rows, &directory, &zone, now);
        let scope = name(&budget.scope, &budget.connection_id);
        fresh.extend(threshold_alerts(budget, &reached, existing, now, &scope));
    }
    for watch in watches {
        let scope = name(&watch.scope, &watch.connection_id);
        fresh.extend(burn_alerts(
            watch, &rows, &directory, now, existing, &scope,
        ));
    }
    if let Some(before) = keys_before {
        fresh.extend(new_key_alerts(before, &data.keys, existing, now));
    }
    Ok(fresh)
}
