//! Prices and estimated costs.
//!
//! Per-key money is an estimate (usage times list price) because OpenAI
//! bills the organization, not the key. The estimate uses a `PriceTable`:
//! keymeter's built-in list prices plus the user's imported or edited
//! entries. A model the table does not know is "unpriced": its usage is
//! counted but its cost is never taken as zero.
//!
//! - `rate`: one exact unit price.
//! - `schedule`: everything one model charges (`Price`).
//! - `builtin`: the built-in list.
//! - `names`: which table names a model name may be priced under.
//! - `table`: the editable table and model resolution.
//! - `estimate`: the cost of one usage row.
//! - `form`: the Prices page's edit form, read into a price.
//! - `litellm`: importing LiteLLM's community price file.

mod builtin;
pub mod estimate;
pub mod form;
pub mod litellm;
pub mod names;
pub mod rate;
pub mod schedule;
pub mod table;

pub use estimate::{Part, Tier};
pub use form::{far_from_built_in, other_units, FormError, PriceForm};
pub use litellm::{import_litellm, ImportError, ImportWarning, Imported};
pub use names::MatchKind;
pub use rate::Rate;
pub use schedule::{ImageRate, Price, TierRates, Unit};
pub use table::{
    built_in_table, PriceEntry, PriceSource, PriceTable, Resolution,
};

use super::money::Usd;
use super::usage::UsageRecord;

/// The estimated cost of one usage row at the built-in prices, or `None`
/// when it is unpriced. For callers with no user table at hand; the UI
/// should estimate with the user's `PriceTable` instead.
pub fn estimate(record: &UsageRecord) -> Option<Usd> {
    built_in_table().estimate(record)
}
