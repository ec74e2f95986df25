//! Colours of the light and dark themes. Series colours differ in hue
//! and in lightness, so neighbouring stacked segments stay apart for
//! readers who tell some hues apart poorly.

use plotters::style::RGBColor;

/// Colours of one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    /// The reference line, e.g. a budget: a colour no series uses.
    pub reference: RGBColor,
    /// Series colours in order; the first is the one a lone series gets.
    pub series: [RGBColor; 8],
}

impl Palette {
    /// The colour of the `index`th series, bars first, then lines;
    /// colours repeat after eight series.
    pub fn color(&self, index: usize) -> RGBColor {
        self.series[index % self.series.len()]
    }
}

pub const LIGHT: Palette = Palette {
    background: RGBColor(255, 255, 255),
    text: RGBColor(29, 31, 35),
    grid: RGBColor(223, 225, 228),
    reference: RGBColor(196, 30, 58),
    series: [
        RGBColor(11, 107, 203),
        RGBColor(232, 139, 22),
        RGBColor(24, 140, 96),
        RGBColor(125, 77, 196),
        RGBColor(104, 178, 232),
        RGBColor(156, 97, 42),
        RGBColor(214, 92, 160),
        RGBColor(96, 104, 114),
    ],
};

pub const DARK: Palette = Palette {
    background: RGBColor(30, 33, 38),
    text: RGBColor(230, 232, 235),
    grid: RGBColor(52, 57, 65),
    reference: RGBColor(255, 107, 122),
    series: [
        RGBColor(77, 163, 255),
        RGBColor(255, 170, 64),
        RGBColor(70, 201, 146),
        RGBColor(180, 140, 255),
        RGBColor(160, 214, 255),
        RGBColor(214, 160, 110),
        RGBColor(255, 140, 205),
        RGBColor(160, 168, 178),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: RGBColor, b: RGBColor) -> f64 {
        let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
        (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt()
    }

    #[test]
    fn series_colours_stand_apart_from_each_other_and_the_background() {
        for palette in [LIGHT, DARK] {
            for (i, a) in palette.series.iter().enumerate() {
                assert!(distance(*a, palette.background) > 150.0, "{a:?}");
                assert!(distance(*a, palette.reference) > 50.0, "{a:?}");
                for b in &palette.series[i + 1..] {
                    assert!(distance(*a, *b) > 60.0, "{a:?} and {b:?}");
                }
            }
        }
    }
}
