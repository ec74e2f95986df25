//! Backup and restore: one file with everything keymeter knows, and
//! putting it back. Reachable with no organization yet, so a new browser
//! can start from a backup.

use leptos::prelude::*;

use super::actions::{now, reload, report};
use super::download::download_text;
use super::files::{file_input, read_chosen};
use super::state::{AppState, Notice};
use crate::domain::backup::{parse_backup, Backup, RestoreMode};
use crate::domain::money::group_thousands;
use crate::domain::time::Date;

/// Far above a year of hourly usage for a large organization.
const MAX_BACKUP_FILE: f64 = 1_000e6;

/// Downloads a backup of everything stored.
async fn download(state: AppState) {
    let Some(db) = state.db() else { return };
    let backup = match db.backup_parts().await {
        Ok(parts) => Backup::new(now(), parts),
        Err(error) => return report(state, error),
    };
    let name = format!("keymeter-backup-{}.json", Date::from_unix(now()));
    match download_text(&name, "application/json", &backup.to_json()) {
        Ok(()) => state.notice.set(Some(Notice::info(format!(
            "Backup of {} records saved as {name}. It holds no admin key.",
            group_thousands(&backup.records().to_string())
        )))),
        Err(_) => state
            .notice
            .set(Some(Notice::error("The browser refused the download."))),
    }
}

/// Checks the chosen file whole, then restores it in one transaction.
async fn restore(
    state: AppState,
    input: web_sys::HtmlInputElement,
    mode: RestoreMode,
) {
    let Some(db) = state.db() else { return };
    if state.progress.get_untracked().is_some() {
        let text = "A sync is running; restore once it has finished.";
        return state.notice.set(Some(Notice::error(text)));
    }
    let (name, text) = match read_chosen(&input, MAX_BACKUP_FILE).await {
        Ok(Some(file)) => file,
        Ok(None) => return,
        Err(problem) => return state.notice.set(Some(Notice::error(problem))),
    };
    let backup = match parse_backup(&text) {
        Ok(backup) => backup,
        Err(error) => {
            let text = format!("{name}: {error}");
            return state.notice.set(Some(Notice::error(text)));
        }
    };
    if let Err(error) = db.restore(&backup, mode).await {
        return report(state, error);
    }
    reload(state).await;
    let how = match mode {
        RestoreMode::Merge => "merged with what was here",
        RestoreMode::Replace => "replacing what was here",
    };
    // Only organizations synced with a key need it again.
    let keys = if backup.connections.iter().any(|c| !c.demo) {
        " Admin keys are not in backups: unlock or enter them again to sync."
    } else {
        ""
    };
    state.notice.set(Some(Notice::info(format!(
        "Restored {} records from {name}, {how}.{keys}",
        group_thousands(&backup.records().to_string())
    ))));
}

#[component]
pub fn BackupPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let replace = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = file_input(&ev) else { return };
        let mode = if replace.get_untracked() {
            RestoreMode::Replace
        } else {
            RestoreMode::Merge
        };
        leptos::task::spawn_local(restore(state, input, mode));
    };
    view! {
        <section class="panel" id="backup">
            <h2>"Backup and restore"</h2>
            <p class="hint">"One JSON file with everything keymeter keeps in this browser: organizations, key labels, usage, costs, prices and settings. Admin keys are never in it. Browsers may clear site data, so keep a backup."</p>
            <div class="actions">
                <button id="backup-download" class="secondary" on:click=move |_| { leptos::task::spawn_local(download(state)); }>"Download backup"</button>
                <label>"Restore from a backup "
                    <input id="backup-file" type="file" accept=".json,application/json" on:change=on_file/>
                </label>
                <label class="check"><input id="backup-replace" type="checkbox" prop:checked=replace on:change=move |ev| replace.set(event_target_checked(&ev))/>"Replace everything stored (otherwise merge)"</label>
            </div>
            <p class="hint">"The whole file is checked before anything is written; a damaged, truncated or foreign file changes nothing."</p>
        </section>
    }
}
