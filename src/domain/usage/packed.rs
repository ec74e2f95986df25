//! The counts a stored usage row keeps, packed: of `TokenCounts`' twelve
//! fields a row fills one to four (completions: requests, input, cached
//! input and output; the other kinds requests and one more, or just
//! one), so a row keeps only the counts that are not zero and which
//! fields they are. A million rows then hold 40 bytes of counts each on
//! the web rather than 96. Sums are still made in `TokenCounts`, which
//! `unpack` gives back whole.

use std::fmt;

use super::TokenCounts;

/// How many counts a row keeps in place; the rest go to the heap.
const IN_PLACE: usize = 4;

/// How many fields `TokenCounts` has.
const FIELDS: usize = 12;

/// The counts most rows have, those of a completion: requests, input,
/// cached input and output, the first four fields. Rows with just these
/// are unpacked and added up without visiting each field.
const COMPLETIONS: u16 = 0b1111;

/// The counts of one row, with nothing lost: every count keeps its 64
/// bits, however many of them are not zero.
///
/// Equal counts always pack the same way (zeros past the last count, no
/// spill unless needed), so two packs are equal exactly when their
/// counts are.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PackedCounts {
    /// Bit `i` is set when field `i` of `TokenCounts` (in declaration
    /// order) is not zero.
    present: u16,
    /// The first four counts that are not zero, in field order.
    first: [u64; IN_PLACE],
    /// Those after the fourth, in field order, when a row has more: an
    /// audio completion's. Rare enough that a heap block is cheaper than
    /// room in every row.
    rest: Option<Box<[u64; FIELDS - IN_PLACE]>>,
}

impl PackedCounts {
    /// The counts in full.
    pub fn unpack(&self) -> TokenCounts {
        if self.present == COMPLETIONS {
            let [requests, input, cached_input, output] = self.first;
            return TokenCounts {
                requests,
                input,
                cached_input,
                output,
                ..TokenCounts::default()
            };
        }
        let mut counts = TokenCounts::default();
        self.each(|field, value| {
            if let Some(count) = counts.field_mut(field) {
                *count = value;
            }
        });
        counts
    }

    /// Adds the counts to `sum`. Sums over a million rows add every row,
    /// so this adds the few counts a row has rather than unpacking all
    /// twelve first.
    pub fn add_to(&self, sum: &mut TokenCounts) {
        if self.present == COMPLETIONS {
            let [requests, input, cached_input, output] = self.first;
            sum.requests += requests;
            sum.input += input;
            sum.cached_input += cached_input;
            sum.output += output;
            return;
        }
        self.each(|field, value| {
            if let Some(count) = sum.field_mut(field) {
                *count += value;
            }
        });
    }

    /// Calls `visit` with the field index and the value of each count
    /// that is not zero, in field order.
    fn each(&self, mut visit: impl FnMut(usize, u64)) {
        let mut present = self.present;
        let mut at: usize = 0;
        while present != 0 {
            let field = present.trailing_zeros() as usize;
            present &= present - 1;
            // Past the fourth count, `rest` is always there (see `from`).
            let value = match at.checked_sub(IN_PLACE) {
                None => self.first[at],
                Some(spilled) => self.rest.as_ref().map_or(0, |r| r[spilled]),
            };
            visit(field, value);
            at += 1;
        }
    }

    /// Changes the counts through `change`, which sees them whole.
    pub fn update(&mut self, change: impl FnOnce(&mut TokenCounts)) {
        let mut counts = self.unpack();
        change(&mut counts);
        *self = PackedCounts::from(&counts);
    }

    /// Whether every count is zero.
    pub fn is_zero(&self) -> bool {
        self.present == 0
    }
}

impl From<&TokenCounts> for PackedCounts {
    fn from(counts: &TokenCounts) -> PackedCounts {
        let mut packed = PackedCounts::default();
        let mut taken = 0;
        for (field, value) in counts.fields().into_iter().enumerate() {
            if value == 0 {
                continue;
            }
            packed.present |= 1 << field;
            if taken < IN_PLACE {
                packed.first[taken] = value;
            } else {
                packed.rest.get_or_insert_default()[taken - IN_PLACE] = value;
            }
            taken += 1;
        }
        packed
    }
}

