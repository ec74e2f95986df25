//! Pages and components. They display what `domain` computes and start
//! what the action modules do; no figure is computed here.

mod actions;
mod alert_actions;
mod alert_check;
mod alerts;
mod analytics;
mod app;
mod backup;
mod budgets;
mod chart;
mod compare;
mod connect;
mod costs;
mod directory;
mod download;
mod files;
mod filter_bar;
mod import;
mod keys;
mod marks;
pub mod monitor;
mod notify;
mod notify_button;
mod organization;
mod overview;
mod people;
mod price_actions;
mod prices;
mod secrets;
mod state;
mod storage_panel;
mod summaries;
mod sync_panel;
mod url;
mod when;
pub mod zone;

pub use app::App;
