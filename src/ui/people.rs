//! The Users and Projects views: everyone (or every project) with usage
//! in the range, each opening the analytics narrowed to it.

use leptos::prelude::*;

use super::analytics::{cost, count, current_with};
use super::download::{file_stem, Downloads};
use super::state::{AppState, View};
use crate::domain::analytics::tables::consumers_table;
use crate::domain::analytics::top::Consumer;
use crate::domain::analytics::Options;
use crate::domain::keys::visible_name;
use crate::domain::route::Narrowing;

/// Which list a page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Users,
    Projects,
}

/// Users and service accounts, or projects, by cost in the range.
#[component]
pub fn ScopeList(who: Who) -> impl IntoView {
    let state = expect_context::<AppState>();
    let data = current_with(
        state,
        Options {
            top: usize::MAX,
            ..Options::default()
        },
        false,
    );
    let list = Memo::new(move |_| {
        data.with(|a| match who {
            Who::Users => a.top.users.clone(),
            Who::Projects => a.top.projects.clone(),
        })
    });
    let (id, what, title, hint) = match who {
        Who::Users => ("users", "user", "Users and service accounts", "Usage of keys owned by service accounts counts for the account; usage no one is attributed to is listed as such."),
        Who::Projects => ("projects", "project", "Projects", "Every project with usage in the range."),
    };
    let open = move |consumer: &Consumer| {
        let id = consumer.id.clone();
        move |_| {
            // The list is not narrowed, so neither is what it opens.
            state.narrowing.set(match who {
                Who::Users => Narrowing {
                    user: id.clone(),
                    ..Narrowing::default()
                },
                Who::Projects => Narrowing {
                    project: id.clone(),
                    ..Narrowing::default()
                },
            });
            state.view.set(View::Analytics);
        }
    };
    view! {
        <section class="panel" id=format!("{id}-page")>
            <div class="table-head">
                <h2>{title}</h2>
                <Downloads id=id stem=Signal::derive(move || file_stem(state, id)) table=Callback::new(move |()| list.with_untracked(|l| consumers_table(what, l)))/>
            </div>
            <p class="hint">{hint}" Choose one to see its analytics."</p>
            <div class="scroll">
                <table id=format!("{id}-table")>
                    <thead><tr><th>{title}</th><th class="num">"Tokens"</th><th class="num">"Requests"</th><th class="num">"Estimated cost"</th></tr></thead>
                    <tbody>
                        {move || list.with(|l| l.iter().map(|c| {
                            let name = visible_name(&c.label);
                            let cell = if c.id.is_some() {
                                view! { <button class="link" on:click=open(c)>{name}</button> }.into_any()
                            } else {
                                view! { <span>{name}</span> }.into_any()
                            };
                            view! {
                                <tr data-id=c.id.clone().unwrap_or_default()>
                                    <td>{cell}</td>
                                    <td class="num tokens">{count(c.tally.tokens)}</td>
                                    <td class="num">{count(c.tally.requests)}</td>
                                    <td class="num cost">{cost(&c.tally)}</td>
                                </tr>
                            }
                        }).collect_view())}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
