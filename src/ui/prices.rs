//! The Prices page: every price estimates use, where it came from, and
//! the ways to change it (edit one, import a community file, reset).

use leptos::prelude::*;

use super::actions::now;
use super::files::file_input;
use super::price_actions;
use super::state::{AppState, Notice};
use crate::domain::keys::visible_name;
use crate::domain::price::{
    built_in_table, far_from_built_in, other_units, Price, PriceEntry,
    PriceForm, PriceSource, Rate,
};
use crate::domain::time::Date;

fn rate(rate: Option<Rate>) -> String {
    rate.map_or_else(|| "–".to_owned(), Rate::per_million_text)
}

fn source_label(source: PriceSource) -> &'static str {
    match source {
        PriceSource::BuiltIn => "built in",
        PriceSource::Imported => "imported",
        PriceSource::Edited => "edited",
    }
}

/// Reads an optional date field; `Err` holds the message to show.
fn optional_date(text: &str) -> Result<Option<Date>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(text)
        .map(Some)
        .ok_or_else(|| format!("\"{text}\" is not a date; use YYYY-MM-DD."))
}

/// What the editor holds.
#[derive(Clone, Copy)]
struct Editor {
    model: RwSignal<String>,
    from: RwSignal<String>,
    form: RwSignal<PriceForm>,
    /// A price far from the built-in one that the user was warned of:
    /// saving it again keeps it.
    warned: RwSignal<Option<(String, Price)>>,
}

