//! Monitor mode: a visible tab syncs by itself every few minutes, only
//! one tab of the browser syncs at a time, and the other open tabs show
//! new data as soon as it lands.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::actions::{self, now};
use super::state::AppState;
use crate::api::client::sleep;
use crate::domain::monitor::{should_sync, Tab};

/// The channel tabs tell each other about finished syncs on.
const CHANNEL: &str = "keymeter";
/// The Web Lock held by the tab that syncs.
const LOCK: &str = "keymeter-sync";
/// How often the page looks whether a sync is due.
const TICK_MS: u32 = 5_000;

/// Whether the page is on screen. Browsers without the Page Visibility
/// API count as visible.
pub fn visible() -> bool {
    let document = leptos::prelude::document();
    js_sys::Reflect::get(&document, &JsValue::from_str("visibilityState"))
        .ok()
        .and_then(|v| v.as_string())
        .is_none_or(|state| state == "visible")
}

/// Tells other tabs that a sync stored new data.
pub fn announce() {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from_str("synced"));
        channel.close();
    }
}

/// Reloads what the page shows whenever another tab announces a sync.
pub fn listen(state: AppState) {
    let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) else {
        return;
    };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |_: web_sys::MessageEvent| {
            if state.progress.get_untracked().is_none() {
                leptos::task::spawn_local(actions::reload(state));
            }
        },
    );
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Both live as long as the page.
    on_message.forget();
    std::mem::forget(channel);
}

/// Syncs under the browser-wide lock, or not at all when another tab
/// holds it. Browsers without Web Locks just sync.
async fn sync_alone(state: AppState) {
    let navigator = leptos::prelude::window().navigator();
    let locks = js_sys::Reflect::get(&navigator, &JsValue::from_str("locks"))
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|locks| {
        js_sys::Reflect::get(locks, &JsValue::from_str("request"))
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        return actions::run_sync(state).await;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &options,
        &JsValue::from_str("ifAvailable"),
        &JsValue::TRUE,
    );
    let callback = Closure::once_into_js(move |lock: JsValue| {
        if lock.is_null() {
            // Another tab is syncing; it will announce what it stores.
            return js_sys::Promise::resolve(&JsValue::UNDEFINED);
        }
        wasm_bindgen_futures::future_to_promise(async move {
            actions::run_sync(state).await;
            Ok(JsValue::UNDEFINED)
        })
    });
    let held =
        request.call3(&locks, &JsValue::from_str(LOCK), &options, &callback);
    if let Ok(promise) = held.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

/// Runs for the page's lifetime: syncs the shown organization when the
/// chosen interval has passed, while the tab is visible, its key is
/// unlocked and no sync runs.
pub async fn watch(state: AppState) {
    loop {
        sleep(TICK_MS).await;
        let minutes = state.refresh_minutes.get_untracked();
        let Some(connection) = state.current_untracked() else {
            continue;
        };
        let tab = Tab {
            visible: visible(),
            can_sync: !connection.demo
                && !connection.archived
                && state
                    .secrets
                    .with_untracked(|all| all.contains_key(&connection.id)),
            busy: state.progress.get_untracked().is_some(),
        };
        let last = connection.last_sync.map(|mark| mark.at);
        if should_sync(tab, last, now(), minutes) {
            sync_alone(state).await;
        }
    }
}
