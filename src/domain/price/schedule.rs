//! What one model charges: a rate for each unit it meters, and the rates
//! of its Batch and Priority tiers. Every rate is optional, because "this
//! model has no such price" must never turn into a price of zero.

use serde::{Deserialize, Serialize};

use super::rate::Rate;

/// Everything one model charges, per unit. Stored with user overrides, so
/// new fields must keep a default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Price {
    /// Text input tokens that were not served from the cache.
    pub input: Option<Rate>,
    /// Cached input; `None` means no cache discount (billed as input).
    pub cached_input: Option<Rate>,
    pub output: Option<Rate>,
    pub audio_input: Option<Rate>,
    /// Cached audio input; `None` means billed as audio input.
    pub cached_audio_input: Option<Rate>,
    pub audio_output: Option<Rate>,
    pub image_input: Option<Rate>,
    /// Cached image input; `None` means billed as image input.
    pub cached_image_input: Option<Rate>,
    pub image_output: Option<Rate>,
    /// Generated images, by size and quality.
    pub per_image: Vec<ImageRate>,
    /// Characters of text turned into speech.
    pub per_character: Option<Rate>,
    /// Seconds of audio transcribed.
    pub per_second: Option<Rate>,
    /// Batch prices of text tokens; `None` means half of every rate.
    pub batch: Option<TierRates>,
    /// Priority prices of text tokens; `None` leaves priority usage
    /// unpriced, since its premium differs from model to model.
    pub priority: Option<TierRates>,
    /// The model charges more above 272k input tokens per request, which
    /// daily totals cannot see: its estimates are a lower bound.
    pub long_context: bool,
}

/// Text-token prices of one processing tier.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize,
)]
pub struct TierRates {
    pub input: Rate,
    /// `None` means no cache discount in this tier.
    pub cached_input: Option<Rate>,
    pub output: Rate,
}

/// The price of one generated image of a size and quality.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageRate {
    /// `1024x1024`; `None` for any size.
    pub size: Option<String>,
    /// `standard` or `hd`; `None` when the model has one quality.
    pub quality: Option<String>,
    pub rate: Rate,
}

/// A unit that usage is metered and priced in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Input,
    CachedInput,
    Output,
    AudioInput,
    CachedAudioInput,
    AudioOutput,
    ImageInput,
    CachedImageInput,
    ImageOutput,
    Image,
    Character,
    Second,
}

impl Unit {
    /// The words OpenAI's billed line items use for this unit.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Input => "input",
            Unit::CachedInput => "cached input",
            Unit::Output => "output",
            Unit::AudioInput => "audio input",
            Unit::CachedAudioInput => "audio cached input",
            Unit::AudioOutput => "audio output",
            Unit::ImageInput => "image input",
            Unit::CachedImageInput => "image cached input",
            Unit::ImageOutput => "image output",
            Unit::Image => "images",
            Unit::Character => "characters",
            Unit::Second => "seconds",
        }
    }

    /// Whether a tier's text prices (`TierRates`) cover this unit.
    pub fn is_text(self) -> bool {
        matches!(self, Unit::Input | Unit::CachedInput | Unit::Output)
    }
}

impl Price {
    /// The standard-tier rate of `unit`; `size` picks an image price. A
    /// cached unit without its own rate costs as much as the uncached one.
    pub fn rate(&self, unit: Unit, size: Option<&str>) -> Option<Rate> {
        match unit {
            Unit::Input => self.input,
            Unit::CachedInput => self.cached_input.or(self.input),
            Unit::Output => self.output,
            Unit::AudioInput => self.audio_input,
            Unit::CachedAudioInput => {
                self.cached_audio_input.or(self.audio_input)
            }
            Unit::AudioOutput => self.audio_output,
            Unit::ImageInput => self.image_input,
            Unit::CachedImageInput => {
                self.cached_image_input.or(self.image_input)
            }
            Unit::ImageOutput => self.image_output,
            Unit::Image => self.image_rate(size),
            Unit::Character => self.per_character,
            Unit::Second => self.per_second,
        }
    }

