//! The page's shared state, provided once as context.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::client::CancelToken;
use crate::domain::analytics::{Days, Inputs};
use crate::domain::budget::{Alert, Budget, BurnWatch};
use crate::domain::connection::Connection;
use crate::domain::preview::Preview;
use crate::domain::price::PriceTable;
use crate::domain::range::{RangeChoice, Span};
use crate::domain::route::Narrowing;
pub use crate::domain::route::View;
use crate::domain::zone::{Zone, UTC};
use crate::storage::{Db, OrgData};

/// What a selection's Overview page needs, read before the rest of its
/// data (see `domain::preview`).
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyRows {
    pub selection: String,
    pub preview: Preview,
    pub data: OrgData,
}

/// The rows a page is made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// The selection's whole data.
    Loaded,
    /// The early rows that serve the page (see `EarlyRows`).
    Early,
    /// Neither yet: the selection's data is being read.
    Loading,
}

/// The picker's value for "every organization together".
pub const ALL: &str = "*";

/// An admin key held in memory for this tab only. `Debug` hides it so it
/// cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: &str) -> Self {
        Secret(value.trim().to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

/// A message for the user: what happened, and whether it is a problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: false,
        }
    }

    pub fn error(text: impl ToString) -> Self {
        Notice {
            text: text.to_string(),
            error: true,
        }
    }
}

/// Signals shared by every part of the page.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The open database, once opening has finished.
    pub db: RwSignal<Option<Db>, LocalStorage>,
    pub connections: RwSignal<Vec<Connection>>,
    pub selected: RwSignal<Option<String>>,
    /// What is stored for the selected connection.
    pub data: RwSignal<OrgData>,
    /// Which selection `data` belongs to, once loaded.
    pub loaded: RwSignal<Option<String>>,
    /// The Overview page's rows, read ahead of the rest of a selection's
    /// data; the page shows them until `data` is loaded.
    pub early: RwSignal<Option<EarlyRows>>,
    /// Admin keys by connection id, in memory only.
    pub secrets: RwSignal<HashMap<String, Secret>>,
    pub notice: RwSignal<Option<Notice>>,
    /// Built-in prices with the user's entries; shared by every
    /// organization.
    pub prices: RwSignal<PriceTable>,
    /// The step a running sync is on; `None` when idle.
    pub progress: RwSignal<Option<String>>,
    /// The range the views show, in local days of the display zone.
    pub range: RwSignal<RangeChoice>,
    /// The display zone's IANA name, `UTC` by default.
    pub zone_name: RwSignal<String>,
    /// The display zone's rules, read from the browser for its name.
    pub zone: Memo<Zone>,
    /// What the analytics views are narrowed to.
    pub narrowing: RwSignal<Narrowing>,
    /// Every organization's budgets, burn watches and alerts.
    pub budgets: RwSignal<Vec<Budget>>,
    pub watches: RwSignal<Vec<BurnWatch>>,
    pub alerts: RwSignal<Vec<Alert>>,
    /// Monitor mode: minutes between automatic syncs, 0 for off.
    pub refresh_minutes: RwSignal<u32>,
    /// Whether the add-organization form is open.
    pub adding: RwSignal<bool>,
    pub view: RwSignal<View>,
    /// Stops the running sync, if one runs.
    pub cancel: StoredValue<Option<CancelToken>, LocalStorage>,
}

impl AppState {
    pub fn new() -> Self {
        let zone_name = RwSignal::new(UTC.to_owned());
        let notice = RwSignal::new(None);
        AppState {
            db: RwSignal::new_local(None),
            connections: RwSignal::new(Vec::new()),
            selected: RwSignal::new(None),
            data: RwSignal::new(OrgData::default()),
            loaded: RwSignal::new(None),
            early: RwSignal::new(None),
            secrets: RwSignal::new(HashMap::new()),
            notice,
            prices: RwSignal::new(PriceTable::built_in()),
            progress: RwSignal::new(None),
            range: RwSignal::new(RangeChoice::default()),
            zone_name,
            zone: Memo::new(move |_| zone_rules(zone_name, notice)),
            narrowing: RwSignal::new(Narrowing::default()),
            budgets: RwSignal::new(Vec::new()),
            watches: RwSignal::new(Vec::new()),
            alerts: RwSignal::new(Vec::new()),
            refresh_minutes: RwSignal::new(0),
            adding: RwSignal::new(false),
            view: RwSignal::new(View::Overview),
            cancel: StoredValue::new_local(None),
        }
    }

