//! Importing LiteLLM's `model_prices_and_context_window.json`, a community
//! table of USD prices per token, as user price entries.
//!
//! Prices are read from the number's text as written in the file, never
//! through a float, so `2.5e-06` per token is exactly $2.50 per 1M. Only
//! OpenAI's own entries are kept. Each imported price is compared with the
//! built-in one: a factor of 1000 or more means the file was probably in
//! another unit (per 1K or per 1M tokens), and is reported.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::value::RawValue;

use super::rate::Rate;
use super::schedule::{ImageRate, Price, TierRates};
use super::table::{built_in_table, PriceEntry, PriceSource};
use crate::domain::time::Date;

/// Why a file could not be imported at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "The file is not valid JSON (line {line}, column {column}). \
         Choose LiteLLM's model_prices_and_context_window.json as \
         downloaded."
    )]
    NotJson { line: usize, column: usize },
    #[error(
        "The file is JSON but not a table of model prices: it should be \
         one object whose keys are model names."
    )]
    NotAnObject,
    #[error(
        "The file is empty. Choose LiteLLM's \
         model_prices_and_context_window.json as downloaded."
    )]
    Empty,
}

/// Something about one imported price that the user should look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportWarning {
    /// The price is 1000 times (or more) above or below the built-in one.
    UnitMismatch {
        model: String,
        field: &'static str,
        imported: Rate,
        built_in: Rate,
    },
    /// The price had more decimals than a picodollar and was rounded.
    Rounded { model: String, field: &'static str },
    /// The field was not a non-negative number: the model was held back.
    Unreadable { model: String, field: &'static str },
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportWarning::UnitMismatch {
                model,
                field,
                imported,
                built_in,
            } => write!(
                f,
                "{model}: {field} gives ${} per 1M, but the built-in price \
                 is ${} per 1M. The file probably uses another unit, so \
                 this model was not imported; enter its price by hand if \
                 the file is right.",
                imported.per_million_text(),
                built_in.per_million_text()
            ),
            ImportWarning::Rounded { model, field } => write!(
                f,
                "{model}: {field} has more decimals than keymeter keeps and \
                 was rounded to the nearest picodollar."
            ),
            ImportWarning::Unreadable { model, field } => {
                write!(
                    f,
                    "{model}: {field} is not a usable price (negative, not \
                     a number, or implausibly large), so this model was not \
                     imported and keeps the price it has."
                )
            }
        }
    }
}

/// What an import produced.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    /// One entry per OpenAI model, source `Imported`, sorted by model.
    pub entries: Vec<PriceEntry>,
    /// OpenAI entries that held no price keymeter uses.
    pub skipped: usize,
    /// OpenAI entries not applied because a price looked like another
    /// unit or could not be read (each has a `UnitMismatch` or an
    /// `Unreadable` warning).
    pub held_back: usize,
    pub warnings: Vec<ImportWarning>,
}

/// Where one of LiteLLM's fields goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Input,
    CachedInput,
    Output,
    AudioInput,
    CachedAudioInput,
    AudioOutput,
    ImageInput,
    CachedImageInput,
    ImageOutput,
    PerImage,
    PerCharacter,
    PerSecond,
    BatchInput,
    BatchOutput,
    PriorityInput,
    PriorityCachedInput,
    PriorityOutput,
}

/// LiteLLM's fields (USD per token, image, character or second).
const FIELDS: &[(&str, Slot)] = &[
    ("input_cost_per_token", Slot::Input),
    ("cache_read_input_token_cost", Slot::CachedInput),
    ("output_cost_per_token", Slot::Output),
    ("input_cost_per_audio_token", Slot::AudioInput),
    ("cache_read_input_audio_token_cost", Slot::CachedAudioInput),
    ("output_cost_per_audio_token", Slot::AudioOutput),
    ("input_cost_per_image_token", Slot::ImageInput),
    ("cache_read_input_image_token_cost", Slot::CachedImageInput),
    ("output_cost_per_image_token", Slot::ImageOutput),
    ("output_cost_per_image", Slot::PerImage),
    ("input_cost_per_character", Slot::PerCharacter),
    ("input_cost_per_second", Slot::PerSecond),
    ("input_cost_per_token_batches", Slot::BatchInput),
    ("output_cost_per_token_batches", Slot::BatchOutput),
    ("input_cost_per_token_priority", Slot::PriorityInput),
    (
        "cache_read_input_token_cost_priority",
        Slot::PriorityCachedInput,
    ),
    ("output_cost_per_token_priority", Slot::PriorityOutput),
];

