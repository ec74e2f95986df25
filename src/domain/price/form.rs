//! The Prices page's edit form, read into a `Price`. Pure, so what a typed
//! price means is tested natively: dollars per 1M units, blank for "no
//! such price", and a plain sentence for anything else.

use super::rate::Rate;
use super::schedule::Price;
use crate::domain::money::group_thousands;

/// The form's fields as typed, dollars per 1M units each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceForm {
    pub input: String,
    pub cached_input: String,
    pub output: String,
    pub audio_input: String,
    pub audio_output: String,
    /// Per 1M characters of speech.
    pub characters: String,
}

/// Why the form is not a price.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error(
        "{0} should be dollars per 1M, like 2.50 or 0.075 (at most six \
         decimals and at most $1,000,000), or empty for no such price."
    )]
    NotAPrice(&'static str),
    #[error("Type at least one price.")]
    Empty,
    #[error(
        "Cached input cannot cost more than input: the cache is a discount \
         on input tokens. Check the two fields."
    )]
    CachedAboveInput,
}

/// The highest price per 1M units the form takes: OpenAI's dearest is a
/// few hundred dollars, so a bigger number is a slip of the digits.
const MOST_PER_MILLION: Rate = Rate(1_000_000 * 1_000_000);

impl PriceForm {
    /// The form filled from `price`, so an edit starts from what applies.
    pub fn of(price: &Price) -> PriceForm {
        let text = |rate: Option<Rate>| {
            rate.map(Rate::per_million_text).unwrap_or_default()
        };
        PriceForm {
            input: text(price.input),
            cached_input: text(price.cached_input),
            output: text(price.output),
            audio_input: text(price.audio_input),
            audio_output: text(price.audio_output),
            characters: text(price.per_character),
        }
    }

    /// `base` with the form's rates; units the form does not show (images,
    /// seconds, tiers) keep their values from `base`.
    pub fn apply(&self, base: &Price) -> Result<Price, FormError> {
        let read = |text: &str, field| {
            let text = text.trim().trim_start_matches('$');
            if text.is_empty() {
                return Ok(None);
            }
            Rate::per_million(text)
                .filter(|rate| *rate <= MOST_PER_MILLION)
                .map(Some)
                .ok_or(FormError::NotAPrice(field))
        };
        let price = Price {
            input: read(&self.input, "Input")?,
            cached_input: read(&self.cached_input, "Cached input")?,
            output: read(&self.output, "Output")?,
            audio_input: read(&self.audio_input, "Audio input")?,
            audio_output: read(&self.audio_output, "Audio output")?,
            per_character: read(&self.characters, "Characters")?,
            ..base.clone()
        };
        let typed = [
            &self.input,
            &self.cached_input,
            &self.output,
            &self.audio_input,
            &self.audio_output,
            &self.characters,
        ];
        if price.is_empty() || typed.iter().all(|t| t.trim().is_empty()) {
            return Err(FormError::Empty);
        }
        if let (Some(input), Some(cached)) = (price.input, price.cached_input) {
            if cached > input {
                return Err(FormError::CachedAboveInput);
            }
        }
        Ok(price)
    }
}

/// A typed rate far from keymeter's built-in rate for the same model and
/// field: most likely a slip, such as a price per 1K tokens typed where
/// the form takes 1M, or a lost decimal point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FarFromBuiltIn {
    pub field: &'static str,
    pub typed: Rate,
    pub built_in: Rate,
}

/// How many times dearer or cheaper than the built-in rate a typed one
/// may be before the form asks again. Real price changes are a few
/// times at most; slips of units are hundreds or thousands.
const FAR_FACTOR: u64 = 100;

impl std::fmt::Display for FarFromBuiltIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let factor = self.typed.factor_between(self.built_in).unwrap_or(0);
        let factor = group_thousands(&factor.to_string());
        let times = if self.typed > self.built_in {
            format!("{factor} times")
        } else {
            format!("1/{factor} of")
        };
        write!(
            f,
            "{} at ${} per 1M is {times} keymeter's built-in ${}.",
            self.field,
            self.typed.per_million_text(),
            self.built_in.per_million_text()
        )
    }
}

/// The rates of `typed` that are `FAR_FACTOR` times or more away from
/// those of `built_in`, the model's built-in price.
pub fn far_from_built_in(
    typed: &Price,
    built_in: &Price,
) -> Vec<FarFromBuiltIn> {
    let fields = [
        ("Input", typed.input, built_in.input),
        ("Cached input", typed.cached_input, built_in.cached_input),
        ("Output", typed.output, built_in.output),
        ("Audio input", typed.audio_input, built_in.audio_input),
        ("Audio output", typed.audio_output, built_in.audio_output),
        ("Characters", typed.per_character, built_in.per_character),
    ];
    fields
        .into_iter()
        .filter_map(|(field, typed, built_in)| {
            let (typed, built_in) = (typed?, built_in?);
            let factor = typed.factor_between(built_in)?;
            (factor >= FAR_FACTOR).then_some(FarFromBuiltIn {
                field,
                typed,
                built_in,
            })
        })
        .collect()
}

