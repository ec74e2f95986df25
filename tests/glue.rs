//! Browser-API glue in headless Chromium: the browser's time-zone
//! database, read through `ui::zone`, gives the offsets and transitions
//! of real zones; the monitor sees when the tab is hidden.
#![cfg(target_arch = "wasm32")]

use keymeter::domain::time::Date;
use keymeter::ui::zone::{canonical, known_zones, load, ZoneError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HOUR: i64 = 3600;

fn year_2026() -> (i64, i64) {
    (
        Date::new(2026, 1, 1).to_unix(),
        Date::new(2027, 1, 1).to_unix(),
    )
}

#[wasm_bindgen_test]
fn berlin_changes_clocks_at_one_utc_on_the_last_sundays_of_march_and_october() {
    let (from, to) = year_2026();
    let zone = load("Europe/Berlin", from, to).expect("Berlin is known");
    let spring = Date::new(2026, 3, 29).to_unix() + HOUR;
    let autumn = Date::new(2026, 10, 25).to_unix() + HOUR;
    assert_eq!(zone.offset_at(spring - 1), 3600);
    assert_eq!(zone.offset_at(spring), 7200);
    assert_eq!(zone.offset_at(autumn - 1), 7200);
    assert_eq!(zone.offset_at(autumn), 3600);
    let (start, end) = zone.day_bounds(Date::new(2026, 3, 29));
    assert_eq!(end - start, 23 * HOUR);
    let (start, end) = zone.day_bounds(Date::new(2026, 10, 25));
    assert_eq!(end - start, 25 * HOUR);
}

#[wasm_bindgen_test]
fn kolkata_is_half_past_five_all_year_and_los_angeles_moves_in_march() {
    let (from, to) = year_2026();
    let kolkata = load("Asia/Kolkata", from, to).expect("Kolkata is known");
    assert!(!kolkata.is_utc());
    assert_eq!(kolkata.offset_at(from), 5 * HOUR as i32 + 1800);
    assert_eq!(kolkata.offset_at(to - 1), 5 * HOUR as i32 + 1800);

    let la = load("America/Los_Angeles", from, to).expect("LA is known");
    let spring = Date::new(2026, 3, 8).to_unix() + 10 * HOUR;
    assert_eq!(la.offset_at(spring - 1), -8 * HOUR as i32);
    assert_eq!(la.offset_at(spring), -7 * HOUR as i32);
    let now = Date::new(2026, 7, 15).to_unix() + 4 * HOUR;
    assert_eq!(la.date(now), Date::new(2026, 7, 14));
}

#[wasm_bindgen_test]
fn utc_is_plain_and_unknown_or_odd_names_are_refused() {
    let (from, to) = year_2026();
    assert!(load("UTC", from, to).expect("UTC").is_utc());
    for bad in ["Mars/Olympus_Mons", "<b>", "", "Europe/Berlin/Extra"] {
        assert_eq!(
            load(bad, from, to),
            Err(ZoneError::Unknown(bad.to_owned())),
            "{bad}"
        );
    }
}

#[wasm_bindgen_test]
fn names_keep_their_usual_spelling_whatever_the_letter_case_typed() {
    assert_eq!(canonical("Asia/Kolkata").as_deref(), Ok("Asia/Kolkata"));
    assert_eq!(canonical(" asia/kolkata ").as_deref(), Ok("Asia/Kolkata"));
    assert_eq!(canonical("europe/berlin").as_deref(), Ok("Europe/Berlin"));
    assert_eq!(
        canonical("america/los_angeles").as_deref(),
        Ok("America/Los_Angeles")
    );
    assert_eq!(canonical("UTC").as_deref(), Ok("UTC"));
    assert_eq!(canonical("asia/calcutta").as_deref(), Ok("Asia/Kolkata"));
    let listed = known_zones();
    assert!(listed.iter().any(|z| z == "Asia/Kolkata"), "{listed:?}");
    assert!(!listed.iter().any(|z| z == "Asia/Calcutta"));
    assert!(canonical("Mars/Base").is_err());
}

/// The monitor reads the page's visibility from the browser: a hidden tab
/// (another tab in front, a minimized window) reads as not visible.
#[wasm_bindgen_test]
fn the_monitor_sees_when_the_tab_is_hidden() {
    use wasm_bindgen::JsValue;
    let document = web_sys::window().unwrap().document().unwrap();
    let set = |state: &str| {
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(&descriptor, &"value".into(), &state.into())
            .unwrap();
        js_sys::Reflect::set(
            &descriptor,
            &"configurable".into(),
            &JsValue::TRUE,
        )
        .unwrap();
        js_sys::Object::define_property(
            &document,
            &"visibilityState".into(),
            &descriptor,
        );
    };
    set("hidden");
    assert!(!keymeter::ui::monitor::visible());
    set("visible");
    assert!(keymeter::ui::monitor::visible());
}

#[wasm_bindgen_test]
fn a_page_the_api_sends_again_replaces_what_it_landed_instead_of_adding() {
    use keymeter::domain::demo::demo_org;
    use keymeter::sync::Landed;

    let org = demo_org("c1", Date::new(2026, 3, 31), 3);
    let page = |rows: &[keymeter::domain::usage::UsageRecord]| {
        let mut buckets: Vec<String> =
            rows.iter().map(|r| r.bucket_key()).collect();
        buckets.dedup();
        buckets
    };
    let mut landed = Landed::default();
    landed.add_usage(page(&org.usage), org.usage.clone());
    landed.add_usage(page(&org.usage), org.usage.clone());
    assert_eq!(landed.usage, org.usage);

    let days: Vec<String> = org.costs.iter().map(|c| c.day_key()).collect();
    landed.add_costs(days.clone(), org.costs.clone());
    landed.add_costs(days, org.costs.clone());
    assert_eq!(landed.costs, org.costs);
}
