//! More API keys than the demo's nine, to measure the app against a
//! larger organization. Each extra key copies one of the demo's keys that
//! has usage: same project, same owner, and usage of its own equal to the
//! original's, day by day and kind by kind.
//!
//! Billed costs stay the demo's: they are per project and line item, so
//! copies would change their amounts but not how many rows they are.

use keymeter::domain::demo::DemoOrg;
use keymeter::domain::keys::ApiKey;
use keymeter::domain::usage::UsageRecord;

/// Adds `extra` keys to `org`, copied in turn from its keys with usage.
pub(crate) fn add_keys(org: &mut DemoOrg, extra: u32) {
    let used: Vec<ApiKey> = org
        .keys
        .iter()
        .filter(|key| key.last_used_at.is_some())
        .cloned()
        .collect();
    if used.is_empty() {
        return;
    }

    let mut usage = Vec::new();
    for n in 0..extra as usize {
        let original = &used[n % used.len()];
        let id = format!("{}x{n:03}", original.id);
        usage.extend(
            org.usage
                .iter()
                .filter(|row| row.api_key_id.as_deref() == Some(&*original.id))
                .map(|row| UsageRecord {
                    api_key_id: Some(id.as_str().into()),
                    ..row.clone()
                }),
        );
        org.keys.push(ApiKey {
            name: format!("{} {}", original.name, n / used.len() + 2),
            redacted_value: format!("sk-proj-****{}", &id[id.len() - 4..]),
            id,
            ..original.clone()
        });
    }

    // Oldest first, as the demo's rows are; a stable sort keeps each
    // day's rows in their order.
    org.usage.extend(usage);
    org.usage.sort_by_key(|row| row.start_time);
}
