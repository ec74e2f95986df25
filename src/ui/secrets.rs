//! The admin key's life on this device: unlocking a saved key, locking,
//! saving it encrypted, changing the passphrase and forgetting it.

use leptos::prelude::*;

use super::actions::report;
use super::state::{AppState, Notice, Secret};
use crate::vault;

/// The selected connection's id and the open database, or nothing.
fn target(
    state: AppState,
) -> Option<(crate::storage::Db, crate::domain::connection::Connection)> {
    Some((state.db()?, state.current_untracked()?))
}

fn keep(state: AppState, id: &str, secret: &str) {
    state.secrets.update(|all| {
        all.insert(id.to_owned(), Secret::new(secret));
    });
}

/// Opens the saved key with `passphrase` and keeps it in memory.
pub async fn unlock_saved(state: AppState, passphrase: String) {
    let Some((_, connection)) = target(state) else {
        return;
    };
    let Some(sealed) = &connection.sealed_secret else {
        return;
    };
    state
        .progress
        .set(Some("Unlocking the saved key…".to_owned()));
    let opened = vault::open(sealed, &passphrase).await;
    state.progress.set(None);
    match opened {
        Ok(secret) => {
            keep(state, &connection.id, &secret);
            state
                .notice
                .set(Some(Notice::info("Key unlocked for this tab.")));
        }
        Err(error) => state.notice.set(Some(Notice::error(error))),
    }
}

/// Drops the key from memory; a saved copy stays encrypted.
pub fn lock(state: AppState) {
    let Some(id) = state.selected.get_untracked() else {
        return;
    };
    state.secrets.update(|all| {
        all.remove(&id);
    });
    state.notice.set(Some(Notice::info(
        "Locked: the key is no longer in this tab's memory.",
    )));
}

/// Saves the in-memory key encrypted under `passphrase`, replacing any
/// earlier copy (this is also how the passphrase is changed).
pub async fn remember(state: AppState, passphrase: String, confirm: String) {
    let Some((db, mut connection)) = target(state) else {
        return;
    };
    if passphrase != confirm {
        let text = "The two passphrases differ. Nothing was changed.";
        return state.notice.set(Some(Notice::error(text)));
    }
    let Some(secret) = state
        .secrets
        .with_untracked(|all| all.get(&connection.id).cloned())
    else {
        let text = "Unlock or enter the key first.";
        return state.notice.set(Some(Notice::error(text)));
    };
    state.progress.set(Some("Encrypting the key…".to_owned()));
    let sealed = vault::seal(secret.expose(), &passphrase).await;
    state.progress.set(None);
    let sealed = match sealed {
        Ok(sealed) => sealed,
        Err(error) => return state.notice.set(Some(Notice::error(error))),
    };
    connection.sealed_secret = Some(sealed);
    if let Err(error) = db.put_connection(&connection).await {
        return report(state, error);
    }
    state.replace_connection(connection);
    state.notice.set(Some(Notice::info(
        "The key is saved on this device, encrypted with your passphrase.",
    )));
}

/// Deletes the encrypted copy; the key stays in memory until reload.
pub async fn forget_saved(state: AppState) {
    let Some((db, mut connection)) = target(state) else {
        return;
    };
    connection.sealed_secret = None;
    if let Err(error) = db.put_connection(&connection).await {
        return report(state, error);
    }
    state.replace_connection(connection);
    state.notice.set(Some(Notice::info(
        "The saved key is deleted from this device.",
    )));
}
