//! The built-in price table: OpenAI's published list prices, entered as
//! the dollar figures the pricing page shows so that they can be checked
//! against it by eye.
//!
//! Prices from `openai-admin-api.md` are used as given; the others are
//! OpenAI's list prices as published up to mid-2026. An entry without a
//! date applies to every day; a dated entry records a price change and
//! applies from that UTC day on.

mod media;
mod text;

use super::rate::Rate;
use super::schedule::{ImageRate, Price, TierRates};
use super::table::{PriceEntry, PriceSource};
use crate::domain::time::Date;

/// Every built-in entry, text models first.
pub(super) fn entries() -> Vec<PriceEntry> {
    text::specs()
        .into_iter()
        .chain(media::specs())
        .map(|spec| PriceEntry {
            model: spec.model.to_owned(),
            from: spec.from,
            source: PriceSource::BuiltIn,
            price: spec.price,
        })
        .collect()
}

/// One built-in entry being written down.
struct Spec {
    model: &'static str,
    from: Option<Date>,
    price: Price,
}

/// Dollars per 1M units as written on the pricing page; `-` for none.
fn m(dollars: &str) -> Option<Rate> {
    (dollars != "-").then(|| {
        Rate::per_million(dollars).expect("a built-in price is a decimal")
    })
}

/// Dollars per single unit (an image, a second); `-` for none.
fn each(dollars: &str) -> Option<Rate> {
    (dollars != "-").then(|| match Rate::per_unit(dollars) {
        Some((rate, true)) => rate,
        _ => panic!("a built-in price is an exact decimal: {dollars}"),
    })
}

/// A model with text-token prices per 1M: input, cached input, output.
fn tokens(
    model: &'static str,
    input: &str,
    cached: &str,
    output: &str,
) -> Spec {
    Spec {
        model,
        from: None,
        price: Price {
            input: m(input),
            cached_input: m(cached),
            output: m(output),
            ..Price::default()
        },
    }
}

/// A model priced only by the images it generates: (size, quality,
/// dollars per image).
fn images(model: &'static str, rates: &[(&str, &str, &str)]) -> Spec {
    let per_image = rates
        .iter()
        .map(|(size, quality, dollars)| ImageRate {
            size: Some((*size).to_owned()),
            quality: (!quality.is_empty()).then(|| (*quality).to_owned()),
            rate: each(dollars).expect("an image price"),
        })
        .collect();
    Spec {
        model,
        from: None,
        price: Price {
            per_image,
            ..Price::default()
        },
    }
}

/// A speech model priced per 1M characters.
fn characters(model: &'static str, per_million: &str) -> Spec {
    Spec {
        model,
        from: None,
        price: Price {
            per_character: m(per_million),
            ..Price::default()
        },
    }
}

/// A transcription model priced per second of audio.
fn seconds(model: &'static str, per_second: &str) -> Spec {
    Spec {
        model,
        from: None,
        price: Price {
            per_second: each(per_second),
            ..Price::default()
        },
    }
}

impl Spec {
    /// The price applies from `date` (UTC) on.
    fn from(mut self, date: Date) -> Spec {
        self.from = Some(date);
        self
    }

    /// Priority-tier text prices per 1M: input, cached input, output.
    fn priority(mut self, input: &str, cached: &str, output: &str) -> Spec {
        self.price.priority = Some(TierRates {
            input: m(input).expect("a priority input price"),
            cached_input: m(cached),
            output: m(output).expect("a priority output price"),
        });
        self
    }

    /// Audio-token prices per 1M: input, cached input, output.
    fn audio(mut self, input: &str, cached: &str, output: &str) -> Spec {
        self.price.audio_input = m(input);
        self.price.cached_audio_input = m(cached);
        self.price.audio_output = m(output);
        self
    }

    /// Image-token prices per 1M: input, cached input, output.
    fn image_tokens(mut self, input: &str, cached: &str, output: &str) -> Spec {
        self.price.image_input = m(input);
        self.price.cached_image_input = m(cached);
        self.price.image_output = m(output);
        self
    }

    /// The model charges more for requests above 272k input tokens.
    fn long_context(mut self) -> Spec {
        self.price.long_context = true;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_built_in_entry_is_unique_and_has_a_rate() {
        let all = entries();
        let mut seen = HashSet::new();
        for entry in &all {
            assert!(
                seen.insert((entry.model.clone(), entry.from)),
                "{} twice",
                entry.model
            );
            assert!(!entry.price.is_empty(), "{} has no rate", entry.model);
            assert_eq!(entry.model.trim(), entry.model);
        }
        assert!(all.len() > 60, "{} entries", all.len());
    }

    #[test]
    fn the_documented_prices_are_built_in() {
        let all = entries();
        let find = |model: &str| {
            let e = all.iter().find(|e| e.model == model && e.from.is_none());
            let p = &e.unwrap_or_else(|| panic!("{model}")).price;
            let text =
                |r: Option<Rate>| r.map_or("-".into(), Rate::per_million_text);
            [text(p.input), text(p.cached_input), text(p.output)]
        };
        assert_eq!(find("gpt-5"), ["1.25", "0.125", "10.00"]);
        assert_eq!(find("gpt-5-nano"), ["0.05", "0.005", "0.40"]);
        assert_eq!(find("gpt-4o-2024-05-13"), ["5.00", "-", "15.00"]);
        assert_eq!(find("o4-mini"), ["1.10", "0.275", "4.40"]);
        assert_eq!(find("gpt-3.5-turbo"), ["0.50", "-", "1.50"]);
        assert_eq!(find("text-embedding-3-large"), ["0.13", "-", "-"]);
        assert_eq!(find("omni-moderation"), ["0.00", "-", "0.00"]);
    }
}
