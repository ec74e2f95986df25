//! Settings of one organization: its name and API base, the saved key,
//! and removing it.

use leptos::prelude::*;

use super::directory;
use super::secrets;
use super::state::AppState;

/// The selected organization's settings.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let current = move || state.current();
    let label = RwSignal::new(String::new());
    let base = RwSignal::new(String::new());
    // The form shows the organization that is selected now: switching, or
    // adding another while this tab is open, refills it, so Save can never
    // write one organization's name or URL onto another.
    Effect::new(move |_| {
        let shown = current();
        label.set(shown.as_ref().map(|c| c.label.clone()).unwrap_or_default());
        base.set(shown.map(|c| c.api_base).unwrap_or_default());
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(directory::edit_connection(
            state,
            label.get_untracked(),
            base.get_untracked(),
        ));
    };
    let editable = move || current().is_some_and(|c| !c.demo && !c.archived);

    view! {
        <Show when=editable>
            <section class="panel">
                <h2>"Organization"</h2>
                <form on:submit=save autocomplete="off">
                    <label>"Name" <input id="org-label" type="text" maxlength="120" prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/></label>
                    <label>"API base URL" <input id="org-base" type="url" prop:value=base on:input=move |ev| base.set(event_target_value(&ev))/></label>
                    <button id="org-save" type="submit">"Save"</button>
                </form>
            </section>
            <SyncWindows/>
            <SavedKey/>
        </Show>
        <RemoveOrganization/>
    }
}

/// How far back syncs keep daily and hourly buckets.
#[component]
fn SyncWindows() -> impl IntoView {
    let state = expect_context::<AppState>();
    let history = RwSignal::new(String::new());
    let hourly = RwSignal::new(String::new());
    Effect::new(move |_| {
        let windows =
            state.current().and_then(|c| c.windows).unwrap_or_default();
        history.set(windows.history_days.to_string());
        hourly.set(windows.hourly_days.to_string());
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        leptos::task::spawn_local(directory::set_windows(
            state,
            history.get_untracked(),
            hourly.get_untracked(),
        ));
    };
    view! {
        <section class="panel">
            <h2>"Data kept"</h2>
            <p class="hint">"Daily buckets cover the history; hourly buckets, which give local days in any time zone, burn rates and the hourly pattern, cover the most recent days. Longer windows mean longer first syncs and more stored rows."</p>
            <form class="budget-form" on:submit=save autocomplete="off">
                <label>"Daily history, days " <input id="org-history" inputmode="numeric" size="6" prop:value=history on:input=move |ev| history.set(event_target_value(&ev))/></label>
                <label>"Hourly data, days " <input id="org-hourly" inputmode="numeric" size="4" prop:value=hourly on:input=move |ev| hourly.set(event_target_value(&ev))/></label>
                <button id="org-windows-save" type="submit">"Save"</button>
            </form>
        </section>
    }
}

/// Keeping the admin key on this device, encrypted.
#[component]
fn SavedKey() -> impl IntoView {
    let state = expect_context::<AppState>();
    let passphrase = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let saved =
        move || state.current().is_some_and(|c| c.sealed_secret.is_some());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (first, second) =
            (passphrase.get_untracked(), confirm.get_untracked());
        passphrase.set(String::new());
        confirm.set(String::new());
        leptos::task::spawn_local(secrets::remember(state, first, second));
    };
    let status = move || match (saved(), state.unlocked()) {
        (true, true) => {
            "Saved on this device, encrypted; unlocked in this tab."
        }
        (true, false) => "Saved on this device, encrypted; locked.",
        (false, true) => "In this tab's memory only; gone after a reload.",
        (false, false) => "Not known: enter it on the overview to sync.",
    };

    view! {
        <section class="panel">
            <h2>"Admin key"</h2>
            <p id="key-status">{status}</p>
            <Show when=move || state.unlocked()>
                <form class="remember" on:submit=submit autocomplete="off">
                    <label>{move || if saved() { "New passphrase" } else { "Passphrase to save the key on this device" }}
                        <input id="remember-passphrase" type="password" autocomplete="new-password" prop:value=passphrase on:input=move |ev| passphrase.set(event_target_value(&ev))/></label>
                    <label>"The same passphrase again"
                        <input id="remember-confirm" type="password" autocomplete="new-password" prop:value=confirm on:input=move |ev| confirm.set(event_target_value(&ev))/></label>
                    <button id="remember-submit" type="submit">{move || if saved() { "Change passphrase" } else { "Save encrypted" }}</button>
                </form>
            </Show>
            <Show when=saved>
                <button id="forget-saved" class="secondary" on:click=move |_| leptos::task::spawn_local(secrets::forget_saved(state))>"Forget the saved key"</button>
            </Show>
        </section>
    }
}

/// Removing the organization, asking whether to keep its history.
#[component]
fn RemoveOrganization() -> impl IntoView {
    let state = expect_context::<AppState>();
    let asking = RwSignal::new(false);
    let remove = move |keep: bool| {
        asking.set(false);
        leptos::task::spawn_local(directory::remove_connection(state, keep));
    };
    let archived = move || state.current().is_some_and(|c| c.archived);

    view! {
        <section class="panel">
            <h2>"Remove"</h2>
            <Show when=move || !asking.get() fallback=move || view! {
                <p>"Keep the usage history of this organization in this browser, or delete everything stored for it?"</p>
                <div class="actions">
                    <Show when=move || !archived()>
                        <button id="remove-keep" class="secondary" on:click=move |_| remove(true)>"Remove, keep its history"</button>
                    </Show>
                    <button id="remove-delete" class="danger" on:click=move |_| remove(false)>"Remove and delete its data"</button>
                    <button class="secondary" on:click=move |_| asking.set(false)>"Cancel"</button>
                </div>
            }>
                <button id="remove-org" class="secondary" on:click=move |_| asking.set(true)>"Remove this organization…"</button>
            </Show>
        </section>
    }
}
