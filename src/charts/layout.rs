//! How much room a chart takes and how its text fits in it: the height
//! that suits the width it is shown at, the canvas pixels behind that on
//! a sharp screen, the title's size, and where the legend goes.

use super::scale::CHAR_PX;
use super::spec::Chart;

/// Lowest height a chart is drawn at, however narrow, so the title,
/// the plot and the axis below it all keep room.
pub const MIN_HEIGHT: u32 = 200;
/// A narrow chart is at most this many times as tall as it is wide.
const NARROW_RATIO: f64 = 0.75;
/// Charts narrower than this list their legend below the plot: inside
/// it, the legend would cover most of the bars.
pub const NARROW_PX: u32 = 600;
/// A legend of more names than this goes below the plot at every width:
/// inside, it would reach down over the first bars.
const INSIDE_MAX: usize = 3;
/// One name of the legend inside the plot: plotters sets its 12 px text
/// 1.25 lines apart.
const INSIDE_LINE_PX: u32 = 15;
/// The rest of the legend inside the plot: its distance from the plot's
/// top, its padding above and below the names, and a gap under it.
const INSIDE_FRAME_PX: u32 = 5 + 2 * 10 + 6;
/// The most of a plot's height kept free for a legend inside it, so the
/// data always has some room.
const MAX_HEADROOM: f64 = 0.8;
/// Space kept free along the chart's left and right edges.
const INSET_PX: u32 = 12;
/// One row of the legend below a narrow chart.
pub const LEGEND_ROW_PX: u32 = 18;
/// Room above and below the legend's rows.
const LEGEND_PAD_PX: u32 = 6;
/// A legend item's colour sample and the gap before its name.
pub const SWATCH_PX: u32 = 12;
pub const SWATCH_GAP_PX: u32 = 5;
/// Room between two legend items in a row.
const ITEM_GAP_PX: u32 = 16;
/// Largest and smallest title sizes, and the rough width of one title
/// character as a share of the size.
const TITLE_PX: (u32, u32) = (16, 12);
const TITLE_EM: f64 = 0.6;
/// A screen's pixel ratio is capped here, so a zoomed-in page does not
/// ask for a canvas of hundreds of megabytes.
const MAX_RATIO: f64 = 4.0;

/// The width a chart is drawn at: the `measured` width of its place in
/// the page, or `fallback` while that is not laid out (0, e.g. in a
/// hidden tab).
pub fn shown_width(measured: f64, fallback: u32) -> u32 {
    if measured.is_finite() && measured >= 1.0 {
        measured.round() as u32
    } else {
        fallback
    }
}

/// The height of a chart `width` pixels wide that is `wide` pixels tall
/// where there is room: no taller than three quarters of its width, and
/// never below `MIN_HEIGHT` (nor above `wide`).
pub fn chart_height(width: u32, wide: u32) -> u32 {
    let narrow = (f64::from(width) * NARROW_RATIO).round() as u32;
    narrow.clamp(MIN_HEIGHT.min(wide), wide)
}

/// The screen pixels per CSS pixel to draw with: the browser's
/// `devicePixelRatio`, or 1 when it gives nothing usable.
pub fn pixel_ratio(device: f64) -> f64 {
    if device.is_finite() && device > 0.0 {
        device.min(MAX_RATIO)
    } else {
        1.0
    }
}

/// Canvas pixels for `css` pixels at `ratio`, at least one.
pub fn buffer_px(css: u32, ratio: f64) -> u32 {
    ((f64::from(css) * ratio).round() as u32).max(1)
}

/// The title's font size in a chart `width` pixels wide, and the title
/// itself, cut with an ellipsis if it does not fit even at the smallest
/// size.
pub fn fit_title(title: &str, width: u32) -> (String, u32) {
    let room = f64::from(width.saturating_sub(2 * INSET_PX));
    let chars = title.chars().count();
    let fits = |size: u32| chars as f64 * f64::from(size) * TITLE_EM <= room;
    if let Some(size) = (TITLE_PX.1..=TITLE_PX.0).rev().find(|s| fits(*s)) {
        return (title.to_owned(), size);
    }
    let size = TITLE_PX.1;
    let keep = (room / (f64::from(size) * TITLE_EM)).floor() as usize;
    (cut(title, keep), size)
}

