//! Loading and saving budgets, watches and alerts, and checking them
//! against the data after every sync and when the page opens.

use std::collections::HashSet;

use leptos::prelude::*;

use super::actions::{now, report};
use super::state::{AppState, Notice};
use crate::domain::budget::{Alert, Budget, BurnWatch};
use crate::domain::keys::ApiKey;
use crate::storage::{OrgData, StorageError};

/// Reads every budget, watch and alert into the page.
pub async fn load(state: AppState) {
    let Some(db) = state.db() else { return };
    let loaded = async {
        Ok::<_, StorageError>((
            db.budgets().await?,
            db.watches().await?,
            db.alerts().await?,
        ))
    };
    match loaded.await {
        Ok((budgets, watches, alerts)) => {
            state.budgets.set(budgets);
            state.watches.set(watches);
            state.alerts.set(alerts);
        }
        Err(error) => report(state, error),
    }
}

/// Marks alerts as read.
pub async fn acknowledge(state: AppState, ids: Vec<String>) {
    let Some(db) = state.db() else { return };
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let changed: Vec<Alert> = state.alerts.with_untracked(|all| {
        all.iter()
            .filter(|a| wanted.contains(a.id.as_str()) && !a.acknowledged)
            .map(|a| Alert {
                acknowledged: true,
                ..a.clone()
            })
            .collect()
    });
    if changed.is_empty() {
        return;
    }
    match db.put_alerts(&changed).await {
        Ok(()) => state.alerts.update(|all| {
            for alert in all.iter_mut() {
                if wanted.contains(alert.id.as_str()) {
                    alert.acknowledged = true;
                }
            }
        }),
        Err(error) => report(state, error),
    }
}

/// Saves a new or edited budget.
pub async fn save_budget(state: AppState, mut budget: Budget) -> bool {
    let Some(db) = state.db() else { return false };
    if state
        .budgets
        .with_untracked(|all| all.iter().any(|b| budget.repeats(b)))
    {
        let text = "This budget exists already, with the same limit, period \
                    and alerts.";
        state.notice.set(Some(Notice::error(text)));
        return false;
    }
    // The form cannot know the browser's zones: a name it does not know
    // would make the budget's periods impossible to work out.
    match super::zone::canonical(&budget.zone) {
        Ok(name) => budget.zone = name,
        Err(error) => {
            state.notice.set(Some(Notice::error(error)));
            return false;
        }
    }
    match db.put_budget(&budget).await {
        Ok(()) => {
            state.budgets.update(|all| {
                all.retain(|b| b.id != budget.id);
                all.push(budget.clone());
            });
            evaluate(state, &budget.connection_id, None).await;
            true
        }
        Err(error) => {
            report(state, error);
            false
        }
    }
}

pub async fn delete_budget(state: AppState, id: String) {
    let Some(db) = state.db() else { return };
    match db.delete_budget(&id).await {
        Ok(()) => state.budgets.update(|all| all.retain(|b| b.id != id)),
        Err(error) => report(state, error),
    }
}

pub async fn save_watch(state: AppState, watch: BurnWatch) -> bool {
    let Some(db) = state.db() else { return false };
    if state
        .watches
        .with_untracked(|all| all.iter().any(|w| watch.repeats(w)))
    {
        let text = "This watch exists already, at the same pace.";
        state.notice.set(Some(Notice::error(text)));
        return false;
    }
    match db.put_watch(&watch).await {
        Ok(()) => {
            state.watches.update(|all| {
                all.retain(|w| w.id != watch.id);
                all.push(watch.clone());
            });
            evaluate(state, &watch.connection_id, None).await;
            true
        }
        Err(error) => {
            report(state, error);
            false
        }
    }
}

pub async fn delete_watch(state: AppState, id: String) {
    let Some(db) = state.db() else { return };
    match db.delete_watch(&id).await {
        Ok(()) => state.watches.update(|all| all.retain(|w| w.id != id)),
        Err(error) => report(state, error),
    }
}

/// Checks every organization's budgets and watches, as the page opens.
pub async fn evaluate_all(state: AppState) {
    let connections: Vec<String> = state
        .connections
        .with_untracked(|all| all.iter().map(|c| c.id.clone()).collect());
    for id in connections {
        evaluate(state, &id, None).await;
    }
}

/// Checks organization `connection_id`'s budgets and watches against its
/// stored data, and (after a sync) its key listing against the keys known
/// before; stores and announces what is new.
pub async fn evaluate(
    state: AppState,
    connection_id: &str,
    keys_before: Option<Vec<ApiKey>>,
) {
    let Some(db) = state.db() else { return };
    let budgets: Vec<Budget> = state.budgets.with_untracked(|all| {
        all.iter()
            .filter(|b| b.connection_id == connection_id)
            .cloned()
            .collect()
    });
    let watches: Vec<BurnWatch> = state.watches.with_untracked(|all| {
        all.iter()
            .filter(|w| w.connection_id == connection_id)
            .cloned()
            .collect()
    });
    if budgets.is_empty() && watches.is_empty() && keys_before.is_none() {
        return;
    }
    // With nothing to add up, only the key listing is compared: reading
    // every stored row for that would cost more than the sync itself.
    let data = if budgets.is_empty() && watches.is_empty() {
        db.api_keys(connection_id).await.map(|keys| OrgData {
            keys,
            ..OrgData::default()
        })
    } else {
        db.org_data(connection_id).await
    };
    let data = match data {
        Ok(data) => data,
        Err(error) => return report(state, error),
    };
    let existing: HashSet<String> = state
        .alerts
        .with_untracked(|all| all.iter().map(|a| a.id.clone()).collect());
    let fresh = state.prices.with_untracked(|prices| {
        super::alert_check::new_alerts(
            prices,
            &data,
            &budgets,
            &watches,
            keys_before.as_deref(),
            &existing,
            now(),
        )
    });
    let fresh = match fresh {
        Ok(fresh) => fresh,
        Err(error) => {
            return state.notice.set(Some(Notice::error(error)));
        }
    };
    if fresh.is_empty() {
        return;
    }
    if let Err(error) = db.put_alerts(&fresh).await {
        return report(state, error);
    }
    for alert in &fresh {
        super::notify::show("keymeter alert", &alert.message, &alert.id);
    }
    state.alerts.update(|all| all.extend(fresh));
}
