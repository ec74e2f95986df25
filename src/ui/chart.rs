//! Charts in the page: drawn on a canvas in the system's light or dark
//! theme, offered as PNG and SVG files, and readable as a table.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlAnchorElement, HtmlCanvasElement, MediaQueryList};

use super::download::download_text;
use super::state::{AppState, Notice};
use crate::charts::{draw, to_svg, Chart, Palette, DARK, LIGHT};
use crate::domain::export::{Cell, Table};

/// A chart on the canvas `#<id>`, redrawn when the chart or the system
/// theme changes, with PNG (`#<id>-png`) and SVG (`#<id>-svg`) downloads
/// and its numbers in a `details.chart-table` below.
#[component]
pub fn ChartView(
    /// Id of the canvas; also starts the buttons' ids and file names.
    id: &'static str,
    /// What to draw; redrawn whenever it changes.
    #[prop(into)]
    chart: Signal<Chart>,
    /// Added to the id in file names, e.g. the date range shown.
    #[prop(optional, into)]
    suffix: MaybeProp<String>,
    /// Canvas and SVG width in pixels; CSS scales the canvas to the
    /// width of the page.
    #[prop(default = 1100)]
    width: u32,
    /// Canvas and SVG height in pixels.
    #[prop(default = 320)]
    height: u32,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let dark = dark_theme();

    let app = use_context::<AppState>();
    let notice = app.map(|state| state.notice);

    // Inside the app a file says organization, scope and range, as
    // table downloads do.
    let stem = move || match (app, suffix.get_untracked()) {
        (Some(state), _) => untrack(|| super::download::file_stem(state, id)),
        (None, Some(suffix)) if !suffix.is_empty() => format!("{id}-{suffix}"),
        (None, _) => id.to_owned(),
    };
    let report = move |outcome: Result<(), JsValue>| {
        if let Err(error) = outcome {
            log::warn!("saving a chart failed: {error:?}");
            let problem = Notice::error("The browser refused the download.");
            if let Some(notice) = notice {
                notice.set(Some(problem));
            }
        }
    };
    let save_png = move |_| {
        let outcome = canvas
            .get_untracked()
            .ok_or(JsValue::NULL)
            .and_then(|element| element.to_data_url_with_type("image/png"))
            .and_then(|url| save_url(&url, &format!("{}.png", stem())));
        report(outcome);
    };
    let save_svg = move |_| {
        let palette = theme(dark.get_untracked());
        let svg = chart.with_untracked(|c| to_svg(c, palette, width, height));
        let name = format!("{}.svg", stem());
        report(download_text(&name, "image/svg+xml", &svg));
    };

    let table = Memo::new(move |_| chart.with(Chart::table));
    let title = move || chart.with(|c| c.title.clone());

    Effect::new(move |_| {
        let palette = theme(dark.get());
        let Some(element) = canvas.get() else { return };
        chart.with(|chart| paint(element, chart, palette));
    });

    view! {
        <div class="chart">
            <canvas id=id node_ref=canvas width=width height=height role="img" aria-label=title style="width: 100%; height: auto; display: block;"></canvas>
            <span class="downloads">
                <button id=format!("{id}-png") class="secondary" on:click=save_png>"PNG"</button>
                <button id=format!("{id}-svg") class="secondary" on:click=save_svg>"SVG"</button>
            </span>
            <details class="chart-table">
                <summary>"Table"</summary>
                <ChartTable table=table/>
            </details>
        </div>
    }
}

/// `table` as HTML; every cell is a text node, so a key named like
/// markup shows as that text.
#[component]
fn ChartTable(#[prop(into)] table: Signal<Table>) -> impl IntoView {
    let header = move || {
        table.with(|t| {
            t.header
                .iter()
                .map(|name| view! { <th scope="col">{name.clone()}</th> })
                .collect_view()
        })
    };
    let rows = move || {
        table.with(|t| {
            t.rows
                .iter()
                .map(|row| view! { <tr>{cells(row)}</tr> })
                .collect_view()
        })
    };

    view! {
        <div class="scroll">
            <table>
                <thead><tr>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// One row: the category as the row's header, numbers right-aligned.
fn cells(row: &[Cell]) -> impl IntoView {
    row.iter()
        .enumerate()
        .map(|(i, cell)| {
            let (text, number) = cell_text(cell);
            if i == 0 {
                view! { <th scope="row">{text}</th> }.into_any()
            } else {
                view! { <td class:num=number>{text}</td> }.into_any()
            }
        })
        .collect_view()
}

/// What a cell shows, and whether it is a number.
fn cell_text(cell: &Cell) -> (String, bool) {
    match cell {
        Cell::Text(text) => (text.clone(), false),
        Cell::Count(n) => (n.to_string(), true),
        Cell::Money(usd) => (usd.to_fixed(6), true),
        Cell::Decimal(number) => (number.clone(), true),
        Cell::Empty => (String::new(), false),
    }
}

/// Draws `chart` on `element`. A failure is only logged: the table
/// below still holds every number.
fn paint(element: HtmlCanvasElement, chart: &Chart, palette: Palette) {
    let Some(backend) = CanvasBackend::with_canvas_object(element) else {
        return;
    };
    if let Err(error) = draw(&backend.into_drawing_area(), chart, palette) {
        log::warn!("drawing a chart failed: {error:?}");
    }
}

fn theme(dark: bool) -> Palette {
    if dark {
        DARK
    } else {
        LIGHT
    }
}

/// Whether the system asks for dark colours, kept current by a listener
/// on the media query that the owner's cleanup removes again.
fn dark_theme() -> ReadSignal<bool> {
    let query = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten();
    let initial = query.as_ref().is_some_and(MediaQueryList::matches);
    let (dark, set_dark) = signal(initial);
    let Some(query) = query else { return dark };

    let watched = query.clone();
    let listener =
        Closure::<dyn Fn()>::new(move || set_dark.set(watched.matches()));
    let callback = listener.as_ref().unchecked_ref();
    if let Err(error) =
        query.add_event_listener_with_callback("change", callback)
    {
        log::warn!("following the system theme failed: {error:?}");
        return dark;
    }

    // The closure must outlive the listener, so it is kept until the
    // listener is removed.
    let held = StoredValue::new_local(Some((query, listener)));
    on_cleanup(move || {
        if let Some((query, listener)) =
            held.try_update_value(Option::take).flatten()
        {
            let callback = listener.as_ref().unchecked_ref();
            let _ =
                query.remove_event_listener_with_callback("change", callback);
        }
    });
    dark
}

/// Hands `href` (here a data URL, which needs no revoking) to the
/// browser as a download called `name`.
fn save_url(href: &str, name: &str) -> Result<(), JsValue> {
    let anchor: HtmlAnchorElement =
        document().create_element("a")?.dyn_into()?;
    anchor.set_href(href);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}
