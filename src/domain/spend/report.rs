//! The cost report the Costs view shows: the roll-ups with names, biggest
//! first, and the reconciliation with project names. Kept pure so the
//! view only lays it out.

use crate::domain::analytics::directory::Directory;
use std::collections::HashMap;

use super::{allocate, reconcile, rollups, Reconciliation, Rollup, Scoped};
use crate::domain::cost::CostRecord;
use crate::domain::export::{Cell, Table};
use crate::domain::keys::{ApiKey, Project};
use crate::domain::people::Person;
use crate::domain::price::PriceTable;
use crate::domain::sort;
use crate::domain::time::Date;
use crate::domain::usage::UsageRecord;

/// The name shown for usage attributed to no key, user or project.
pub const UNATTRIBUTED: &str = "Unattributed";

/// One key, user or project with its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Stable within the report: `connection/id`, or `connection/-`.
    pub id: String,
    pub name: String,
    /// What tells two lines of the same name apart: a key's project and
    /// masked value, a user's email.
    pub detail: String,
    pub figures: Rollup,
}

/// One project-day of the reconciliation, with the project's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayLine {
    pub day: Date,
    pub project: String,
    pub figures: Reconciliation,
}

/// Everything the Costs view shows for a range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CostReport {
    pub keys: Vec<Line>,
    pub users: Vec<Line>,
    pub projects: Vec<Line>,
    pub overall: Rollup,
    /// Newest day first.
    pub days: Vec<DayLine>,
}

/// What the report is built from.
pub struct Inputs<'a> {
    pub prices: &'a PriceTable,
    pub projects: &'a [Project],
    pub keys: &'a [ApiKey],
    pub people: &'a [Person],
    pub usage: &'a [UsageRecord],
    pub costs: &'a [CostRecord],
}

type Names<'a> = HashMap<(&'a str, &'a str), (String, String)>;

/// Builds the report of days starting in `[from, to)`.
pub fn cost_report(inputs: &Inputs, from: i64, to: i64) -> CostReport {
    let Inputs {
        prices,
        projects,
        keys,
        people,
        usage,
        costs,
    } = *inputs;
    let who = Directory::new(keys, projects, people);
    let split = allocate(prices, usage, &who, costs, from, to);
    let all = rollups(prices, usage, &who, &split, from, to);

    let project_names: Names = projects
        .iter()
        .map(|p| {
            let scoped = (p.connection_id.as_str(), p.id.as_str());
            (scoped, (p.name.clone(), String::new()))
        })
        .collect();
    let key_names: Names = keys
        .iter()
        .map(|k| {
            let project = project_names
                .get(&(k.connection_id.as_str(), k.project_id.as_str()))
                .map_or(k.project_id.as_str(), |(name, _)| name.as_str());
            let detail = format!("{project} · {}", k.masked());
            let scoped = (k.connection_id.as_str(), k.id.as_str());
            (scoped, (k.display_name().to_owned(), detail))
        })
        .collect();
    let people_names: Names = people
        .iter()
        .map(|p| {
            let scoped = (p.connection_id.as_str(), p.id.as_str());
            let detail = p.email.clone().unwrap_or_default();
            (scoped, (p.name.clone(), detail))
        })
        .collect();

    let days = reconcile(prices, usage, costs, from, to)
        .into_iter()
        .rev()
        .map(|figures| DayLine {
            day: Date::from_unix(figures.at.day),
            project: name_of(
                &project_names,
                &(
                    figures.at.connection_id.clone(),
                    figures.at.project_id.clone(),
                ),
            )
            .0,
            figures,
        })
        .collect();

    CostReport {
        keys: lines(&all.by_key, &key_names),
        users: lines(&all.by_user, &people_names),
        projects: lines(&all.by_project, &project_names),
        overall: all.overall,
        days,
    }
}

/// The name and detail of `scoped`; an id nothing names shows as itself.
fn name_of(names: &Names, scoped: &Scoped) -> (String, String) {
    let (connection, id) = scoped;
    match id {
        None => (UNATTRIBUTED.to_owned(), String::new()),
        Some(id) => names
            .get(&(connection.as_str(), id.as_str()))
            .cloned()
            .unwrap_or_else(|| (id.clone(), String::new())),
    }
}

