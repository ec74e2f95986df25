//! Actions on the key directory and on connections: notes, identifying a
//! pasted key, editing and removing an organization.

use leptos::prelude::*;

use super::actions::{report, select};
use super::state::{AppState, Notice, View};
use crate::api::endpoints;
use crate::domain::connection::renamed;
use crate::domain::fingerprint::{fingerprint, identify, Identified};
use crate::domain::keys::{ApiKey, KeyNotes};
use crate::domain::sync_plan::Windows;

/// Saves the user's notes on one key and shows them at once.
pub async fn save_notes(state: AppState, key: ApiKey, notes: KeyNotes) {
    let Some(db) = state.db() else { return };
    match db.save_key_notes(&key.connection_id, &key.id, &notes).await {
        Ok(saved) => state.data.update(|data| {
            if let Some(old) = data.keys.iter_mut().find(|k| {
                k.id == saved.id && k.connection_id == saved.connection_id
            }) {
                *old = saved;
            }
        }),
        Err(error) => report(state, error),
    }
}

/// Finds which listed key `secret` is and stores only its fingerprint.
pub async fn identify_pasted(state: AppState, secret: String) {
    if secret.trim().is_empty() {
        return;
    }
    let found = state.data.with_untracked(|data| {
        match identify(&secret, &data.keys) {
        Identified::Known(key) => Ok((key.clone(), true)),
        Identified::Matched(key) => Ok((key.clone(), false)),
        Identified::Ambiguous(keys) => Err(format!(
            "{} keys look like this one; keymeter cannot tell which.",
            keys.len()
        )),
        Identified::NotFound => Err(
            "No listed key matches. Paste the whole key; if it is new, sync \
             first, or check the organization."
                .to_owned(),
        ),
    }
    });
    let (key, known) = match found {
        Ok(found) => found,
        Err(text) => return state.notice.set(Some(Notice::error(text))),
    };
    let text =
        format!("That is \"{}\" ({}).", key.display_name(), key.masked());
    if !known {
        let mut notes = key.notes.clone();
        notes.fingerprint = Some(fingerprint(&secret));
        save_notes(state, key, notes).await;
    }
    state.notice.set(Some(Notice::info(text)));
}

/// Renames a connection or points it at another API base.
pub async fn edit_connection(state: AppState, label: String, base: String) {
    let (Some(db), Some(mut connection)) =
        (state.db(), state.current_untracked())
    else {
        return;
    };
    let base = endpoints::normalize_base(&base);
    if let Err(problem) = endpoints::validate_base(&base) {
        return state.notice.set(Some(Notice::error(problem)));
    }
    let others = state.connections.with_untracked(|all| {
        let others = all.iter().filter(|c| c.id != connection.id);
        renamed(&label, others.map(|c| c.label.as_str()))
    });
    connection.label = match others {
        Ok(name) => name,
        Err(taken) => return state.notice.set(Some(Notice::error(taken))),
    };
    connection.api_base = base;
    if let Err(error) = db.put_connection(&connection).await {
        return report(state, error);
    }
    state.replace_connection(connection);
    state.notice.set(Some(Notice::info("Saved.")));
}

/// Sets how far back syncs of the selected connection keep daily and
/// hourly data. Data already stored stays; the next sync fills what a
/// longer window adds.
pub async fn set_windows(state: AppState, history: String, hourly: String) {
    let (Some(db), Some(mut connection)) =
        (state.db(), state.current_untracked())
    else {
        return;
    };
    let old = connection.windows.unwrap_or_default();
    let new = match Windows::parse(&history, &hourly) {
        Ok(windows) => windows,
        Err(problem) => {
            return state.notice.set(Some(Notice::error(problem)));
        }
    };
    connection.windows = Some(new);
    // A longer window reaches before what is stored: the next sync goes
    // over the whole windows again rather than only forward.
    let longer = new.history_days > old.history_days
        || new.hourly_days > old.hourly_days;
    let saved = if longer {
        db.put_connection_and_resync(&connection).await
    } else {
        db.put_connection(&connection).await
    };
    if let Err(error) = saved {
        return report(state, error);
    }
    state.replace_connection(connection);
    state.notice.set(Some(Notice::info(if longer {
        "Saved. The next sync fetches the whole of the longer windows."
    } else {
        "Saved. Later syncs keep to the shorter windows; data already stored stays."
    })));
}

/// Removes the selected connection. With `keep_history` its data stays,
/// read only; otherwise everything stored for it is deleted.
pub async fn remove_connection(state: AppState, keep_history: bool) {
    let (Some(db), Some(mut connection)) =
        (state.db(), state.current_untracked())
    else {
        return;
    };
    state.secrets.update(|all| {
        all.remove(&connection.id);
    });
    let outcome = if keep_history {
        connection.archived = true;
        connection.sealed_secret = None;
        db.put_connection(&connection).await
    } else {
        db.delete_connection_data(&connection.id, false).await
    };
    if let Err(error) = outcome {
        return report(state, error);
    }
    if keep_history {
        state.replace_connection(connection.clone());
        select(state, connection.id).await;
    } else {
        state
            .connections
            .update(|all| all.retain(|c| c.id != connection.id));
        let next = state
            .connections
            .with_untracked(|all| all.first().map(|c| c.id.clone()));
        match next {
            Some(id) => select(state, id).await,
            None => {
                state.selected.set(None);
                state.adding.set(true);
            }
        }
    }
    state.view.set(View::Overview);
    let text = if keep_history {
        format!("\"{}\" was removed; its history is kept.", connection.label)
    } else {
        format!("\"{}\" and all its data were removed.", connection.label)
    };
    state.notice.set(Some(Notice::info(text)));
}