#[component]
pub fn PricesPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let filter = RwSignal::new(String::new());
    let warnings = RwSignal::new(Vec::<String>::new());
    let import_from = RwSignal::new(String::new());
    let editor = Editor {
        model: RwSignal::new(String::new()),
        from: RwSignal::new(String::new()),
        form: RwSignal::new(PriceForm::default()),
        warned: RwSignal::new(None),
    };
    let rows = Memo::new(move |_| {
        let needle = filter.get().trim().to_lowercase();
        state.prices.with(|table| {
            let edited: std::collections::HashSet<&str> = table
                .entries()
                .filter(|e| e.source != PriceSource::BuiltIn)
                .map(|e| e.model.as_str())
                .collect();
            table
                .entries()
                .filter(|e| {
                    needle.is_empty()
                        || e.model.to_lowercase().contains(&needle)
                })
                .map(|e| (e.clone(), edited.contains(e.model.as_str())))
                .collect::<Vec<_>>()
        })
    });
    let on_file = move |ev: leptos::ev::Event| {
        let Some(input) = file_input(&ev) else { return };
        let from = match optional_date(&import_from.get_untracked()) {
            Ok(from) => from,
            Err(text) => return state.notice.set(Some(Notice::error(text))),
        };
        leptos::task::spawn_local(async move {
            let found = price_actions::import_file(state, input, from).await;
            warnings.set(found);
        });
    };

    view! {
        <section class="panel" id="prices-page">
            <h2>"Prices"</h2>
            <p class="hint">"Per-key costs are estimates: usage times these list prices, in dollars per 1M tokens unless said otherwise. Each price applies from its date on, so older usage keeps the price of its day. Batch and Flex usage costs half; Priority only where a price is known. A model missing here is shown as unpriced, never as free."</p>
            <div class="price-tools">
                <label>"Import LiteLLM's model_prices_and_context_window.json "
                    <input id="prices-file" type="file" accept=".json,application/json" on:change=on_file/>
                </label>
                <label>"applying from "
                    <input id="prices-import-from" type="date" prop:value=import_from on:change=move |ev| import_from.set(event_target_value(&ev))/>
                </label>
                <span class="hint">"(empty: every day). Only OpenAI entries are read; the file never leaves this browser."</span>
            </div>
            <Show when=move || !warnings.with(Vec::is_empty)>
                <div class="notice warn" role="status">
                    <strong>"Check these imported prices:"</strong>
                    <ul id="price-warnings">
                        <For each=move || warnings.get() key=|w| w.clone() let:w>
                            <li>{w}</li>
                        </For>
                    </ul>
                </div>
            </Show>
            <PriceEditor editor=editor/>
            <div class="actions">
            <label class="filter">"Find a model " <input id="prices-filter" type="search" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/></label>
            <Show when=move || state.prices.with(|t| !t.overrides().is_empty())>
                <button id="prices-reset-all" class="secondary" on:click=move |_| { leptos::task::spawn_local(price_actions::reset_all(state)); }>"Remove all my imported and edited prices"</button>
            </Show>
            </div>
            <div class="scroll">
                <table id="prices">
                    <thead>
                        <tr><th>"Model"</th><th>"From"</th><th>"Source"</th><th class="num">"Input"</th><th class="num">"Cached input"</th><th class="num">"Output"</th><th>"Other units"</th><th></th></tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|(e, edited)| format!("{e:?}{edited}") let:row>
                            <PriceRow entry=row.0 edited=row.1 editor=editor/>
                        </For>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn PriceRow(entry: PriceEntry, edited: bool, editor: Editor) -> impl IntoView {
    let state = expect_context::<AppState>();
    let shown_from = entry
        .from
        .map_or_else(|| "always".to_owned(), |d| d.to_string());
    let edit = {
        let entry = entry.clone();
        move |_| {
            editor.model.set(entry.model.clone());
            editor
                .from
                .set(entry.from.map(|d| d.to_string()).unwrap_or_default());
            editor.form.set(PriceForm::of(&entry.price));
        }
    };
    let model = entry.model.clone();
    let reset = move |_| {
        leptos::task::spawn_local(price_actions::reset(state, model.clone()));
    };
    let price = &entry.price;
    let has_built_in =
        built_in_table().entries().any(|e| e.model == entry.model);
    let from_attr = shown_from.clone();
    view! {
        <tr data-model=entry.model.clone() data-from=from_attr data-source=source_label(entry.source)>
            <td class="mono model">{visible_name(&entry.model)}{price.long_context.then(|| view! { <span class="badge" title="Charges more above 272k input tokens per request, which daily totals cannot see: estimates are a lower bound.">"long context"</span> })}</td>
            <td>{shown_from}</td>
            <td>{source_label(entry.source)}</td>
            <td class="num input">{rate(price.input)}</td>
            <td class="num cached">{rate(price.cached_input)}</td>
            <td class="num output">{rate(price.output)}</td>
            <td class="small wrap">{other_units(price)}</td>
            <td class="actions">
                <button class="secondary edit-price" on:click=edit>"Edit"</button>
                {edited.then(|| view! { <button class="secondary reset-price" on:click=reset>{if has_built_in { "Reset to built in" } else { "Remove" }}</button> })}
            </td>
        </tr>
    }
}

/// Sets one model's price from a day on; starts from the row chosen with
/// "Edit", or blank for a model keymeter does not know.
#[component]
fn PriceEditor(editor: Editor) -> impl IntoView {
    let state = expect_context::<AppState>();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let model = editor.model.get_untracked().trim().to_owned();
        if model.is_empty() {
            let text = "Name the model the price is for, as usage shows it.";
            return state.notice.set(Some(Notice::error(text)));
        }
        let from = match optional_date(&editor.from.get_untracked()) {
            Ok(from) => from,
            Err(text) => return state.notice.set(Some(Notice::error(text))),
        };
        let base = state.prices.with_untracked(|table| {
            table
                .entries()
                .find(|e| e.model == model && e.from == from)
                .map(|e| e.price.clone())
                .unwrap_or_default()
        });
        let price = match editor.form.with_untracked(|form| form.apply(&base)) {
            Ok(price) => price,
            Err(error) => return state.notice.set(Some(Notice::error(error))),
        };
        // A rate a hundred times off the built-in one is asked about once.
        let day = from.unwrap_or_else(|| Date::from_unix(now()));
        let far = built_in_table()
            .resolve(&model, day)
            .map(|known| far_from_built_in(&price, &known.entry.price))
            .unwrap_or_default();
        let pending = Some((model.clone(), price.clone()));
        if !far.is_empty() && editor.warned.get_untracked() != pending {
            let mut text: Vec<String> =
                far.iter().map(ToString::to_string).collect();
            text.push(
                "Prices here are dollars per 1M tokens. Press Save price \
                 again to keep it as typed."
                    .to_owned(),
            );
            editor.warned.set(pending);
            return state.notice.set(Some(Notice::error(text.join(" "))));
        }
        editor.warned.set(None);
        leptos::task::spawn_local(price_actions::save_edit(
            state, model, from, price,
        ));
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      get: fn(&PriceForm) -> String,
                      set: fn(&mut PriceForm, String)| {
        view! {
            <label>{label}" "
                <input id=id type="text" inputmode="decimal" size="8" prop:value=move || editor.form.with(get) on:input=move |ev| { let value = event_target_value(&ev); editor.form.update(|f| set(f, value)); }/>
            </label>
        }
    };
    view! {
        <form id="price-form" class="price-editor" on:submit=save>
            <label>"Model " <input id="price-model" type="text" placeholder="gpt-4o-mini" prop:value=editor.model on:input=move |ev| editor.model.set(event_target_value(&ev))/></label>
            <label>"From " <input id="price-from" type="date" prop:value=editor.from on:change=move |ev| editor.from.set(event_target_value(&ev))/></label>
            {field("price-input", "Input", |f| f.input.clone(), |f, v| f.input = v)}
            {field("price-cached", "Cached input", |f| f.cached_input.clone(), |f, v| f.cached_input = v)}
            {field("price-output", "Output", |f| f.output.clone(), |f, v| f.output = v)}
            {field("price-audio-in", "Audio input", |f| f.audio_input.clone(), |f, v| f.audio_input = v)}
            {field("price-audio-out", "Audio output", |f| f.audio_output.clone(), |f, v| f.audio_output = v)}
            {field("price-characters", "Per 1M characters", |f| f.characters.clone(), |f, v| f.characters = v)}
            <button id="price-save" type="submit">"Save price"</button>
            <span class="hint">"Dollars per 1M; leave a field empty for no such price. An empty From means every day."</span>
        </form>
    }
}
