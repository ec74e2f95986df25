//! Reads a zone's offsets from the browser's own time-zone database
//! (`Intl.DateTimeFormat`), as the plain rules `domain::zone` works with.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::time::{Date, DAY};
use crate::domain::zone::{
    current_name, plausible_name, Transition, Zone, UTC,
};

/// Why a zone could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    #[error("“{0}” is not a time zone this browser knows. Use a name such as Europe/Berlin or America/New_York.")]
    Unknown(String),
}

/// How far apart the offset is sampled. Zones change offset at most a few
/// times a year, months apart; each change found is then pinned to the
/// second by bisection.
const STEP: i64 = 7 * DAY;

/// The zone `name` with every offset change in `[from, to)`.
pub fn load(name: &str, from: i64, to: i64) -> Result<Zone, ZoneError> {
    if name == UTC {
        return Ok(Zone::utc());
    }
    let unknown = || ZoneError::Unknown(name.to_owned());
    if !plausible_name(name) {
        return Err(unknown());
    }
    let format = formatter(name).ok_or_else(unknown)?;
    let offset = |at: i64| offset_at(&format, at);
    let base = offset(from).ok_or_else(unknown)?;
    let mut transitions = Vec::new();
    let (mut at, mut current) = (from, base);
    while at < to {
        let next = (at + STEP).min(to);
        let later = offset(next).ok_or_else(unknown)?;
        if later != current {
            // The first second with the new offset lies in (at, next].
            let (mut low, mut high) = (at, next);
            while high - low > 1 {
                let mid = low + (high - low) / 2;
                if offset(mid) == Some(current) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            transitions.push(Transition {
                at: high,
                offset: later,
            });
            current = later;
        }
        at = next;
    }
    Ok(Zone::with_transitions(name, base, transitions))
}

/// Zone `name` as it is usually written today, or why the browser knows
/// no such zone: `asia/kolkata` and `Asia/Calcutta` become
/// `Asia/Kolkata`, whichever spelling the browser itself resolves to.
pub fn canonical(name: &str) -> Result<String, ZoneError> {
    spelled(name).map(|name| current_name(&name).to_owned())
}

/// `name` in the letter case the browser knows it by.
fn spelled(name: &str) -> Result<String, ZoneError> {
    let name = name.trim();
    let now = (js_sys::Date::now() / 1000.0) as i64;
    load(name, now, now + 1)?;
    if name == UTC || known_zones().iter().any(|known| known == name) {
        return Ok(name.to_owned());
    }
    if let Some(known) = known_zones()
        .into_iter()
        .find(|known| known.eq_ignore_ascii_case(name))
    {
        return Ok(known);
    }
    // Not listed (the list holds one spelling per zone): fix the letter
    // case of each part, `asia/kolkata` to `Asia/Kolkata`.
    let resolved = formatter(name)
        .and_then(|f| {
            Reflect::get(&f.resolved_options(), &"timeZone".into()).ok()
        })
        .and_then(|v| v.as_string());
    if resolved
        .as_deref()
        .is_some_and(|r| r.eq_ignore_ascii_case(name))
    {
        return Ok(resolved.unwrap_or_default());
    }
    Ok(title_case(name))
}

/// `america/new_york` as `America/New_York`: each word capitalized.
fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for ch in name.chars() {
        if start {
            out.extend(ch.to_uppercase());
        } else {
            out.push(ch);
        }
        start = matches!(ch, '/' | '_' | '-');
    }
    out
}

/// The zone this browser is set to, such as `Europe/Berlin`.
pub fn browser_zone() -> String {
    let format =
        js_sys::Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|v| v.as_string())
        .map_or_else(|| UTC.to_owned(), |name| current_name(&name).to_owned())
}

/// Every zone name the browser knows, for the picker's suggestions, as
/// IANA writes them today.
pub fn known_zones() -> Vec<String> {
    let list = (|| {
        let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let function: js_sys::Function =
            Reflect::get(&intl, &"supportedValuesOf".into())
                .ok()?
                .dyn_into()
                .ok()?;
        function.call1(&intl, &"timeZone".into()).ok()
    })();
    let mut names: Vec<String> = list
        .map(|list| {
            Array::from(&list)
                .iter()
                .filter_map(|v| v.as_string())
                .map(|name| current_name(&name).to_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort_unstable();
    names.dedup();
    names
}

/// An `Intl.DateTimeFormat` for `zone` with numeric fields on a 24-hour
/// clock; `None` when the browser refuses the zone.
fn formatter(zone: &str) -> Option<js_sys::Intl::DateTimeFormat> {
    let options = Object::new();
    let set = |key: &str, value: &str| {
        Reflect::set(&options, &key.into(), &value.into()).is_ok()
    };
    let mut ok = set("timeZone", zone) && set("hourCycle", "h23");
    for field in ["year", "month", "day", "hour", "minute", "second"] {
        ok &= set(field, "numeric");
    }
    if !ok {
        return None;
    }
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let constructor: js_sys::Function =
        Reflect::get(&intl, &"DateTimeFormat".into())
            .ok()?
            .dyn_into()
            .ok()?;
    let args = Array::of2(&JsValue::from_str("en-US"), &options);
    // `construct` turns the RangeError of an unknown zone into an Err.
    Reflect::construct(&constructor, &args)
        .ok()?
        .dyn_into()
        .ok()
}

/// Seconds east of UTC at `at`: the local wall clock read as if it were
/// UTC, minus the instant itself.
fn offset_at(format: &js_sys::Intl::DateTimeFormat, at: i64) -> Option<i32> {
    let date = js_sys::Date::new(&JsValue::from_f64(at as f64 * 1000.0));
    let parts = format.format_to_parts(&date);
    let mut fields = [0i64; 6];
    for part in parts.iter() {
        let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let index = ["year", "month", "day", "hour", "minute", "second"]
            .iter()
            .position(|k| *k == kind);
        if let Some(index) = index {
            let value =
                Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            fields[index] = value.parse().ok()?;
        }
    }
    let [year, month, day, hour, minute, second] = fields;
    let date = Date::new(year as i32, month as u32, day as u32);
    let local = date.to_unix() + hour * 3600 + minute * 60 + second;
    i32::try_from(local - at).ok()
}