/// Named lines, the most expensive first, then by name.
fn lines(
    rollups: &std::collections::BTreeMap<Scoped, Rollup>,
    names: &Names,
) -> Vec<Line> {
    let mut out: Vec<Line> = rollups
        .iter()
        .map(|(scoped, figures)| {
            let (name, detail) = name_of(names, scoped);
            let id =
                format!("{}/{}", scoped.0, scoped.1.as_deref().unwrap_or("-"));
            Line {
                id,
                name,
                detail,
                figures: *figures,
            }
        })
        .collect();
    sort::by(&mut out, |a, b| {
        b.figures
            .estimated
            .max(b.figures.allocated)
            .cmp(&a.figures.estimated.max(a.figures.allocated))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

impl CostReport {
    /// Keys, users or projects as a table.
    pub fn lines_table(lines: &[Line]) -> Table {
        let mut table = Table::new(&[
            "name",
            "detail",
            "tokens",
            "estimated_cost_usd",
            "allocated_cost_usd",
            "unpriced_tokens",
        ]);
        for line in lines {
            let f = &line.figures;
            table.push(vec![
                line.name.as_str().into(),
                line.detail.as_str().into(),
                f.tokens.into(),
                f.estimated.into(),
                f.allocated.into(),
                f.unpriced_tokens.into(),
            ]);
        }
        table
    }

    /// The reconciliation per day and project as a table.
    pub fn days_table(&self) -> Table {
        let mut table = Table::new(&[
            "day_utc",
            "project",
            "billed_usd",
            "estimated_usd",
            "difference_usd",
            "difference_percent",
            "unexplained_usd",
            "unexplained_items",
        ]);
        for day in &self.days {
            let f = &day.figures;
            let items: Vec<String> = f
                .unexplained
                .iter()
                .map(|i| format!("{} {}", i.line_item, i.amount.to_fixed(6)))
                .collect();
            table.push(vec![
                day.day.to_string().into(),
                day.project.as_str().into(),
                f.billed.into(),
                f.estimated.into(),
                Cell::Decimal(f.difference.to_fixed(6)),
                f.difference_percent_number()
                    .map_or(Cell::Empty, Cell::Decimal),
                f.unexplained_total().into(),
                items.join("; ").into(),
            ]);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Usd;
    use crate::domain::spend::fixtures::{bill, usage, DAY0, P1, P2};
    use crate::domain::time::DAY;

    fn project(id: &str, name: &str) -> Project {
        Project {
            connection_id: "c".into(),
            id: id.into(),
            name: name.into(),
            archived: false,
        }
    }

    fn key(id: &str, project: &str, name: &str) -> ApiKey {
        ApiKey {
            connection_id: "c".into(),
            id: id.into(),
            project_id: project.into(),
            name: name.into(),
            redacted_value: format!("sk-...{id}"),
            owner: None,
            created_at: None,
            last_used_at: None,
            deleted_at: None,
            notes: Default::default(),
        }
    }

    #[test]
    fn lines_are_named_biggest_first_and_sum_to_the_overall_figures() {
        let prices = PriceTable::built_in();
        let projects = [project(P1, "Web"), project(P2, "Batch jobs")];
        let keys = [key("k1", P1, "default"), key("k2", P2, "default")];
        let usage = [
            usage(P1, Some("k1"), "gpt-4o", 1_200_000, 0),
            usage(P2, Some("k2"), "gpt-4o", 2_000_000, 0),
            usage(P2, None, "gpt-4o", 1_000_000, 0),
            usage(P2, Some("k2"), "gpt-7-preview", 500, 500),
        ];
        let costs = [bill(P1, "gpt-4o, input", "4.00"), bill(P2, "x", "9")];
        let inputs = Inputs {
            prices: &prices,
            projects: &projects,
            keys: &keys,
            people: &[],
            usage: &usage,
            costs: &costs,
        };
        let report = cost_report(&inputs, DAY0, DAY0 + DAY);

        let names: Vec<(&str, &str)> = report
            .keys
            .iter()
            .map(|l| (l.name.as_str(), l.detail.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("default", "Batch jobs · …k2"),
                ("default", "Web · …k1"),
                (UNATTRIBUTED, ""),
            ],
            "two keys of one name stay two lines, told apart"
        );
        let estimated: Usd =
            report.keys.iter().map(|l| l.figures.estimated).sum();
        let allocated: Usd =
            report.keys.iter().map(|l| l.figures.allocated).sum();
        assert_eq!(estimated, report.overall.estimated);
        assert_eq!(estimated.to_fixed(2), "10.50");
        assert_eq!(allocated, report.overall.allocated);
        assert_eq!(allocated.to_fixed(2), "13.00", "the whole bill");
        assert_eq!(report.keys[0].figures.unpriced_tokens, 1_000);
        assert_eq!(report.projects[0].name, "Batch jobs");
        assert_eq!(report.days.len(), 2);
        assert!(report.days.iter().any(|d| d.project == "Web"));

        let keys = CostReport::lines_table(&report.keys);
        assert_eq!(keys.rows.len(), 3);
        let csv = keys.to_csv(crate::domain::export::Bom::Without).unwrap();
        assert!(csv.contains("default,Batch jobs · …k2,2001000,5.000000,"));
        let days = report
            .days_table()
            .to_csv(crate::domain::export::Bom::Without);
        let days = days.unwrap();
        // P1 billed 4.00 against an estimate of 3.00 (25 % of the bill);
        // P2 billed 9.00 against 7.50.
        assert!(
            days.contains(",Web,4.000000,3.000000,1.000000,25.00,0.000000,"),
            "{days}"
        );
        assert!(
            days.contains(",Batch jobs,9.000000,7.500000,1.500000,16.67,"),
            "{days}"
        );
    }
}
