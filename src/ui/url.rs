//! Keeps the address bar and the page in step: the view, organization,
//! narrowing, range and zone are read from the URL's query at start and on
//! back/forward, and written to it whenever they change.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

use super::state::{AppState, Notice};
use crate::domain::route::Route;

/// The route the address bar holds now.
pub fn current() -> Route {
    Route::parse(&window().location().search().unwrap_or_default())
}

/// Applies what a route says about the view, narrowing, range and zone.
/// The organization is applied by `actions::reload`, once the list of
/// organizations is known.
pub fn apply(state: AppState, route: &Route) {
    state.view.set(route.view);
    state.narrowing.set(route.narrowing.clone());
    if let Some(range) = route.range {
        state.range.set(range);
    }
    if let Some(text) = &route.refused_range {
        let shown = state.range.get_untracked().label();
        state.notice.set(Some(Notice::error(format!(
            "The link's range \"{text}\" is not one keymeter reads (such as \
             7d, month or 2026-01-01..2026-01-31): showing \"{shown}\" instead."
        ))));
    }
    if let Some(zone) = &route.zone {
        match super::zone::canonical(zone) {
            Ok(zone) => state.zone_name.set(zone),
            Err(error) => state.notice.set(Some(Notice::error(error))),
        }
    }
}

/// The route the page shows now (tracked). The narrowing is written only
/// for the views it narrows, so a shared link never claims a filter its
/// view ignores.
fn shown(state: AppState) -> Route {
    let view = state.view.get();
    let narrowing = if view.uses_filters() {
        state.narrowing.get()
    } else {
        Default::default()
    };
    Route {
        view,
        org: state.selected.get(),
        narrowing,
        range: Some(state.range.get()),
        zone: Some(state.zone_name.get()),
        refused_range: None,
    }
}

/// Starts following the URL: applies it now, writes every later change
/// as a history entry, and follows back and forward.
pub fn follow(state: AppState) {
    apply(state, &current());
    // Set by back or forward when the page they lead to shows a route
    // written differently from the address (a link missing the range,
    // say): the next write corrects the address in place instead of
    // adding an entry that would trap the user on it.
    let restoring = StoredValue::new(false);

    Effect::new(move |_| {
        // Until the stored settings and organization are in, the page
        // shows defaults that must not overwrite the link it was opened by.
        if state.loaded.get().is_none() {
            return;
        }
        let route = shown(state);
        let in_place = restoring.get_value();
        restoring.set_value(false);
        let location = window().location();
        let query = route.query();
        if location.search().unwrap_or_default() == query {
            return;
        }
        let path = location.pathname().unwrap_or_default();
        let url = format!("{path}{query}");
        let Ok(history) = window().history() else {
            return;
        };
        let written = if in_place {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        };
        if let Err(error) = written {
            log::warn!("could not update the address: {error:?}");
        }
    });

    let on_pop = Closure::<dyn Fn()>::new(move || {
        let route = current();
        apply(state, &route);
        // The organization is switched now, with the rest of the route:
        // left to the load that follows, the address would be written
        // back from the one still shown.
        if let Some(org) = route.org.clone() {
            if state.selected.get_untracked().as_ref() != Some(&org) {
                state.selected.set(Some(org.clone()));
                leptos::task::spawn_local(super::actions::select(state, org));
            }
        }
        let query = untrack(|| shown(state)).query();
        restoring.set_value(current().query() != query);
    });
    window()
        .add_event_listener_with_callback(
            "popstate",
            on_pop.as_ref().unchecked_ref(),
        )
        .ok();
    // The page keeps listening for as long as it lives.
    on_pop.forget();
}
