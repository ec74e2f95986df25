//! Pure logic: no browser, no network, no storage. Every number the UI
//! shows is computed here and covered by native tests.

pub mod analytics;
pub mod backup;
pub mod budget;
pub mod bytes;
pub mod connection;
pub mod cost;
pub mod csv_export;
pub mod demo;
pub mod export;
pub mod fingerprint;
pub mod import;
pub mod keys;
pub mod money;
pub mod monitor;
pub mod name;
pub mod overview;
pub mod people;
pub mod preview;
pub mod price;
pub mod range;
pub mod route;
pub mod sort;
pub mod spend;
pub mod summary;
pub mod sync_plan;
pub mod time;
pub mod usage;
pub mod zone;
