//! The alert centre (history, acknowledge, filter) and the banner that
//! announces unacknowledged alerts on every view.

use leptos::prelude::*;

use super::alert_actions;
use super::download::{file_stem, Downloads};
use super::state::{AppState, View};
use crate::domain::budget::table::{self, alerts_table};
use crate::domain::budget::Alert;
use crate::domain::sort;
use crate::domain::time::iso_utc;

/// Which alerts the centre lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Show {
    Open,
    All,
}

/// What kind of alert, in a word.
fn kind_label(alert: &Alert) -> &'static str {
    table::kind_label(&alert.kind)
}

/// `2026-12-04 14:32 UTC`.
fn when(unix: i64) -> String {
    let iso = iso_utc(unix);
    format!("{} {} UTC", &iso[..10], &iso[11..16])
}

/// The alerts of the organization on screen (all when every one is).
fn of_selection(state: AppState) -> Vec<Alert> {
    let selected = state.selected.get();
    let all = state.all_selected();
    let mut list: Vec<Alert> = state.alerts.with(|alerts| {
        alerts
            .iter()
            .filter(|a| {
                all || selected.as_deref() == Some(a.connection_id.as_str())
            })
            .cloned()
            .collect()
    });
    sort::by(&mut list, Alert::newest_first);
    list
}

/// A line above the views while alerts wait to be read.
#[component]
pub fn AlertBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = Memo::new(move |_| {
        of_selection(state)
            .into_iter()
            .filter(|a| !a.acknowledged)
            .collect::<Vec<_>>()
    });
    move || {
        let open = open.get();
        let newest = open.first()?.message.clone();
        let more = open.len() - 1;
        Some(view! {
            <div id="alert-banner" class="notice warn" role="alert">
                <strong>{if open.len() == 1 { "1 alert: ".to_owned() } else { format!("{} alerts: ", open.len()) }}</strong>
                <span>{newest}</span>
                {(more > 0).then(|| format!(" (and {more} more)"))}
                " "
                <button class="link" id="alert-banner-open" on:click=move |_| state.view.set(View::Alerts)>"Open the alert centre"</button>
            </div>
        })
    }
}

#[component]
pub fn AlertCentre() -> impl IntoView {
    let state = expect_context::<AppState>();
    let filter = RwSignal::new(Show::Open);
    let kind = RwSignal::new(String::new());
    let listed = Memo::new(move |_| {
        let kind = kind.get();
        of_selection(state)
            .into_iter()
            .filter(|a| filter.get() == Show::All || !a.acknowledged)
            .filter(|a| kind.is_empty() || kind_label(a) == kind)
            .collect::<Vec<_>>()
    });
    let acknowledge_all = move |_| {
        let ids: Vec<String> = listed.with_untracked(|l| {
            l.iter()
                .filter(|a| !a.acknowledged)
                .map(|a| a.id.clone())
                .collect()
        });
        leptos::task::spawn_local(alert_actions::acknowledge(state, ids));
    };
    view! {
        <section class="panel" id="alerts-page">
            <div class="table-head">
                <h2>"Alert centre"</h2>
                <div class="actions">
                    <label>"Show "
                        <select id="alerts-show" on:change=move |ev| filter.set(if event_target_value(&ev) == "all" { Show::All } else { Show::Open })>
                            <option value="open" selected=move || filter.get() == Show::Open>"Not yet acknowledged"</option>
                            <option value="all" selected=move || filter.get() == Show::All>"All, acknowledged too"</option>
                        </select>
                    </label>
                    <label>"Kind "
                        <select id="alerts-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                            <option value="">"All"</option>
                            <option value="Budget">"Budget"</option>
                            <option value="Burn rate">"Burn rate"</option>
                            <option value="New key">"New key"</option>
                        </select>
                    </label>
                    <Downloads id="alerts" stem=Signal::derive(move || file_stem(state, "alerts")) table=Callback::new(move |()| listed.with_untracked(|l| state.zone.with_untracked(|z| alerts_table(l, z))))/>
                    <button id="alerts-acknowledge-all" class="secondary" on:click=acknowledge_all disabled=move || listed.with(|l| l.iter().all(|a| a.acknowledged))>"Acknowledge all shown"</button>
                </div>
            </div>
            <super::notify_button::NotifyButton/>
            <p class="hint">"Alerts are checked after every sync and when keymeter opens, only while a keymeter tab is open. Each threshold of a budget fires once per period."</p>
            {move || listed.with(|l| l.is_empty()).then(|| view! { <p class="muted" id="alerts-empty">"No alerts to show."</p> })}
            <ul class="alert-list" id="alert-list">
                <For each=move || listed.get() key=|a| (a.id.clone(), a.acknowledged) let:alert>
                    <li class=if alert.acknowledged { "alert done" } else { "alert" } data-id=alert.id.clone()>
                        <span class="badge">{kind_label(&alert)}</span>
                        " "
                        // Across organizations, each alert says whose it is.
                        {let cid = alert.connection_id.clone(); move || state.org_of(&cid).map(|org| view! { <span class="org badge">{org}</span>" " })}
                        <span class="message">{alert.message.clone()}</span>
                        " "
                        <span class="muted small">{when(alert.at)}</span>
                        {(!alert.acknowledged).then(|| {
                            let id = alert.id.clone();
                            view! { <button class="secondary acknowledge" on:click=move |_| leptos::task::spawn_local(alert_actions::acknowledge(state, vec![id.clone()]))>"Acknowledge"</button> }
                        })}
                    </li>
                </For>
            </ul>
        </section>
    }
}
