//! Pages and components. They display what `domain` computes and start
//! what the action modules do; no figure is computed here.

mod actions;
mod app;
mod backup;
mod chart;
mod connect;
mod costs;
mod directory;
mod download;
mod files;
mod import;
mod keys;
mod monitor;
mod organization;
mod overview;
mod price_actions;
mod prices;
mod secrets;
mod state;
mod summaries;
mod sync_panel;

pub use app::App;