const PROVIDERS: &[&str] = &["openai", "text-completion-openai"];
/// Longer names are not OpenAI model names; they would only break the
/// price list's layout.
const MAX_MODEL_NAME: usize = 200;

/// Reads `text` as LiteLLM's price file. The entries apply from `from` on
/// (`None`: every day); passing the import day keeps the built-in history
/// for older usage.
pub fn import_litellm(
    text: &str,
    from: Option<Date>,
) -> Result<Imported, ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let json = serde_json::from_str::<&RawValue>(text).map_err(|e| {
        ImportError::NotJson {
            line: e.line(),
            column: e.column(),
        }
    })?;
    let models: BTreeMap<String, &RawValue> = serde_json::from_str(json.get())
        .map_err(|_| ImportError::NotAnObject)?;

    // Prefer `gpt-4o` over `openai/gpt-4o` when a file has both.
    let mut chosen: BTreeMap<&str, (bool, &RawValue)> = BTreeMap::new();
    for (name, value) in &models {
        let (model, prefixed) = match name.strip_prefix("openai/") {
            Some(rest) => (rest, true),
            None => (name.as_str(), false),
        };
        // `sample_spec` documents the format; names with a slash are
        // size or route variants no usage row is named after.
        if model == "sample_spec"
            || model.contains('/')
            || model.is_empty()
            || model.chars().count() > MAX_MODEL_NAME
        {
            continue;
        }
        if chosen
            .get(model)
            .is_none_or(|(was_prefixed, _)| *was_prefixed)
        {
            chosen.insert(model, (prefixed, value));
        }
    }

    let mut imported = Imported::default();
    for (model, (_, value)) in chosen {
        let Ok(fields) =
            serde_json::from_str::<BTreeMap<String, &RawValue>>(value.get())
        else {
            continue;
        };
        let provider = fields.get("litellm_provider").and_then(|p| text_of(p));
        if !provider.is_some_and(|p| PROVIDERS.contains(&p.as_str())) {
            continue;
        }
        let before = imported.warnings.len();
        let price = read_price(model, &fields, &mut imported.warnings);
        // A price with one field left out would leave that part of the
        // model's usage unpriced: the model keeps the price it has.
        let unreadable = imported.warnings[before..]
            .iter()
            .any(|w| matches!(w, ImportWarning::Unreadable { .. }));
        if unreadable {
            imported.held_back += 1;
            continue;
        }
        if price.is_empty() {
            imported.skipped += 1;
            continue;
        }
        // A price 1000 times off keymeter's is almost surely another
        // unit (per 1K tokens, per token written as per 1M): applying it
        // would make every figure absurd, so it is held back and shown.
        if !check_units(model, from, &price, &mut imported.warnings) {
            imported.held_back += 1;
            continue;
        }
        imported.entries.push(PriceEntry {
            model: model.to_owned(),
            from,
            source: PriceSource::Imported,
            price,
        });
    }
    Ok(imported)
}

/// The text of a JSON number or string value; `None` for anything else.
fn text_of(value: &RawValue) -> Option<String> {
    let raw = value.get().trim();
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).ok();
    }
    let numeric = raw.bytes().all(|b| {
        b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')
    });
    (numeric && !raw.is_empty()).then(|| raw.to_owned())
}

/// The price an entry's fields give, warning about odd values.
fn read_price(
    model: &str,
    fields: &BTreeMap<String, &RawValue>,
    warnings: &mut Vec<ImportWarning>,
) -> Price {
    price_of(&read_slots(model, fields, warnings))
}