/// One entry of the legend below a narrow chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Where its colour sample starts, from the chart's left edge.
    pub x: u32,
    /// Which row it is in, from 0.
    pub row: u32,
    /// Its name, cut to fit one row.
    pub name: String,
}

/// Whether `chart`, drawn `width` pixels wide, lists its series in the
/// plot's upper left: only a few names, on a wide chart.
pub fn legend_inside(chart: &Chart, width: u32) -> bool {
    let names = chart.named_items();
    (2..=INSIDE_MAX).contains(&names) && width >= NARROW_PX
}

/// Where the legend of `chart` goes when drawn `width` pixels wide:
/// `None` when it has no legend or keeps it inside the plot, else each
/// name's place in rows below the plot.
pub fn legend_below(chart: &Chart, width: u32) -> Option<Vec<Placed>> {
    let names = chart.legend_names();
    if names.len() < 2 || legend_inside(chart, width) {
        return None;
    }
    Some(flow(&names, width))
}

/// The share of a plot `plot_px` pixels tall, from its top, that the
/// legend inside it covers: 0 when the legend is elsewhere. The value
/// axis keeps the data below that share.
pub fn legend_headroom(chart: &Chart, width: u32, plot_px: u32) -> f64 {
    if !legend_inside(chart, width) {
        return 0.0;
    }
    let names = chart.named_items() as u32;
    let legend = INSIDE_FRAME_PX + names * INSIDE_LINE_PX;
    (f64::from(legend) / f64::from(plot_px.max(1))).min(MAX_HEADROOM)
}

/// The height of a band holding `placed` legend entries.
pub fn legend_height(placed: &[Placed]) -> u32 {
    match placed.iter().map(|p| p.row).max() {
        Some(last) => (last + 1) * LEGEND_ROW_PX + 2 * LEGEND_PAD_PX,
        None => 0,
    }
}

/// The top of row `row` in the legend band.
pub fn legend_row_top(row: u32) -> u32 {
    LEGEND_PAD_PX + row * LEGEND_ROW_PX
}

/// The height a chart `width` pixels wide takes with its legend, when
/// its plot is `plot` pixels tall (see [`chart_height`]).
pub fn height_with_legend(chart: &Chart, width: u32, plot: u32) -> u32 {
    plot + legend_below(chart, width).map_or(0, |p| legend_height(&p))
}

/// `names` set left to right in rows across `width` pixels, each as
/// wide as its sample and text; a name too long for a row is cut.
fn flow(names: &[&str], width: u32) -> Vec<Placed> {
    let room = width.saturating_sub(2 * INSET_PX);
    let text_room = room.saturating_sub(SWATCH_PX + SWATCH_GAP_PX);
    let max_chars = (f64::from(text_room) / CHAR_PX).floor() as usize;
    let (mut x, mut row) = (0, 0);
    names
        .iter()
        .map(|name| {
            let name = cut(name, max_chars.max(1));
            let text = (name.chars().count() as f64 * CHAR_PX).ceil() as u32;
            let item = SWATCH_PX + SWATCH_GAP_PX + text;
            if x > 0 && x + item > room {
                (x, row) = (0, row + 1);
            }
            let placed = Placed {
                x: INSET_PX + x,
                row,
                name,
            };
            x += item + ITEM_GAP_PX;
            placed
        })
        .collect()
}

