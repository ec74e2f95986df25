//! Browser notifications for new alerts. Permission is asked only when the
//! user presses the button for it; without it, alerts still reach the
//! banner and the alert centre.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// Whether this browser has notifications at all.
pub fn supported() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("Notification"))
        .unwrap_or(false)
}

/// What the user decided so far.
pub fn permission() -> NotificationPermission {
    if supported() {
        Notification::permission()
    } else {
        NotificationPermission::Denied
    }
}

/// Asks for permission (only ever from a button press) and says whether
/// it was granted.
pub async fn ask() -> bool {
    if !supported() {
        return false;
    }
    let Ok(promise) = Notification::request_permission() else {
        return false;
    };
    match JsFuture::from(promise).await {
        Ok(answer) => answer.as_string().as_deref() == Some("granted"),
        Err(_) => false,
    }
}

/// Shows one notification, when allowed; a failure only leaves it out.
pub fn show(title: &str, body: &str, tag: &str) {
    if permission() != NotificationPermission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    if let Err(error) = Notification::new_with_options(title, &options) {
        log::warn!("a notification could not be shown: {error:?}");
    }
}
