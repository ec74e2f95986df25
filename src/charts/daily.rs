//! The estimated cost of each UTC day as a chart description: the one
//! place where the daily series meets the chart layer.

use super::spec::{Chart, Series};
use crate::domain::series::DayPoint;
use crate::domain::time::Date;

/// Picodollars in one dollar; charts plot dollars.
const PICO_PER_USD: f64 = 1e12;

/// One bar per day of `points`, in US dollars.
pub fn chart(points: &[DayPoint]) -> Chart {
    Chart {
        title: "Estimated cost per day".to_owned(),
        x_axis: "Day (UTC)".to_owned(),
        y_axis: "USD".to_owned(),
        categories: points
            .iter()
            .map(|p| Date::from_unix(p.day).to_string())
            .collect(),
        bars: vec![Series::new(
            "Estimated cost",
            points
                .iter()
                .map(|p| p.cost.0 as f64 / PICO_PER_USD)
                .collect(),
        )],
        lines: Vec::new(),
        reference: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Usd;

    #[test]
    fn each_day_is_a_category_with_its_cost_in_dollars() {
        let day = Date::new(2026, 3, 29).to_unix();
        let points = [DayPoint {
            day,
            cost: Usd(2_500_000_000_000),
            ..DayPoint::default()
        }];
        let chart = chart(&points);
        assert_eq!(chart.categories, ["2026-03-29"]);
        assert_eq!(chart.bars[0].values, [2.5]);
    }
}
