//! The price table keymeter estimates with: the built-in list prices plus
//! the user's own entries, imported or edited. A user entry replaces the
//! built-in entry of the same model and start day and leaves the rest of
//! that model's price history alone, so importing today's prices from a
//! given day on does not rewrite what older usage cost.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::builtin;
use super::names::{candidates, fine_tuned_base, MatchKind, FINE_TUNED_PREFIX};
use super::schedule::Price;
use crate::domain::sort;
use crate::domain::time::Date;

/// Where a price came from, for the Prices page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// keymeter's own list (`builtin`).
    BuiltIn,
    /// Read from a community price file.
    Imported,
    /// Typed in by the user.
    Edited,
}

/// One price of one model from one day on. User entries are stored as
/// these (plain fields, so they keep in IndexedDB as they are).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceEntry {
    /// A table name: a family (`gpt-4o`), an exact snapshot
    /// (`gpt-4o-2024-05-13`) or a fine-tuned price (`ft:gpt-4o-mini`).
    pub model: String,
    /// First UTC day the price applies; `None` for every day.
    pub from: Option<Date>,
    pub source: PriceSource,
    pub price: Price,
}

/// What a model name was priced as.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolution<'a> {
    /// The entry that applies; its `model` is the table name matched.
    pub entry: &'a PriceEntry,
    pub matched_by: MatchKind,
    /// The usage came from a fine-tuned model (`ft:...`).
    pub fine_tuned: bool,
}

impl Resolution<'_> {
    pub fn price(&self) -> &Price {
        &self.entry.price
    }

    pub fn source(&self) -> PriceSource {
        self.entry.source
    }

    /// Whether a fine-tuned model found a fine-tuning price, rather than
    /// falling back to the price of its base model.
    pub fn has_fine_tuned_price(&self) -> bool {
        self.entry.model.starts_with(FINE_TUNED_PREFIX)
    }
}

/// Built-in and user prices, by table name, each model's entries oldest
/// first.
#[derive(Clone, Debug, PartialEq)]
pub struct PriceTable {
    models: BTreeMap<String, Vec<PriceEntry>>,
}

static BUILT_IN: LazyLock<PriceTable> = LazyLock::new(|| {
    let mut table = PriceTable {
        models: BTreeMap::new(),
    };
    for entry in builtin::entries() {
        table.insert(entry);
    }
    table
});

/// The built-in table, built once.
pub fn built_in_table() -> &'static PriceTable {
    &BUILT_IN
}

impl Default for PriceTable {
    fn default() -> Self {
        PriceTable::built_in()
    }
}

impl PriceTable {
    /// keymeter's list prices alone.
    pub fn built_in() -> PriceTable {
        built_in_table().clone()
    }

    /// The built-in prices with the user's stored entries applied.
    pub fn with_overrides(
        overrides: impl IntoIterator<Item = PriceEntry>,
    ) -> PriceTable {
        let mut table = PriceTable::built_in();
        for entry in overrides {
            table.set(entry);
        }
        table
    }

    /// Adds a user entry, replacing any entry of the same model and day.
    /// An entry claiming to be built in is taken as edited, since only
    /// keymeter's own list is built in.
    pub fn set(&mut self, mut entry: PriceEntry) {
        entry.model = entry.model.trim().to_owned();
        if entry.source == PriceSource::BuiltIn {
            entry.source = PriceSource::Edited;
        }
        self.insert(entry);
    }

    /// Sets the user's own price of `model` from `from` on.
    pub fn edit(&mut self, model: &str, from: Option<Date>, price: Price) {
        self.set(PriceEntry {
            model: model.to_owned(),
            from,
            source: PriceSource::Edited,
            price,
        });
    }

    /// Drops every user entry of `model`, bringing back its built-in
    /// prices (or no price, for a model only the user had priced).
    pub fn reset(&mut self, model: &str) {
        let model = model.trim();
        match built_in_table().models.get(model) {
            Some(entries) => {
                self.models.insert(model.to_owned(), entries.clone());
            }
            None => {
                self.models.remove(model);
            }
        }
    }

