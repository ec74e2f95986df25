//! Analytics of one scope of usage (an organization, a project, a user,
//! an API key or a model): trends, hourly patterns, model breakdowns,
//! burn rates, forecasts and comparisons of keys.
//!
//! Everything here is pure and works on rows already loaded. Rows are
//! filtered, priced and grouped once (`rows`, `group`), and each view
//! adds up either hourly or daily buckets, never both (`source`). A
//! bucket counts toward the local hour and day it starts in. `analytics`
//! adds every row up for all views in a single pass (`ledger`), so that
//! a page of a million rows draws in about a tenth of a second.

pub mod bundle;
pub mod burn;
pub mod compare;
pub mod directory;
pub mod filter;
pub mod forecast;
pub mod grid;
pub mod group;
pub mod ledger;
pub mod models;
pub mod pattern;
pub mod rows;
pub mod source;
pub mod stacked;
pub mod tables;
pub mod tally;
pub mod team;
pub mod top;
pub mod trend;

pub use bundle::{analytics, Analytics, Inputs, Options};
pub use filter::{Filter, UNATTRIBUTED};
pub use grid::Days;

#[cfg(test)]
pub(crate) mod fixtures;
