//! The Overview page: the organization's cost per day, the keys table
//! with its downloads, and the summaries by kind and line item.

use leptos::prelude::*;

use super::chart::ChartView;
use super::download::{file_stem, Downloads};
use super::marks;
use super::state::{AppState, Shown};
use super::summaries::Summaries;
use std::collections::HashMap;

use super::actions::now;
use super::alert_check::progresses;
use super::analytics::rate;
use crate::charts::views;
use crate::domain::budget::label::{limit_text, period_text, spent_text};
use crate::domain::budget::Scope;
use crate::domain::csv_export::overview_table;
use crate::domain::export::usage_table as rows_table;
use crate::domain::keys::visible_name;
use crate::domain::money::group_thousands;
use crate::domain::overview::{
    counted_rows, overview_page, Overview, OverviewPage, Totals,
};
use crate::domain::preview::preview_page;
use crate::domain::time::Date;

/// The whole page, its figures worked out once for the chart and the
/// table together.
#[component]
pub fn OverviewView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let page = Memo::new(move |_| {
        let zone = state.zone.get();
        let days = state.days();
        state.with_overview_inputs(&zone, days, |inputs, early| {
            if early {
                preview_page(inputs, &zone, days, now())
            } else {
                overview_page(inputs, &zone, days, now())
            }
        })
    });
    let chart = Memo::new(move |_| {
        let zone = state.zone.get();
        page.with(|p| views::cost_chart(&p.trend, zone.name()))
    });
    view! {
        <section class="panel">
            <ChartView id="daily-chart" chart=chart/>
        </section>
        <OverviewTable page=page/>
        <Summaries kinds=Signal::derive(move || page.with(|p| p.kinds.clone()))/>
    }
}

/// One row per API key, the Unattributed row and the totals.
#[component]
fn OverviewTable(page: Memo<OverviewPage>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let range = Memo::new(move |_| {
        let span = state.span();
        (span.from, span.to)
    });
    let table = Memo::new(move |_| page.with(|p| p.table.clone()));
    let shown = Memo::new(move |_| {
        let zone = state.zone.get();
        state.overview_rows(&zone, state.days())
    });
    mark_when_shown(shown, table);

    // The budget each key (and the organization) is closest to spending.
    let budgets = Memo::new(move |_| {
        let list = state.budgets.get();
        state.prices.with(|prices| {
            state.data.with(|d| {
                let mut nearest: HashMap<
                    (String, Option<String>),
                    (f64, String),
                > = HashMap::new();
                for (budget, progress) in progresses(prices, d, &list, now()) {
                    let Ok(progress) = progress else { continue };
                    let key = match &budget.scope {
                        Scope::Key { id } => Some(id.clone()),
                        Scope::Organization => None,
                        _ => continue,
                    };
                    let title = format!(
                        "{} of {} ({})",
                        spent_text(progress.spent),
                        limit_text(budget.limit),
                        period_text(budget.period)
                    );
                    let entry = nearest
                        .entry((budget.connection_id.clone(), key))
                        .or_insert((progress.percent, title.clone()));
                    if progress.percent > entry.0 {
                        *entry = (progress.percent, title);
                    }
                }
                nearest
            })
        })
    });
    let budget_cell = move |connection: String, key: Option<String>| {
        move || {
            budgets.with(|all| {
                all.get(&(connection.clone(), key.clone())).map(|(percent, title)| {
                    let over = *percent >= 100.0;
                    view! {
                        <span class=if over { "bar over" } else { "bar" } title=title.clone()><span style=format!("width: {:.1}%", percent.min(100.0))></span></span>
                        <span class="percent">{format!("{percent:.0} %")}</span>
                    }
                })
            })
        }
    };
    let stem = Signal::derive(move || file_stem(state, "keys"));
    let usage_stem = Signal::derive(move || file_stem(state, "usage-rows"));
    let keys_table =
        Callback::new(move |()| table.with_untracked(overview_table));
    let usage_table = Callback::new(move |()| {
        let zone = state.zone.get_untracked();
        let days = untrack(|| state.days());
        // The rows the table adds up, early ones included: they hold
        // every row of the range.
        untrack(|| {
            state.with_overview_inputs(&zone, days, |inputs, _| {
                let (rows, _) = counted_rows(inputs.records, &zone, days);
                rows_table(inputs.prices, &rows, &zone)
            })
        })
    });
    let caption = move || {
        let days = state.days();
        if page.with(|p| p.utc_days) || state.zone.with(|z| z.is_utc()) {
            let days = days.on_utc_days();
            format!("API keys, {} to {} (UTC days)", days.first, days.last)
        } else {
            let zone = state.zone_name.get();
            format!(
                "API keys, {} to {} (local days, {zone})",
                days.first, days.last
            )
        }
    };

    view! {
        <section class="panel">
            <div class="table-head">
                <h2>{caption}</h2>
                <div class="actions">
                    <Downloads id="overview" stem=stem table=keys_table/>
                    <span class="downloads-label">"Usage rows:"</span>
                    <Downloads id="usage" stem=usage_stem table=usage_table/>
                </div>
            </div>
            <div class="scroll">
                <table id="overview">
                    <thead>
                        <tr>
                            <th>"API key"</th><th>"Project"</th><th>"Key"</th>
                            <th class="num">"Requests"</th><th class="num">"Input tokens"</th>
                            <th class="num">"Cached input"</th><th class="num">"Output tokens"</th>
                            <th class="num">"Estimated cost"</th>
                            <th class="num" title="Estimated dollars an hour at the pace of the last 24 hours, whatever the range">"Burn (24\u{a0}h)"</th>
                            <th title="The budget this key is closest to spending, in its own period">"Budget"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || table.get().rows key=|row| format!("{row:?}") let:row>
                            <tr data-key=row.key_id.clone()>
                                <td class="name">{visible_name(&row.name)}
                                    {row.openai_name.clone().map(|n| view! { <span class="muted">{format!(" ({})", visible_name(&n))}</span> })}
                                    {row.deleted.then(|| view! { <span class="badge warn" title="No longer in OpenAI's listing; its usage is kept">"deleted"</span> })}
                                    {row.tags.iter().map(|t| view! { <span class="badge tag">{t.clone()}</span> }).collect_view()}
                                </td>
                                <td class="project" data-col="project">{let cid = row.connection_id.clone(); move || state.org_of(&cid).map(|org| view! { <span class="org badge">{org}</span>" " })}{row.project.clone()}</td>
                                <td class="mono">{row.masked.clone()}</td>
                                <Counts totals=row.totals.clone()/>
                                <td class="budget" data-col="budget">{budget_cell(row.connection_id.clone(), Some(row.key_id.clone()))}</td>
                            </tr>
                        </For>
                        {move || table.get().unattributed.map(|totals| view! {
                            <tr data-key="unattributed" class="unattributed">
                                <td class="name" title="Usage from keys that OpenAI does not attribute, such as old user keys">"Unattributed"</td>
                                <td></td><td></td>
                                <Counts totals=totals/>
                                <td></td>
                            </tr>
                        })}
                    </tbody>
                    <tfoot>
                        <tr data-key="total">
                            <th scope="row">"Total"</th><td></td><td></td>
                            {move || view! { <Counts totals=table.get().total/> }}
                            <td class="budget" data-col="budget">{move || state.selected.get().filter(|_| !state.all_selected()).map(|id| budget_cell(id, None))}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
            <UnpricedNote overview=table/>
            {move || (shown.get() == Shown::Loading && state.selected.with(Option::is_some)).then(|| view! {
                <p class="note" id="loading-note">"Reading the stored usage…"</p>
            })}
            {move || (shown.get() != Shown::Loading && table.with(|t| t.rows.is_empty() && t.unattributed.is_none())).then(|| view! {
                <p class="note" id="empty-note">"No API keys or usage yet: sync this organization, or widen the range."</p>
            })}
            {move || {
                let (from, _) = range.get();
                let synced = state.current().and_then(|c| c.last_sync).map(|m| m.from);
                synced.filter(|start| from < *start).map(|start| view! {
                    <p class="note" id="coverage-note">{format!("Data before {} has not been synced, so this range is only partly covered.", Date::from_unix(start))}</p>
                })
            }}
        </section>
    }
}

