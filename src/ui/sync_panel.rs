//! The key or passphrase prompt, the sync button and the
//! progress display.

use leptos::prelude::*;

use super::actions;
use super::secrets;
use super::state::AppState;
use crate::domain::monitor::REFRESH_CHOICES;
use crate::domain::time::{iso_utc, Date};

/// `2026-12-04 14:32 UTC`.
fn when(unix: i64) -> String {
    let iso = iso_utc(unix);
    format!("{} {} UTC", &iso[..10], &iso[11..16])
}

/// Controls for the selected organization.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let busy = Memo::new(move |_| state.progress.get().is_some());
    let syncable =
        move || state.current().is_some_and(|c| !c.demo && !c.archived);
    let sealed =
        move || state.current().is_some_and(|c| c.sealed_secret.is_some());
    let status = move || {
        if state.all_selected() {
            return Some(
                "Every organization together. Choose one to sync it."
                    .to_owned(),
            );
        }
        state
            .current()
            .map(|c| match (c.demo, c.archived, c.last_sync) {
                (true, _, _) => {
                    "Made-up data for trying keymeter; no network call."
                        .to_owned()
                }
                (_, true, _) => {
                    "Removed; its history is kept and it is no longer synced."
                        .to_owned()
                }
                (_, _, Some(mark)) if !mark.complete => format!(
                    "Last synced {}, incomplete: totals may be missing data.",
                    when(mark.at)
                ),
                (_, _, Some(mark)) => format!(
                    "Last synced {}; data from {}.",
                    when(mark.at),
                    Date::from_unix(mark.from)
                ),
                (_, _, None) => "Not synced yet.".to_owned(),
            })
    };

    view! {
        <section class="panel sync">
            <Show when=move || syncable() && !state.unlocked()>
                <Show when=sealed fallback=KeyPrompt>
                    <PassphrasePrompt/>
                </Show>
            </Show>
            <Show when=syncable>
                <label title="Only while this tab is open and visible; one tab of this browser syncs at a time">"Auto-refresh "
                    <select id="auto-refresh" on:change=move |ev| {
                        if let Ok(minutes) = event_target_value(&ev).parse() {
                            leptos::task::spawn_local(actions::choose_refresh(state, minutes));
                        }
                    }>
                        {REFRESH_CHOICES.iter().map(|minutes| {
                            let minutes = *minutes;
                            let text = match minutes { 0 => "off".to_owned(), 1 => "every minute".to_owned(), m => format!("every {m} minutes") };
                            view! { <option value=minutes.to_string() selected=move || state.refresh_minutes.get() == minutes>{text}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button id="sync-run" disabled=move || busy.get() || !state.unlocked() on:click=move |_| leptos::task::spawn_local(actions::run_sync(state))>"Sync now"</button>
                <Show when=move || busy.get()>
                    <button id="sync-cancel" class="secondary" on:click=move |_| actions::cancel_sync(state)>"Cancel"</button>
                </Show>
                <Show when=move || state.unlocked()>
                    <button id="lock" class="secondary" title="Forget the key in this tab" on:click=move |_| secrets::lock(state)>"Lock"</button>
                </Show>
            </Show>
            <span class="muted" id="sync-status">{status}</span>
            <p id="sync-progress" role="status" class="progress">{move || state.progress.get()}</p>
        </section>
    }
}

/// Asks for the admin key again, for this tab only.
#[component]
fn KeyPrompt() -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = key.get_untracked();
        key.set(String::new());
        leptos::task::spawn_local(actions::unlock(state, typed));
    };
    view! {
        <form class="unlock" on:submit=submit autocomplete="off">
            <input id="unlock-key" type="password" autocomplete="off" placeholder="Admin key, to sync" aria-label="Admin key" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/>
            <button id="unlock-submit" type="submit" class="secondary">"Use key"</button>
        </form>
    }
}

/// Asks for the passphrase of the key saved on this device.
#[component]
fn PassphrasePrompt() -> impl IntoView {
    let state = expect_context::<AppState>();
    let passphrase = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = passphrase.get_untracked();
        passphrase.set(String::new());
        leptos::task::spawn_local(secrets::unlock_saved(state, typed));
    };
    view! {
        <form class="unlock" on:submit=submit autocomplete="off">
            <input id="unlock-passphrase" type="password" autocomplete="current-password" placeholder="Passphrase of the saved key" aria-label="Passphrase" prop:value=passphrase on:input=move |ev| passphrase.set(event_target_value(&ev))/>
            <button id="unlock-saved" type="submit" class="secondary">"Unlock"</button>
        </form>
    }
}
