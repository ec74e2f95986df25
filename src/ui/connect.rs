//! The form that adds an organization, and the demo button beside it.

use leptos::prelude::*;

use super::actions;
use super::state::AppState;
use crate::api::endpoints::DEFAULT_BASE;

/// Adds a connection: label, admin key and API base URL.
#[component]
pub fn ConnectForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = RwSignal::new(String::new());
    let key = RwSignal::new(String::new());
    let base = RwSignal::new(DEFAULT_BASE.to_owned());
    let busy = Memo::new(move |_| state.progress.get().is_some());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secret = key.get_untracked();
        // The field is cleared at once so the key lingers nowhere but the
        // in-memory map the sync reads.
        key.set(String::new());
        leptos::task::spawn_local(actions::connect(
            state,
            label.get_untracked(),
            secret,
            base.get_untracked(),
        ));
    };

    view! {
        <section class="panel" id="connect">
            <h2>"Add an organization"</h2>
            <form on:submit=submit autocomplete="off">
                <label>"Name" <input id="connect-label" type="text" placeholder="Acme production" prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/></label>
                <label>"Admin key" <input id="connect-key" type="password" placeholder="sk-admin-…" spellcheck="false" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/></label>
                <label>"API base URL" <input id="connect-base" type="url" prop:value=base on:input=move |ev| base.set(event_target_value(&ev))/></label>
                <p class="hint">
                    "Only an Admin key can read usage. It can also manage your organization, so keymeter keeps it in this tab's memory only: it is never stored, and it is sent to the API base URL and nowhere else. A proxy or the local mock server can stand in for OpenAI here."
                </p>
                <div class="actions">
                    <button id="connect-submit" type="submit" disabled=busy>"Connect"</button>
                    <button id="demo-load" type="button" class="secondary" on:click=move |_| leptos::task::spawn_local(actions::load_demo(state))>"Load the demo organization"</button>
                </div>
            </form>
        </section>
    }
}
