//! The Budgets view: what each budget allows and how far it is spent, a
//! form to add one (with quick presets for a key), burn-rate watches, and
//! plain words on what keymeter can and cannot do about a budget.

use leptos::prelude::*;

use super::actions::now;
use super::alert_actions;
use super::alert_check::progresses;
use super::notify_button::NotifyButton;
use super::state::{AppState, Notice};
use crate::domain::budget::form::{
    parse_dollars, parse_tokens, preset_budget, BudgetForm, Every, Unit,
    PRESETS,
};
use crate::domain::budget::label::{
    budget_phrase, limit_text, scope_name, sentence_subject, spent_text,
    understated_text,
};
use crate::domain::budget::period::period_name;
use crate::domain::budget::{Budget, BurnWatch, Limit, Scope};
use crate::domain::keys::visible_name;

/// Where OpenAI's own limits, which can stop spending, are set.
const OPENAI_LIMITS: &str =
    "https://platform.openai.com/settings/organization/limits";

/// A new record id.
fn new_id(prefix: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e6) as u32
    )
}

/// A scope as a select value: `org`, `key:<id>`, `project:<id>`,
/// `user:<id>`.
fn scope_value(scope: &Scope) -> String {
    match scope {
        Scope::Organization => "org".to_owned(),
        Scope::Key { id } => format!("key:{id}"),
        Scope::Project { id } => format!("project:{id}"),
        Scope::User { id } => format!("user:{id}"),
    }
}

fn scope_of(value: &str) -> Scope {
    match value.split_once(':') {
        Some(("key", id)) => Scope::Key { id: id.to_owned() },
        Some(("project", id)) => Scope::Project { id: id.to_owned() },
        Some(("user", id)) => Scope::User { id: id.to_owned() },
        _ => Scope::Organization,
    }
}

/// Every scope of the selected organization a budget can have, named.
fn scope_choices(state: AppState) -> Vec<(String, String)> {
    state.data.with(|d| {
        let name = |scope: &Scope, connection: &str| {
            let name =
                scope_name(scope, connection, &d.keys, &d.projects, &d.people);
            visible_name(&sentence_subject(scope, &name))
        };
        let mut choices =
            vec![("org".to_owned(), "The whole organization".to_owned())];
        for key in &d.keys {
            let scope = Scope::Key { id: key.id.clone() };
            choices.push((
                scope_value(&scope),
                format!("API key {}", name(&scope, &key.connection_id)),
            ));
        }
        for project in &d.projects {
            let scope = Scope::Project {
                id: project.id.clone(),
            };
            choices.push((
                scope_value(&scope),
                name(&scope, &project.connection_id),
            ));
        }
        for person in &d.people {
            let scope = Scope::User {
                id: person.id.clone(),
            };
            choices.push((
                scope_value(&scope),
                format!("user {}", name(&scope, &person.connection_id)),
            ));
        }
        choices
    })
}

#[component]
pub fn BudgetsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="panel" id="budgets-page">
            <h2>"Budgets"</h2>
            <p class="hint" id="budgets-limits">
                "Budgets and alerts are checked only while a keymeter tab is open: after every sync and when the page opens. keymeter cannot block a key or stop spending; to cap spending for real, set the limits of each project in "
                <a href=OPENAI_LIMITS target="_blank" rel="noopener noreferrer">"OpenAI's limits settings"</a>
                "."
            </p>
            <NotifyButton/>
            <BudgetList/>
        </section>
        <Show when=move || !state.all_selected() fallback=|| view! { <section class="panel"><p class="muted">"Choose one organization to add a budget or a watch."</p></section> }>
            <AddBudget/>
            <Watches/>
        </Show>
    }
}

