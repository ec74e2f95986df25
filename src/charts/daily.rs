//! Estimated cost per UTC day, as bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::domain::series::DayPoint;
use crate::domain::time::Date;

/// Colours of one theme.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub bar: RGBColor,
}

pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(29, 31, 35),
    grid: RGBColor(223, 225, 228),
    bar: RGBColor(11, 107, 203),
};

pub const DARK: Palette = Palette {
    background: RGBColor(30, 33, 38),
    text: RGBColor(230, 232, 235),
    grid: RGBColor(52, 57, 65),
    bar: RGBColor(77, 163, 255),
};

/// Draws `points` as one bar per day, dollars on the y axis.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[DayPoint],
    palette: Palette,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&palette.background)?;
    let dollars: Vec<f64> =
        points.iter().map(|p| p.cost.0 as f64 / 1e12).collect();
    let top = dollars.iter().copied().fold(0.0, f64::max).max(0.01) * 1.1;
    let days = points.len().max(1);
    let label = |index: &usize| {
        points
            .get(*index)
            .map(|p| Date::from_unix(p.day).to_string()[5..].to_owned())
            .unwrap_or_default()
    };

    let text = |size| ("sans-serif", size).into_font().color(&palette.text);
    let mut chart = ChartBuilder::on(area)
        .caption("Estimated cost per day (USD, UTC days)", text(16))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(56)
        .build_cartesian_2d(0..days, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(palette.background)
        .bold_line_style(palette.grid)
        .axis_style(palette.text)
        .y_labels(6)
        .x_labels(8)
        .x_label_formatter(&label)
        .y_label_formatter(&|v| format!("${v:.2}"))
        .label_style(text(12))
        .draw()?;
    chart.draw_series(dollars.iter().enumerate().map(|(i, value)| {
        let mut bar =
            Rectangle::new([(i, 0.0), (i + 1, *value)], palette.bar.filled());
        bar.set_margin(0, 0, 1, 1);
        bar
    }))?;
    area.present()
}
