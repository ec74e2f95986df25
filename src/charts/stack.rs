//! Where each bar segment starts and ends when series are stacked:
//! positive values pile up from zero, negative ones down from it, so a
//! refund never hides part of a cost.

use super::spec::Series;

/// One segment per series and category, `(bottom, top)`; `None` where
/// the value is zero or missing and nothing should be drawn.
pub type Segments = Vec<Vec<Option<(f64, f64)>>>;

/// Segments of `bars` over `count` categories, in series order.
pub fn stack(bars: &[Series], count: usize) -> Segments {
    let mut up = vec![0.0; count];
    let mut down = vec![0.0; count];
    bars.iter()
        .map(|series| {
            (0..count)
                .map(|i| {
                    let value = series.at(i).filter(|v| *v != 0.0)?;
                    let base = if value > 0.0 {
                        &mut up[i]
                    } else {
                        &mut down[i]
                    };
                    let start = *base;
                    *base += value;
                    Some((start.min(*base), start.max(*base)))
                })
                .collect()
        })
        .collect()
}

/// The lowest and highest point any segment reaches, zero included.
pub fn extent(segments: &Segments) -> (f64, f64) {
    segments
        .iter()
        .flatten()
        .flatten()
        .fold((0.0, 0.0), |(lo, hi), (bottom, top)| {
            (f64::min(lo, *bottom), f64::max(hi, *top))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_pile_up_and_refunds_hang_below_zero() {
        let bars = [
            Series::new("a", vec![1.0, 0.0, -1.0]),
            Series::new("b", vec![2.0, f64::NAN, -2.0]),
        ];
        let segments = stack(&bars, 3);
        assert_eq!(segments[0], [Some((0.0, 1.0)), None, Some((-1.0, 0.0))]);
        assert_eq!(segments[1], [Some((1.0, 3.0)), None, Some((-3.0, -1.0))]);
        assert_eq!(extent(&segments), (-3.0, 3.0));
    }

    #[test]
    fn short_series_leave_later_categories_empty() {
        let segments = stack(&[Series::new("a", vec![4.0])], 2);
        assert_eq!(segments[0], [Some((0.0, 4.0)), None]);
    }
}
