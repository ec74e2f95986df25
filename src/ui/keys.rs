//! The key directory: every project and API key, with the user's labels,
//! descriptions, tags and tracking switch, and a way to identify a key
//! the user holds.

use leptos::prelude::*;

use super::directory;
use super::state::AppState;
use crate::domain::keys::{parse_tags, visible_name, ApiKey, OwnerKind};
use crate::domain::sort;
use crate::domain::time::Date;

/// One key as the directory lists it.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    key: ApiKey,
    project: String,
    project_archived: bool,
}

/// Every key of the selected organization(s), by project.
#[component]
pub fn KeysPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editing = RwSignal::new(None::<String>);
    let lines = Memo::new(move |_| {
        state.data.with(|data| {
            let mut lines: Vec<Line> = data
                .keys
                .iter()
                .map(|key| {
                    let project = data.projects.iter().find(|p| {
                        p.id == key.project_id
                            && p.connection_id == key.connection_id
                    });
                    Line {
                        key: key.clone(),
                        project: project
                            .map_or(key.project_id.clone(), |p| p.name.clone()),
                        project_archived: project.is_some_and(|p| p.archived),
                    }
                })
                .collect();
            sort::by(&mut lines, |a, b| {
                (&a.project, a.key.display_name())
                    .cmp(&(&b.project, b.key.display_name()))
            });
            lines
        })
    });

    view! {
        <section class="panel">
            <h2>"API keys"</h2>
            <p class="hint">"Labels, descriptions and tags stay in this browser. Switching tracking off takes a key out of the overview; its data is kept."</p>
            <IdentifyForm/>
            <div class="scroll">
                <table id="keys">
                    <thead>
                        <tr>
                            <th>"Tracked"</th><th>"API key"</th><th>"Project"</th><th>"Owner"</th>
                            <th>"Key"</th><th>"Created"</th><th>"Last used"</th><th></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || lines.get() key=|line| format!("{line:?}") let:line>
                            <KeyRow line=line editing=editing/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// One key's line, and its editor when open.
#[component]
fn KeyRow(line: Line, editing: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Line {
        key,
        project,
        project_archived,
    } = line;
    let scoped = format!("{}/{}", key.connection_id, key.id);
    let open = {
        let scoped = scoped.clone();
        move || editing.get().as_deref() == Some(scoped.as_str())
    };
    let toggle = {
        let key = key.clone();
        move |ev: leptos::ev::Event| {
            let mut notes = key.notes.clone();
            notes.tracked = event_target_checked(&ev);
            leptos::task::spawn_local(directory::save_notes(
                state,
                key.clone(),
                notes,
            ));
        }
    };
    let owner = key.owner.as_ref().map(|o| match o.kind {
        OwnerKind::User => o.name.clone(),
        OwnerKind::ServiceAccount => format!("{} (service account)", o.name),
    });
    let date = |t: Option<i64>| {
        t.map(|t| Date::from_unix(t).to_string())
            .unwrap_or_else(|| "–".to_owned())
    };
    let editor_key = key.clone();

    view! {
        <tr data-key=key.id.clone() class:untracked=!key.notes.tracked>
            <td><input type="checkbox" class="track" aria-label="Tracked" prop:checked=key.notes.tracked on:change=toggle/></td>
            <td class="name">
                <span class="label">{visible_name(key.display_name())}</span>
                {(key.display_name() != key.name).then(|| view! { <span class="muted">{format!(" ({})", visible_name(&key.name))}</span> })}
                {key.deleted_at.map(|_| view! { <span class="badge warn">"deleted"</span> })}
                {key.notes.fingerprint.is_some().then(|| view! { <span class="badge" title="You identified this key by pasting it">"identified"</span> })}
                {key.notes.tags.iter().map(|t| view! { <span class="badge tag">{t.clone()}</span> }).collect_view()}
                {(!key.notes.description.is_empty()).then(|| view! { <div class="muted small">{key.notes.description.clone()}</div> })}
            </td>
            <td>{let cid = key.connection_id.clone(); move || state.org_of(&cid).map(|org| view! { <span class="org badge">{org}</span>" " })}{project}{project_archived.then_some(" (archived)")}</td>
            <td>{owner}</td>
            <td class="mono">{key.masked()}</td>
            <td>{date(key.created_at)}</td>
            <td>{date(key.last_used_at)}</td>
            <td><button class="secondary edit" on:click=move |_| editing.set(Some(scoped.clone()))>"Edit"</button></td>
        </tr>
        <Show when=open>
            <tr class="editor"><td colspan="8"><KeyEditor key=editor_key.clone() editing=editing/></td></tr>
        </Show>
    }
}

/// Edits a key's label, description and tags.
#[component]
fn KeyEditor(key: ApiKey, editing: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let label = RwSignal::new(key.notes.label.clone().unwrap_or_default());
    let description = RwSignal::new(key.notes.description.clone());
    let tags = RwSignal::new(key.notes.tags.join(", "));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut notes = key.notes.clone();
        let text = label.get_untracked().trim().to_owned();
        notes.label = (!text.is_empty()).then_some(text);
        notes.description = description.get_untracked().trim().to_owned();
        notes.tags = parse_tags(&tags.get_untracked());
        editing.set(None);
        leptos::task::spawn_local(directory::save_notes(
            state,
            key.clone(),
            notes,
        ));
    };
    view! {
        <form class="key-editor" on:submit=save>
            <label>"Label" <input class="edit-label" type="text" maxlength="120" prop:value=label on:input=move |ev| label.set(event_target_value(&ev))/></label>
            <label>"Description" <input class="edit-description" type="text" maxlength="500" prop:value=description on:input=move |ev| description.set(event_target_value(&ev))/></label>
            <label>"Tags (production, staging, …)" <input class="edit-tags" type="text" prop:value=tags on:input=move |ev| tags.set(event_target_value(&ev))/></label>
            <div class="actions">
                <button type="submit" class="save">"Save"</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}

/// Paste a project key to find which listed key it is.
#[component]
fn IdentifyForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let secret = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pasted = secret.get_untracked();
        secret.set(String::new());
        leptos::task::spawn_local(directory::identify_pasted(state, pasted));
    };
    view! {
        <form class="identify" on:submit=submit autocomplete="off">
            <label>"Identify a key you hold "
                <input id="identify-key" type="password" autocomplete="off" placeholder="sk-proj-…" prop:value=secret on:input=move |ev| secret.set(event_target_value(&ev))/>
            </label>
            <button id="identify-submit" type="submit" class="secondary">"Identify"</button>
            <span class="hint">"Only its SHA-256 fingerprint is kept; the key itself is neither stored nor sent anywhere."</span>
        </form>
    }
}
