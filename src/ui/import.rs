//! Importing files instead of syncing: OpenAI's dashboard CSV exports and
//! saved Admin API replies, for when the browser may not call the API.

use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::actions::{new_connection_id, now, report, select};
use super::files::file_input;
use super::state::{AppState, Notice};
use crate::api::saved::{curl_commands, read_reply};
use crate::domain::connection::Connection;
use crate::domain::import::dashboard::read_csv;
use crate::domain::import::{kind_from_name, ImportBatch, ImportError};
use crate::domain::money::group_thousands;
use wasm_bindgen_futures::JsFuture;

/// Dashboard exports of a month are a few MB each.
const MAX_IMPORT_FILE: f64 = 200e6;
/// Where the curl commands point unless the organization says otherwise.
const OPENAI_BASE: &str = "https://api.openai.com/v1";

/// The organization imports go to: the one shown, unless that is the
/// demo or every organization, in which case a new one, stored only once
/// every file has been read (`true` then).
fn target(state: AppState) -> (Connection, bool) {
    if let Some(current) = state.current_untracked().filter(|c| !c.demo) {
        return (current, false);
    }
    let connection = Connection {
        id: new_connection_id(),
        label: "Imported organization".to_owned(),
        api_base: OPENAI_BASE.to_owned(),
        created_at: now(),
        last_sync: None,
        demo: false,
        sealed_secret: None,
        archived: false,
        costs_by_key: None,
        windows: None,
    };
    (connection, true)
}

/// Reads one file into rows of `connection_id`.
fn read_file(
    name: &str,
    text: &str,
    connection_id: &str,
) -> Result<ImportBatch, ImportError> {
    if name.to_ascii_lowercase().ends_with(".json") {
        return read_reply(name, text, connection_id);
    }
    let kind = kind_from_name(name)
        .ok_or_else(|| ImportError::Unknown(name.into()))?;
    read_csv(name, text, kind, connection_id)
}

/// Imports every chosen file, or none of them if one is refused.
async fn import(state: AppState, input: HtmlInputElement) {
    let Some(db) = state.db() else { return };
    let Some(files) = input.files() else { return };
    let mut texts = Vec::new();
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        if file.size() > MAX_IMPORT_FILE {
            let text = format!(
                "{} is larger than keymeter reads in a browser tab; split \
                 it by month. Nothing was imported.",
                file.name()
            );
            return state.notice.set(Some(Notice::error(text)));
        }
        match JsFuture::from(file.text()).await {
            Ok(text) => {
                texts.push((file.name(), text.as_string().unwrap_or_default()))
            }
            Err(_) => {
                let text = format!(
                    "{} could not be read. Nothing was imported.",
                    file.name()
                );
                return state.notice.set(Some(Notice::error(text)));
            }
        }
    }
    input.set_value("");
    if texts.is_empty() {
        return;
    }
    let (connection, new) = target(state);
    let mut batch = ImportBatch::default();
    for (name, text) in &texts {
        match read_file(name, text, &connection.id) {
            Ok(more) => batch.extend(more),
            Err(error) => {
                let text = format!("{error} No file was imported.");
                return state.notice.set(Some(Notice::error(text)));
            }
        }
    }
    let keys = batch.keys_seen();
    let usage_buckets: Vec<String> = batch.usage_buckets.into_iter().collect();
    let cost_days: Vec<String> = batch.cost_days.into_iter().collect();
    let rows = batch.usage.len() + batch.costs.len();
    let stored = async {
        if new {
            db.put_connection(&connection).await?;
        }
        db.replace_buckets(&usage_buckets, &batch.usage).await?;
        db.add_missing_keys(&keys).await?;
        db.store_cost_page(&cost_days, &batch.costs, None).await
    };
    if let Err(error) = stored.await {
        // A new organization goes again with whatever part was stored.
        if new {
            if let Err(more) =
                db.delete_connection_data(&connection.id, false).await
            {
                log::warn!("removing a half-imported organization: {more}");
            }
        }
        return report(state, error);
    }
    if new {
        state.connections.update(|all| all.push(connection.clone()));
    }
    select(state, connection.id.clone()).await;
    state.notice.set(Some(Notice::info(format!(
        "Imported {} rows from {} file{} into {}. Buckets already stored \
         were replaced, so nothing is counted twice.",
        group_thousands(&rows.to_string()),
        texts.len(),
        if texts.len() == 1 { "" } else { "s" },
        connection.label
    ))));
}

#[component]
pub fn ImportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let show_commands = RwSignal::new(false);
    let commands = move || {
        let span = state.span();
        let (from, to) = (span.from, span.to);
        let base = state
            .current()
            .filter(|c| !c.demo)
            .map_or_else(|| OPENAI_BASE.to_owned(), |c| c.api_base);
        curl_commands(&base, from, to)
    };
    let on_files = move |ev: leptos::ev::Event| {
        if let Some(input) = file_input(&ev) {
            leptos::task::spawn_local(import(state, input));
        }
    };
    view! {
        <section class="panel" id="import">
            <h2>"Import files"</h2>
            <p class="hint">"No admin key in the browser? Import the CSV files OpenAI's usage dashboard exports (completions_usage_….csv, cost_….csv, …) or API replies saved with the commands below. Several files at once are fine; importing a file twice, or a day that was also synced, never counts anything twice."</p>
            <label>"Files to import "
                <input id="import-files" type="file" multiple accept=".csv,.json,text/csv,application/json" on:change=on_files/>
            </label>
            <p>
                <button id="import-show-commands" class="secondary" on:click=move |_| show_commands.update(|s| *s = !*s)>
                    {move || if show_commands.get() { "Hide the commands" } else { "Show commands that save the API replies" }}
                </button>
            </p>
            <Show when=move || show_commands.get()>
                <p class="hint">"Run these anywhere with curl, for the range shown (UTC days), after setting OPENAI_ADMIN_KEY; then import the .json files they write. The key stays in your shell."</p>
                <textarea id="import-commands" readonly rows="10" spellcheck="false" prop:value=commands></textarea>
            </Show>
        </section>
    }
}
