//! Charts in the page: drawn on a canvas in the system's light or dark
//! theme, offered as PNG and SVG files, and readable as a table.

use leptos::html::{Canvas, Div};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    CanvasRenderingContext2d, HtmlAnchorElement, HtmlCanvasElement,
    MediaQueryList, ResizeObserver,
};

use super::download::download_text;
use super::state::{AppState, Notice};
use crate::charts::layout::{
    buffer_px, chart_height, height_with_legend, pixel_ratio, shown_width,
};
use crate::charts::{draw, to_svg, Chart, Palette, DARK, LIGHT};
use crate::domain::export::{Cell, Table};

/// A chart on the canvas `#<id>`, drawn at the width it is shown at and
/// redrawn when that width, the chart or the system theme changes, with
/// PNG (`#<id>-png`) and SVG (`#<id>-svg`) downloads and its numbers in a
/// `details.chart-table` below.
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
    /// SVG width in CSS pixels, and the canvas's until its place in the
    /// page has a width.
    #[prop(default = 1100)]
    width: u32,
    /// SVG height, and the canvas's where it is wide enough; lower on
    /// narrow screens (see `layout::chart_height`).
    #[prop(default = 320)]
    height: u32,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let frame = NodeRef::<Div>::new();
    let dark = dark_theme();
    let measured = follow_width(frame);

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
        let svg = chart.with_untracked(|c| {
            to_svg(c, palette, width, height_with_legend(c, width, height))
        });
        let name = format!("{}.svg", stem());
        report(download_text(&name, "image/svg+xml", &svg));
    };

    let table = Memo::new(move |_| chart.with(Chart::table));
    let title = move || chart.with(|c| c.title.clone());
    // The size in CSS pixels: the shown width, and a height that suits
    // it with room for a legend listed below the plot.
    let size = Memo::new(move |_| {
        let shown = shown_width(measured.get(), width);
        let plot = chart_height(shown, height);
        (shown, chart.with(|c| height_with_legend(c, shown, plot)))
    });
    let style = move || {
        let height = size.get().1;
        format!("width: 100%; height: {height}px; display: block;")
    };

    Effect::new(move |_| {
        let palette = theme(dark.get());
        let size = size.get();
        let Some(element) = canvas.get() else { return };
        chart.with(|chart| paint(element, chart, palette, size));
    });

    view! {
        <div class="chart" node_ref=frame>
            <canvas id=id node_ref=canvas width=width height=height role="img" aria-label=title style=style></canvas>
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

/// Draws `chart` on `element` at `size` CSS pixels, with as many canvas
/// pixels behind each as the screen has, so lines and text are sharp and
/// text keeps its size. A failure is only logged: the table below still
/// holds every number.
fn paint(
    element: HtmlCanvasElement,
    chart: &Chart,
    palette: Palette,
    (width, height): (u32, u32),
) {
    let ratio = pixel_ratio(window().device_pixel_ratio());
    // Setting the size clears the canvas and its scale, even when the
    // size stays the same, so both are set on every drawing.
    element.set_width(buffer_px(width, ratio));
    element.set_height(buffer_px(height, ratio));
    let scaled = element
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into().ok())
        .map(|context: CanvasRenderingContext2d| {
            context.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0)
        });
    if let Some(Err(error)) = scaled {
        log::warn!("scaling a chart's canvas failed: {error:?}");
    }

    let Some(backend) = CanvasBackend::with_canvas_object(element) else {
        return;
    };
    // plotters takes the canvas's own pixels for its size; the drawing
    // keeps to the CSS pixels, which the scale spreads over all of them.
    let area = backend.into_drawing_area().shrink((0, 0), (width, height));
    if let Err(error) = draw(&area, chart, palette) {
        log::warn!("drawing a chart failed: {error:?}");
    }
}

/// The width in CSS pixels that `frame` is shown at, 0 while it is not
/// laid out, kept current by a `ResizeObserver` that the owner's cleanup
/// disconnects again.
fn follow_width(frame: NodeRef<Div>) -> ReadSignal<f64> {
    let (width, set_width) = signal(0.0);
    let measure = move || {
        let Some(element) = frame.get_untracked() else {
            return;
        };
        let shown = element.get_bounding_client_rect().width();
        if shown != width.get_untracked() {
            set_width.set(shown);
        }
    };
    let listener = Closure::<dyn Fn()>::new(measure);
    let observer = match ResizeObserver::new(listener.as_ref().unchecked_ref())
    {
        Ok(observer) => observer,
        Err(error) => {
            log::warn!("following a chart's width failed: {error:?}");
            Effect::new(move |_| frame.get().map(|_| measure()));
            return width;
        }
    };

    let watched = observer.clone();
    Effect::new(move |_| {
        if let Some(element) = frame.get() {
            watched.observe(&element);
        }
    });
    // The closure must outlive the observer, so it is kept until the
    // observer is disconnected.
    let held = StoredValue::new_local(Some((observer, listener)));
    on_cleanup(move || {
        if let Some((observer, _listener)) =
            held.try_update_value(Option::take).flatten()
        {
            observer.disconnect();
        }
    });
    width
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