/// Sets the `OVERVIEW_READY` mark on the next frame once stored rows,
/// early or all, give the table lines; later changes leave it alone.
fn mark_when_shown(shown: Memo<Shown>, table: Memo<Overview>) {
    Effect::new(move |marked: Option<bool>| {
        if marked == Some(true) {
            return true;
        }
        let ready = shown.get() != Shown::Loading
            && table.with(|t| !t.rows.is_empty() || t.unattributed.is_some());
        if ready {
            request_animation_frame(|| marks::mark(marks::OVERVIEW_READY));
        }
        ready
    });
}

/// The number cells of one line.
#[component]
fn Counts(totals: Totals) -> impl IntoView {
    let c = totals.counts;
    let cost = if totals.wholly_unpriced() {
        "unpriced".to_owned()
    } else if totals.understated {
        format!("{} + unpriced", totals.cost.display())
    } else {
        totals.cost.display()
    };
    let n = |v: u64| group_thousands(&v.to_string());
    let burn = totals.burn.map(|b| {
        let title = format!(
            "{} tokens a minute over {}",
            rate(b.tokens_per_minute()),
            if b.span < b.window {
                "the time since first use"
            } else {
                "the last 24 hours"
            }
        );
        view! { <span title=title>{format!("{}/h", b.cost_per_hour().display())}</span> }
    });
    view! {
        <td class="num" data-col="requests">{n(c.requests)}</td>
        <td class="num" data-col="input">{n(c.input)}</td>
        <td class="num" data-col="cached">{n(c.cached_input)}</td>
        <td class="num" data-col="output">{n(c.output)}</td>
        <td class="num" data-col="cost">{cost}</td>
        <td class="num" data-col="burn">{burn}</td>
    }
}

/// Says how much usage the figures leave out: unpriced tokens and keys
/// the user stopped tracking.
#[component]
fn UnpricedNote(overview: Memo<Overview>) -> impl IntoView {
    let unpriced = move || {
        let (understated, unpriced) =
            overview.with(|o| (o.total.understated, o.total.unpriced_tokens));
        let text = match unpriced {
            0 => "Some usage (tool calls or storage) has no known price; \
                  estimated costs leave it out."
                .to_owned(),
            tokens => format!(
                "{} tokens are from models without a known price; \
                 estimated costs leave them out.",
                group_thousands(&tokens.to_string())
            ),
        };
        understated.then(|| {
            view! { <p class="note" id="unpriced-note">{text}</p> }
        })
    };
    let untracked = move || {
        let (keys, tokens) = overview
            .with(|o| (o.untracked_keys, o.untracked.counts.total_tokens()));
        (keys > 0).then(|| {
            let keys = if keys == 1 {
                "1 untracked key".to_owned()
            } else {
                format!("{keys} untracked keys")
            };
            view! {
                <p class="note" id="untracked-note">
                    {format!(
                        "{keys} and their {} tokens are left out; switch \
                         tracking on under API keys to show them.",
                        group_thousands(&tokens.to_string())
                    )}
                </p>
            }
        })
    };
    view! { {unpriced} {untracked} }
}
