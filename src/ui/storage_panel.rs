//! How safely this browser keeps keymeter's data: the room it takes, the
//! room allowed, and whether the browser may clear it to free space. The
//! Storage API's web-sys bindings are not enabled, so `navigator.storage`
//! is reached through `js_sys::Reflect`.

use leptos::prelude::*;

use crate::domain::bytes::size;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::state::{AppState, Notice};

/// What the browser says about the site's storage; `None` for what it
/// does not tell.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Report {
    /// Bytes in use by the whole origin, which on GitHub Pages is every
    /// project of the account.
    usage: Option<f64>,
    /// Bytes the browser lets the origin use.
    quota: Option<f64>,
    persisted: Option<bool>,
}

/// `navigator.storage`, which browsers offer to secure pages only.
fn manager() -> Option<JsValue> {
    let navigator = window().navigator();
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    storage.is_object().then_some(storage)
}

/// Calls `navigator.storage[method]()` and awaits the promise it returns.
async fn call(method: &str) -> Result<JsValue, JsValue> {
    let storage = manager().ok_or(JsValue::UNDEFINED)?;
    let function: js_sys::Function =
        js_sys::Reflect::get(&storage, &method.into())?.dyn_into()?;
    let promise: js_sys::Promise = function.call0(&storage)?.dyn_into()?;
    JsFuture::from(promise).await
}

/// Reads the estimate and whether storage is persistent.
async fn read() -> Report {
    let estimate = call("estimate").await.ok();
    let number = |name: &str| {
        let estimate = estimate.as_ref()?;
        js_sys::Reflect::get(estimate, &name.into()).ok()?.as_f64()
    };
    let persisted = call("persisted").await.ok().and_then(|v| v.as_bool());
    Report {
        usage: number("usage"),
        quota: number("quota"),
        persisted,
    }
}

/// Asks the browser to keep the data (it decides by itself, often from
/// how the site is used), says what it answered and reads again.
async fn ask(state: AppState, report: RwSignal<Option<Report>>) {
    let notice = match call("persist").await.map(|v| v.as_bool()) {
        Ok(Some(true)) => Notice::info(
            "The browser will keep keymeter's data until you delete it.",
        ),
        Ok(_) => Notice::info(
            "The browser declined for now. Browsers grant this to sites \
             that are visited often, bookmarked or installed; keep a \
             backup meanwhile.",
        ),
        Err(error) => {
            log::warn!("asking for persistent storage failed: {error:?}");
            Notice::error(
                "The browser could not be asked to keep the data; keep a \
                 backup instead.",
            )
        }
    };
    state.notice.set(Some(notice));
    let _ = report.try_set(Some(read().await));
}

/// Storage used and allowed, whether the browser may clear it, a button
/// asking it not to, and what Safari does regardless.
#[component]
pub fn StoragePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = RwSignal::new(None::<Report>);
    let asking = RwSignal::new(false);

    let on_ask = move |_| {
        asking.set(true);
        leptos::task::spawn_local(async move {
            ask(state, report).await;
            let _ = asking.try_set(false);
        });
    };

    let number = |value: Option<f64>| value.map(|v| v.to_string());
    let used = move || {
        let report = report.get()?;
        Some(match (report.usage, report.quota) {
            (Some(usage), Some(quota)) => format!(
                "In use: {} of the {} this browser allows the site.",
                size(usage),
                size(quota)
            ),
            (Some(usage), None) => format!("In use: {}.", size(usage)),
            _ => "This browser does not say how much room the data takes."
                .to_owned(),
        })
    };
    let persisted = move || report.get().and_then(|r| r.persisted);

    // Read again whenever what is stored changes (a sync, an import, a
    // restore), as the figure changes with it.
    Effect::new(move |_| {
        state.data.track();
        leptos::task::spawn_local(async move {
            let _ = report.try_set(Some(read().await));
        });
    });

    view! {
        <section class="panel" id="storage" data-usage=move || report.get().and_then(|r| number(r.usage)) data-quota=move || report.get().and_then(|r| number(r.quota)) data-persisted=move || persisted().map(|p| p.to_string())>
            <h2>"Storage in this browser"</h2>
            <p id="storage-used">{used}</p>
            <p id="storage-persisted">
                {move || match persisted() {
                    Some(true) => view! { <span>"Persistent: the browser keeps this data until you delete it."</span> }.into_any(),
                    Some(false) => view! {
                        <span>"Best effort: the browser may delete this data when it runs short of space. "</span>
                        <button id="storage-persist" class="secondary" disabled=move || asking.get() on:click=on_ask>"Ask the browser to keep it"</button>
                    }.into_any(),
                    None => view! { <span class="muted">"This browser does not say whether it may delete this data."</span> }.into_any(),
                }}
            </p>
            <p class="hint">"On GitHub Pages all sites of one account share this storage, so the figure counts them all."</p>
            <p class="hint" id="storage-safari">"Safari deletes everything a site has stored after 7 days without a visit, unless the site was added to the Home Screen or the Dock. With Safari, install keymeter that way or download a backup regularly."</p>
        </section>
    }
}
