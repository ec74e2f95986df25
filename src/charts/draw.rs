//! Draws a `Chart` on any plotters backend, so the canvas in the page
//! and the SVG in tests and downloads come from the same code.
//!
//! Categories sit at `i..i + 1` on a numeric x axis: bars fill their
//! slot, lines pass through its middle and the reference spans them all.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Categories;
use super::layout::{
    fit_title, legend_below, legend_headroom, legend_height, legend_row_top,
    Placed, LEGEND_ROW_PX, SWATCH_GAP_PX, SWATCH_PX,
};
use super::palette::Palette;
use super::scale::{
    label_step, labelled, short_label, tick_label, value_range, CHAR_PX,
    LABEL_CHARS,
};
use super::spec::{Chart, Series};
use super::stack::{extent, stack, Segments};

const MARGIN: u32 = 12;
/// Room for tick values and the rotated unit beside them.
const Y_LABEL_AREA: u32 = 76;
/// Room for category labels and the x axis description below them.
const X_LABEL_AREA: u32 = 50;
/// The caption's height beyond its font size: plotters pads it above and
/// below, and the font's line is taller than its size.
const TITLE_EXTRA: u32 = 14;
/// Below this size no chart fits (e.g. a canvas not laid out yet), so
/// only the background is painted.
const MIN_SIZE: (u32, u32) = (2 * MARGIN + Y_LABEL_AREA + 120, 160);

/// Half the width of a category label of `chars` characters.
fn half_label_px(chars: usize) -> u32 {
    (chars as f64 * CHAR_PX / 2.0).ceil() as u32
}

/// A chart's plotting area with its axes, as plotters builds it.
type Plot<'a, DB> =
    ChartContext<'a, DB, Cartesian2d<Categories, RangedCoordf64>>;

/// What drawing on `DB` can fail with.
pub type DrawError<DB> =
    DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>;

/// Draws `chart` filling `area`; an empty chart gives an empty frame
/// with its title and "No data". A narrow chart, or one of more than a
/// few series, lists them below the plot instead of over it (see
/// `layout::legend_below`).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    palette: Palette,
) -> Result<(), DrawError<DB>> {
    area.fill(&palette.background)?;
    let (width, height) = area.dim_in_pixel();
    let legend = legend_below(chart, width);
    let band = legend.as_deref().map_or(0, legend_height);
    if width < MIN_SIZE.0 || height < MIN_SIZE.1 + band {
        return area.present();
    }

    let (upper, lower) = area.split_vertically(height - band);
    plot(&upper, chart, palette, legend.is_none())?;
    if let Some(placed) = &legend {
        legend_rows(&lower, chart, placed, palette)?;
    }
    area.present()
}

/// The title, axes and marks of `chart` on `area`, with the legend in
/// the plot's upper left when it goes `inside`.
fn plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    palette: Palette,
    inside: bool,
) -> Result<(), DrawError<DB>> {
    let text = |size| ("sans-serif", size).into_font().color(&palette.text);
    let (width, height) = area.dim_in_pixel();
    let title =
        (!chart.title.is_empty()).then(|| fit_title(&chart.title, width));

    let count = chart.categories.len();
    let slots = count.max(1) as f64;
    let segments = stack(&chart.bars, count);
    let caption = title.as_ref().map_or(0, |(_, size)| size + TITLE_EXTRA);
    let plot_px = height.saturating_sub(2 * MARGIN + X_LABEL_AREA + caption);
    let legend = legend_headroom(chart, width, plot_px);
    let y = value_range(chart, extent(&segments), legend);
    let (span, middle) = (y.end - y.start, (y.start + y.end) / 2.0);
    let chars = chart
        .categories
        .iter()
        .map(|c| c.chars().count().min(LABEL_CHARS))
        .max()
        .unwrap_or(1);
    // The last label is centred on the last slot, so half of it hangs
    // past the plot on the right.
    let right_margin = MARGIN.max(half_label_px(chars));
    let plot_width = f64::from(width - MARGIN - right_margin - Y_LABEL_AREA);
    let slot = plot_width / slots;
    let step = label_step(count, plot_width, chars);
    let x = Categories::new(count, &labelled(count, step));

    let mut builder = ChartBuilder::on(area);
    builder
        .margin(MARGIN)
        .margin_right(right_margin)
        .x_label_area_size(X_LABEL_AREA)
        .y_label_area_size(Y_LABEL_AREA);
    if let Some((title, size)) = title {
        builder.caption(title, text(size));
    }
    let mut plot = builder.build_cartesian_2d(x, y)?;

    let category = |v: &f64| {
        let index = v.floor().max(0.0) as usize;
        chart
            .categories
            .get(index)
            .map_or_else(String::new, |c| short_label(c))
    };
    plot.configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette.grid)
        .axis_style(palette.text)
        .x_desc(&chart.x_axis)
        .y_desc(&chart.y_axis)
        .axis_desc_style(text(13))
        .label_style(text(12))
        .x_label_formatter(&category)
        .y_label_formatter(&|v| tick_label(*v, span))
        .y_labels(6)
        .draw()?;

    bars(&mut plot, chart, &segments, palette, slot)?;
    lines(&mut plot, chart, palette, slot)?;
    reference(&mut plot, chart, palette)?;

    if count == 0 {
        let centre = Pos::new(HPos::Center, VPos::Center);
        let label =
            Text::new("No data", (slots / 2.0, middle), text(14).pos(centre));
        plot.plotting_area().draw(&label)?;
    }

    if inside && chart.named_items() > 1 {
        plot.configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(palette.background.mix(0.85))
            .border_style(palette.grid)
            .label_font(text(12))
            .draw()?;
    }
    Ok(())
}

