//! The page: header with the organization picker, notices, the connect
//! form, the sync panel and the overview.

use leptos::prelude::*;

use super::actions;
use super::alerts::{AlertBanner, AlertCentre};
use super::analytics::AnalyticsPage;
use super::backup::BackupPanel;
use super::budgets::BudgetsPage;
use super::compare::ComparePage;
use super::connect::ConnectForm;
use super::costs::CostsPage;
use super::import::ImportPanel;
use super::keys::KeysPage;
use super::organization::OrganizationPage;
use super::overview::OverviewView;
use super::people::{ScopeList, Who};
use super::prices::PricesPage;
use super::state::{AppState, View, ALL};
use super::storage_panel::StoragePanel;
use super::sync_panel::SyncPanel;
use super::when::WhenBar;
use crate::domain::keys::visible_name;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    leptos::task::spawn_local(actions::start(state));
    super::url::follow(state);
    super::monitor::listen(state);
    leptos::task::spawn_local(super::monitor::watch(state));

    view! {
        <header class="top">
            <h1>"keymeter"</h1>
            <ConnectionPicker/>
        </header>
        <main data-loaded=move || state.loaded.get()>
            <NoticeBar/>
            <AlertBanner/>
            <Show when=move || state.adding.get()>
                <ConnectForm/>
            </Show>
            <Show when=move || state.connections.with(Vec::is_empty) && state.db.with(Option::is_some)>
                <ImportPanel/>
                <BackupPanel/>
            </Show>
            <Show when=move || state.selected.get().is_some()>
                <Tabs/>
                <SyncPanel/>
                <WhenBar/>
                {move || match state.view.get() {
                    View::Overview => view! { <OverviewView/> }.into_any(),
                    View::Keys => view! { <KeysPage/> }.into_any(),
                    View::Costs => view! { <CostsPage/> }.into_any(),
                    View::Budgets => view! { <BudgetsPage/> }.into_any(),
                    View::Alerts => view! { <AlertCentre/> }.into_any(),
                    View::Prices => view! { <PricesPage/> }.into_any(),
                    View::Backup => view! { <ImportPanel/><BackupPanel/><StoragePanel/> }.into_any(),
                    View::Organization => view! { <OrganizationPage/> }.into_any(),
                    View::Analytics => view! { <AnalyticsPage/> }.into_any(),
                    View::Compare => view! { <ComparePage/> }.into_any(),
                    View::Users => view! { <ScopeList who=Who::Users/> }.into_any(),
                    View::Projects => view! { <ScopeList who=Who::Projects/> }.into_any(),
                }}
            </Show>
        </main>
    }
}

/// Switches between the views of the selected organization.
#[component]
fn Tabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tab = move |view: View, id: &'static str, title: &'static str| {
        view! {
            <button id=id role="tab" class="tab" aria-selected=move || (state.view.get() == view).to_string() on:click=move |_| state.view.set(view)>{title}</button>
        }
    };
    view! {
        <nav class="tabs" role="tablist">
            {tab(View::Overview, "tab-overview", "Overview")}
            {tab(View::Analytics, "tab-analytics", "Analytics")}
            {tab(View::Compare, "tab-compare", "Compare")}
            {tab(View::Users, "tab-users", "Users")}
            {tab(View::Projects, "tab-projects", "Projects")}
            {tab(View::Keys, "tab-keys", "API keys")}
            {tab(View::Costs, "tab-costs", "Costs")}
            {tab(View::Budgets, "tab-budgets", "Budgets")}
            {tab(View::Alerts, "tab-alerts", "Alerts")}
            {tab(View::Prices, "tab-prices", "Prices")}
            {tab(View::Backup, "tab-backup", "Import and backup")}
            <Show when=move || !state.all_selected()>
                {tab(View::Organization, "tab-organization", "Organization")}
            </Show>
        </nav>
    }
}

/// Chooses which organization is shown, or opens the connect form.
#[component]
fn ConnectionPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if id == ALL && state.view.get_untracked() == View::Organization {
            state.view.set(View::Overview);
        }
        leptos::task::spawn_local(actions::select(state, id));
    };
    let several = move || state.connections.with(|all| all.len() > 1);

    view! {
        <nav class="picker">
            <Show when=move || !state.connections.with(Vec::is_empty)>
                <select id="connection" aria-label="Organization" on:change=on_change>
                    <For each=move || state.connections.get() key=|c| (c.id.clone(), c.label.clone(), c.archived) let:c>
                        <option value=c.id.clone() selected=move || state.selected.get().as_deref() == Some(c.id.as_str())>{if c.archived { format!("{} (removed)", visible_name(&c.label)) } else { visible_name(&c.label) }}</option>
                    </For>
                    <Show when=several>
                        <option value=ALL selected=move || state.all_selected()>"All organizations"</option>
                    </Show>
                </select>
            </Show>
            <button id="add-connection" class="secondary" on:click=move |_| state.adding.set(true)>"Add organization"</button>
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
