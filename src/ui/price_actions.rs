//! What the Prices page's buttons do: import a price file, save an
//! edited price, reset a model to its built-in price. Each change is
//! stored first and shown after, so what the page shows is what is kept.

use leptos::prelude::*;

use super::actions::report;
use super::files::read_chosen;
use super::state::{AppState, Notice};
use crate::domain::price::{
    built_in_table, import_litellm, Price, PriceEntry, PriceSource, PriceTable,
};
use crate::domain::time::Date;

/// LiteLLM's file is a few MB; anything far beyond is not a price table.
const MAX_PRICE_FILE: f64 = 50e6;

/// Reads the file chosen in `input`, imports the OpenAI prices in it
/// from `from` on (every day when `None`) and returns the warnings to
/// show. A file that is not a price table changes nothing.
pub async fn import_file(
    state: AppState,
    input: web_sys::HtmlInputElement,
    from: Option<Date>,
) -> Vec<String> {
    let Some(db) = state.db() else {
        return Vec::new();
    };
    let text = match read_chosen(&input, MAX_PRICE_FILE).await {
        Ok(Some((_, text))) => text,
        Ok(None) => return Vec::new(),
        Err(problem) => {
            state.notice.set(Some(Notice::error(problem)));
            return Vec::new();
        }
    };
    let imported = match import_litellm(&text, from) {
        Ok(imported) => imported,
        Err(error) => {
            state.notice.set(Some(Notice::error(error)));
            return Vec::new();
        }
    };
    let warnings: Vec<String> =
        imported.warnings.iter().map(ToString::to_string).collect();
    if imported.entries.is_empty() {
        let text = if warnings.is_empty() {
            "The file holds no OpenAI model prices; nothing changed."
        } else {
            "No price in the file could be used; nothing changed. See why \
             below."
        };
        state.notice.set(Some(Notice::error(text)));
        return warnings;
    }
    if let Err(error) = db.put_price_entries(&imported.entries).await {
        report(state, error);
        return Vec::new();
    }
    let count = imported.entries.len();
    state.prices.update(|table| {
        for entry in imported.entries {
            table.set(entry);
        }
    });
    let mut text = format!(
        "Imported {count} OpenAI price{}",
        if count == 1 { "" } else { "s" }
    );
    if imported.skipped > 0 {
        text += &format!(
            " ({} entries held no price keymeter uses)",
            imported.skipped
        );
    }
    text += ".";
    if imported.held_back > 0 {
        text += &if imported.held_back == 1 {
            " 1 entry looked like another unit and was not imported.".to_owned()
        } else {
            format!(
                " {} entries looked like another unit and were not imported.",
                imported.held_back
            )
        };
    }
    if !warnings.is_empty() {
        text += " See the notes below.";
    }
    state.notice.set(Some(Notice::info(text)));
    warnings
}

/// Drops every imported and edited price: the built-in list alone again.
pub async fn reset_all(state: AppState) {
    let Some(db) = state.db() else { return };
    if let Err(error) = db.clear_prices().await {
        return report(state, error);
    }
    state.prices.set(PriceTable::built_in());
    let text = "Every imported and edited price is removed; keymeter's \
                built-in prices apply again.";
    state.notice.set(Some(Notice::info(text)));
}

/// Stores the user's own price of `model` from `from` on.
pub async fn save_edit(
    state: AppState,
    model: String,
    from: Option<Date>,
    price: Price,
) {
    let Some(db) = state.db() else { return };
    let entry = PriceEntry {
        model: model.trim().to_owned(),
        from,
        source: PriceSource::Edited,
        price,
    };
    if let Err(error) = db.put_price_entries(std::slice::from_ref(&entry)).await
    {
        return report(state, error);
    }
    let text = format!("Saved your price of {}.", entry.model);
    state.prices.update(|table| table.set(entry));
    state.notice.set(Some(Notice::info(text)));
}

/// Drops the user's entries of `model`, bringing back the built-in price.
pub async fn reset(state: AppState, model: String) {
    let Some(db) = state.db() else { return };
    if let Err(error) = db.reset_prices(&model).await {
        return report(state, error);
    }
    state.prices.update(|table| table.reset(&model));
    let built_in = built_in_table().entries().any(|e| e.model == model);
    let text = if built_in {
        format!("{model} is back to keymeter's built-in price.")
    } else {
        format!(
            "Your price of {model} is removed; its usage is unpriced again."
        )
    };
    state.notice.set(Some(Notice::info(text)));
}
