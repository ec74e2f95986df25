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

/// What the tab is doing when the monitor looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tab {
    /// The page is on screen (`document.visibilityState` is `visible`).
    pub visible: bool,
    /// The organization can sync at all: not the demo, not removed, and
    /// its admin key is unlocked in this tab.
    pub can_sync: bool,
    /// A sync is running already.
    pub busy: bool,
}

/// Whether the monitor starts a sync now. A hidden tab never does: it
/// would spend API requests on figures nobody looks at, and when it is
/// shown again the next look finds the sync due.
pub fn should_sync(
    tab: Tab,
    last: Option<i64>,
    now: i64,
    minutes: u32,
) -> bool {
    tab.visible && tab.can_sync && !tab.busy && due(last, now, minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_tab_waits_until_it_is_shown_again() {
        let shown = Tab {
            visible: true,
            can_sync: true,
            busy: false,
        };
        let hidden = Tab {
            visible: false,
            ..shown
        };
        // Long overdue, but hidden: no sync, however much time passes.
        for now in [1_060, 10_000, 1_000_000] {
            assert!(!should_sync(hidden, Some(1_000), now, 1), "{now}");
        }
        assert!(should_sync(shown, Some(1_000), 1_060, 1));
        assert!(!should_sync(shown, Some(1_000), 1_059, 1));
        assert!(!should_sync(
            Tab {
                busy: true,
                ..shown
            },
            None,
            0,
            1
        ));
        assert!(!should_sync(
            Tab {
                can_sync: false,
                ..shown
            },
            None,
            0,
            1
        ));
        assert!(!should_sync(shown, None, 0, 0), "auto-refresh off");
    }

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
