//! The alert history as a downloadable table.

use super::{Alert, AlertKind};
use crate::domain::export::{Cell, Table};
use crate::domain::sort;
use crate::domain::time::iso_utc;
use crate::domain::zone::Zone;

/// What kind of alert, in a word, as the alert centre shows it.
pub fn kind_label(kind: &AlertKind) -> &'static str {
    match kind {
        AlertKind::Threshold { .. } => "Budget",
        AlertKind::Burn { .. } => "Burn rate",
        AlertKind::NewKey { .. } => "New key",
    }
}

/// One row per alert, newest first; the time in UTC and in `zone`.
pub fn alerts_table(alerts: &[Alert], zone: &Zone) -> Table {
    let mut table = Table::new(&[
        "raised_at_utc",
        "raised_at_local",
        "time_zone",
        "kind",
        "organization_id",
        "message",
        "acknowledged",
    ]);
    let mut sorted: Vec<&Alert> = alerts.iter().collect();
    sort::by(&mut sorted, |a, b| {
        b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id))
    });
    for alert in sorted {
        table.push(vec![
            Cell::from(iso_utc(alert.at).as_str()),
            Cell::from(zone.iso_local(alert.at).as_str()),
            Cell::from(zone.name()),
            Cell::from(kind_label(&alert.kind)),
            Cell::from(alert.connection_id.as_str()),
            Cell::from(alert.message.as_str()),
            Cell::from(if alert.acknowledged { "yes" } else { "no" }),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::export::Bom;

    #[test]
    fn alerts_list_newest_first_with_utc_and_local_times() {
        let alert = |id: &str, at: i64, message: &str| Alert {
            id: id.into(),
            connection_id: "c".into(),
            kind: AlertKind::NewKey {
                key_id: "key_x".into(),
            },
            at,
            message: message.into(),
            acknowledged: false,
        };
        let alerts = [
            alert("a", 1_780_000_000, "older"),
            alert("b", 1_780_003_600, r#"=HYPERLINK("x")"#),
        ];
        let zone = Zone::fixed("Asia/Kolkata", 19_800);
        let csv = alerts_table(&alerts, &zone).to_csv(Bom::Without).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with(
            "2026-05-28T21:26:40Z,2026-05-29T02:56:40+05:30,Asia/Kolkata,New key,c,"
        ), "{}", lines[1]);
        assert!(
            lines[1].contains(r#","'=HYPERLINK(""x"")","#),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains(",older,no"));
    }
}
