//! How the axes are laid out: the value range every mark fits in, which
//! categories get a label, and how tick values are written.

use std::ops::Range;

use super::spec::Chart;

/// Longest category label drawn in full; the table has the rest.
pub const LABEL_CHARS: usize = 16;
/// Rough width of one label character at the 12 px axis font; plotters
/// only measures text while drawing, which is too late to thin labels.
pub const CHAR_PX: f64 = 7.0;
/// Room kept between two neighbouring labels.
const GAP_PX: f64 = 12.0;

/// Values from the lowest to the highest mark, zero, the lines and the
/// reference included, with headroom above the highest, and the highest
/// kept below the top `legend` share of the plot that a legend inside it
/// covers (see `layout::legend_headroom`). Never empty and never NaN, so
/// plotters always gets a usable axis.
pub fn value_range(chart: &Chart, bars: (f64, f64), legend: f64) -> Range<f64> {
    let count = chart.categories.len();
    let lines = chart
        .lines
        .iter()
        .flat_map(|line| (0..count).filter_map(|i| line.at(i)));
    let reference = chart.reference.iter().map(|(_, v)| *v);
    let (lo, hi) = lines
        .chain(reference)
        .filter(|v| v.is_finite())
        .fold(bars, |(lo, hi), v| (lo.min(v), hi.max(v)));

    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return 0.0..1.0;
    }
    let bottom = if lo < 0.0 { lo - span * 0.05 } else { lo };
    let top = if hi > 0.0 { hi + span * 0.1 } else { hi };
    // The highest mark must sit under the legend in the upper left, so
    // it never hides a bar: at most `1 - legend` of the way up.
    let free = 1.0 - legend.clamp(0.0, 0.9);
    let under_legend = bottom + (hi - bottom) / free;
    bottom..top.max(under_legend)
}

/// Label every `step`th category so `count` labels of up to `chars`
/// characters fit in `width` pixels without overlapping.
pub fn label_step(count: usize, width: f64, chars: usize) -> usize {
    let per_label = chars as f64 * CHAR_PX + GAP_PX;
    let fit = (width / per_label).floor().max(1.0) as usize;
    count.div_ceil(fit).max(1)
}

/// The categories that get a label: counted back from the last, which
/// is usually the most recent day and the one people look for.
pub fn labelled(count: usize, step: usize) -> Vec<usize> {
    let step = step.max(1);
    (0..count).filter(|i| (count - 1 - i) % step == 0).collect()
}

/// `label` cut to `LABEL_CHARS` characters, marked with an ellipsis
/// when cut, so one long key name cannot crowd out the others.
pub fn short_label(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        return label.to_owned();
    }
    let mut cut: String = label.chars().take(LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// A tick value written with as many decimals as an axis spanning
/// `span` needs, and large values shortened to k, M or B.
pub fn tick_label(value: f64, span: f64) -> String {
    let value = value + 0.0; // turns -0 into 0
    if span >= 10_000.0 {
        let (divisor, suffix) = match span {
            s if s >= 1e9 => (1e9, "B"),
            s if s >= 1e6 => (1e6, "M"),
            _ => (1e3, "k"),
        };
        let decimals = usize::from(span / divisor < 10.0);
        let scaled = value / divisor;
        if scaled == 0.0 {
            return "0".to_owned();
        }
        return format!("{scaled:.decimals$}{suffix}");
    }
    let decimals = if span > 0.0 {
        (2.0 - span.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        2
    };
    format!("{value:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::spec::Series;

    fn chart(lines: Vec<Series>, reference: Option<f64>) -> Chart {
        Chart {
            categories: vec!["a".into(), "b".into()],
            lines,
            reference: reference.map(|v| ("budget".to_owned(), v)),
            ..Chart::default()
        }
    }

    #[test]
    fn the_range_reaches_above_the_reference_and_the_lines() {
        let range = value_range(&chart(vec![], Some(50.0)), (0.0, 10.0), 0.3);
        assert!(range.start == 0.0 && range.end > 50.0, "{range:?}");
        let line = Series::new("total", vec![5.0, 80.0, 900.0]);
        let range = value_range(&chart(vec![line], None), (0.0, 10.0), 0.3);
        assert!(range.end > 80.0 && range.end < 900.0, "{range:?}");
    }

    #[test]
    fn nothing_to_show_still_gives_a_unit_range() {
        assert_eq!(
            value_range(&chart(vec![], None), (0.0, 0.0), 0.3),
            0.0..1.0
        );
        let nan = Series::new("x", vec![f64::NAN, f64::INFINITY]);
        assert_eq!(
            value_range(&chart(vec![nan], None), (0.0, 0.0), 0.3),
            0.0..1.0
        );
    }

    #[test]
    fn a_legend_below_the_plot_needs_no_headroom_for_it() {
        let line = Series::new("total", vec![5.0, 10.0]);
        let two = chart(vec![line], Some(10.0));
        let inside = value_range(&two, (0.0, 0.0), 0.3);
        let below = value_range(&two, (0.0, 0.0), 0.0);
        assert!((below.end - 11.0).abs() < 1e-9, "{below:?}");
        assert!(inside.end > below.end, "{inside:?}");
    }

    #[test]
    fn the_data_stays_under_the_share_a_legend_covers() {
        let line = Series::new("forecast", vec![20.0, 100.0]);
        let two = chart(vec![line], Some(50.0));
        for legend in [0.2, 0.45, 0.6] {
            let range = value_range(&two, (0.0, 80.0), legend);
            let highest = 100.0 / (range.end - range.start);
            assert!(highest <= 1.0 - legend + 1e-9, "{legend}: {range:?}");
        }
        let range = value_range(&two, (0.0, 80.0), 0.05);
        assert!((range.end - 110.0).abs() < 1e-9, "the usual 10 %");
    }

    #[test]
    fn negative_values_extend_the_range_below_zero() {
        let range = value_range(&chart(vec![], None), (-4.0, 0.0), 0.0);
        assert!(range.start < -4.0 && range.end == 0.0, "{range:?}");
    }

    #[test]
    fn many_categories_are_thinned_and_the_last_keeps_its_label() {
        assert_eq!(label_step(7, 1000.0, 10), 1);
        let step = label_step(365, 1000.0, 10);
        let shown = labelled(365, step);
        assert!(shown.len() * (10 * 7 + 12) <= 1000, "{}", shown.len());
        assert_eq!(shown.last(), Some(&364));
        assert_eq!(labelled(0, 3), Vec::<usize>::new());
        assert_eq!(labelled(5, 2), [0, 2, 4]);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(short_label("2026-03-01"), "2026-03-01");
        let cut = short_label("生产环境 production key for checkout");
        assert_eq!(cut.chars().count(), LABEL_CHARS);
        assert!(cut.starts_with("生产环境 ") && cut.ends_with('…'));
    }

    #[test]
    fn ticks_have_the_decimals_their_axis_needs() {
        assert_eq!(tick_label(0.25, 1.1), "0.25");
        assert_eq!(tick_label(0.005, 0.011), "0.0050");
        assert_eq!(tick_label(4000.0, 5000.0), "4000");
        assert_eq!(tick_label(1_500_000.0, 2_000_000.0), "1.5M");
        assert_eq!(tick_label(20_000.0, 50_000.0), "20k");
        assert_eq!(tick_label(-0.0, 1.0), "0.00");
    }
}