    /// The price of an image of `size`. Usage rows carry the size but not
    /// the quality, so the standard quality is taken, which makes HD images
    /// a lower bound; a size with several qualities and no standard one is
    /// left unpriced rather than guessed.
    fn image_rate(&self, size: Option<&str>) -> Option<Rate> {
        let wanted = size.map(normalize_size);
        let sized: Vec<&ImageRate> = self
            .per_image
            .iter()
            .filter(|r| {
                r.size.is_some()
                    && r.size.as_deref().map(normalize_size) == wanted
            })
            .collect();
        let any_size: Vec<&ImageRate> =
            self.per_image.iter().filter(|r| r.size.is_none()).collect();
        let rates = if sized.is_empty() { any_size } else { sized };
        match rates.as_slice() {
            [only] => Some(only.rate),
            _ => rates.iter().find(|r| is_standard(r)).map(|r| r.rate),
        }
    }

    /// True when no rate at all is set.
    pub fn is_empty(&self) -> bool {
        *self
            == Price {
                long_context: self.long_context,
                ..Price::default()
            }
    }
}

fn is_standard(rate: &ImageRate) -> bool {
    rate.quality
        .as_deref()
        .is_none_or(|q| q.eq_ignore_ascii_case("standard"))
}

/// `1024 x 1024`, `1024-x-1024` and `1024X1024` all as `1024x1024`.
fn normalize_size(size: &str) -> String {
    size.to_ascii_lowercase()
        .replace("-x-", "x")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(
        size: Option<&str>,
        quality: Option<&str>,
        rate: u64,
    ) -> ImageRate {
        ImageRate {
            size: size.map(str::to_owned),
            quality: quality.map(str::to_owned),
            rate: Rate(rate),
        }
    }

    #[test]
    fn cached_units_fall_back_to_their_uncached_rate() {
        let price = Price {
            input: Some(Rate(5)),
            audio_input: Some(Rate(40)),
            ..Price::default()
        };
        assert_eq!(price.rate(Unit::CachedInput, None), Some(Rate(5)));
        assert_eq!(price.rate(Unit::CachedAudioInput, None), Some(Rate(40)));
        assert_eq!(price.rate(Unit::Output, None), None);
    }

    #[test]
    fn images_take_the_standard_price_of_their_size() {
        let price = Price {
            per_image: vec![
                image(Some("1024x1024"), Some("standard"), 40),
                image(Some("1024x1024"), Some("hd"), 80),
                image(Some("1792x1024"), Some("hd"), 120),
                image(Some("1792x1024"), Some("ultra"), 200),
            ],
            ..Price::default()
        };
        let rate = |size| price.rate(Unit::Image, size);
        assert_eq!(rate(Some("1024 X 1024")), Some(Rate(40)));
        assert_eq!(rate(Some("1024-x-1024")), Some(Rate(40)));
        assert_eq!(rate(Some("1792x1024")), None, "no standard quality");
        assert_eq!(rate(Some("256x256")), None);
        assert_eq!(rate(None), None);
    }

    #[test]
    fn an_any_size_price_covers_the_sizes_without_their_own() {
        let price = Price {
            per_image: vec![
                image(None, None, 7),
                image(Some("256x256"), None, 3),
            ],
            ..Price::default()
        };
        assert_eq!(price.rate(Unit::Image, None), Some(Rate(7)));
        assert_eq!(price.rate(Unit::Image, Some("512x512")), Some(Rate(7)));
        assert_eq!(price.rate(Unit::Image, Some("256x256")), Some(Rate(3)));
    }

    #[test]
    fn a_price_without_rates_is_empty() {
        assert!(Price::default().is_empty());
        let free = Price {
            input: Some(Rate::FREE),
            ..Price::default()
        };
        assert!(!free.is_empty(), "free is a price, not an absence");
    }
}