/// How the legend shows an item: a filled square for bars, a short
/// line for lines and the reference.
fn swatches(chart: &Chart, palette: Palette) -> Vec<(RGBColor, bool)> {
    let bars = (0..chart.bars.len()).map(|i| (palette.color(i), true));
    let lines = (0..chart.lines.len())
        .map(|i| (palette.color(chart.bars.len() + i), false));
    let reference = chart.reference.iter().map(|_| (palette.reference, false));
    bars.chain(lines).chain(reference).collect()
}

/// The legend below a narrow plot: each `placed` name after its colour.
fn legend_rows<DB: DrawingBackend>(
    band: &DrawingArea<DB, Shift>,
    chart: &Chart,
    placed: &[Placed],
    palette: Palette,
) -> Result<(), DrawError<DB>> {
    let font = ("sans-serif", 12).into_font().color(&palette.text);
    let left = Pos::new(HPos::Left, VPos::Center);
    let swatch = SWATCH_PX as i32;
    for (item, (color, filled)) in placed.iter().zip(swatches(chart, palette)) {
        let x = item.x as i32;
        let y = (legend_row_top(item.row) + LEGEND_ROW_PX / 2) as i32;
        if filled {
            let corners = [(x, y - 5), (x + swatch, y + 5)];
            band.draw(&Rectangle::new(corners, color.filled()))?;
        } else {
            let across = vec![(x, y), (x + swatch, y)];
            band.draw(&PathElement::new(across, color.stroke_width(2)))?;
        }
        let at = (x + swatch + SWATCH_GAP_PX as i32, y);
        band.draw(&Text::new(item.name.as_str(), at, font.pos(left)))?;
    }
    Ok(())
}

/// Stacked bars, one colour per series, each series in the legend.
fn bars<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    chart: &Chart,
    segments: &Segments,
    palette: Palette,
    slot: f64,
) -> Result<(), DrawError<DB>> {
    // Thin bars touch, so gaps only where a slot is wide enough.
    let inset = if slot >= 6.0 { 0.12 } else { 0.0 };
    for (index, (series, column)) in chart.bars.iter().zip(segments).enumerate()
    {
        let color = palette.color(index);
        let rects = column.iter().enumerate().filter_map(|(i, segment)| {
            let (bottom, top) = (*segment)?;
            let corners =
                [(i as f64 + inset, bottom), (i as f64 + 1.0 - inset, top)];
            Some(Rectangle::new(corners, color.filled()))
        });
        plot.draw_series(rects)?
            .label(&series.name)
            .legend(move |(x, y)| {
                Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
            });
    }
    Ok(())
}

/// Lines through the middle of the slots, in colours after the bars'.
fn lines<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    chart: &Chart,
    palette: Palette,
    slot: f64,
) -> Result<(), DrawError<DB>> {
    let count = chart.categories.len();
    for (index, series) in chart.lines.iter().enumerate() {
        let color = palette.color(chart.bars.len() + index);
        let style = color.stroke_width(2);
        let runs = runs(series, count);
        let paths = runs.iter().map(|run| PathElement::new(run.clone(), style));
        plot.draw_series(paths)?
            .label(&series.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 12, y)], style)
            });

        // A lone point has no line to show it, and on wide slots dots
        // show which category each value belongs to.
        let dots = runs
            .iter()
            .filter(|run| run.len() == 1 || slot >= 8.0)
            .flatten()
            .map(|point| Circle::new(*point, 3, color.filled()));
        plot.draw_series(dots)?;
    }
    Ok(())
}

/// The reference level as a dashed line across every slot.
fn reference<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    chart: &Chart,
    palette: Palette,
) -> Result<(), DrawError<DB>> {
    let Some((name, value)) =
        chart.reference.as_ref().filter(|(_, v)| v.is_finite())
    else {
        return Ok(());
    };
    let style = palette.reference.stroke_width(2);
    let slots = chart.categories.len().max(1) as f64;
    let across = vec![(0.0, *value), (slots, *value)];
    plot.draw_series(DashedLineSeries::new(across, 8, 5, style))?
        .label(name)
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 12, y)], style)
        });
    Ok(())
}

/// The stretches of `series` with a finite value, as points in the
/// middle of their slots; a missing value breaks the line.
fn runs(series: &Series, count: usize) -> Vec<Vec<(f64, f64)>> {
    let points: Vec<Option<(f64, f64)>> = (0..count)
        .map(|i| series.at(i).map(|value| (i as f64 + 0.5, value)))
        .collect();
    points
        .split(Option::is_none)
        .filter(|run| !run.is_empty())
        .map(|run| run.iter().flatten().copied().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_values_break_a_line_into_runs() {
        let series = Series::new("x", vec![1.0, f64::NAN, 2.0, 3.0]);
        assert_eq!(
            runs(&series, 5),
            [vec![(0.5, 1.0)], vec![(2.5, 2.0), (3.5, 3.0)]]
        );
        assert!(runs(&series, 0).is_empty());
    }
}
