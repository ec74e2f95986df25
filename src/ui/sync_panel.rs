//! The range picker, the sync button and the progress display.

use leptos::prelude::*;

use super::actions;
use super::state::AppState;
use crate::domain::range::RANGE_CHOICES;
use crate::domain::time::iso_utc;

/// Controls for the selected organization.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = RwSignal::new(String::new());

    let is_demo = move || state.current().is_some_and(|c| c.demo);
    let has_key = move || {
        state
            .selected
            .get()
            .is_some_and(|id| state.secrets.with(|all| all.contains_key(&id)))
    };
    let busy = Memo::new(move |_| state.progress.get().is_some());
    let last_sync = move || {
        state.current().map(|c| match (c.demo, c.last_sync) {
            (true, _) => {
                "Made-up data for trying keymeter; no network call.".to_owned()
            }
            (false, Some(mark)) => format!("Last synced {}.", iso_utc(mark.at)),
            (false, None) => "Not synced yet.".to_owned(),
        })
    };
    let use_key = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        actions::unlock(state, key.get_untracked());
        key.set(String::new());
    };

    view! {
        <section class="panel sync">
            <label>"Range "
                <select id="range" on:change=move |ev| {
                    if let Ok(days) = event_target_value(&ev).parse() {
                        state.range_days.set(days);
                    }
                }>
                    {RANGE_CHOICES.iter().map(|days| {
                        let days = *days;
                        view! { <option value=days.to_string() selected=move || state.range_days.get() == days>{format!("Last {days} days")}</option> }
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || !is_demo() && !has_key()>
                <form class="unlock" on:submit=use_key autocomplete="off">
                    <input id="unlock-key" type="password" placeholder="Admin key, to sync" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/>
                    <button id="unlock-submit" type="submit" class="secondary">"Use key"</button>
                </form>
            </Show>
            <Show when=move || !is_demo()>
                <button id="sync-run" disabled=move || busy.get() || !has_key() on:click=move |_| leptos::task::spawn_local(actions::run_sync(state))>"Sync now"</button>
            </Show>
            <span class="muted">{last_sync}</span>
            <p id="sync-progress" role="status" class="progress">{move || state.progress.get()}</p>
        </section>
    }
}
