//! The one place that asks for permission to show notifications.

use leptos::prelude::*;
use web_sys::NotificationPermission;

use super::notify;

/// Says whether notifications are on, and offers to turn them on.
#[component]
pub fn NotifyButton() -> impl IntoView {
    let permission = RwSignal::new(notify::permission());
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            notify::ask().await;
            permission.set(notify::permission());
        });
    };
    view! {
        <p class="notify" id="notify-state">
            {move || match permission.get() {
                NotificationPermission::Granted => view! { <span>"Browser notifications are on for new alerts."</span> }.into_any(),
                NotificationPermission::Denied if notify::supported() => view! { <span class="muted">"Browser notifications are blocked for this site; change that in the browser's site settings to get them."</span> }.into_any(),
                NotificationPermission::Denied => view! { <span class="muted">"This browser cannot show notifications."</span> }.into_any(),
                _ => view! { <button id="notify-allow" class="secondary" on:click=ask>"Allow browser notifications"</button> }.into_any(),
            }}
        </p>
    }
}
