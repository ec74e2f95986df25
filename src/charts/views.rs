//! The analytics views as chart descriptions: which numbers each chart
//! plots, in which unit, and which days and zone its axis names.

use super::spec::{Chart, Series};
use crate::domain::analytics::forecast::MonthForecast;
use crate::domain::analytics::pattern::Pattern;
use crate::domain::analytics::stacked::Stack;
use crate::domain::analytics::trend::Trend;
use crate::domain::money::Usd;

/// Picodollars in one dollar; charts plot dollars.
const PICO_PER_USD: f64 = 1e12;

fn dollars(amount: Usd) -> f64 {
    amount.0 as f64 / PICO_PER_USD
}

/// "Local day (Europe/Berlin)", or "UTC day" when the days are UTC days.
pub fn day_axis(zone: &str, utc_days: bool) -> String {
    if utc_days || zone == crate::domain::zone::UTC {
        "Day (UTC)".to_owned()
    } else {
        format!("Local day ({zone})")
    }
}

/// Tokens per day, with the estimated cost as a table column: bars for
/// tokens, since unpriced usage has tokens but no cost.
pub fn trend_chart(trend: &Trend, zone: &str) -> Chart {
    let points = &trend.points;
    Chart {
        title: "Tokens per day".to_owned(),
        x_axis: day_axis(zone, trend.utc_days),
        y_axis: "tokens".to_owned(),
        categories: points.iter().map(|p| p.date.to_string()).collect(),
        bars: vec![Series::new(
            "Tokens",
            points.iter().map(|p| p.tally.tokens as f64).collect(),
        )],
        lines: Vec::new(),
        reference: None,
    }
}

/// Estimated cost per day, in dollars.
pub fn cost_chart(trend: &Trend, zone: &str) -> Chart {
    let points = &trend.points;
    Chart {
        title: "Estimated cost per day".to_owned(),
        x_axis: day_axis(zone, trend.utc_days),
        y_axis: "USD".to_owned(),
        categories: points.iter().map(|p| p.date.to_string()).collect(),
        bars: vec![Series::new(
            "Estimated cost",
            points.iter().map(|p| dollars(p.tally.cost)).collect(),
        )],
        lines: Vec::new(),
        reference: None,
    }
}

/// Average tokens in each local hour of the day (requests, on another
/// scale, are in the pattern's table download).
pub fn pattern_chart(pattern: &Pattern, zone: &str) -> Chart {
    let hours = 0..pattern.hours.len();
    Chart {
        title: "Average tokens in each hour of the day".to_owned(),
        x_axis: format!("Hour ({zone})"),
        y_axis: "tokens per day".to_owned(),
        categories: (0..pattern.hours.len())
            .map(|h| format!("{h:02}"))
            .collect(),
        bars: vec![Series::new(
            "Tokens",
            hours.map(|h| pattern.tokens_per_day(h)).collect(),
        )],
        lines: Vec::new(),
        reference: None,
    }
}

/// Tokens per day, one layer per API key.
pub fn stacked_chart(stack: &Stack, zone: &str) -> Chart {
    let bars = stack
        .layers
        .iter()
        .map(|layer| {
            let name = if layer.project.is_empty() {
                layer.label.clone()
            } else {
                format!("{} ({})", layer.label, layer.project)
            };
            Series::new(
                name,
                layer.points.iter().map(|t| t.tokens as f64).collect(),
            )
        })
        .collect();
    Chart {
        title: "Tokens per day and API key".to_owned(),
        x_axis: day_axis(zone, stack.utc_days),
        y_axis: "tokens".to_owned(),
        categories: stack.dates.iter().map(ToString::to_string).collect(),
        bars,
        lines: Vec::new(),
        reference: None,
    }
}

