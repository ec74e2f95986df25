//! The estimated cost of one usage row: what it metered, in which
//! processing tier, at the price of its model on its day.
//!
//! How a completions row splits into priced units follows the current
//! Admin API description: `input_tokens` holds every input token (text,
//! audio and image, cached ones included), `input_cached_tokens` the
//! cached part of all of them, `input_audio_tokens` uncached audio, and
//! `output_tokens` every output token with `output_audio_tokens` inside.
//! Uncached text input is therefore input - cached - audio, and cached
//! tokens are billed once, at the cached rate. Rows do not yet say how
//! much of the cache was audio or image, so all of it is priced as cached
//! text; for the realtime models the two cached rates are the same.

use super::rate::Rate;
use super::schedule::{Price, TierRates, Unit};
use super::table::PriceTable;
use crate::domain::money::Usd;
use crate::domain::time::Date;
use crate::domain::usage::{TokenCounts, UsageKind, UsageRecord};

/// How a row was processed, which scales its price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Standard,
    /// The Batch API: half price, or the model's own batch prices.
    Batch,
    /// Flex processing: half price.
    Flex,
    /// Priority processing: the model's priority prices, if known.
    Priority,
    /// A tier keymeter has no price rule for (`scale`, or new ones).
    Unknown,
}

impl Tier {
    /// The tier of a usage row from its `batch` flag and `service_tier`.
    pub fn of(record: &UsageRecord) -> Tier {
        let tier = match record.service_tier.as_deref() {
            None | Some("" | "default" | "auto" | "standard") => Tier::Standard,
            Some("flex") => Tier::Flex,
            Some("priority") => Tier::Priority,
            Some("batch") => Tier::Batch,
            Some(_) => Tier::Unknown,
        };
        match (record.batch == Some(true), tier) {
            // Both discounts are the same half; never apply it twice.
            (true, Tier::Standard | Tier::Batch | Tier::Flex) => Tier::Batch,
            (true, _) => Tier::Unknown,
            (false, tier) => tier,
        }
    }

    /// The rate of `unit` in this tier; `None` when it is not known.
    pub fn rate(
        self,
        price: &Price,
        unit: Unit,
        size: Option<&str>,
    ) -> Option<Rate> {
        let standard = || price.rate(unit, size);
        match self {
            Tier::Standard => standard(),
            Tier::Flex => standard().map(Rate::half),
            Tier::Batch => match price.batch {
                Some(rates) if unit.is_text() => Some(text_rate(rates, unit)),
                _ => standard().map(Rate::half),
            },
            Tier::Priority => match price.priority {
                Some(rates) if unit.is_text() => Some(text_rate(rates, unit)),
                _ => None,
            },
            Tier::Unknown => None,
        }
    }
}

/// A text unit's rate in a tier with its own prices.
fn text_rate(rates: TierRates, unit: Unit) -> Rate {
    match unit {
        Unit::Input => rates.input,
        Unit::CachedInput => rates.cached_input.unwrap_or(rates.input),
        _ => rates.output,
    }
}

/// What one usage row consumed, per priced unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metered<'a> {
    pub input: u64,
    pub cached_input: u64,
    pub output: u64,
    pub audio_input: u64,
    pub cached_audio_input: u64,
    pub audio_output: u64,
    pub image_input: u64,
    pub cached_image_input: u64,
    pub image_output: u64,
    pub images: u64,
    /// The size of the images, which their price depends on.
    pub size: Option<&'a str>,
    pub characters: u64,
    pub seconds: u64,
}

impl<'a> Metered<'a> {
    /// The priced units of `record`; `None` for kinds billed per call,
    /// session or stored byte, which token prices do not cover.
    pub fn of(record: &'a UsageRecord) -> Option<Metered<'a>> {
        Metered::counted(record, &record.counts.unpack())
    }

    /// `of` for a record whose counts are unpacked already, as `c`.
    pub fn counted(
        record: &'a UsageRecord,
        c: &TokenCounts,
    ) -> Option<Metered<'a>> {
        let metered = match record.kind {
            UsageKind::Completions
            | UsageKind::Embeddings
            | UsageKind::Moderations => {
                // Saturating splits: a malformed row can never go negative.
                let cached = c.cached_input.min(c.input);
                let audio_in = c.input_audio.min(c.input - cached);
                let audio_out = c.output_audio.min(c.output);
                Metered {
                    input: c.input - cached - audio_in,
                    cached_input: cached,
                    output: c.output - audio_out,
                    audio_input: audio_in,
                    audio_output: audio_out,
                    ..Metered::default()
                }
            }
            UsageKind::Images => Metered {
                images: c.images,
                size: record.size.as_deref(),
                ..Metered::default()
            },
            UsageKind::AudioSpeeches => Metered {
                characters: c.characters,
                ..Metered::default()
            },
            UsageKind::AudioTranscriptions => Metered {
                seconds: c.seconds,
                ..Metered::default()
            },
            UsageKind::VectorStores
            | UsageKind::CodeInterpreterSessions
            | UsageKind::FileSearchCalls
            | UsageKind::WebSearchCalls => return None,
        };
        Some(metered)
    }

    /// Each unit with its quantity, in the order bills list them.
    pub fn quantities(&self) -> [(Unit, u64); 12] {
        [
            (Unit::Input, self.input),
            (Unit::CachedInput, self.cached_input),
            (Unit::Output, self.output),
            (Unit::AudioInput, self.audio_input),
            (Unit::CachedAudioInput, self.cached_audio_input),
            (Unit::AudioOutput, self.audio_output),
            (Unit::ImageInput, self.image_input),
            (Unit::CachedImageInput, self.cached_image_input),
            (Unit::ImageOutput, self.image_output),
            (Unit::Image, self.images),
            (Unit::Character, self.characters),
            (Unit::Second, self.seconds),
        ]
    }
}

/// One priced unit of a row's estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part {
    pub unit: Unit,
    pub quantity: u64,
    pub cost: Usd,
}

/// The cost of each unit `metered` used, or `None` if any unit it used
/// has no price in `tier`: part of a row priced would read as all of it.
pub fn cost_parts(
    price: &Price,
    tier: Tier,
    metered: &Metered,
) -> Option<Vec<Part>> {
    metered
        .quantities()
        .into_iter()
        .filter(|(_, quantity)| *quantity > 0)
        .map(|(unit, quantity)| {
            let rate = tier.rate(price, unit, metered.size)?;
            Some(Part {
                unit,
                quantity,
                cost: rate.times(quantity),
            })
        })
        .collect()
}

impl PriceTable {
    /// The estimated cost of one usage row, or `None` when it is unpriced
    /// (unknown model, unknown tier, or a unit without a price).
    pub fn estimate(&self, record: &UsageRecord) -> Option<Usd> {
        let parts = self.estimate_parts(record)?;
        Some(parts.iter().map(|part| part.cost).sum())
    }

    /// The estimate of one usage row, unit by unit.
    pub fn estimate_parts(&self, record: &UsageRecord) -> Option<Vec<Part>> {
        let metered = Metered::of(record)?;
        let model = record.model.as_deref()?;
        let day = Date::from_unix(record.start_time);
        let resolution = self.resolve(model, day)?;
        cost_parts(resolution.price(), Tier::of(record), &metered)
    }
}

#[cfg(test)]
mod tests;
