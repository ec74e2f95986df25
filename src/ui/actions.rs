//! What the buttons do: async steps over storage, the API and the sync
//! engine, reporting to the page through `AppState`.

use leptos::prelude::*;

use super::state::{AppState, EarlyRows, Notice, Secret, View, ALL};
use crate::api::client::{CancelToken, Client};
use crate::api::endpoints;
use crate::api::ApiError;
use crate::domain::connection::{new_label, Connection};
use crate::domain::demo::{
    self, as_synced, demo_org, DEMO_CONNECTION, DEMO_DAYS,
};
use crate::domain::keys::{check_key_text, ApiKey};
use crate::domain::preview::Preview;
use crate::domain::price::PriceTable;
use crate::domain::range::RangeChoice;
use crate::domain::sort;
use crate::domain::time::Date;
use crate::storage::{Db, OrgData, StorageError, DB_NAME};
use crate::sync::{self, SyncError};
use crate::vault;

/// The setting that remembers which organization was shown last.
const SELECTED: &str = "selected_connection";
/// The setting that remembers the chosen range, in days.
const RANGE: &str = "range";
const ZONE: &str = "zone";
/// The setting that remembers the auto-refresh interval, in minutes.
const REFRESH: &str = "refresh_minutes";

/// An id no other organization of this browser has.
pub fn new_connection_id() -> String {
    format!(
        "org-{}-{}",
        js_sys::Date::now() as u64,
        (js_sys::Math::random() * 1e6) as u32
    )
}

/// Unix seconds now, from the browser's clock.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Opens the database and shows what it holds, with no network call.
pub async fn start(state: AppState) {
    let db = match Db::open(DB_NAME).await {
        Ok(db) => db,
        Err(error) => return report(state, error),
    };
    state.db.set(Some(db));
    reload(state).await;
}

/// Shows what the database holds: organizations, prices, settings, and
/// the remembered organization's data. Also run after a restore.
pub async fn reload(state: AppState) {
    let Some(db) = state.db() else { return };
    let loaded = async {
        let connections = db.connections().await?;
        let prices = db.price_entries().await?;
        state.prices.set(PriceTable::with_overrides(prices));
        let remembered = db.setting(SELECTED).await?;
        let range = db.setting(RANGE).await?;
        if let Some(range) = range.as_deref().and_then(RangeChoice::parse) {
            state.range.set(range);
        }
        if let Some(zone) = db.setting(ZONE).await? {
            // A zone the browser no longer knows falls back to UTC.
            if let Ok(zone) = super::zone::canonical(&zone) {
                state.zone_name.set(zone);
            }
        }
        // A link's own range and zone win over the remembered ones.
        super::url::apply(state, &super::url::current());
        let refresh = db.setting(REFRESH).await?.and_then(|m| m.parse().ok());
        state.refresh_minutes.set(refresh.unwrap_or(0));
        Ok::<_, StorageError>((connections, remembered))
    };
    match loaded.await {
        Ok((connections, remembered)) => {
            let linked = super::url::current().org;
            if let Some(id) = linked.as_ref().filter(|id| {
                *id != ALL && !connections.iter().any(|c| &c.id == *id)
            }) {
                let text = if id == DEMO_CONNECTION {
                    "This link shows the demo organization, which this browser has not loaded yet: press \"Load the demo organization\" to see it.".to_owned()
                } else {
                    "This link is for an organization this browser does not have. Add it (or restore a backup that holds it) to see the view.".to_owned()
                };
                state.notice.set(Some(Notice::info(text)));
            }
            let selected = linked
                .filter(|id| {
                    (id == ALL && connections.len() > 1)
                        || connections.iter().any(|c| &c.id == id)
                })
                .or(remembered)
                .filter(|id| {
                    (id == ALL && connections.len() > 1)
                        || connections.iter().any(|c| &c.id == id)
                })
                .or_else(|| connections.first().map(|c| c.id.clone()));
            state.adding.set(connections.is_empty());
            state.connections.set(connections);
            if let Some(id) = selected {
                select(state, id).await;
            }
            super::alert_actions::load(state).await;
            super::alert_actions::evaluate_all(state).await;
        }
        Err(error) => report(state, error),
    }
}

