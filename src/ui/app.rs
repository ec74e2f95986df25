//! The page: header with the organization picker, notices, the connect
//! form, the sync panel and the overview.

use leptos::prelude::*;

use super::actions;
use super::chart::DailyChart;
use super::connect::ConnectForm;
use super::overview::OverviewTable;
use super::state::AppState;
use super::sync_panel::SyncPanel;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    leptos::task::spawn_local(actions::start(state));

    view! {
        <header class="top">
            <h1>"keymeter"</h1>
            <ConnectionPicker/>
        </header>
        <main>
            <NoticeBar/>
            <Show when=move || state.adding.get()>
                <ConnectForm/>
            </Show>
            <Show when=move || state.selected.get().is_some()>
                <SyncPanel/>
                <DailyChart/>
                <OverviewTable/>
            </Show>
        </main>
    }
}

/// Chooses which organization is shown, or opens the connect form.
#[component]
fn ConnectionPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        leptos::task::spawn_local(actions::select(state, id));
    };

    view! {
        <nav class="picker">
            <Show when=move || !state.connections.with(Vec::is_empty)>
                <select id="connection" aria-label="Organization" on:change=on_change>
                    <For each=move || state.connections.get() key=|c| (c.id.clone(), c.label.clone()) let:c>
                        <option value=c.id.clone() selected=move || state.selected.get().as_deref() == Some(c.id.as_str())>{c.label.clone()}</option>
                    </For>
                </select>
            </Show>
            <button id="add-connection" class="secondary" on:click=move |_| state.adding.update(|open| *open = !*open)>"Add organization"</button>
        </nav>
    }
}

/// The latest message, errors announced to assistive technology.
#[component]
fn NoticeBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.notice.get().map(|notice| {
            let class = if notice.error { "notice error" } else { "notice" };
            view! {
                <div id="notice" class=class role=if notice.error { "alert" } else { "status" }>
                    <span>{notice.text}</span>
                    <button class="close" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>"×"</button>
                </div>
            }
        })
    }
}
