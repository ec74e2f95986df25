//! Every chart as a table with the same numbers, for readers who cannot
//! see the chart and for copying figures out of it.

use super::spec::{Chart, Series};
use crate::domain::export::{Cell, Table};

impl Chart {
    /// One row per category: the category, then one column per bar
    /// series, line and reference, each header carrying the unit.
    pub fn table(&self) -> Table {
        let columns: Vec<&Series> =
            self.bars.iter().chain(&self.lines).collect();
        let unit = |name: &str| format!("{name} ({})", self.y_axis);
        let mut header_row = vec![self.x_axis.clone()];
        header_row.extend(columns.iter().map(|s| unit(&s.name)));
        if let Some((name, _)) = &self.reference {
            header_row.push(unit(name));
        }

        let whole: Vec<bool> =
            columns.iter().map(|s| all_whole(&s.values)).collect();
        let mut table = Table::with_header(header_row);
        for (i, category) in self.categories.iter().enumerate() {
            let mut row = vec![Cell::from(category.as_str())];
            for (series, whole) in columns.iter().zip(&whole) {
                row.push(number(series.at(i), *whole));
            }
            if let Some((_, value)) = self.reference {
                row.push(number(Some(value).filter(|v| v.is_finite()), false));
            }
            table.push(row);
        }
        table
    }
}

/// Whether a column holds only whole numbers, like token counts, and
/// can be written without decimals.
fn all_whole(values: &[f64]) -> bool {
    values
        .iter()
        .filter(|v| v.is_finite())
        .all(|v| v.fract() == 0.0 && v.abs() < 9e15)
}

/// A number cell: whole columns without decimals, others with six like
/// money elsewhere; nothing known stays empty, never 0.
fn number(value: Option<f64>, whole: bool) -> Cell {
    match value {
        None => Cell::Empty,
        Some(v) if whole => Cell::Decimal(format!("{:.0}", v + 0.0)),
        Some(v) => Cell::Decimal(format!("{:.6}", v + 0.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "Cost per day".into(),
            x_axis: "Local day (Europe/Berlin)".into(),
            y_axis: "USD".into(),
            categories: vec!["2026-03-01".into(), "2026-03-02".into()],
            bars: vec![
                Series::new("=cmd", vec![1.5, 0.25]),
                Series::new("batch", vec![2.0, f64::NAN]),
            ],
            lines: vec![Series::new("running total", vec![3.5])],
            reference: Some(("budget".into(), 10.0)),
        }
    }

    #[test]
    fn one_row_per_category_with_the_charted_numbers() {
        let table = chart().table();
        assert_eq!(
            table.header,
            [
                "Local day (Europe/Berlin)",
                "=cmd (USD)",
                "batch (USD)",
                "running total (USD)",
                "budget (USD)"
            ]
        );
        assert_eq!(table.rows.len(), 2);
        let decimal = |text: &str| Cell::Decimal(text.to_owned());
        assert_eq!(
            table.rows[0],
            [
                Cell::from("2026-03-01"),
                decimal("1.500000"),
                decimal("2"),
                decimal("3.500000"),
                decimal("10.000000"),
            ]
        );
        assert_eq!(table.rows[1][2], Cell::Empty, "NaN is not a number");
        assert_eq!(table.rows[1][3], Cell::Empty, "the line is shorter");
    }

    #[test]
    fn numbers_stay_numbers_in_csv_and_json() {
        use crate::domain::export::Bom;
        let csv = chart().table().to_csv(Bom::Without).expect("CSV");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let first = reader.records().next().expect("a row").expect("CSV");
        let charted: Vec<f64> = (1..5)
            .map(|i| first[i].parse().expect("a number"))
            .collect();
        assert_eq!(charted, [1.5, 2.0, 3.5, 10.0]);
        assert!(csv.contains(",'=cmd (USD),"), "not a formula: {csv}");
    }

    #[test]
    fn an_empty_chart_has_a_header_and_no_rows() {
        let table = Chart::default().table();
        assert_eq!(table.header.len(), 1);
        assert!(table.rows.is_empty());
    }
}