/// `text` cut to `keep` characters, the last an ellipsis, if longer.
fn cut(text: &str, keep: usize) -> String {
    if text.chars().count() <= keep {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(keep.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::spec::Series;

    fn keys(names: &[&str]) -> Chart {
        Chart {
            categories: vec!["2026-03-01".into()],
            bars: names.iter().map(|n| Series::new(*n, vec![1.0])).collect(),
            ..Chart::default()
        }
    }

    #[test]
    fn the_measured_width_wins_unless_nothing_is_laid_out() {
        assert_eq!(shown_width(343.4, 1100), 343);
        assert_eq!(shown_width(0.0, 1100), 1100);
        assert_eq!(shown_width(f64::NAN, 1100), 1100);
    }

    #[test]
    fn narrow_charts_are_lower_but_never_too_low() {
        assert_eq!(chart_height(1100, 320), 320, "room: the wide height");
        assert_eq!(chart_height(335, 320), 251, "a phone: 3/4 of the width");
        assert_eq!(chart_height(335, 260), 251);
        assert_eq!(chart_height(200, 320), MIN_HEIGHT, "a floor");
        assert_eq!(chart_height(200, 150), 150, "never above the wide one");
    }

    #[test]
    fn sharp_screens_get_more_canvas_pixels() {
        assert_eq!(buffer_px(335, pixel_ratio(2.0)), 670);
        assert_eq!(buffer_px(335, pixel_ratio(1.5)), 503);
        assert_eq!(buffer_px(335, pixel_ratio(f64::NAN)), 335);
        assert_eq!(buffer_px(335, pixel_ratio(0.0)), 335);
        assert_eq!(buffer_px(1000, pixel_ratio(10.0)), 4000, "capped");
    }

    #[test]
    fn a_long_title_gets_smaller_then_cut_on_a_narrow_chart() {
        let title = "Average tokens in each hour of the day";
        assert_eq!(fit_title(title, 1100), (title.to_owned(), 16));
        let (shown, size) = fit_title(title, 335);
        assert!(size < 16, "{size}");
        assert_eq!(shown, title);
        let (shown, size) = fit_title(title, 250);
        assert_eq!(size, 12);
        assert!(shown.ends_with('…') && shown.chars().count() < 38);
        assert!(shown.chars().count() as f64 * 12.0 * TITLE_EM <= 226.0);
    }

    #[test]
    fn wide_charts_keep_a_short_legend_inside_the_plot() {
        let chart = keys(&["checkout", "search"]);
        assert_eq!(legend_below(&chart, 1100), None);
        assert!(legend_inside(&chart, 1100));
        assert_eq!(height_with_legend(&chart, 1100, 320), 320);
        assert_eq!(legend_below(&keys(&["alone"]), 335), None, "no legend");
        assert!(!legend_inside(&keys(&["alone"]), 1100), "no legend");
    }

    #[test]
    fn a_legend_of_many_series_goes_below_the_plot_at_every_width() {
        let names = ["api-server", "search", "batch", "ci", "notebook"];
        let chart = keys(&[&names[..], &["Other"]].concat());
        let placed = legend_below(&chart, 1100).expect("a legend below");
        assert_eq!(placed.len(), 6);
        assert!(placed.iter().all(|p| p.row == 0), "one row: {placed:?}");
        assert!(!legend_inside(&chart, 1100));
        assert_eq!(legend_headroom(&chart, 1100, 220), 0.0);
        assert_eq!(height_with_legend(&chart, 1100, 320), 320 + 30);
    }

    #[test]
    fn a_legend_inside_the_plot_gets_the_headroom_it_covers() {
        let three = keys(&["spent", "forecast", "budget"]);
        // 5 px from the top, 10 px padding above and below, three names
        // 15 px apart and a 6 px gap: 76 of the plot's 200 pixels.
        assert!((legend_headroom(&three, 1100, 200) - 0.38).abs() < 1e-9);
        assert_eq!(legend_headroom(&three, 335, 200), 0.0, "below");
        assert_eq!(legend_headroom(&three, 1100, 10), 0.8, "capped");
    }

    #[test]
    fn narrow_charts_flow_their_legend_in_rows_below_the_plot() {
        let chart = keys(&[
            "checkout (Storefront)",
            "search",
            "生产环境 production key for the checkout service",
            "Other",
        ]);
        let placed = legend_below(&chart, 335).expect("a legend below");
        let rows: Vec<u32> = placed.iter().map(|p| p.row).collect();
        assert_eq!(rows, [0, 0, 1, 2]);
        assert_eq!(placed[1].x, 12 + 12 + 5 + 21 * 7 + 16);
        for item in &placed {
            let text = (item.name.chars().count() as f64 * CHAR_PX) as u32;
            assert!(item.x + SWATCH_PX + SWATCH_GAP_PX + text <= 335 - 12);
        }
        assert!(placed[2].name.ends_with('…'), "{}", placed[2].name);
        assert_eq!(legend_height(&placed), 3 * LEGEND_ROW_PX + 12);
        assert_eq!(height_with_legend(&chart, 335, 251), 251 + 66);
        assert_eq!(legend_row_top(1), 6 + 18);
    }
}