/// The month's spending so far and both forecasts, as lines from today to
/// the month's end, with the budget when there is one.
pub fn forecast_chart(month: &MonthForecast, zone: &str) -> Chart {
    let (days, today_index) = (month.days, month.today);
    let forecast = &month.forecast;
    let last = days.len().saturating_sub(1);
    let towards = |end: Usd| -> Vec<f64> {
        let (from, to) = (dollars(forecast.spent), dollars(end));
        (0..days.len())
            .map(|i| {
                if i < today_index || last == today_index {
                    if i == today_index {
                        from
                    } else {
                        f64::NAN
                    }
                } else {
                    let done =
                        (i - today_index) as f64 / (last - today_index) as f64;
                    from + (to - from) * done
                }
            })
            .collect()
    };
    // What was spent by the end of each day, up to today.
    let mut total = Usd::ZERO;
    let spent: Vec<f64> = (0..days.len())
        .map(|i| {
            total += month.daily.get(i).copied().unwrap_or_default();
            if i <= today_index {
                dollars(total)
            } else {
                f64::NAN
            }
        })
        .collect();
    Chart {
        title: "This month: spent and forecast".to_owned(),
        x_axis: day_axis(zone, month.utc_days),
        y_axis: "USD".to_owned(),
        categories: days.dates().map(|d| d.to_string()).collect(),
        bars: Vec::new(),
        lines: vec![
            Series::new("Spent so far", spent),
            Series::new(
                "Forecast at the month's pace",
                towards(forecast.linear),
            ),
            Series::new(
                "Forecast at the last 7 days' pace",
                towards(forecast.recent),
            ),
        ],
        reference: forecast.budget.map(|b| ("Budget".to_owned(), dollars(b))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::forecast::{Forecast, Period};
    use crate::domain::analytics::grid::Days;
    use crate::domain::analytics::source::Resolution;
    use crate::domain::analytics::tally::Tally;
    use crate::domain::analytics::trend::DayPoint;
    use crate::domain::time::Date;

    fn trend(utc_days: bool) -> Trend {
        let point = |day, tokens, cost| DayPoint {
            date: Date::new(2026, 3, day),
            tally: Tally {
                tokens,
                cost: Usd(cost),
                ..Tally::default()
            },
        };
        Trend {
            points: vec![
                point(9, 1_900, 2_500_000_000_000),
                point(10, 2_400, 0),
            ],
            resolution: Resolution::Hourly,
            utc_days,
        }
    }

    #[test]
    fn day_charts_name_the_zone_or_say_the_days_are_utc() {
        let local = trend_chart(&trend(false), "Asia/Kolkata");
        assert_eq!(local.x_axis, "Local day (Asia/Kolkata)");
        assert_eq!(local.categories, ["2026-03-09", "2026-03-10"]);
        assert_eq!(local.bars[0].values, [1_900.0, 2_400.0]);
        assert_eq!(
            trend_chart(&trend(true), "Asia/Kolkata").x_axis,
            "Day (UTC)"
        );
        assert_eq!(cost_chart(&trend(false), "UTC").bars[0].values, [2.5, 0.0]);
    }

    #[test]
    fn forecast_lines_run_from_what_is_spent_today_to_the_forecast() {
        let days = Days::new(Date::new(2026, 4, 1), Date::new(2026, 4, 30));
        let month = MonthForecast {
            forecast: Forecast {
                period: Period { start: 0, end: 1 },
                now: 0,
                spent: Usd(30_000_000_000_000),
                linear: Usd(90_000_000_000_000),
                recent: Usd(60_000_000_000_000),
                budget: Some(Usd(100_000_000_000_000)),
            },
            spent: Tally::default(),
            // $3 on each of the ten days so far.
            daily: (0..30)
                .map(|d| Usd(if d < 10 { 3_000_000_000_000 } else { 0 }))
                .collect(),
            days,
            today: 9,
            utc_days: false,
        };
        let chart = forecast_chart(&month, "UTC");
        let spent = &chart.lines[0];
        assert_eq!(spent.at(0), Some(3.0));
        assert_eq!(spent.at(9), Some(30.0), "meets the forecasts today");
        assert!(spent.at(10).is_none(), "nothing spent after today");
        let linear = &chart.lines[1];
        assert!(linear.at(8).is_none(), "nothing drawn before today");
        assert_eq!(linear.at(9), Some(30.0));
        assert_eq!(linear.at(29), Some(90.0));
        assert_eq!(chart.lines[2].at(29), Some(60.0));
        assert_eq!(chart.reference, Some(("Budget".to_owned(), 100.0)));
    }
}
