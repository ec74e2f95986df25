//! The stacked series: each day's usage split by API key, the biggest
//! keys on their own and the rest together as "Other", on the same days
//! as the trend, so the layers of a day add up to its trend point.

use super::compare::KeyRef;
use super::directory::{Directory, UNATTRIBUTED_LABEL};
use super::ledger::{KeyId, Ledger};
use super::rows::Row;
use super::source::Source;
use super::tally::Tally;
use crate::domain::time::Date;

/// The label of the layer that gathers the smaller keys.
pub const OTHER_LABEL: &str = "Other";

/// One layer of the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    /// `None` for "Other".
    pub key: Option<KeyRef>,
    pub label: String,
    /// The project's name, to tell apart keys of the same name.
    pub project: String,
    /// One sum per day.
    pub points: Vec<Tally>,
    pub total: Tally,
}

/// The layers over the days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stack {
    pub dates: Vec<Date>,
    /// Biggest first; "Other", when there is one, last.
    pub layers: Vec<Layer>,
    /// The days are UTC days, not the zone's.
    pub utc_days: bool,
}

/// The stack of the rows `source` uses, with the `n` keys that cost most
/// (then used most tokens) on layers of their own.
pub fn stacked(
    rows: &[Row],
    source: &Source,
    directory: &Directory,
    n: usize,
) -> Stack {
    stacked_of(&Ledger::of(rows, source, None), directory, n)
}

/// The stack of the keys of `ledger` with usage on its days.
pub fn stacked_of(ledger: &Ledger, directory: &Directory, n: usize) -> Stack {
    let source = ledger.source();
    let grid = source.grid();
    let days = grid.len();
    let mut layers: Vec<Layer> = ledger
        .key_days()
        .map(|(id, points)| layer(directory, id, points.to_vec()))
        .collect();
    layers.sort_by(|a, b| {
        b.total
            .spend_order()
            .cmp(&a.total.spend_order())
            .then_with(|| a.label.cmp(&b.label))
            .then_with(|| a.project.cmp(&b.project))
    });
    if layers.len() > n {
        let mut other = Layer {
            key: None,
            label: OTHER_LABEL.to_owned(),
            project: String::new(),
            points: vec![Tally::default(); days],
            total: Tally::default(),
        };
        for small in layers.drain(n..) {
            for (sum, point) in other.points.iter_mut().zip(&small.points) {
                sum.merge(point);
            }
            other.total.merge(&small.total);
        }
        layers.push(other);
    }
    Stack {
        dates: (0..days).map(|i| grid.date(i)).collect(),
        layers,
        utc_days: source.days_are_utc(),
    }
}

fn layer(directory: &Directory, id: KeyId, points: Vec<Tally>) -> Layer {
    let mut total = Tally::default();
    for point in &points {
        total.merge(point);
    }
    let Some((connection, key_id)) = id else {
        return Layer {
            key: Some(KeyRef::Unattributed),
            label: UNATTRIBUTED_LABEL.to_owned(),
            project: String::new(),
            points,
            total,
        };
    };
    let project = directory
        .key(connection, key_id)
        .map(|key| directory.project_name(connection, &key.project_id));
    Layer {
        key: Some(KeyRef::Key {
            connection_id: connection.to_owned(),
            key_id: key_id.to_owned(),
        }),
        label: directory.key_name(connection, key_id).to_owned(),
        project: project.unwrap_or_default().to_owned(),
        points,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::priced;
    use crate::domain::analytics::grid::Days;
    use crate::domain::analytics::trend::trend;
    use crate::domain::demo::{demo_org, split_into_hours};
    use crate::domain::zone::samples::berlin;

    #[test]
    fn layers_add_up_to_the_trend_day_by_day() {
        let last = Date::new(2026, 5, 10);
        let org = demo_org("c", last, 14);
        let mut records = org.usage.clone();
        for day in &org.usage {
            records.extend(split_into_hours(day));
        }
        let rows = priced(&records);
        let source = Source::choose(&rows, &berlin(), Days::ending(last, 7));
        let directory = Directory::new(&org.keys, &org.projects, &[]);

        let stack = stacked(&rows, &source, &directory, 3);
        let trend = trend(&rows, &source);

        assert_eq!(stack.layers.len(), 4);
        assert_eq!(stack.layers[3].label, OTHER_LABEL);
        assert_eq!(stack.dates.len(), trend.points.len());
        for (day, point) in trend.points.iter().enumerate() {
            let mut sum = Tally::default();
            for layer in &stack.layers {
                sum.merge(&layer.points[day]);
            }
            assert_eq!(sum, point.tally, "{}", point.date);
        }
    }
}
