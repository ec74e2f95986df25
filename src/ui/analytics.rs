//! The analytics of one scope (the organization, or whatever the filters
//! narrow it to: a project, a user, an API key, a model): totals, burn
//! rate, forecast, daily trend, model breakdown and hourly pattern.

use leptos::prelude::*;

use super::budgets::{scope_of_narrowing, ScopeBudgets};
use super::chart::ChartView;
use super::download::{file_stem, Downloads};
use super::filter_bar::{filter_of, FilterBar};
use super::state::AppState;
use crate::charts::views;
use crate::domain::analytics::bundle::in_scope;
use crate::domain::analytics::directory::Directory;
use crate::domain::analytics::tables::{models_table, pattern_table};
use crate::domain::analytics::tally::Tally;
use crate::domain::analytics::{analytics, Analytics, Options};
use crate::domain::budget::label::left_out_note;
use crate::domain::budget::{Limit, Period, Scope};
use crate::domain::export::usage_table;
use crate::domain::money::group_thousands;
use crate::domain::overview::counted_rows;
use crate::domain::usage::UsageRecord;

/// `1,234`.
pub fn count(value: u64) -> String {
    group_thousands(&value.to_string())
}

/// `18,602.3`: a rate with one decimal and grouped thousands.
pub fn rate(value: f64) -> String {
    let text = format!("{:.1}", value.max(0.0));
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "0"));
    format!("{}.{fraction}", group_thousands(whole))
}

/// A cost, saying which part of the usage has no price.
pub fn cost(tally: &Tally) -> String {
    tally.cost_text()
}

/// Why the days shown are UTC days, and which ones they are.
fn utc_days_note(trend: &crate::domain::analytics::trend::Trend) -> String {
    let dates = match (trend.points.first(), trend.points.last()) {
        (Some(first), Some(last)) => {
            format!(", {} to {}", first.date, last.date)
        }
        _ => String::new(),
    };
    format!(
        "Days here are UTC days{dates}: hourly data, which can be put on the \
         hours of another zone, does not cover this whole range, and a daily \
         bucket cannot be split. Syncs keep hourly data for the most recent \
         days only (30 by default, set on the Organization tab)."
    )
}

/// The analytics of the current scope, range and zone (tracked).
pub fn current(state: AppState) -> Memo<Analytics> {
    current_with(state, Options::default(), true)
}

/// The same, with the page's own options (how many top consumers), and
/// narrowed by the filters or not.
pub fn current_with(
    state: AppState,
    options: Options,
    narrowed: bool,
) -> Memo<Analytics> {
    Memo::new(move |_| {
        let zone = state.zone.get();
        let days = state.days();
        let filter = if narrowed {
            state.narrowing.with(filter_of)
        } else {
            Default::default()
        };
        let now = super::actions::now();
        // The scope's monthly dollar budget, drawn beside the month's
        // forecast.
        let scope = if narrowed {
            state.narrowing.with(scope_of_narrowing)
        } else {
            Some(Scope::Organization)
        };
        let selected = state.selected.get();
        let budget = state.budgets.with(|all| {
            all.iter()
                .filter(|b| Some(&b.scope) == scope.as_ref())
                .filter(|b| {
                    selected.as_deref() == Some(b.connection_id.as_str())
                })
                .filter(|b| b.period == Period::Month)
                .find_map(|b| match b.limit {
                    Limit::Usd(amount) => Some(amount),
                    Limit::Tokens(_) => None,
                })
        });
        let options = Options { budget, ..options };
        state.with_inputs(|inputs| {
            analytics(inputs, &filter, &zone, days, now, &options)
        })
    })
}

