//! What a chart shows, apart from how it is drawn: plain numbers and
//! words, so the same description becomes a canvas, an SVG file and a
//! table, and tests can build one without any domain type.

/// One chart: categories along x, stacked bars and lines over them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    pub title: String,
    /// What the categories are, with the time zone for days, e.g.
    /// "Local day (Europe/Berlin)".
    pub x_axis: String,
    /// The unit of every value, e.g. "USD" or "tokens".
    pub y_axis: String,
    /// One label per position along x.
    pub categories: Vec<String>,
    /// Drawn as bars, stacked when there are several.
    pub bars: Vec<Series>,
    /// Drawn over the bars, e.g. a running total or a forecast.
    pub lines: Vec<Series>,
    /// A named level drawn across the chart, e.g. a budget.
    pub reference: Option<(String, f64)>,
}

/// Named values, one per category; a missing or non-finite value is
/// drawn as nothing rather than as zero.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

impl Series {
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        Series {
            name: name.into(),
            values,
        }
    }

    /// The value at `index`, if there is a finite one.
    pub fn at(&self, index: usize) -> Option<f64> {
        self.values.get(index).copied().filter(|v| v.is_finite())
    }
}

impl Chart {
    /// How many series and reference lines a legend would list.
    pub fn named_items(&self) -> usize {
        self.bars.len()
            + self.lines.len()
            + usize::from(self.reference.is_some())
    }

    /// The names a legend lists, in its order: bars, lines, reference.
    pub fn legend_names(&self) -> Vec<&str> {
        let series = self.bars.iter().chain(&self.lines);
        let reference = self.reference.iter().map(|(name, _)| name.as_str());
        series.map(|s| s.name.as_str()).chain(reference).collect()
    }
}