/// Shows connection `id` (or every organization, for `ALL`) and
/// remembers the choice.
pub async fn select(state: AppState, id: String) {
    let Some(db) = state.db() else { return };
    state.selected.set(Some(id.clone()));
    let ids: Vec<String> = if id == ALL {
        state
            .connections
            .with_untracked(|all| all.iter().map(|c| c.id.clone()).collect())
    } else {
        vec![id.clone()]
    };
    // Early rows help a page that is waiting: not a reload of the data
    // already shown, nor a page other than the overview. A range of half
    // a year or more needs most of a history (a year by default), which
    // would then be read twice.
    let shown = state.loaded.get_untracked().as_deref() == Some(id.as_str());
    let short = untrack(|| state.span()).days() < EARLY_DAYS;
    if !shown && short && state.view.get_untracked() == View::Overview {
        show_early_rows(state, &db, &id, &ids).await;
    }
    let mut data = OrgData::default();
    for one in ids {
        match db.org_data(&one).await {
            Ok(more) => data.extend(more),
            Err(error) => return report(state, error),
        }
    }
    // Loads can overlap when the user switches quickly: the last choice
    // wins, and an older load that finishes later is dropped.
    if state.selected.get_untracked().as_deref() != Some(id.as_str()) {
        return;
    }
    state.data.set(data);
    state.loaded.set(Some(id.clone()));
    state.early.set(None);
    super::marks::mark(super::marks::DATA_LOADED);
    if let Err(error) = db.set_setting(SELECTED, &id).await {
        report(state, error);
    }
}

/// Ranges shorter than this many days have their overview read ahead of
/// the rest of the data.
const EARLY_DAYS: i64 = 180;

/// Reads what the Overview page of the range on screen needs of
/// selection `id` (organizations `ids`) and shows it, ahead of the rest
/// of their data, which can be years of rows. A failure here only delays
/// the page: the full read that follows reports it.
async fn show_early_rows(state: AppState, db: &Db, id: &str, ids: &[String]) {
    let zone = state.zone.get_untracked();
    let preview = Preview::new(&zone, untrack(|| state.days()));
    let mut data = OrgData::default();
    for one in ids {
        match db.overview_rows(one, &preview).await {
            Ok(more) => data.extend(more),
            Err(error) => {
                log::warn!("reading the overview's rows first failed: {error}");
                return;
            }
        }
    }
    if state.selected.get_untracked().as_deref() == Some(id) {
        state.early.set(Some(EarlyRows {
            selection: id.to_owned(),
            preview,
            data,
        }));
    }
}

/// What the connect form hands over.
pub struct ConnectRequest {
    pub label: String,
    pub key: String,
    pub base: String,
    /// Set when the user asked to keep the key, encrypted, on this device.
    pub passphrase: Option<String>,
}

/// Checks the key, then stores the connection (with the key only if
/// sealed under a passphrase) and runs a first sync.
pub async fn connect(state: AppState, request: ConnectRequest) {
    let ConnectRequest {
        label,
        key,
        base,
        passphrase,
    } = request;
    let Some(db) = state.db() else { return };
    let base = endpoints::normalize_base(&base);
    if let Err(problem) = endpoints::validate_base(&base) {
        return state.notice.set(Some(Notice::error(problem)));
    }
    if key.trim().is_empty() {
        let text = "Paste an Admin key (sk-admin-…) to connect.";
        return state.notice.set(Some(Notice::error(text)));
    }
    if let Err(problem) = check_key_text(&key) {
        return state.notice.set(Some(Notice::error(problem)));
    }
    if passphrase.as_ref().is_some_and(|p| p.chars().count() < 8) {
        return state
            .notice
            .set(Some(Notice::error(vault::VaultError::WeakPassphrase)));
    }
    let id = new_connection_id();
    let client = Client::new(&base, &key);
    state.notice.set(None);
    state.progress.set(Some("Checking the key…".to_owned()));
    let checked = sync::check_key(&client, &id).await;
    state.progress.set(None);
    if let Err(error) = checked {
        log::warn!("connecting failed: {error:?}");
        return state.notice.set(Some(Notice::error(error)));
    }

    let sealed_secret = match passphrase {
        Some(passphrase) => match vault::seal(key.trim(), &passphrase).await {
            Ok(sealed) => Some(sealed),
            Err(error) => return state.notice.set(Some(Notice::error(error))),
        },
        None => None,
    };
    let label = state.connections.with_untracked(|all| {
        new_label(&label, all.iter().map(|c| c.label.as_str()))
    });
    let connection = Connection {
        id: id.clone(),
        label,
        api_base: base,
        created_at: now(),
        last_sync: None,
        demo: false,
        sealed_secret,
        archived: false,
        costs_by_key: None,
        windows: None,
    };
    if let Err(error) = db.put_connection(&connection).await {
        return report(state, error);
    }
    state.secrets.update(|all| {
        all.insert(id.clone(), Secret::new(&key));
    });
    state.connections.update(|all| all.push(connection));
    state.adding.set(false);
    select(state, id).await;
    run_sync(state).await;
}