impl From<TokenCounts> for PackedCounts {
    fn from(counts: TokenCounts) -> PackedCounts {
        PackedCounts::from(&counts)
    }
}

/// As the counts they stand for, not how they are packed.
impl fmt::Debug for PackedCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.unpack(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(counts: TokenCounts) {
        let packed = PackedCounts::from(&counts);
        assert_eq!(packed.unpack(), counts);
        assert_eq!(packed.is_zero(), counts == TokenCounts::default());
    }

    #[test]
    fn counts_of_every_kind_come_back_whole() {
        round_trip(TokenCounts::default());
        round_trip(TokenCounts {
            requests: 424,
            input: 763_200,
            cached_input: 295_358,
            output: 68_688,
            ..TokenCounts::default()
        });
        round_trip(TokenCounts {
            requests: 3,
            images: 7,
            ..TokenCounts::default()
        });
        round_trip(TokenCounts {
            usage_bytes: 250_000_000_000,
            ..TokenCounts::default()
        });
        round_trip(TokenCounts {
            calls: 1,
            ..TokenCounts::default()
        });
    }

    #[test]
    fn more_counts_than_fit_in_place_spill_without_loss() {
        let audio = TokenCounts {
            requests: 2,
            input: 5_000_000_000,
            cached_input: 1,
            output: u64::MAX,
            input_audio: 17,
            output_audio: 18,
            ..TokenCounts::default()
        };
        round_trip(audio);
        assert!(PackedCounts::from(&audio).rest.is_some());
        let mut every = TokenCounts::default();
        for (at, value) in (0..FIELDS).zip((0..).map(|n| u64::MAX - n)) {
            *every.field_mut(at).expect("a field") = value;
        }
        round_trip(every);
        let only_last_five = TokenCounts {
            seconds: 1,
            usage_bytes: 2,
            sessions: 3,
            calls: 4,
            ..TokenCounts::default()
        };
        round_trip(only_last_five);
        assert!(PackedCounts::from(&only_last_five).rest.is_none());
    }

    #[test]
    fn adding_packed_counts_adds_what_unpacked_ones_add() {
        let rows = [
            TokenCounts {
                requests: 3,
                input: 7,
                cached_input: 2,
                output: 5,
                input_audio: 1,
                output_audio: 9,
                ..TokenCounts::default()
            },
            TokenCounts {
                requests: 1,
                images: 4,
                ..TokenCounts::default()
            },
            TokenCounts {
                usage_bytes: u64::MAX / 4,
                ..TokenCounts::default()
            },
        ];
        let mut packed = TokenCounts::default();
        let mut unpacked = TokenCounts::default();
        for row in &rows {
            PackedCounts::from(row).add_to(&mut packed);
            unpacked.add(row);
        }
        assert_eq!(packed, unpacked);
    }

    #[test]
    fn equal_counts_pack_equal_and_different_ones_do_not() {
        let a = TokenCounts {
            input: 10,
            output: 4,
            ..TokenCounts::default()
        };
        let b = TokenCounts { output: 5, ..a };
        let c = TokenCounts {
            cached_input: 4,
            output: 0,
            ..a
        };
        assert_eq!(PackedCounts::from(&a), PackedCounts::from(a));
        assert_ne!(PackedCounts::from(&a), PackedCounts::from(&b));
        // The same values under other fields are other counts.
        assert_ne!(PackedCounts::from(&a), PackedCounts::from(&c));
    }

    #[test]
    fn packed_counts_print_as_the_counts() {
        let counts = TokenCounts {
            requests: 1,
            ..TokenCounts::default()
        };
        assert_eq!(
            format!("{:?}", PackedCounts::from(&counts)),
            format!("{counts:?}")
        );
    }
}
