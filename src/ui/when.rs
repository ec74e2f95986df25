//! The range and display-zone pickers above the views they narrow.

use leptos::prelude::*;

use super::actions;
use super::state::{AppState, Notice};
use crate::domain::range::{RangeChoice, CHOICES};
use crate::domain::time::Date;
use crate::domain::zone::UTC;

/// The select's value for a custom range.
const CUSTOM: &str = "custom";

/// Range and zone, shown only where they change what is on screen.
#[component]
pub fn WhenBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <Show when=move || state.view.get().uses_range()>
            <section class="panel when" aria-label="Range and time zone">
                <RangePicker/>
                <ZonePicker/>
            </section>
        </Show>
    }
}

#[component]
fn RangePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let custom =
        move || matches!(state.range.get(), RangeChoice::Custom { .. });
    // Dates typed but not yet applied, since one date alone is no range.
    let typed_first = RwSignal::new(String::new());
    let typed_last = RwSignal::new(String::new());
    let on_choice = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let choice = if value == CUSTOM {
            let span = state.span();
            Some(RangeChoice::Custom {
                first: span.first,
                last: span.last,
            })
        } else {
            RangeChoice::parse(&value)
        };
        if let Some(choice) = choice {
            leptos::task::spawn_local(actions::choose_range(state, choice));
        }
    };
    let first_input = NodeRef::<leptos::html::Input>::new();
    let last_input = NodeRef::<leptos::html::Input>::new();
    let apply_custom = move || {
        let span = state.span();
        let first =
            Date::parse(&typed_first.get_untracked()).unwrap_or(span.first);
        let last =
            Date::parse(&typed_last.get_untracked()).unwrap_or(span.last);
        let choice =
            RangeChoice::parse(&RangeChoice::Custom { first, last }.param());
        match choice {
            Some(choice) => {
                leptos::task::spawn_local(actions::choose_range(state, choice))
            }
            None => {
                // The boxes go back to the range still in use.
                for (input, date) in
                    [(first_input, span.first), (last_input, span.last)]
                {
                    if let Some(input) = input.get_untracked() {
                        input.set_value(&date.to_string());
                    }
                }
                typed_first.set(String::new());
                typed_last.set(String::new());
                state.notice.set(Some(Notice::error(
                    "That range does not work: the first day must come before the last, and a range can span at most about ten years.",
                )));
            }
        }
    };
    // A date box reports each keystroke: a date is applied once its year
    // is typed in full, and one still half typed when the box is left is
    // refused (and the box set back).
    let typed = move |into: RwSignal<String>, value: String| {
        let whole = Date::typed_in_full(&value).is_some();
        into.set(value);
        if whole {
            apply_custom();
        }
    };
    let left = move |from: RwSignal<String>| {
        let text = from.get_untracked();
        if !text.is_empty() && Date::typed_in_full(&text).is_none() {
            apply_custom();
        }
    };
    view! {
        <label>"Range "
            // Selection follows the range as a property: the `selected`
            // attribute stops counting once the user has picked an option,
            // and back and forward change the range without a pick.
            <select id="range" on:change=on_choice>
                {CHOICES.iter().map(|choice| {
                    let choice = *choice;
                    view! { <option value=choice.param() prop:selected=move || state.range.get() == choice>{choice.label()}</option> }
                }).collect_view()}
                // A day count from a link that the list lacks, such as 45d.
                {move || {
                    let range = state.range.get();
                    (matches!(range, RangeChoice::Days(_)) && !CHOICES.contains(&range))
                        .then(|| view! { <option value=range.param() prop:selected=true>{range.label()}</option> })
                }}
                <option value=CUSTOM prop:selected=custom>"Custom…"</option>
            </select>
        </label>
        <Show when=custom>
            <label>"From "
                <input id="range-first" node_ref=first_input type="date" prop:value=move || state.span().first.to_string()
                    on:change=move |ev| typed(typed_first, event_target_value(&ev)) on:blur=move |_| left(typed_first)/>
            </label>
            <label>"to "
                <input id="range-last" node_ref=last_input type="date" prop:value=move || state.span().last.to_string()
                    on:change=move |ev| typed(typed_last, event_target_value(&ev)) on:blur=move |_| left(typed_last)/>
            </label>
        </Show>
        <span class="muted" id="range-dates">{move || {
            let span = state.span();
            format!("{} to {}", span.first, span.last)
        }}</span>
    }
}

#[component]
fn ZonePicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browser = super::zone::browser_zone();
    let known = StoredValue::new(super::zone::known_zones());
    let input = NodeRef::<leptos::html::Input>::new();
    let choose = move |name: String| match super::zone::canonical(&name) {
        // An emptied box is no choice: it shows the zone in use again.
        Err(_) if name.trim().is_empty() => {
            if let Some(input) = input.get_untracked() {
                input.set_value(&state.zone_name.get_untracked());
            }
        }
        Ok(name) => {
            if let Some(input) = input.get_untracked() {
                input.set_value(&name);
            }
            leptos::task::spawn_local(actions::choose_zone(state, name));
        }
        Err(error) => {
            // The box goes back to the zone still in use.
            if let Some(input) = input.get_untracked() {
                input.set_value(&state.zone_name.get_untracked());
            }
            state.notice.set(Some(Notice::error(error)));
        }
    };
    let browser_name = browser.clone();
    view! {
        <label>"Time zone "
            <input id="zone" node_ref=input list="zone-list" size="22" autocomplete="off" spellcheck="false"
                prop:value=move || state.zone_name.get()
                on:change=move |ev| choose(event_target_value(&ev))/>
            <datalist id="zone-list">
                <option value=UTC></option>
                {(browser != UTC).then(|| view! { <option value=browser.clone()></option> })}
                {known.get_value().into_iter().filter(|name| name != UTC && *name != browser).map(|name| view! { <option value=name></option> }).collect_view()}
            </datalist>
        </label>
        <button id="zone-utc" class="secondary" on:click=move |_| choose(UTC.to_owned())>"UTC"</button>
        <Show when=move || browser_name != UTC>
            <button id="zone-browser" class="secondary" on:click={
                let name = browser.clone();
                move |_| choose(name.clone())
            }>{format!("My zone ({browser})", browser = browser.clone())}</button>
        </Show>
    }
}
