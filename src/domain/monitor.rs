//! Monitor mode: how often an open, visible tab syncs by itself.

/// Auto-refresh choices in minutes; 0 is off.
pub const REFRESH_CHOICES: [u32; 4] = [0, 1, 5, 15];

/// Whether a sync is due at `now`, the last one having finished at
/// `last` (unix seconds), with a refresh every `minutes` (0: never).
pub fn due(last: Option<i64>, now: i64, minutes: u32) -> bool {
    if minutes == 0 {
        return false;
    }
    last.is_none_or(|at| now - at >= i64::from(minutes) * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_is_due_once_the_interval_has_passed() {
        assert!(!due(Some(1_000), 1_059, 1));
        assert!(due(Some(1_000), 1_060, 1));
        assert!(!due(Some(1_000), 1_000 + 14 * 60, 15));
        assert!(due(None, 0, 5), "never synced");
        assert!(!due(None, 0, 0), "off");
        assert!(!due(Some(0), 1_000_000, 0), "off");
    }
}
