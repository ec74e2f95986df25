//! Files made in the page and handed to the browser as a download; no
//! server is involved.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use super::state::{AppState, Notice};
use crate::domain::export::{Bom, Table};

/// Offers `text` as a file called `file_name`.
pub fn download_text(
    file_name: &str,
    mime: &str,
    text: &str,
) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let document = leptos::prelude::document();
    let anchor: HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    Url::revoke_object_url(&url)
}

/// A file-name-safe form of `text`: letters and digits kept, runs of
/// anything else turned into one `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "organization".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `keymeter-<organization>-<scope>[-<narrowing>]-<first day>-to-<last day>`:
/// what a downloaded file holds, in its name. Days are those of the
/// display zone; the narrowing is the filter's ids, when there is one.
pub fn file_stem(state: AppState, scope: &str) -> String {
    let org = if state.all_selected() {
        "all-organizations".to_owned()
    } else {
        let mut org = slug(
            &state
                .current_untracked()
                .map(|c| c.label)
                .unwrap_or_default(),
        );
        let cut = org.char_indices().nth(40).map_or(org.len(), |(i, _)| i);
        org.truncate(cut);
        org.trim_end_matches('-').to_owned()
    };
    let span = state.span();
    let narrowing = state.narrowing.with(|n| {
        [&n.project, &n.user, &n.key, &n.model, &n.kind]
            .into_iter()
            .flatten()
            .map(|v| slug(v))
            .collect::<Vec<_>>()
            .join("-")
    });
    let scope = if narrowing.is_empty() || !state.view.get().uses_filters() {
        scope.to_owned()
    } else {
        format!("{scope}-{narrowing}")
    };
    if state.view.get().uses_range() {
        format!("keymeter-{org}-{scope}-{}-to-{}", span.first, span.last)
    } else {
        // Views without a range (alerts, prices) are dated by the day.
        let today = state.zone.with(|z| z.date(super::actions::now()));
        format!("keymeter-{org}-{scope}-{today}")
    }
}

/// CSV, CSV for Excel and JSON downloads of one table. Buttons are
/// `#<id>-csv`, `#<id>-excel` and `#<id>-json`.
#[component]
pub fn Downloads(
    id: &'static str,
    /// File name without extension.
    #[prop(into)]
    stem: Signal<String>,
    /// Built only when a button is pressed.
    table: Callback<(), Table>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let save = move |kind: u8| {
        let table = table.run(());
        let stem = stem.get_untracked();
        let written = match kind {
            0 => table
                .to_csv(Bom::Without)
                .map(|t| (t, "csv", "text/csv;charset=utf-8")),
            1 => table
                .to_csv(Bom::With)
                .map(|t| (t, "csv", "text/csv;charset=utf-8")),
            _ => Ok((table.to_json(), "json", "application/json")),
        };
        let outcome =
            written
                .map_err(|e| e.to_string())
                .and_then(|(text, ext, mime)| {
                    let name = if kind == 1 {
                        format!("{stem}-excel.{ext}")
                    } else {
                        format!("{stem}.{ext}")
                    };
                    download_text(&name, mime, &text).map_err(|_| {
                        "The browser refused the download.".to_owned()
                    })
                });
        if let Err(problem) = outcome {
            state.notice.set(Some(Notice::error(problem)));
        }
    };
    view! {
        <span class="downloads">
            <button id=format!("{id}-csv") class="secondary" on:click=move |_| save(0)>"CSV"</button>
            <button id=format!("{id}-excel") class="secondary" title="CSV with a byte-order mark, so Excel reads non-Latin names correctly" on:click=move |_| save(1)>"CSV for Excel"</button>
            <button id=format!("{id}-json") class="secondary" on:click=move |_| save(2)>"JSON"</button>
        </span>
    }
}