    /// The user's entries, to store.
    pub fn overrides(&self) -> Vec<PriceEntry> {
        self.entries()
            .filter(|e| e.source != PriceSource::BuiltIn)
            .cloned()
            .collect()
    }

    /// Every entry, by model name and then start day: the Prices page.
    pub fn entries(&self) -> impl Iterator<Item = &PriceEntry> {
        self.models.values().flatten()
    }

    /// The price of `model` on `day`: the exact name first, then the name
    /// without its snapshot date, then an alias. A fine-tuned model takes
    /// an entry for its full name, else its base's fine-tuning price, else
    /// its base's price. `None` means unpriced, never free.
    pub fn resolve(&self, model: &str, day: Date) -> Option<Resolution<'_>> {
        let model = model.trim();
        let Some(base) = fine_tuned_base(model) else {
            return self.first_of(candidates(model), day, false);
        };
        if let Some(entry) = self.at(model, day) {
            return Some(Resolution {
                entry,
                matched_by: MatchKind::Exact,
                fine_tuned: true,
            });
        }
        let tuned: Vec<(String, MatchKind)> = candidates(base)
            .into_iter()
            .map(|(name, how)| (format!("{FINE_TUNED_PREFIX}{name}"), how))
            .collect();
        self.first_of(tuned.iter().map(|(n, h)| (n.as_str(), *h)), day, true)
            .or_else(|| self.first_of(candidates(base), day, true))
    }

    fn first_of<'n>(
        &self,
        names: impl IntoIterator<Item = (&'n str, MatchKind)>,
        day: Date,
        fine_tuned: bool,
    ) -> Option<Resolution<'_>> {
        names.into_iter().find_map(|(name, matched_by)| {
            self.at(name, day).map(|entry| Resolution {
                entry,
                matched_by,
                fine_tuned,
            })
        })
    }

    /// The newest entry of exactly `name` that applies on `day`.
    fn at(&self, name: &str, day: Date) -> Option<&PriceEntry> {
        self.models
            .get(name)?
            .iter()
            .rev()
            .find(|e| e.from.is_none_or(|from| from <= day))
    }

    fn insert(&mut self, entry: PriceEntry) {
        let list = self.models.entry(entry.model.clone()).or_default();
        list.retain(|e| e.from != entry.from);
        list.push(entry);
        // `None` sorts before every date: "always" is the oldest price.
        sort::by_key(list, |e| e.from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::price::rate::Rate;

    const DAY: Date = Date::new(2026, 1, 1);

    fn input_of(table: &PriceTable, model: &str, day: Date) -> Option<String> {
        let r = table.resolve(model, day)?;
        r.price().input.map(Rate::per_million_text)
    }

    fn flat(input: &str) -> Price {
        Price {
            input: Rate::per_million(input),
            ..Price::default()
        }
    }

    #[test]
    fn a_snapshot_resolves_to_its_family_and_says_so() {
        let table = PriceTable::built_in();
        let r = table.resolve("gpt-4o-mini-2024-07-18", DAY).unwrap();
        assert_eq!(r.entry.model, "gpt-4o-mini");
        assert_eq!(r.matched_by, MatchKind::Snapshot);
        assert_eq!(r.source(), PriceSource::BuiltIn);
        assert!(!r.fine_tuned);
    }

    #[test]
    fn no_family_is_guessed_from_a_prefix() {
        let table = PriceTable::built_in();
        assert_eq!(input_of(&table, "gpt-5.4-mini", DAY).unwrap(), "0.75");
        for unknown in ["gpt-5.9-mini", "gpt-5-turbo", "gpt-4o-mini-x", "gpt"] {
            assert!(table.resolve(unknown, DAY).is_none(), "{unknown}");
        }
    }

    #[test]
    fn aliases_and_short_snapshots_resolve() {
        let table = PriceTable::built_in();
        let r = table.resolve("gpt-4-turbo-preview", DAY).unwrap();
        assert_eq!(
            (r.entry.model.as_str(), r.matched_by),
            ("gpt-4-turbo", MatchKind::Alias)
        );
        assert_eq!(
            input_of(&table, "gpt-3.5-turbo-0125", DAY).unwrap(),
            "0.50"
        );
        assert_eq!(
            input_of(&table, "gpt-3.5-turbo-1106", DAY).unwrap(),
            "1.00"
        );
        assert_eq!(input_of(&table, "chatgpt-4o-latest", DAY).unwrap(), "5.00");
        let realtime = table
            .resolve("gpt-4o-realtime-preview-2024-12-17", DAY)
            .unwrap();
        assert_eq!(realtime.entry.model, "gpt-4o-realtime-preview");
    }

    #[test]
    fn fine_tuned_models_take_their_tuning_price_else_their_base() {
        let table = PriceTable::built_in();
        let tuned = table
            .resolve("ft:gpt-4o-mini-2024-07-18:acme::A1b2C3d4", DAY)
            .unwrap();
        assert!(tuned.fine_tuned && tuned.has_fine_tuned_price());
        assert_eq!(tuned.entry.model, "ft:gpt-4o-mini");
        assert_eq!(tuned.price().input.unwrap().per_million_text(), "0.30");

        let base_only = table.resolve("ft:o3-mini-2025-01-31:acme::x", DAY);
        let base_only = base_only.unwrap();
        assert!(base_only.fine_tuned && !base_only.has_fine_tuned_price());
        assert_eq!(base_only.entry.model, "o3-mini");

        assert!(table.resolve("ft:gpt-9:acme::x", DAY).is_none());
    }

    #[test]
    fn a_price_change_applies_from_its_day() {
        let table = PriceTable::built_in();
        let before = Date::new(2025, 6, 9);
        let after = Date::new(2025, 6, 10);
        assert_eq!(input_of(&table, "o3-2025-04-16", before).unwrap(), "10.00");
        assert_eq!(input_of(&table, "o3-2025-04-16", after).unwrap(), "2.00");
    }

    #[test]
    fn user_entries_replace_one_day_and_reset_brings_back_the_list() {
        let mut table = PriceTable::built_in();
        table.edit("o3", None, flat("12"));
        let early = Date::new(2025, 1, 1);
        assert_eq!(input_of(&table, "o3", early).unwrap(), "12.00");
        assert_eq!(input_of(&table, "o3", DAY).unwrap(), "2.00");
        let r = table.resolve("o3", early).unwrap();
        assert_eq!(r.source(), PriceSource::Edited);

        table.edit("my-model", Some(DAY), flat("1"));
        assert!(table.resolve("my-model", early).is_none());
        assert_eq!(input_of(&table, "my-model", DAY).unwrap(), "1.00");
        assert_eq!(table.overrides().len(), 2);

        table.reset("o3");
        table.reset("my-model");
        assert_eq!(table, PriceTable::built_in());
    }

    #[test]
    fn overrides_survive_a_round_trip_through_storage() {
        let mut table = PriceTable::built_in();
        table.set(PriceEntry {
            model: " gpt-4.1 ".into(),
            from: Some(DAY),
            source: PriceSource::BuiltIn,
            price: flat("3"),
        });
        let stored = serde_json::to_string(&table.overrides()).unwrap();
        let back: Vec<PriceEntry> = serde_json::from_str(&stored).unwrap();
        assert_eq!(back[0].model, "gpt-4.1");
        assert_eq!(back[0].source, PriceSource::Edited);
        assert_eq!(PriceTable::with_overrides(back), table);
    }

    #[test]
    fn the_prices_page_lists_every_entry_with_its_source() {
        let mut table = PriceTable::built_in();
        let built_in = table.entries().count();
        table.edit("gpt-4o", None, flat("1"));
        let listed: Vec<&PriceEntry> = table.entries().collect();
        assert_eq!(listed.len(), built_in, "replaced, not added");
        let edited = listed.iter().filter(|e| e.source == PriceSource::Edited);
        assert_eq!(edited.count(), 1);
        assert!(listed.windows(2).all(|w| w[0].model <= w[1].model));
    }
}
