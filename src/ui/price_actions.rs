//! What the Prices page's buttons do: import a price file, save an
//! edited price, reset a model to its built-in price. Each change is
//! stored first and shown after, so what the page shows is what is kept.

use leptos::prelude::*;

use super::actions::{now, report};
use super::files::read_chosen;
use super::state::{AppState, Notice};
use crate::domain::price::{import_litellm, Price, PriceEntry, PriceSource};
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
    if imported.entries.is_empty() {
        let text = "The file holds no OpenAI model prices; nothing changed.";
        state.notice.set(Some(Notice::error(text)));
        return Vec::new();
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
    let warnings: Vec<String> =
        imported.warnings.iter().map(ToString::to_string).collect();
    let mut text = format!("Imported {count} OpenAI prices");
    if imported.skipped > 0 {
        text += &format!(
            " ({} entries held no price keymeter uses)",
            imported.skipped
        );
    }
    text += ".";
    if !warnings.is_empty() {
        text += &format!(" {} need a look; see below.", warnings.len());
    }
    state.notice.set(Some(Notice::info(text)));
    warnings
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
    let text = format!("{model} is back to keymeter's built-in price.");
    state.notice.set(Some(Notice::info(text)));
}

/// Today's UTC date, the default start of an edited price.
pub fn today() -> Date {
    Date::from_unix(now())
}
