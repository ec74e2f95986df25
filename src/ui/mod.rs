//! Pages and components. They display what `domain` computes and start
//! what `actions` does; no figure is computed here.

mod actions;
mod app;
mod chart;
mod connect;
mod download;
mod overview;
mod state;
mod sync_panel;

pub use app::App;
