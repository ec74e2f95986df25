//! The Costs view: estimated and allocated money side by side per key,
//! user and project, and the bill reconciled with the estimate per day.

use leptos::prelude::*;

use super::download::{file_stem, Downloads};
use super::state::AppState;
use crate::domain::keys::visible_name;
use crate::domain::money::group_thousands;
use crate::domain::spend::report::{cost_report, CostReport, Inputs, Line};
use crate::domain::spend::Rollup;

fn tokens(value: u64) -> String {
    group_thousands(&value.to_string())
}

fn unpriced(figures: &Rollup) -> String {
    if figures.is_understated() {
        format!("{} tokens", tokens(figures.unpriced_tokens))
    } else {
        String::new()
    }
}

#[component]
pub fn CostsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Billed costs exist per UTC day only: the range as UTC counts it.
    let range = Memo::new(move |_| state.days().utc_bounds());
    let report = Memo::new(move |_| {
        let (from, to) = range.get();
        state.prices.with(|prices| {
            state.data.with(|d| {
                let inputs = Inputs {
                    prices,
                    projects: &d.projects,
                    keys: &d.keys,
                    people: &d.people,
                    usage: &d.usage,
                    costs: &d.costs,
                };
                cost_report(&inputs, from, to)
            })
        })
    });
    let overall = move || report.with(|r: &CostReport| r.overall);

    view! {
        <section class="panel" id="costs-page">
            <h2>"Estimated and allocated cost"</h2>
            <p class="hint" id="costs-days">{move || {
                let days = state.days().on_utc_days();
                format!("UTC days {} to {}: OpenAI bills per UTC day, so this view counts UTC days whatever the time zone.", days.first, days.last)
            }}</p>
            <p class="hint">"Estimated: usage times list price (see Prices). Allocated: each project's bill for a day, split over its keys by their share of that day's estimate, so allocated money adds up to the bill. Unpriced usage is left out of the dollars and counted in tokens. Unlike the overview, this counts keys whose tracking is off, since the bill does."</p>
            <dl class="figures" id="costs-overall">
                <div><dt>"Estimated"</dt><dd id="overall-estimated">{move || overall().estimated.display()}</dd></div>
                <div><dt>"Allocated from the bill"</dt><dd id="overall-allocated">{move || overall().allocated.display()}</dd></div>
                <div><dt>"Billed but not allocable"</dt><dd id="overall-unallocated">{move || overall().unallocated.display()}</dd></div>
                <div><dt>"Unpriced usage"</dt><dd id="overall-unpriced">{move || { let o = overall(); if o.is_understated() { format!("{} tokens left out", tokens(o.unpriced_tokens)) } else { "none".to_owned() } }}</dd></div>
            </dl>
            <RollupTable id="costs-keys" title="By API key" scope="cost-by-key" lines=Signal::derive(move || report.with(|r| r.keys.clone()))/>
            <RollupTable id="costs-users" title="By user" scope="cost-by-user" lines=Signal::derive(move || report.with(|r| r.users.clone()))/>
            <RollupTable id="costs-projects" title="By project" scope="cost-by-project" lines=Signal::derive(move || report.with(|r| r.projects.clone()))/>
        </section>
        <section class="panel">
            <div class="table-head">
                <h2>"Billed against estimated, per day and project"</h2>
                <Downloads id="reconciliation" stem=Signal::derive(move || file_stem(state, "billed-vs-estimated")) table=Callback::new(move |()| report.with_untracked(CostReport::days_table))/>
            </div>
            <p class="hint">"UTC days. The difference is the bill minus the estimate; the line items listed are billed charges tokens do not explain, such as tool calls, storage and models without a price."</p>
            <div class="scroll">
                <table id="reconciliation">
                    <thead><tr><th>"Day"</th><th>"Project"</th><th class="num">"Billed"</th><th class="num">"Estimated"</th><th class="num">"Difference"</th><th class="num">"% of bill"</th><th>"Not explained by tokens"</th></tr></thead>
                    <tbody>
                        <For each=move || report.with(|r| r.days.clone()) key=|d| format!("{d:?}") let:d>
                            <tr>
                                <td>{d.day.to_string()}</td>
                                <td>{visible_name(&d.project)}</td>
                                <td class="num billed">{d.figures.billed.display()}</td>
                                <td class="num estimated">{d.figures.estimated.display()}</td>
                                <td class="num difference">{d.figures.difference.display()}</td>
                                <td class="num">{d.figures.difference_percent().unwrap_or_else(|| "–".to_owned())}</td>
                                <td class="small unexplained">{d.figures.unexplained.iter().map(|i| format!("{} {}", visible_name(&i.line_item), i.amount.display())).collect::<Vec<_>>().join(" · ")}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// Keys, users or projects with their money side by side.
#[component]
fn RollupTable(
    id: &'static str,
    title: &'static str,
    /// Names the downloaded files.
    scope: &'static str,
    lines: Signal<Vec<Line>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let stem = Signal::derive(move || file_stem(state, scope));
    let table = Callback::new(move |()| {
        lines.with_untracked(|lines| CostReport::lines_table(lines))
    });
    view! {
        <div class="table-head">
            <h3>{title}</h3>
            <Downloads id=id stem=stem table=table/>
        </div>
        <div class="scroll">
            <table id=id class="rollup">
                <thead><tr><th>"Name"</th><th class="num">"Tokens"</th><th class="num">"Estimated"</th><th class="num">"Allocated"</th><th class="num">"Unpriced"</th></tr></thead>
                <tbody>
                    <For each=move || lines.get() key=|l| format!("{l:?}") let:l>
                        <tr data-id=l.id.clone()>
                            <td class="name">{let cid = l.id.split('/').next().unwrap_or_default().to_owned(); move || state.org_of(&cid).map(|org| view! { <span class="org badge">{org}</span>" " })}<span class="label">{visible_name(&l.name)}</span>{(!l.detail.is_empty()).then(|| view! { <span class="muted small">{format!(" {}", visible_name(&l.detail))}</span> })}</td>
                            <td class="num">{tokens(l.figures.tokens)}</td>
                            <td class="num estimated">{l.figures.estimated.display()}</td>
                            <td class="num allocated">{l.figures.allocated.display()}</td>
                            <td class="num unpriced">{unpriced(&l.figures)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}
