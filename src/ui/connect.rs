//! The form that adds an organization, and the demo button beside it.

use leptos::prelude::*;

use super::actions::{self, ConnectRequest};
use super::state::AppState;
use crate::api::endpoints::DEFAULT_BASE;

/// Adds a connection: label, admin key, API base URL, and optionally a
/// passphrase to keep the key encrypted on this device.
#[component]
pub fn ConnectForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let base = RwSignal::new(DEFAULT_BASE.to_owned());
    let remember = RwSignal::new(false);
    let passphrase = RwSignal::new(String::new());
    let busy = Memo::new(move |_| state.progress.get().is_some());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The key stays in its field until the form closes, so a failed
        // attempt can be corrected without pasting it again.
        let request = ConnectRequest {
            label: label.get_untracked(),
            key: key.get_untracked(),
            base: base.get_untracked(),
            passphrase: remember
                .get_untracked()
                .then(|| passphrase.get_untracked()),
        };
        leptos::task::spawn_local(actions::connect(state, request));
    };

    view! {
        <section class="panel" id="connect">
            <h2>"Add an organization"</h2>
            <form on:submit=submit autocomplete="off">
                <label>"Name" <input id="connect-label" type="text" maxlength="120" placeholder="Acme production" prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/></label>
                <label>"Admin key" <input id="connect-key" type="password" autocomplete="off" placeholder="sk-admin-…" spellcheck="false" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/></label>
                <label>"API base URL" <input id="connect-base" type="url" prop:value=base on:input=move |ev| base.set(event_target_value(&ev))/></label>
                <label class="check"><input id="connect-remember" type="checkbox" prop:checked=remember on:change=move |ev| remember.set(event_target_checked(&ev))/>" Remember the key on this device, encrypted with a passphrase"</label>
                <Show when=move || remember.get()>
                    <label>"Passphrase (8 characters or more)" <input id="connect-passphrase" type="password" autocomplete="new-password" prop:value=passphrase on:input=move |ev| passphrase.set(event_target_value(&ev))/></label>
                </Show>
                <div class="hint">
                    <p>"Only an Admin key can read usage, and it can also manage your organization. So keymeter never stores it readable: by default it lives in this tab's memory only and is asked for again after a reload; if you ask, it is kept encrypted with your passphrase (PBKDF2 with 600,000 rounds, AES-256-GCM). It is sent to the API base URL and nowhere else."</p>
                    <p>"Every GitHub Pages site of one account shares this browser storage, so pages on the same account could read what keymeter stores: another reason the key is never kept in plain text."</p>
                </div>
                <div class="actions">
                    <button id="connect-submit" type="submit" disabled=busy>"Connect"</button>
                    <button id="demo-load" type="button" class="secondary" on:click=move |_| leptos::task::spawn_local(actions::load_demo(state))>"Load the demo organization"</button>
                    <Show when=move || !state.connections.with(Vec::is_empty)>
                        <button id="connect-cancel" type="button" class="secondary" on:click=move |_| state.adding.set(false)>"Cancel"</button>
                    </Show>
                </div>
            </form>
        </section>
    }
}