/// Every known field of an entry that holds a readable price.
fn read_slots(
    model: &str,
    fields: &BTreeMap<String, &RawValue>,
    warnings: &mut Vec<ImportWarning>,
) -> BTreeMap<Slot, Rate> {
    let mut slots: BTreeMap<Slot, Rate> = BTreeMap::new();
    for &(field, slot) in FIELDS {
        let Some(raw) = fields.get(field) else {
            continue;
        };
        if raw.get().trim() == "null" {
            continue;
        }
        let model = model.to_owned();
        match text_of(raw).as_deref().and_then(Rate::per_unit) {
            Some((rate, exact)) => {
                if !exact {
                    warnings.push(ImportWarning::Rounded { model, field });
                }
                slots.insert(slot, rate);
            }
            None => warnings.push(ImportWarning::Unreadable { model, field }),
        }
    }
    slots
}

/// The price the read fields make up.
fn price_of(slots: &BTreeMap<Slot, Rate>) -> Price {
    let get = |slot: Slot| slots.get(&slot).copied();

    // A file with one batch price gets the usual half for the other, and
    // cached batch input is half the cached price, as the Batch discount
    // applies to every rate.
    let explicit_batch = get(Slot::BatchInput).or(get(Slot::BatchOutput));
    let batch_input =
        get(Slot::BatchInput).or(get(Slot::Input).map(Rate::half));
    let batch_output =
        get(Slot::BatchOutput).or(get(Slot::Output).map(Rate::half));
    let batch = match (explicit_batch, batch_input, batch_output) {
        (Some(_), Some(input), Some(output)) => Some(TierRates {
            input,
            cached_input: get(Slot::CachedInput).map(Rate::half),
            output,
        }),
        _ => None,
    };
    let priority = match (get(Slot::PriorityInput), get(Slot::PriorityOutput)) {
        (Some(input), Some(output)) => Some(TierRates {
            input,
            cached_input: get(Slot::PriorityCachedInput),
            output,
        }),
        _ => None,
    };
    Price {
        input: get(Slot::Input),
        cached_input: get(Slot::CachedInput),
        output: get(Slot::Output),
        audio_input: get(Slot::AudioInput),
        cached_audio_input: get(Slot::CachedAudioInput),
        audio_output: get(Slot::AudioOutput),
        image_input: get(Slot::ImageInput),
        cached_image_input: get(Slot::CachedImageInput),
        image_output: get(Slot::ImageOutput),
        per_image: get(Slot::PerImage)
            .map(|rate| ImageRate {
                size: None,
                quality: None,
                rate,
            })
            .into_iter()
            .collect(),
        per_character: get(Slot::PerCharacter),
        per_second: get(Slot::PerSecond),
        batch,
        priority,
        long_context: false,
    }
}

/// Warns about each price 1000 times or more off the built-in one.
fn check_units(
    model: &str,
    from: Option<Date>,
    price: &Price,
    warnings: &mut Vec<ImportWarning>,
) -> bool {
    let day = from.unwrap_or(Date::new(9999, 12, 31));
    let Some(built) = built_in_table().resolve(model, day) else {
        return true;
    };
    let built = built.price();
    let pairs = [
        ("input_cost_per_token", price.input, built.input),
        (
            "cache_read_input_token_cost",
            price.cached_input,
            built.cached_input,
        ),
        ("output_cost_per_token", price.output, built.output),
        (
            "input_cost_per_audio_token",
            price.audio_input,
            built.audio_input,
        ),
        (
            "output_cost_per_audio_token",
            price.audio_output,
            built.audio_output,
        ),
        (
            "input_cost_per_image_token",
            price.image_input,
            built.image_input,
        ),
        (
            "output_cost_per_image_token",
            price.image_output,
            built.image_output,
        ),
        (
            "input_cost_per_character",
            price.per_character,
            built.per_character,
        ),
        ("input_cost_per_second", price.per_second, built.per_second),
    ];
    let mut plausible = true;
    for (field, imported, built_in) in pairs {
        let (Some(imported), Some(built_in)) = (imported, built_in) else {
            continue;
        };
        if imported
            .factor_between(built_in)
            .is_some_and(|f| f >= 1_000)
        {
            plausible = false;
            warnings.push(ImportWarning::UnitMismatch {
                model: model.to_owned(),
                field,
                imported,
                built_in,
            });
        }
    }
    plausible
}

#[cfg(test)]
mod tests;
