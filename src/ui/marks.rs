//! Marks on the browser's performance timeline at the moments start-up
//! is measured by: a benchmark reads them, and so does the browser's
//! profiler.

use leptos::prelude::window;

/// The frame that first shows stored figures in the overview.
pub const OVERVIEW_READY: &str = "keymeter:overview-ready";

/// A selection's whole data loaded: every view can show its figures.
pub const DATA_LOADED: &str = "keymeter:data-loaded";

/// Sets mark `name` now. A browser without the timeline only loses the
/// measurement.
pub fn mark(name: &str) {
    if let Some(Err(error)) = window().performance().map(|p| p.mark(name)) {
        log::warn!("cannot set the performance mark {name}: {error:?}");
    }
}
