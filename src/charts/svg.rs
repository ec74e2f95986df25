//! Charts as SVG text: the "SVG" download in the page, and what native
//! tests inspect to see what a chart shows.

use plotters::prelude::{IntoDrawingArea, SVGBackend};

use super::draw::draw;
use super::palette::Palette;
use super::spec::Chart;

/// `chart` as a standalone SVG document of `width` by `height` pixels.
pub fn to_svg(
    chart: &Chart,
    palette: Palette,
    width: u32,
    height: u32,
) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height))
            .into_drawing_area();
        // Writing to a String cannot fail, and the backend closes the
        // document when dropped, so the text is whole either way.
        let _ = draw(&area, chart, palette);
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::palette::{DARK, LIGHT};
    use crate::charts::spec::Series;
    use plotters::style::RGBColor;

    fn spend() -> Chart {
        Chart {
            title: "Cost per key".into(),
            x_axis: "Local day (Europe/Berlin)".into(),
            y_axis: "USD".into(),
            categories: (1..=5).map(|d| format!("2026-03-0{d}")).collect(),
            bars: vec![
                Series::new("checkout", vec![1.0, 0.0, 2.0, 3.0, f64::NAN]),
                Series::new("R&D <lab>", vec![0.5, 1.0, 0.0, 0.0, 2.0]),
            ],
            lines: vec![Series::new("forecast", vec![2.0, 2.5, 3.0, 3.5, 4.0])],
            reference: Some(("budget".into(), 6.0)),
        }
    }

    /// How many `<rect>`s are filled with `color`.
    fn rects_filled(svg: &str, color: RGBColor) -> usize {
        let fill =
            format!("fill=\"#{:02X}{:02X}{:02X}\"", color.0, color.1, color.2);
        svg.lines()
            .filter(|line| line.starts_with("<rect") && line.contains(&fill))
            .count()
    }

    #[test]
    fn the_svg_names_the_chart_its_axes_and_every_series() {
        let svg = to_svg(&spend(), LIGHT, 800, 400);
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        for text in [
            "Cost per key",
            "Local day (Europe/Berlin)",
            "USD",
            "checkout",
            "R&amp;D &lt;lab&gt;",
            "forecast",
            "budget",
        ] {
            assert!(svg.contains(&format!(">\n{text}\n</text>")), "{text}");
        }
    }

    #[test]
    fn each_non_zero_segment_is_one_rect_plus_its_legend_swatch() {
        let svg = to_svg(&spend(), LIGHT, 800, 400);
        assert_eq!(rects_filled(&svg, LIGHT.color(0)), 3 + 1);
        assert_eq!(rects_filled(&svg, LIGHT.color(1)), 3 + 1);
        let dark = to_svg(&spend(), DARK, 800, 400);
        assert_eq!(rects_filled(&dark, DARK.color(0)), 3 + 1);
    }

    #[test]
    fn the_reference_is_a_dashed_line_across_the_plot() {
        let svg = to_svg(&spend(), LIGHT, 800, 400);
        let reference = LIGHT.reference;
        let stroke = format!(
            "stroke=\"#{:02X}{:02X}{:02X}\"",
            reference.0, reference.1, reference.2
        );
        let dashes: Vec<&str> = svg
            .lines()
            .filter(|line| {
                line.starts_with("<polyline") && line.contains(&stroke)
            })
            .collect();
        assert!(dashes.len() > 10, "{} dashes", dashes.len());
        let mut levels = std::collections::BTreeMap::<&str, usize>::new();
        for line in &dashes {
            let points = line.split("points=\"").nth(1).unwrap_or_default();
            let y = points.split([',', ' ']).nth(1).unwrap_or_default();
            *levels.entry(y).or_default() += 1;
        }
        let across = levels.values().filter(|n| **n > 10).count();
        assert_eq!(across, 1, "one level besides the legend: {levels:?}");
    }

    #[test]
    fn a_lone_series_gets_no_legend() {
        let mut chart = spend();
        chart.bars.truncate(1);
        chart.lines.clear();
        chart.reference = None;
        let svg = to_svg(&chart, LIGHT, 800, 400);
        assert!(!svg.contains(">\ncheckout\n</text>"));
        assert_eq!(rects_filled(&svg, LIGHT.color(0)), 3);
    }

    #[test]
    fn empty_and_all_zero_charts_draw_a_titled_frame() {
        let empty = Chart {
            title: "Nothing yet".into(),
            ..Chart::default()
        };
        let svg = to_svg(&empty, LIGHT, 800, 400);
        assert!(svg.contains("Nothing yet") && svg.contains("No data"));
        assert!(!svg.contains("NaN"));

        let mut zeros = spend();
        for series in &mut zeros.bars {
            series.values.fill(0.0);
        }
        zeros.lines.clear();
        zeros.reference = None;
        let svg = to_svg(&zeros, DARK, 800, 400);
        assert!(svg.contains("Cost per key") && !svg.contains("NaN"));
        assert_eq!(rects_filled(&svg, DARK.color(0)), 1, "legend only");
    }

    /// Where the text `label` starts, as the SVG places it.
    fn text_at(svg: &str, label: &str) -> (f64, f64) {
        let end = svg
            .find(&format!(">\n{label}\n</text>"))
            .unwrap_or_else(|| panic!("no text {label:?}"));
        let tag = &svg[svg[..end].rfind("<text").expect("a text tag")..end];
        let number = |name: &str| -> f64 {
            let from = tag.find(&format!(" {name}=\"")).expect(name);
            let rest = &tag[from + name.len() + 3..];
            rest[..rest.find('"').expect("a closing quote")]
                .parse()
                .expect("a number")
        };
        (number("x"), number("y"))
    }

    #[test]
    fn a_phone_wide_chart_lists_its_series_below_the_plot() {
        let svg = to_svg(&spend(), LIGHT, 335, 320);
        let (_, axis) = text_at(&svg, "Local day (Europe/Berlin)");
        let mut rows = std::collections::BTreeSet::new();
        for name in ["checkout", "R&amp;D &lt;lab&gt;", "forecast", "budget"] {
            let (x, y) = text_at(&svg, name);
            assert!(y > axis, "{name} at {y}, below the axis at {axis}");
            assert!(x > 12.0 && x + 70.0 < 335.0, "{name} at {x}");
            rows.insert(y as i64);
        }
        assert_eq!(rows.len(), 2, "four short names in two rows: {rows:?}");

        let mut two = spend();
        (two.lines, two.reference) = (Vec::new(), None);
        let wide = to_svg(&two, LIGHT, 800, 400);
        let (_, axis) = text_at(&wide, "Local day (Europe/Berlin)");
        assert!(text_at(&wide, "checkout").1 < axis, "inside when wide");
    }

    #[test]
    fn a_wide_chart_of_many_series_lists_them_below_the_plot() {
        let wide = to_svg(&spend(), LIGHT, 1100, 350);
        let (_, axis) = text_at(&wide, "Local day (Europe/Berlin)");
        for name in ["checkout", "R&amp;D &lt;lab&gt;", "forecast", "budget"] {
            let (_, y) = text_at(&wide, name);
            assert!(y > axis, "{name} at {y}, below the axis at {axis}");
        }
    }

    #[test]
    fn a_long_title_is_set_smaller_on_a_narrow_chart() {
        let mut chart = spend();
        chart.title = "Average tokens in each hour of the day".into();
        let size = |width| {
            let svg = to_svg(&chart, LIGHT, width, 320);
            let end = svg.find(&format!(">\n{}\n</text>", chart.title));
            let tag = &svg[..end.expect("the whole title")];
            let tag = &tag[tag.rfind("<text").expect("a text tag")..];
            let from = tag.find("font-size=\"").expect("a size") + 11;
            let size = &tag[from..];
            size[..size.find('"').expect("a quote")]
                .parse::<f64>()
                .unwrap()
        };
        assert!(size(335) < size(1100), "{} {}", size(335), size(1100));
    }

    #[test]
    fn tiny_or_crowded_charts_do_not_panic() {
        let svg = to_svg(&spend(), LIGHT, 10, 10);
        assert!(svg.starts_with("<svg"));
        let mut crowded = spend();
        crowded.categories = (0..2000).map(|i| format!("day {i}")).collect();
        crowded.bars[0].values = (0..2000).map(f64::from).collect();
        let svg = to_svg(&crowded, LIGHT, 600, 300);
        assert!(svg.contains("day 1999"), "the last day is labelled");
        assert!(!svg.contains("day 1998"), "labels are thinned");
    }
}
