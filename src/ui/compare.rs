//! Compare: API keys side by side in a sortable table, tokens per key over
//! time, the top consumers and a team summary.

use leptos::prelude::*;

use super::analytics::{cost, count, current, rate};
use super::chart::ChartView;
use super::download::{file_stem, Downloads};
use super::filter_bar::FilterBar;
use super::state::{AppState, View};
use crate::charts::views;
use crate::domain::analytics::compare::{
    sort_lines, Direction, KeyLine, KeyRef, SortBy,
};
use crate::domain::analytics::tables::{comparison_table, consumers_table};
use crate::domain::analytics::top::Consumer;
use crate::domain::keys::visible_name;

#[component]
pub fn ComparePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = current(state);
    let sort = RwSignal::new((SortBy::Cost, Direction::Descending));
    let lines = Memo::new(move |_| {
        let mut lines = data.with(|a| a.keys.clone());
        let (by, direction) = sort.get();
        sort_lines(&mut lines, by, direction);
        lines
    });
    let stacked = Memo::new(move |_| {
        data.with(|a| views::stacked_chart(&a.stacked, &state.zone_name.get()))
    });
    let header = move |by: SortBy, text: &'static str, class: &'static str| {
        let arrow = move || match sort.get() {
            (b, Direction::Descending) if b == by => " ▼",
            (b, Direction::Ascending) if b == by => " ▲",
            _ => "",
        };
        let aria = move || match sort.get() {
            (b, Direction::Descending) if b == by => "descending",
            (b, Direction::Ascending) if b == by => "ascending",
            _ => "none",
        };
        view! {
            <th class=class aria-sort=aria>
                <button class="sort" data-sort=text on:click=move |_| sort.update(|(b, d)| {
                    if *b == by {
                        *d = match d { Direction::Ascending => Direction::Descending, Direction::Descending => Direction::Ascending };
                    } else {
                        *b = by;
                        *d = if by == SortBy::Name { Direction::Ascending } else { Direction::Descending };
                    }
                })>{text}{arrow}</button>
            </th>
        }
    };
    let open_key = move |line: &KeyLine| {
        let value = line.key.filter_value().to_owned();
        move |_| {
            state.narrowing.update(|n| n.key = Some(value.clone()));
            state.view.set(View::Analytics);
        }
    };

    view! {
        <section class="panel" id="compare-page">
            <div class="table-head">
                <h2>"API keys side by side"</h2>
                <Downloads id="comparison" stem=Signal::derive(move || file_stem(state, "comparison")) table=Callback::new(move |()| lines.with_untracked(|l| comparison_table(l)))/>
            </div>
            <FilterBar/>
            <div class="scroll">
                <table id="comparison-table">
                    <thead><tr>
                        {header(SortBy::Name, "API key", "")}
                        <th>"Project"</th>
                        {header(SortBy::Tokens, "Tokens", "num")}
                        {header(SortBy::Requests, "Requests", "num")}
                        {header(SortBy::Cost, "Estimated cost", "num")}
                        <th class="num">"Share of cost"</th>
                        <th class="num">"Burn, last 24 h"</th>
                    </tr></thead>
                    <tbody>
                        {move || lines.with(|lines| lines.iter().map(|line| {
                            let id = match &line.key { KeyRef::Key { key_id, .. } => key_id.clone(), KeyRef::Unattributed => String::new() };
                            view! {
                                <tr data-key=id>
                                    <td class="name"><button class="link" on:click=open_key(line)>{visible_name(&line.name)}</button>" "<span class="muted">{line.masked.clone()}</span></td>
                                    <td>{visible_name(&line.project)}</td>
                                    <td class="num tokens">{count(line.tally.tokens)}</td>
                                    <td class="num">{count(line.tally.requests)}</td>
                                    <td class="num cost">{cost(&line.tally)}</td>
                                    <td class="num">{format!("{:.1} %", line.cost_share * 100.0)}</td>
                                    <td class="num">{format!("{} tokens/min", rate(line.burn.tokens_per_minute()))}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
            <ChartView id="stacked-chart" chart=stacked/>
        </section>
        <section class="panel" id="team-summary">
            <h2>"Team summary"</h2>
            <dl class="figures">
                <div><dt>"Active API keys"</dt><dd id="team-keys">{move || data.with(|a| a.team.active_keys.to_string())}</dd></div>
                <div><dt>"Active users"</dt><dd id="team-users">{move || data.with(|a| a.team.active_users.to_string())}</dd></div>
                <div><dt>"Projects"</dt><dd id="team-projects">{move || data.with(|a| a.team.projects.to_string())}</dd></div>
                <div><dt>"Tokens"</dt><dd id="team-tokens">{move || data.with(|a| count(a.team.tally.tokens))}</dd></div>
                <div><dt>"Estimated cost"</dt><dd id="team-cost">{move || data.with(|a| cost(&a.team.tally))}</dd></div>
                <div><dt>"Most used model"</dt><dd id="team-model">{move || data.with(|a| a.team.most_used_model.as_deref().map_or("none".to_owned(), visible_name))}</dd></div>
                <div><dt>"Busiest day"</dt><dd id="team-day">{move || data.with(|a| a.team.busiest_day.as_ref().map_or("none".to_owned(), |d| format!("{} ({} tokens)", d.date, count(d.tally.tokens))))}</dd></div>
            </dl>
            <p class="hint">"The cost allocation report by project, user and key, with the bill split over keys, is on the "<button class="link" on:click=move |_| state.view.set(View::Costs)>"Costs"</button>" tab."</p>
        </section>
        <section class="panel" id="top-consumers">
            <h2>"Top consumers"</h2>
            <div class="columns">
                <TopList id="top-keys" what="key" title="API keys" list=Signal::derive(move || data.with(|a| a.top.keys.clone()))/>
                <TopList id="top-users" what="user" title="Users" list=Signal::derive(move || data.with(|a| a.top.users.clone()))/>
                <TopList id="top-projects" what="project" title="Projects" list=Signal::derive(move || data.with(|a| a.top.projects.clone()))/>
                <TopList id="top-models" what="model" title="Models" list=Signal::derive(move || data.with(|a| a.top.models.clone()))/>
            </div>
        </section>
    }
}

/// One dimension's biggest consumers.
#[component]
pub fn TopList(
    id: &'static str,
    what: &'static str,
    title: &'static str,
    list: Signal<Vec<Consumer>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="top-list">
            <div class="table-head">
                <h3>{title}</h3>
                <Downloads id=id stem=Signal::derive(move || file_stem(state, &format!("top-{what}s"))) table=Callback::new(move |()| list.with_untracked(|l| consumers_table(what, l)))/>
            </div>
            <div class="scroll">
                <table id=format!("{id}-table")>
                    <thead><tr><th>{title}</th><th class="num">"Tokens"</th><th class="num">"Estimated cost"</th></tr></thead>
                    <tbody>
                        {move || list.with(|l| l.iter().map(|c| view! {
                            <tr><td class="name">{visible_name(&c.label)}</td><td class="num tokens">{count(c.tally.tokens)}</td><td class="num cost">{cost(&c.tally)}</td></tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </div>
    }
}
