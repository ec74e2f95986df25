//! The daily cost chart on a canvas, redrawn when data or range change.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

use super::actions::now;
use super::state::AppState;
use crate::charts::daily::{self, DARK, LIGHT};
use crate::domain::range::last_days;
use crate::domain::series;

/// Estimated cost per day of the selected organization.
#[component]
pub fn DailyChart() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<Canvas>::new();
    let points = Memo::new(move |_| {
        let (from, to) = last_days(now(), state.range_days.get());
        state.prices.with(|prices| {
            state
                .data
                .with(|d| series::daily_with_prices(prices, &d.usage, from, to))
        })
    });

    Effect::new(move |_| {
        let points = points.get();
        let Some(element) = canvas.get() else { return };
        let Some(backend) = CanvasBackend::with_canvas_object(element) else {
            return;
        };
        let palette = if prefers_dark() { DARK } else { LIGHT };
        if let Err(error) =
            daily::draw(&backend.into_drawing_area(), &points, palette)
        {
            log::warn!("drawing the daily chart failed: {error:?}");
        }
    });

    view! {
        <section class="panel">
            <canvas id="daily-chart" node_ref=canvas width="1100" height="280" role="img" aria-label="Estimated cost per UTC day"></canvas>
        </section>
    }
}

fn prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}
