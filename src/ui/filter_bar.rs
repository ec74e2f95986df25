//! Narrows the analytics views by project, user, API key, model and kind
//! of usage; the choices are what the loaded data holds.

use std::collections::BTreeSet;

use leptos::prelude::*;

use super::state::AppState;
use crate::domain::analytics::filter::model_label;
use crate::domain::analytics::{Filter, UNATTRIBUTED};
use crate::domain::keys::visible_name;
use crate::domain::route::Narrowing;
use crate::domain::sort;
use crate::domain::usage::UsageKind;

/// The analytics filter the narrowing in the URL asks for. The data
/// loaded is already the selected organization's.
pub fn filter_of(narrowing: &Narrowing) -> Filter {
    Filter {
        connection: None,
        project: narrowing.project.clone(),
        user: narrowing.user.clone(),
        key: narrowing.key.clone(),
        model: narrowing.model.clone(),
        kind: narrowing.kind.as_deref().and_then(UsageKind::from_path),
    }
}

/// (value, text) pairs of one select.
type Choices = Vec<(String, String)>;

#[derive(Clone, Debug, Default, PartialEq)]
struct AllChoices {
    projects: Choices,
    users: Choices,
    keys: Choices,
    models: Choices,
    kinds: Choices,
}

fn choices(state: AppState) -> AllChoices {
    // With every organization shown, a name says whose it is: two
    // organizations may well both have a "Default project".
    let named = |text: String, connection: &str| match state.org_of(connection)
    {
        Some(org) => format!("{text} · {org}"),
        None => text,
    };
    state.data.with(|d| {
        let mut models = BTreeSet::new();
        let mut kinds = BTreeSet::new();
        for record in &d.usage {
            models.insert(model_label(record));
            kinds.insert(UsageKind::ALL.iter().position(|k| *k == record.kind));
        }
        let project_name = |connection: &str, id: &str| {
            d.projects
                .iter()
                .find(|p| p.connection_id == connection && p.id == id)
                .map_or(id.to_owned(), |p| visible_name(&p.name))
        };
        let mut keys: Choices = d
            .keys
            .iter()
            .map(|k| {
                let project = project_name(&k.connection_id, &k.project_id);
                let name = visible_name(k.display_name());
                let text = format!("{name} ({project}, {})", k.masked());
                (k.id.clone(), named(text, &k.connection_id))
            })
            .collect();
        sort::by(&mut keys, |a, b| a.1.cmp(&b.1));
        keys.push((UNATTRIBUTED.to_owned(), "Unattributed".to_owned()));
        let mut users: Choices = d
            .people
            .iter()
            .map(|p| {
                (p.id.clone(), named(visible_name(&p.name), &p.connection_id))
            })
            .collect();
        sort::by(&mut users, |a, b| a.1.cmp(&b.1));
        let mut projects: Choices = d
            .projects
            .iter()
            .map(|p| {
                (p.id.clone(), named(visible_name(&p.name), &p.connection_id))
            })
            .collect();
        sort::by(&mut projects, |a, b| a.1.cmp(&b.1));
        AllChoices {
            projects,
            users,
            keys,
            models: models
                .into_iter()
                .map(|m| (m.to_owned(), visible_name(m)))
                .collect(),
            kinds: kinds
                .into_iter()
                .flatten()
                .map(|i| {
                    let kind = UsageKind::ALL[i];
                    (kind.path().to_owned(), kind.label().to_owned())
                })
                .collect(),
        }
    })
}

/// One select bound to one field of the narrowing.
#[component]
fn Narrow(
    id: &'static str,
    label: &'static str,
    #[prop(into)] options: Signal<Choices>,
    field: fn(&mut Narrowing) -> &mut Option<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let current =
        move || state.narrowing.with(|n| field(&mut n.clone()).clone());
    let on_change = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        state.narrowing.update(|n| {
            *field(n) = (!value.is_empty()).then_some(value);
        });
    };
    view! {
        <label>{label}" "
            <select id=id on:change=on_change>
                <option value="" selected=move || current().is_none()>"All"</option>
                {move || {
                    let selected = current();
                    let mut list = options.get();
                    // A value from a link that the data lacks still shows.
                    if let Some(value) = selected.as_ref().filter(|v| !list.iter().any(|(o, _)| o == *v)) {
                        list.push((value.clone(), value.clone()));
                    }
                    list.into_iter().map(|(value, text)| {
                        let is = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=is>{text}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

/// The five selects and a reset.
#[component]
pub fn FilterBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let all = Memo::new(move |_| choices(state));
    let pick = move |f: fn(&AllChoices) -> &Choices| {
        Signal::derive(move || all.with(|a| f(a).clone()))
    };
    view! {
        <div class="filters" role="group" aria-label="Narrow the view">
            <Narrow id="filter-project" label="Project" options=pick(|a| &a.projects) field=|n| &mut n.project/>
            <Narrow id="filter-user" label="User" options=pick(|a| &a.users) field=|n| &mut n.user/>
            <Narrow id="filter-key" label="API key" options=pick(|a| &a.keys) field=|n| &mut n.key/>
            <Narrow id="filter-model" label="Model" options=pick(|a| &a.models) field=|n| &mut n.model/>
            <Narrow id="filter-kind" label="Usage" options=pick(|a| &a.kinds) field=|n| &mut n.kind/>
            <Show when=move || state.narrowing.with(|n| *n != Narrowing::default())>
                <button id="filter-clear" class="secondary" on:click=move |_| state.narrowing.set(Narrowing::default())>"Show all"</button>
            </Show>
        </div>
    }
}