/// The units of `price` beyond text tokens, in a few words for the price
/// list: `audio in 40.00 · audio out 80.00 · 1024x1024 0.04/image`.
pub fn other_units(price: &Price) -> String {
    let per_m = |label: &str, rate: Option<Rate>| {
        rate.map(|r| format!("{label} {}", r.per_million_text()))
    };
    let mut parts: Vec<String> = [
        per_m("audio in", price.audio_input),
        per_m("audio out", price.audio_output),
        per_m("image in", price.image_input),
        per_m("image out", price.image_output),
        per_m("per 1M characters", price.per_character),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(rate) = price.per_second {
        let minute = rate.times(60).to_fixed(4);
        parts.push(format!("{minute}/minute"));
    }
    for image in &price.per_image {
        let what = [image.size.as_deref(), image.quality.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        parts.push(format!("{what} {}/image", image.rate.times(1).to_fixed(3)));
    }
    if price.batch.is_some() {
        parts.push("own Batch price".to_owned());
    }
    if price.priority.is_some() {
        parts.push("Priority priced".to_owned());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_a_hundred_times_away_from_the_built_in_ones_are_pointed_out() {
        let built_in = Price {
            input: Rate::per_million("2.50"),
            output: Rate::per_million("10"),
            ..Price::default()
        };
        let typed = |input: &str, output: &str| Price {
            input: Rate::per_million(input),
            output: Rate::per_million(output),
            ..Price::default()
        };
        // A new price a few times off the old one is a real change.
        assert!(far_from_built_in(&typed("5", "2.50"), &built_in).is_empty());
        let far = far_from_built_in(&typed("2500", "0.01"), &built_in);
        let said: Vec<String> = far.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "Input at $2500.00 per 1M is 1,000 times keymeter's built-in \
                 $2.50.",
                "Output at $0.01 per 1M is 1/1,000 of keymeter's built-in \
                 $10.00.",
            ]
        );
        // A field without a built-in rate has nothing to compare with.
        let audio = Price {
            audio_input: Rate::per_million("9000"),
            ..Price::default()
        };
        assert!(far_from_built_in(&audio, &built_in).is_empty());
    }

    #[test]
    fn typed_prices_are_per_million_and_blank_means_none() {
        let base = Price {
            per_second: Some(Rate(100_000_000)),
            ..Price::default()
        };
        let form = PriceForm {
            input: "2.50".into(),
            cached_input: " $1.25 ".into(),
            output: "10".into(),
            ..PriceForm::default()
        };
        let price = form.apply(&base).expect("valid");
        assert_eq!(price.input, Some(Rate(2_500_000)));
        assert_eq!(price.cached_input, Some(Rate(1_250_000)));
        assert_eq!(price.output, Some(Rate(10_000_000)));
        assert_eq!(price.audio_input, None);
        assert_eq!(price.per_second, base.per_second, "kept from the base");
        assert_eq!(PriceForm::of(&price).output, "10.00");
    }

    #[test]
    fn empty_forms_dear_cache_and_absurd_prices_are_refused() {
        let image_only = Price {
            per_second: Some(Rate(100_000_000)),
            ..Price::default()
        };
        let empty = PriceForm::default();
        assert_eq!(empty.apply(&image_only), Err(FormError::Empty));
        assert_eq!(empty.apply(&Price::default()), Err(FormError::Empty));

        let dear_cache = PriceForm {
            input: "2.50".into(),
            cached_input: "5".into(),
            ..PriceForm::default()
        };
        assert_eq!(
            dear_cache.apply(&Price::default()),
            Err(FormError::CachedAboveInput)
        );

        for typed in ["1e9", "1000000.01", "999999999"] {
            let form = PriceForm {
                output: typed.into(),
                ..PriceForm::default()
            };
            assert_eq!(
                form.apply(&Price::default()),
                Err(FormError::NotAPrice("Output")),
                "{typed}"
            );
        }
        let dearest = PriceForm {
            output: "1000000".into(),
            ..PriceForm::default()
        };
        assert!(dearest.apply(&Price::default()).is_ok());
    }

    #[test]
    fn other_units_are_listed_in_their_own_units() {
        let price = Price {
            audio_input: Some(Rate(40_000_000)),
            per_second: Some(Rate(100_000_000)),
            ..Price::default()
        };
        assert_eq!(other_units(&price), "audio in 40.00 · 0.0060/minute");
        assert_eq!(other_units(&Price::default()), "");
    }

    #[test]
    fn a_field_that_is_not_a_price_is_named() {
        for bad in ["abc", "-1", "1,50", "0.0000001"] {
            let form = PriceForm {
                output: bad.into(),
                ..PriceForm::default()
            };
            let error = form.apply(&Price::default()).unwrap_err();
            assert_eq!(error, FormError::NotAPrice("Output"), "{bad}");
        }
        let empty = PriceForm::default().apply(&Price::default());
        assert!(empty.is_err(), "a price with no rate at all is refused");
    }
}