/// The usage rows the analytics on screen add up (filtered, and of the
/// width the view counts), as a table for download.
fn scope_rows_table(state: AppState) -> crate::domain::export::Table {
    let filter = state.narrowing.with_untracked(filter_of);
    let zone = state.zone.get_untracked();
    let days = untrack(|| state.days());
    state.prices.with_untracked(|prices| {
        state.data.with_untracked(|d| {
            let directory = Directory::new(&d.keys, &d.projects, &d.people);
            let scoped: Vec<UsageRecord> = d
                .usage
                .iter()
                .filter(|r| in_scope(r, &filter, &directory))
                .cloned()
                .collect();
            let (rows, _) = counted_rows(&scoped, &zone, days);
            usage_table(prices, &rows, &zone)
        })
    })
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = current(state);
    let zone = move || state.zone_name.get();
    let total = move || data.with(|a| a.trend.total());
    let stem = move |scope: &'static str| {
        Signal::derive(move || file_stem(state, scope))
    };

    let trend = Memo::new(move |_| {
        data.with(|a| views::trend_chart(&a.trend, &zone()))
    });
    let costs =
        Memo::new(move |_| data.with(|a| views::cost_chart(&a.trend, &zone())));
    let pattern = Memo::new(move |_| {
        data.with(|a| views::pattern_chart(&a.pattern, &zone()))
    });
    let forecast = Memo::new(move |_| {
        data.with(|a| views::forecast_chart(&a.forecast, &zone()))
    });

    view! {
        <section class="panel" id="analytics-page">
            <h2>"Analytics"</h2>
            <FilterBar/>
            <Show when=move || total().is_empty() && state.narrowing.with(|n| *n != Default::default())>
                <p class="note" id="no-match">"Nothing in this range matches these filters. Widen the range or choose \"Show all\"."</p>
            </Show>
            <Show when=move || data.with(|a| a.trend.utc_days)>
                <p class="hint" id="utc-days-note">{move || data.with(|a| utc_days_note(&a.trend))}</p>
            </Show>
            <div class="actions">
                <span class="downloads-label">"Usage rows of this view:"</span>
                <Downloads id="scope-usage" stem=stem("usage-rows") table=Callback::new(move |()| scope_rows_table(state))/>
            </div>
            <dl class="figures" id="analytics-totals">
                <div><dt>"Tokens"</dt><dd id="total-tokens">{move || count(total().tokens)}</dd></div>
                <div><dt>"Requests"</dt><dd id="total-requests">{move || count(total().requests)}</dd></div>
                <div><dt>"Estimated cost"</dt><dd id="total-cost">{move || cost(&total())}</dd></div>
                <div><dt>"Unpriced usage"</dt><dd id="total-unpriced">{move || { let t = total(); match (t.is_understated(), t.unpriced_tokens) { (false, _) => "none".to_owned(), (true, 0) => "tool calls or storage (left out of the cost)".to_owned(), (true, tokens) => format!("{} tokens (left out of the cost)", count(tokens)) } }}</dd></div>
            </dl>
        </section>
        <ScopeBudgets/>
        <section class="panel" id="burn">
            <h2>"Burn rate"</h2>
            <p class="hint">"Over the time actually observed: from the start of the window, or from the first usage seen when that is later. Hourly buckets only, so the latest hour may still grow."</p>
            <dl class="figures">
                <div><dt>"Last hour"</dt><dd id="burn-hour">{move || data.with(|a| format!("{} tokens/min · {}/h", rate(a.burn_last_hour.tokens_per_minute()), a.burn_last_hour.cost_per_hour().display()))}</dd></div>
                <div><dt>"Last 24 hours"</dt><dd id="burn-day">{move || data.with(|a| format!("{} tokens/min · {}/h", rate(a.burn_last_day.tokens_per_minute()), a.burn_last_day.cost_per_hour().display()))}</dd></div>
            </dl>
        </section>
        <section class="panel" id="forecast">
            <h2>"This month"</h2>
            <dl class="figures">
                <div><dt>"Spent so far"</dt><dd id="forecast-spent">{move || data.with(|a| a.forecast.forecast.spent.display())}</dd></div>
                <div><dt>"Forecast at the month's pace"</dt><dd id="forecast-linear">{move || data.with(|a| a.forecast.forecast.linear.display())}</dd></div>
                <div><dt>"Forecast at the last 7 days' pace"</dt><dd id="forecast-recent">{move || data.with(|a| a.forecast.forecast.recent.display())}</dd></div>
            </dl>
            <Show when=move || data.with(|a| a.forecast.spent.is_understated())>
                <p class="hint">{move || data.with(|a| left_out_note(a.forecast.spent.unpriced_tokens, "this month"))}</p>
            </Show>
            <ChartView id="forecast-chart" chart=forecast height=260/>
        </section>
        <section class="panel">
            <ChartView id="trend-chart" chart=trend/>
            <ChartView id="cost-chart" chart=costs/>
        </section>
        <section class="panel" id="models">
            <div class="table-head">
                <h2>"By model"</h2>
                <Downloads id="models" stem=stem("models") table=Callback::new(move |()| data.with_untracked(|a| models_table(&a.models)))/>
            </div>
            <div class="scroll">
                <table id="models-table">
                    <thead><tr><th>"Model"</th><th class="num">"Tokens"</th><th class="num">"Requests"</th><th class="num">"Estimated cost"</th><th class="num">"Share of tokens"</th></tr></thead>
                    <tbody>
                        {move || data.with(|a| a.models.iter().map(|m| view! {
                            <tr>
                                <td>{crate::domain::keys::visible_name(&m.label)}</td>
                                <td class="num tokens">{count(m.tally.tokens)}</td>
                                <td class="num">{count(m.tally.requests)}</td>
                                <td class="num cost">{cost(&m.tally)}</td>
                                <td class="num">{format!("{:.1} %", m.token_share * 100.0)}</td>
                            </tr>
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="panel" id="pattern">
            <div class="table-head">
                <h2>"Hourly pattern"</h2>
                <Downloads id="pattern" stem=stem("hourly-pattern") table=Callback::new(move |()| data.with_untracked(|a| pattern_table(&a.pattern, &state.zone_name.get_untracked())))/>
            </div>
            {move || data.with(|a| if a.pattern.is_unavailable() {
                view! { <p class="hint" id="pattern-none">"No hourly data in this range: the pattern needs hourly buckets, which a sync fetches for the last 30 days."</p> }.into_any()
            } else {
                view! { <p class="hint">{format!("Average per day over {} days, by local hour.", a.pattern.day_count())}</p> }.into_any()
            })}
            <ChartView id="pattern-chart" chart=pattern height=260/>
        </section>
    }
}