    /// The selected connection, if any (tracked, for views).
    pub fn current(&self) -> Option<Connection> {
        let id = self.selected.get()?;
        self.connections
            .with(|all| all.iter().find(|c| c.id == id).cloned())
    }

    /// The selected connection, read once (for actions).
    pub fn current_untracked(&self) -> Option<Connection> {
        let id = self.selected.get_untracked()?;
        self.connections
            .with_untracked(|all| all.iter().find(|c| c.id == id).cloned())
    }

    /// Whether every organization is shown together.
    pub fn all_selected(&self) -> bool {
        self.selected.get().as_deref() == Some(ALL)
    }

    /// The organization a row belongs to, named only while every
    /// organization is shown (elsewhere it goes without saying).
    pub fn org_of(&self, connection_id: &str) -> Option<String> {
        if !self.all_selected() {
            return None;
        }
        self.connections.with(|all| {
            all.iter()
                .find(|c| c.id == connection_id)
                .map(|c| crate::domain::keys::visible_name(&c.label))
        })
    }

    /// Whether the selected connection's admin key is in memory.
    pub fn unlocked(&self) -> bool {
        self.selected
            .get()
            .is_some_and(|id| self.secrets.with(|all| all.contains_key(&id)))
    }

    /// Replaces a connection in the list by id.
    pub fn replace_connection(&self, updated: Connection) {
        self.connections.update(|all| {
            if let Some(old) = all.iter_mut().find(|c| c.id == updated.id) {
                *old = updated;
            }
        });
    }

    /// The range on screen, resolved in the display zone (tracked).
    pub fn span(&self) -> Span {
        let zone = self.zone.get();
        self.range.get().resolve(&zone, super::actions::now())
    }

    /// The days of the range on screen in the display zone, and as UTC
    /// days count them (tracked).
    pub fn days(&self) -> Days {
        let zone = self.zone.get();
        self.range.get().days(&zone, super::actions::now())
    }

    /// Runs `f` over what the analytics are made from: the loaded data
    /// and the user's prices (tracked).
    pub fn with_inputs<T>(&self, f: impl FnOnce(&Inputs) -> T) -> T {
        self.prices
            .with(|prices| self.data.with(|d| f(&inputs(d, prices))))
    }

    /// What the Overview page of `days` in `zone` can be made from
    /// (tracked).
    pub fn overview_rows(&self, zone: &Zone, days: Days) -> Shown {
        let selected = self.selected.get();
        if self.loaded.with(|loaded| *loaded == selected) {
            return Shown::Loaded;
        }
        let early = self.early.with(|early| {
            early.as_ref().is_some_and(|e| {
                selected.as_ref() == Some(&e.selection)
                    && e.preview.serves(zone, days)
            })
        });
        if early {
            Shown::Early
        } else {
            Shown::Loading
        }
    }

    /// Runs `f` over what the Overview page of `days` in `zone` is made
    /// from, telling it whether that is only the early rows (see
    /// `overview_rows`); while nothing is, the loaded data of an earlier
    /// selection, if any (tracked).
    pub fn with_overview_inputs<T>(
        &self,
        zone: &Zone,
        days: Days,
        f: impl FnOnce(&Inputs, bool) -> T,
    ) -> T {
        if self.overview_rows(zone, days) != Shown::Early {
            return self.with_inputs(|inputs| f(inputs, false));
        }
        self.prices.with(|prices| {
            self.early.with(|early| {
                let data = early.as_ref().map(|e| &e.data);
                let empty = OrgData::default();
                f(&inputs(data.unwrap_or(&empty), prices), true)
            })
        })
    }

    pub fn db(&self) -> Option<Db> {
        self.db.get_untracked()
    }
}

fn inputs<'a>(data: &'a OrgData, prices: &'a PriceTable) -> Inputs<'a> {
    Inputs {
        records: &data.usage,
        keys: &data.keys,
        projects: &data.projects,
        people: &data.people,
        prices,
    }
}

/// The rules of the named zone over the years a view can show; UTC, with
/// a message, when the browser does not know the name.
fn zone_rules(
    name: RwSignal<String>,
    notice: RwSignal<Option<Notice>>,
) -> Zone {
    const YEAR: i64 = 366 * 86_400;
    let now = super::actions::now();
    name.with(|name| {
        match super::zone::load(name, now - 4 * YEAR, now + YEAR) {
            Ok(zone) => zone,
            Err(error) => {
                notice.set(Some(Notice::error(error)));
                Zone::utc()
            }
        }
    })
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