/// Each budget of the organization on screen, with its progress.
#[component]
fn BudgetList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = Memo::new(move |_| {
        let selected = state.selected.get();
        let all = state.all_selected();
        let budgets: Vec<Budget> = state.budgets.with(|list| {
            list.iter()
                .filter(|b| {
                    all || selected.as_deref() == Some(b.connection_id.as_str())
                })
                .cloned()
                .collect()
        });
        state.prices.with(|prices| {
            state.data.with(|d| {
                progresses(prices, d, &budgets, now())
                    .into_iter()
                    .map(|(budget, progress)| {
                        let name = sentence_subject(
                            &budget.scope,
                            &scope_name(
                                &budget.scope,
                                &budget.connection_id,
                                &d.keys,
                                &d.projects,
                                &d.people,
                            ),
                        );
                        (
                            budget,
                            progress.map_err(|e| e.to_string()),
                            visible_name(&name),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        {move || rows.with(Vec::is_empty).then(|| view! { <p class="muted" id="budgets-empty">"No budget yet. Add one below, or use a preset on a key."</p> })}
        <div class="scroll">
            <table id="budget-list">
                <thead><tr><th>"Budget"</th><th>"Period"</th><th class="num">"Spent"</th><th class="num">"Limit"</th><th>"Progress"</th><th class="num">"Days left"</th><th class="num">"Forecast at period end"</th><th></th></tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|(budget, progress, name)| {
                        let id = budget.id.clone();
                        let paused = budget.paused;
                        let toggle = {
                            let budget = budget.clone();
                            move |_| {
                                let mut changed = budget.clone();
                                changed.paused = !changed.paused;
                                leptos::task::spawn_local(async move {
                                    alert_actions::save_budget(state, changed).await;
                                });
                            }
                        };
                        let remove = {
                            let id = id.clone();
                            move |_| leptos::task::spawn_local(alert_actions::delete_budget(state, id.clone()))
                        };
                        let figures = match progress {
                            Ok(p) => {
                                let percent = p.percent.max(0.0);
                                let over = p.basis_points >= 10_000;
                                let note = understated_text(&p);
                                let utc = p.utc_days.then_some("UTC days: only daily data covers this period.");
                                view! {
                                    <td>{period_name(budget.period, p.days)}</td>
                                    <td class="num spent">{spent_text(p.spent)}{note.map(|n| view! { <br/><span class="small warn-text understated">{n}</span> })}</td>
                                    <td class="num">{limit_text(budget.limit)}</td>
                                    <td class="progress-cell">
                                        <div class=if over { "bar over" } else { "bar" } role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{:.0}", percent.min(100.0))>
                                            <span style=format!("width: {:.1}%", percent.min(100.0))></span>
                                        </div>
                                        <span class="percent">{format!("{percent:.1} %")}</span>
                                        {utc.map(|t| view! { <br/><span class="small muted">{t}</span> })}
                                    </td>
                                    <td class="num">{p.days_left}</td>
                                    <td class=if p.forecast_exceeds() { "num warn-text" } else { "num" }>{p.forecast.text()}</td>
                                }.into_any()
                            }
                            Err(problem) => view! { <td colspan="6" class="warn-text">{problem}</td> }.into_any(),
                        };
                        view! {
                            <tr data-id=id class=if paused { "paused" } else { "" }>
                                <td class="name">{name}<br/><span class="small muted">{format!("{} · {}{}", budget_phrase(budget.limit, budget.period), budget.zone, if paused { " · paused" } else { "" })}</span></td>
                                {figures}
                                <td class="actions">
                                    <button class="secondary budget-pause" on:click=toggle>{if paused { "Resume" } else { "Pause" }}</button>
                                    <button class="secondary budget-delete" on:click=remove>"Delete"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The form for a new budget, with presets for a key.
#[component]
fn AddBudget() -> impl IntoView {
    let state = expect_context::<AppState>();
    let form = RwSignal::new(BudgetForm {
        zone: state.zone_name.get_untracked(),
        ..BudgetForm::default()
    });
    let choices = Memo::new(move |_| scope_choices(state));
    let set = move |edit: fn(&mut BudgetForm, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            form.update(|f| edit(f, value));
        }
    };
    // A second click while the first budget is being stored would not
    // yet find it among the budgets, and store it twice.
    let saving = StoredValue::new(false);
    let save = move |budget: Result<Budget, String>| match budget {
        Ok(_) if saving.get_value() => {}
        Ok(budget) => {
            saving.set_value(true);
            leptos::task::spawn_local(async move {
                if alert_actions::save_budget(state, budget).await {
                    state.notice.set(Some(Notice::info("Budget saved.")));
                    form.update(|f| f.limit.clear());
                }
                saving.set_value(false);
            });
        }
        Err(problem) => state.notice.set(Some(Notice::error(problem))),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(connection) = state.selected.get_untracked() else {
            return;
        };
        let mut filled = form.get_untracked();
        filled.connection_id = connection;
        save(
            filled
                .budget(&new_id("budget"), now())
                .map_err(|e| e.to_string()),
        );
    };
    let preset = move |dollars: u64| {
        let Some(connection) = state.selected.get_untracked() else {
            return;
        };
        let Scope::Key { id } = form.with_untracked(|f| f.scope.clone()) else {
            return state.notice.set(Some(Notice::error("Choose an API key first: presets are monthly dollar budgets for one key.")));
        };
        let key = state.data.with_untracked(|d| {
            d.keys
                .iter()
                .find(|k| k.id == id && k.connection_id == connection)
                .cloned()
        });
        match key {
            Some(key) => {
                let zone = form.with_untracked(|f| f.zone.clone());
                save(Ok(preset_budget(
                    dollars,
                    &key,
                    &zone,
                    &new_id("budget"),
                    now(),
                )));
            }
            None => state.notice.set(Some(Notice::error(
                "That API key is not in this organization's listing.",
            ))),
        }
    };
    let every = move || form.with(|f| f.every);
    view! {
        <section class="panel">
            <h2>"Add a budget"</h2>
            <form id="budget-form" class="budget-form" on:submit=submit>
                <label>"For "
                    <select id="budget-scope" on:change=set(|f, v| f.scope = scope_of(&v))>
                        {move || choices.get().into_iter().map(|(value, text)| {
                            let selected = form.with(|f| scope_value(&f.scope) == value);
                            view! { <option value=value selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>"Every "
                    <select id="budget-period" on:change=set(|f, v| f.every = match v.as_str() { "day" => Every::Day, "week" => Every::Week, "custom" => Every::Custom, _ => Every::Month })>
                        <option value="month" selected=move || every() == Every::Month>"calendar month"</option>
                        <option value="week" selected=move || every() == Every::Week>"week"</option>
                        <option value="day" selected=move || every() == Every::Day>"day"</option>
                        <option value="custom" selected=move || every() == Every::Custom>"custom range"</option>
                    </select>
                </label>
                <Show when=move || every() == Every::Week>
                    <label>"Weeks start on "
                        <select id="budget-week-start" on:change=set(|f, v| f.week_start = v.parse().unwrap_or(0))>
                            {["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].iter().enumerate().map(|(i, day)| {
                                view! { <option value=i.to_string() selected=move || form.with(|f| f.week_start as usize == i)>{*day}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <Show when=move || every() == Every::Custom>
                    <label>"From " <input id="budget-first" type="date" on:change=set(|f, v| f.first = v)/></label>
                    <label>"to " <input id="budget-last" type="date" on:change=set(|f, v| f.last = v)/></label>
                </Show>
                <label>"in time zone "
                    <input id="budget-zone" list="zone-list" size="18" prop:value=move || form.with(|f| f.zone.clone()) on:change=set(|f, v| f.zone = v.trim().to_owned())/>
                </label>
                <label>"Limit "
                    <select id="budget-unit" on:change=set(|f, v| f.unit = if v == "tokens" { Unit::Tokens } else { Unit::Dollars })>
                        <option value="usd">"US dollars (estimated)"</option>
                        <option value="tokens">"tokens"</option>
                    </select>
                    <input id="budget-amount" inputmode="decimal" size="12" placeholder="50" prop:value=move || form.with(|f| f.limit.clone()) on:input=set(|f, v| f.limit = v)/>
                </label>
                <label>"Alert at (%) "
                    <input id="budget-thresholds" size="14" prop:value=move || form.with(|f| f.thresholds.clone()) on:input=set(|f, v| f.thresholds = v)/>
                </label>
                <button id="budget-save" type="submit">"Add budget"</button>
            </form>
            <p class="presets">"Quick presets for the chosen API key: "
                {PRESETS.iter().map(|(label, dollars)| {
                    let dollars = *dollars;
                    view! { <button class="secondary" id=format!("preset-{dollars}") on:click=move |_| preset(dollars)>{*label}</button> }
                }).collect_view()}
            </p>
            <p class="hint">"Dollar budgets count the estimated cost at the Prices tab's prices; usage without a price is left out and the budget says by how many tokens it is understated."</p>
        </section>
    }
}

/// Burn-rate watches: an alert when a scope spends faster than a rate.
#[component]
fn Watches() -> impl IntoView {
    let state = expect_context::<AppState>();
    let scope = RwSignal::new("org".to_owned());
    let unit = RwSignal::new(Unit::Dollars);
    let amount = RwSignal::new(String::new());
    let choices = Memo::new(move |_| scope_choices(state));
    let listed = Memo::new(move |_| {
        let selected = state.selected.get();
        state.watches.with(|all| {
            all.iter()
                .filter(|w| {
                    selected.as_deref() == Some(w.connection_id.as_str())
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    // As for budgets: one watch stored per click, however fast they come.
    let saving = StoredValue::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(connection) = state.selected.get_untracked() else {
            return;
        };
        let text = amount.get_untracked();
        let limit = match unit.get_untracked() {
            Unit::Dollars => parse_dollars(&text).map(Limit::Usd),
            Unit::Tokens => parse_tokens(&text).map(Limit::Tokens),
        };
        match limit {
            Ok(limit) => {
                let watch = BurnWatch {
                    id: new_id("watch"),
                    connection_id: connection,
                    scope: scope_of(&scope.get_untracked()),
                    limit,
                    paused: false,
                    created_at: now(),
                };
                if saving.get_value() {
                    return;
                }
                saving.set_value(true);
                leptos::task::spawn_local(async move {
                    if alert_actions::save_watch(state, watch).await {
                        amount.set(String::new());
                        state.notice.set(Some(Notice::info("Watch added.")));
                    }
                    saving.set_value(false);
                });
            }
            Err(problem) => state.notice.set(Some(Notice::error(problem))),
        }
    };
    view! {
        <section class="panel" id="watches">
            <h2>"Burn-rate watches"</h2>
            <p class="hint">"An alert when the last hour's pace is above a rate, at most once an hour per watch."</p>
            <form id="watch-form" class="budget-form" on:submit=submit>
                <label>"For "
                    <select id="watch-scope" on:change=move |ev| scope.set(event_target_value(&ev))>
                        {move || choices.get().into_iter().map(|(value, text)| view! { <option value=value.clone() selected=scope.get_untracked() == value>{text}</option> }).collect_view()}
                    </select>
                </label>
                <label>"faster than "
                    <input id="watch-amount" size="10" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                    <select id="watch-unit" on:change=move |ev| unit.set(if event_target_value(&ev) == "tokens" { Unit::Tokens } else { Unit::Dollars })>
                        <option value="usd">"dollars an hour"</option>
                        <option value="tokens">"tokens an hour"</option>
                    </select>
                </label>
                <button id="watch-save" type="submit">"Add watch"</button>
            </form>
            <ul id="watch-list">
                {move || listed.get().into_iter().map(|watch| {
                    let id = watch.id.clone();
                    let row_id = id.clone();
                    let name = state.data.with(|d| sentence_subject(&watch.scope, &scope_name(&watch.scope, &watch.connection_id, &d.keys, &d.projects, &d.people)));
                    view! {
                        <li data-id=row_id>{format!("{} faster than {} an hour", visible_name(&name), limit_text(watch.limit))}" "
                            <button class="secondary watch-delete" on:click=move |_| leptos::task::spawn_local(alert_actions::delete_watch(state, id.clone()))>"Delete"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The budget scope a narrowing names, when it names exactly one: the
/// organization, or one key, project or user.
pub fn scope_of_narrowing(
    n: &crate::domain::route::Narrowing,
) -> Option<Scope> {
    let only = |field: &Option<String>| {
        field.is_some()
            && [&n.project, &n.user, &n.key, &n.model, &n.kind]
                .iter()
                .filter(|f| f.is_some())
                .count()
                == 1
    };
    if [&n.project, &n.user, &n.key, &n.model, &n.kind]
        .iter()
        .all(|f| f.is_none())
    {
        Some(Scope::Organization)
    } else if only(&n.key) {
        n.key.clone().map(|id| Scope::Key { id })
    } else if only(&n.project) {
        n.project.clone().map(|id| Scope::Project { id })
    } else if only(&n.user) {
        n.user.clone().map(|id| Scope::User { id })
    } else {
        None
    }
}

/// The budgets of the scope the analytics show, with their progress.
#[component]
pub fn ScopeBudgets() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = Memo::new(move |_| {
        let Some(scope) = state.narrowing.with(scope_of_narrowing) else {
            return Vec::new();
        };
        let selected = state.selected.get();
        let budgets: Vec<Budget> = state.budgets.with(|all| {
            all.iter()
                .filter(|b| {
                    b.scope == scope
                        && selected.as_deref() == Some(b.connection_id.as_str())
                })
                .cloned()
                .collect()
        });
        state.prices.with(|prices| {
            state.data.with(|d| progresses(prices, d, &budgets, now()))
        })
    });
    move || {
        let rows = rows.get();
        (!rows.is_empty()).then(|| view! {
            <section class="panel" id="scope-budgets">
                <h2>"Budgets"</h2>
                <ul class="alert-list">
                    {rows.into_iter().map(|(budget, progress)| match progress {
                        Ok(p) => { let bar = if p.basis_points >= 10_000 { "bar over" } else { "bar" }; view! {
                            <li>
                                <span class=bar><span style=format!("width: {:.1}%", p.percent.min(100.0))></span></span>
                                <span class="message">{format!(
                                    "{:.1} % of the {}: {} of {}, {} days left, forecast {} at the period's end.",
                                    p.percent,
                                    budget_phrase(budget.limit, budget.period),
                                    p.spent.text(),
                                    limit_text(budget.limit),
                                    p.days_left,
                                    p.forecast.text()
                                )}{understated_text(&p).map(|n| format!(" {n}"))}</span>
                            </li>
                        }.into_any() }
                        Err(problem) => view! { <li class="warn-text">{problem.to_string()}</li> }.into_any(),
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