/// Syncs the selected connection over the chosen range.
pub async fn run_sync(state: AppState) {
    let (Some(db), Some(connection)) = (state.db(), state.current_untracked())
    else {
        return;
    };
    // One sync at a time; the button is disabled, but scripts are fast.
    if connection.demo
        || connection.archived
        || state.cancel.with_value(Option::is_some)
    {
        return;
    }
    let Some(secret) = state
        .secrets
        .with_untracked(|all| all.get(&connection.id).cloned())
    else {
        let text = "Enter the admin key (or the passphrase of the saved key) \
                    to sync: keymeter does not keep the key readable after \
                    a reload.";
        return state.notice.set(Some(Notice::error(text)));
    };
    let cancel = CancelToken::default();
    state.cancel.set_value(Some(cancel.clone()));
    let client =
        Client::new(&connection.api_base, secret.expose()).with_cancel(cancel);
    state.notice.set(None);
    state.progress.set(Some("Starting the sync…".to_owned()));
    let label = connection.label.clone();
    let tracker = sync::Tracker::new(move |text| {
        state.progress.set(Some(format!("{label}: {text}")));
    });
    let keys_before: Vec<ApiKey> = state.data.with_untracked(|d| {
        d.keys
            .iter()
            .filter(|k| k.connection_id == connection.id)
            .cloned()
            .collect()
    });
    let result = sync::run(&db, &client, &connection, now(), tracker).await;
    state.cancel.set_value(None);
    let mut landed = None;
    let notice = match result {
        Ok((updated, mut report)) => {
            state.replace_connection(updated);
            super::monitor::announce();
            landed = Some(std::mem::take(&mut report.landed));
            let (text, problem) = report.message();
            let text = format!("{}: {text}", connection.label);
            for (stream, error) in &report.problems {
                log::warn!("{}: {error:?}", stream.label());
            }
            if problem {
                Notice::error(text)
            } else {
                Notice::info(text)
            }
        }
        Err(error) => {
            log::warn!("sync failed: {error:?}");
            // A key the API refuses is of no further use: ask for another.
            if let SyncError::Api(ApiError::WrongKey | ApiError::NotAdminKey) =
                error
            {
                state.secrets.update(|all| {
                    all.remove(&connection.id);
                });
            }
            Notice::error(format!("{}: {error}", connection.label))
        }
    };
    show_synced(state, &db, &connection.id, landed).await;
    super::alert_actions::evaluate(state, &connection.id, Some(keys_before))
        .await;
    // Said last, so that "finished" means the page shows the new data.
    state.progress.set(None);
    state.notice.set(Some(notice));
}

/// Shows what a sync of `connection_id` stored. The data on screen is
/// brought up to date with the pages the sync hands back, rather than
/// read back whole: that read would cost more than the sync itself.
async fn show_synced(
    state: AppState,
    db: &Db,
    connection_id: &str,
    landed: Option<sync::Landed>,
) {
    // The user may have switched to another organization meanwhile.
    let loaded = state.loaded.get_untracked();
    let selected = state.selected.get_untracked();
    let shown = loaded == selected
        && loaded
            .as_deref()
            .is_some_and(|id| id == connection_id || id == ALL);
    match landed {
        Some(landed) if shown => match db.directory(connection_id).await {
            // A load started meanwhile brings the stored data itself.
            Ok(_) if state.selected.get_untracked() != loaded => {}
            Ok(directory) => state.data.update(|data| {
                data.replace_synced(connection_id, landed, directory)
            }),
            Err(error) => report(state, error),
        },
        _ if selected.as_deref() == Some(connection_id) => {
            select(state, connection_id.to_owned()).await;
        }
        _ => {}
    }
}

