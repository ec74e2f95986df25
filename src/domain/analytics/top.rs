//! Top consumers: the API keys, users, projects or models that spend the
//! most over a range.

use std::collections::HashMap;

use super::directory::{Directory, UNATTRIBUTED_LABEL};
use super::ledger::Ledger;
use super::models::models_of;
use super::rows::Row;
use super::source::Source;
use super::tally::Tally;
use crate::domain::usage::UsageRecord;

/// What consumers are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Key,
    User,
    Project,
    Model,
}

/// One consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consumer {
    /// The organization, for keys, users and projects.
    pub connection_id: Option<String>,
    /// The API key, user or project id, or the model's label. `None` for
    /// usage attributed to no one.
    pub id: Option<String>,
    /// A name to show.
    pub label: String,
    pub tally: Tally,
}

/// The `n` biggest consumers by `dimension` among the rows `source`
/// uses: by cost, then tokens.
pub fn top(
    rows: &[Row],
    source: &Source,
    directory: &Directory,
    dimension: Dimension,
    n: usize,
) -> Vec<Consumer> {
    top_of(&Ledger::of(rows, source, None), directory, dimension, n)
}

/// The `n` biggest consumers by `dimension` among the groups of `ledger`
/// with usage on its days.
pub fn top_of(
    ledger: &Ledger,
    directory: &Directory,
    dimension: Dimension,
    n: usize,
) -> Vec<Consumer> {
    if dimension == Dimension::Model {
        let mut lines = models_of(ledger);
        lines.truncate(n);
        return lines
            .into_iter()
            .map(|line| Consumer {
                connection_id: None,
                id: Some(line.label.clone()),
                label: line.label,
                tally: line.tally,
            })
            .collect();
    }

    let mut sums: HashMap<Option<(&str, &str)>, Tally> = HashMap::new();
    for group in ledger.groups() {
        if group.range.is_empty() {
            continue;
        }
        let record = group.record;
        let id = id_of(record, directory, dimension)
            .map(|id| (record.connection_id.as_str(), id));
        sums.entry(id).or_default().merge(&group.range);
    }
    let mut consumers: Vec<Consumer> = sums
        .into_iter()
        .map(|(id, tally)| match id {
            Some((connection, id)) => Consumer {
                connection_id: Some(connection.to_owned()),
                id: Some(id.to_owned()),
                label: name_of(directory, dimension, connection, id).to_owned(),
                tally,
            },
            None => Consumer {
                connection_id: None,
                id: None,
                label: UNATTRIBUTED_LABEL.to_owned(),
                tally,
            },
        })
        .collect();
    consumers.sort_by(|a, b| {
        b.tally
            .spend_order()
            .cmp(&a.tally.spend_order())
            .then_with(|| a.label.cmp(&b.label))
            .then_with(|| a.id.cmp(&b.id))
    });
    consumers.truncate(n);
    consumers
}

fn id_of<'s>(
    record: &'s UsageRecord,
    directory: &Directory<'s>,
    dimension: Dimension,
) -> Option<&'s str> {
    match dimension {
        Dimension::Key => record.api_key_id.as_deref(),
        Dimension::User => directory.person_of(record),
        Dimension::Project => record.project_id.as_deref(),
        Dimension::Model => record.model.as_deref(),
    }
}

fn name_of<'s>(
    directory: &Directory<'s>,
    dimension: Dimension,
    connection: &str,
    id: &'s str,
) -> &'s str {
    match dimension {
        Dimension::Key => directory.key_name(connection, id),
        Dimension::User => directory.person_name(connection, id),
        Dimension::Project => directory.project_name(connection, id),
        Dimension::Model => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::analytics::fixtures::priced;
    use crate::domain::analytics::grid::Days;
    use crate::domain::demo::demo_org;
    use crate::domain::time::Date;
    use crate::domain::zone::Zone;

    #[test]
    fn the_biggest_spenders_come_first_with_their_names() {
        let last = Date::new(2026, 5, 10);
        let org = demo_org("c", last, 30);
        let rows = priced(&org.usage);
        let source =
            Source::choose(&rows, &Zone::utc(), Days::ending(last, 30));
        let directory = Directory::new(&org.keys, &org.projects, &[]);

        for dimension in [
            Dimension::Key,
            Dimension::User,
            Dimension::Project,
            Dimension::Model,
        ] {
            let top = top(&rows, &source, &directory, dimension, 3);
            assert_eq!(top.len(), 3, "{dimension:?}");
            assert!(top.windows(2).all(|w| w[0].tally.cost >= w[1].tally.cost));
        }
        let projects = top(&rows, &source, &directory, Dimension::Project, 1);
        assert_eq!(projects[0].label, "Production");
        let keys = top(&rows, &source, &directory, Dimension::Key, 9);
        assert!(keys.iter().any(|k| k.label == "api-server"));
    }
}