/// Sets and remembers the auto-refresh interval (0 turns it off).
pub async fn choose_refresh(state: AppState, minutes: u32) {
    state.refresh_minutes.set(minutes);
    remember(state, REFRESH, &minutes.to_string()).await;
}

/// Stores the demo organization (replacing an older copy) and shows it.
pub async fn load_demo(state: AppState) {
    let Some(db) = state.db() else { return };
    let whole = demo_org(DEMO_CONNECTION, Date::from_unix(now()), DEMO_DAYS);
    let org = as_synced(&whole, now());
    let usage = &org.usage;
    let mut buckets: Vec<String> =
        usage.iter().map(|r| r.bucket_key()).collect();
    sort::by(&mut buckets, String::cmp);
    buckets.dedup();
    let mut days: Vec<String> = org.costs.iter().map(|r| r.day_key()).collect();
    sort::by(&mut days, String::cmp);
    days.dedup();
    let people = demo::people(&org, DEMO_CONNECTION);
    let connection = Connection {
        id: DEMO_CONNECTION.to_owned(),
        label: "Demo organization".to_owned(),
        api_base: String::new(),
        created_at: now(),
        last_sync: None,
        demo: true,
        sealed_secret: None,
        archived: false,
        costs_by_key: None,
        windows: None,
    };
    let saved = async {
        db.save_directory(DEMO_CONNECTION, &org.projects, &org.keys, now())
            .await?;
        db.store_usage_page(&buckets, usage, None).await?;
        db.store_cost_page(&days, &org.costs, None).await?;
        db.save_people(DEMO_CONNECTION, &people).await?;
        db.put_connection(&connection).await
    };
    if let Err(error) = saved.await {
        return report(state, error);
    }
    state.connections.update(|all| {
        all.retain(|c| c.id != DEMO_CONNECTION);
        all.push(connection);
    });
    state.adding.set(false);
    state.notice.set(Some(Notice::info(
        "Loaded the demo organization: made-up data, no network call.",
    )));
    select(state, DEMO_CONNECTION.to_owned()).await;
}

/// Clears a complaint about an earlier choice once a good one is made.
fn clear_error(state: AppState) {
    if state
        .notice
        .with_untracked(|n| n.as_ref().is_some_and(|n| n.error))
    {
        state.notice.set(None);
    }
}

/// Chooses the range the views show, and remembers it.
pub async fn choose_range(state: AppState, range: RangeChoice) {
    clear_error(state);
    state.range.set(range);
    remember(state, RANGE, &range.param()).await;
}

/// Chooses the display zone, and remembers it.
pub async fn choose_zone(state: AppState, name: String) {
    clear_error(state);
    remember(state, ZONE, &name).await;
    state.zone_name.set(name);
}

async fn remember(state: AppState, name: &str, value: &str) {
    if let Some(db) = state.db() {
        if let Err(error) = db.set_setting(name, value).await {
            report(state, error);
        }
    }
}

/// Stops a running sync; what it fetched is kept.
pub fn cancel_sync(state: AppState) {
    if let Some(cancel) = state.cancel.get_value() {
        cancel.cancel();
    }
}

/// Remembers an admin key for the selected connection, in memory only.
pub async fn unlock(state: AppState, key: String) {
    let Some(connection) = state.current_untracked() else {
        return;
    };
    if let Err(problem) = check_key_text(&key) {
        return state.notice.set(Some(Notice::error(problem)));
    }
    // One request tells a mistyped or revoked key now, rather than a
    // sync's worth of refused requests later.
    let client = Client::new(&connection.api_base, &key);
    state.progress.set(Some("Checking the key…".to_owned()));
    let checked = sync::check_key(&client, &connection.id).await;
    state.progress.set(None);
    if let Err(error) = checked {
        log::warn!("checking the key failed: {error:?}");
        return state.notice.set(Some(Notice::error(error)));
    }
    state.secrets.update(|all| {
        all.insert(connection.id.clone(), Secret::new(&key));
    });
    let text = "Key accepted: this tab can sync until it is closed or locked.";
    state.notice.set(Some(Notice::info(text)));
}

pub(super) fn report(state: AppState, error: StorageError) {
    log::warn!("storage: {error:?}");
    state.notice.set(Some(Notice::error(error)));
}
